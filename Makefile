# Developer shortcuts. CI runs .ci/run, which uses the same commands.

.PHONY: run test race bench lint vet verify fuzz

# Run the bot: terminal chat unless platform tokens are set.
run:
	go run ./cmd/bot

# The test suite, with the race detector (the README's test command).
test:
	go test -race ./...

race: test

# Benchmarks quoted in BENCHMARKS.md.
bench:
	go test -run '^$$' -bench . -benchmem ./...

# Check the knowledge base and the code.
lint:
	go run ./cmd/bot lint
	gofmt -l .
	go vet ./...

vet:
	go vet ./...

# Fail when go.mod/go.sum are not tidy.
verify:
	go mod tidy
	git diff --exit-code go.mod go.sum

# Every fuzz target for FUZZTIME each (CI runs them for 3s).
FUZZTIME ?= 30s
fuzz:
	.ci/fuzz $(FUZZTIME)
