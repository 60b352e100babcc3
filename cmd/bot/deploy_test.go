package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// secretVars may be set only from a Kubernetes Secret, an .env file the operator fills in, or the
// systemd unit's EnvironmentFile: never written into a file that is committed.
var secretVars = []string{"TELEGRAM_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "DISCORD_TOKEN", "REDIS_URL"}

func knownVar(name string) bool {
	return slices.ContainsFunc(envVars, func(v struct{ name, flag, help string }) bool { return v.name == name })
}

func deployFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// yamlDocs parses every document of a YAML file.
func yamlDocs(t *testing.T, name string) []map[string]any {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(deployFile(t, name)))
	var docs []map[string]any
	for {
		var doc map[string]any
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		docs = append(docs, doc)
	}
}

// dotenv reads KEY=VALUE lines, commented ones included (they document what may be set).
func dotenv(t *testing.T, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	line := regexp.MustCompile(`^#?\s*([A-Z][A-Z0-9_]*)=(.*)$`)
	sc := bufio.NewScanner(bytes.NewReader(deployFile(t, name)))
	for sc.Scan() {
		if m := line.FindStringSubmatch(strings.TrimSpace(sc.Text())); m != nil {
			out[m[1]] = m[2]
		}
	}
	return out
}

// TestDeployFilesParse reads every deploy file as its tool would.
func TestDeployFilesParse(t *testing.T) {
	for _, f := range []string{"compose.yaml", "prometheus.yml", "grafana/provisioning/datasources/prometheus.yaml",
		"grafana/provisioning/dashboards/pybrarian.yaml", "k8s/kustomization.yaml", "k8s/configmap.yaml",
		"k8s/secret.yaml", "k8s/deployment.yaml", "k8s/service.yaml", "k8s/discord-statefulset.yaml"} {
		if docs := yamlDocs(t, f); len(docs) == 0 {
			t.Errorf("%s has no YAML document", f)
		}
	}
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(deployFile(t, "grafana/dashboards/pybrarian.json"), &dash); err != nil || len(dash.Panels) == 0 {
		t.Fatalf("the Grafana dashboard: %v", err)
	}
	// Every metric a panel queries is one the bot exports (histograms by their series).
	exported := map[string]bool{}
	src, err := os.ReadFile(filepath.Join("..", "..", "ops", "metrics.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`Name:\s+"(pybrarian_[a-z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		for _, suffix := range []string{"", "_bucket", "_sum", "_count"} {
			exported[m[1]+suffix] = true
		}
	}
	if len(exported) == 0 {
		t.Fatal("found no metric names in ops/metrics.go")
	}
	metric := regexp.MustCompile(`\b(pybrarian|go|process)_[a-z_]+`)
	for _, p := range dash.Panels {
		names := metric.FindAllString(strings.Join(func() []string {
			var e []string
			for _, tg := range p.Targets {
				e = append(e, tg.Expr)
			}
			return e
		}(), " "), -1)
		if len(names) == 0 {
			t.Errorf("panel %q queries no metric of the bot", p.Title)
		}
		for _, n := range names {
			if strings.HasPrefix(n, "pybrarian_") && !exported[n] {
				t.Errorf("panel %q queries %s, which the bot does not export", p.Title, n)
			}
		}
	}
	k := yamlDocs(t, "k8s/kustomization.yaml")[0]
	for _, r := range k["resources"].([]any) {
		if _, err := os.Stat(filepath.Join("..", "..", "deploy", "k8s", r.(string))); err != nil {
			t.Errorf("kustomization lists %s: %v", r, err)
		}
	}
	// The systemd unit: sections and key=value lines only.
	sec := ""
	sc := bufio.NewScanner(bytes.NewReader(deployFile(t, "pybrarian.service")))
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			sec = l
		case sec != "" && strings.Contains(l, "="):
		default:
			t.Errorf("pybrarian.service:%d: %q is not a section or key=value", n, l)
		}
	}
}

// TestDeployVariablesAreKnown: every variable a deploy file sets is one the program reads, and
// every secret comes from a Secret, an .env file or the unit's EnvironmentFile.
func TestDeployVariablesAreKnown(t *testing.T) {
	set := map[string][]string{} // variable -> where
	note := func(name, where string) { set[name] = append(set[name], where) }

	compose := yamlDocs(t, "compose.yaml")[0]
	bot := compose["services"].(map[string]any)["bot"].(map[string]any)
	for k, v := range bot["environment"].(map[string]any) {
		note(k, "compose.yaml")
		if slices.Contains(secretVars, k) && !strings.HasPrefix(k, "REDIS_URL") {
			t.Errorf("compose.yaml writes the secret %s", k)
		}
		if k == "REDIS_URL" && strings.Contains(v.(string), "@") {
			t.Errorf("compose.yaml writes a password into REDIS_URL")
		}
	}
	for _, f := range []string{".env.example", "env.example"} {
		for k, v := range dotenv(t, f) {
			note(k, f)
			if slices.Contains(secretVars, k) && v != "" && !strings.Contains(v, "password") {
				t.Errorf("%s gives %s a value; leave secrets for the operator", f, k)
			}
		}
	}
	for k, v := range yamlDocs(t, "k8s/configmap.yaml")[0]["data"].(map[string]any) {
		note(k, "k8s/configmap.yaml")
		if slices.Contains(secretVars, k) {
			t.Errorf("the ConfigMap holds the secret %s = %v", k, v)
		}
	}
	for k := range yamlDocs(t, "k8s/secret.yaml")[0]["stringData"].(map[string]any) {
		note(k, "k8s/secret.yaml")
	}
	for _, f := range []string{"k8s/deployment.yaml", "k8s/discord-statefulset.yaml"} {
		spec := yamlDocs(t, f)[0]["spec"].(map[string]any)["template"].(map[string]any)["spec"].(map[string]any)
		for _, c := range spec["containers"].([]any) {
			for _, e := range c.(map[string]any)["env"].([]any) {
				env := e.(map[string]any)
				name := env["name"].(string)
				note(name, f)
				from, _ := env["valueFrom"].(map[string]any)
				if slices.Contains(secretVars, name) && (from == nil || from["secretKeyRef"] == nil) {
					t.Errorf("%s sets the secret %s other than from a Secret", f, name)
				}
			}
		}
	}
	unitEnv := regexp.MustCompile(`(?m)^Environment=([A-Z_]+)=`)
	for _, m := range unitEnv.FindAllStringSubmatch(string(deployFile(t, "pybrarian.service")), -1) {
		note(m[1], "pybrarian.service")
		if slices.Contains(secretVars, m[1]) {
			t.Errorf("the unit writes the secret %s; it belongs in its EnvironmentFile", m[1])
		}
	}
	dockerEnv := regexp.MustCompile(`(?m)^ENV (.*)$`)
	for _, m := range dockerEnv.FindAllStringSubmatch(string(deployFile(t, "Dockerfile")), -1) {
		for _, kv := range strings.Fields(m[1]) {
			name, _, _ := strings.Cut(kv, "=")
			note(name, "Dockerfile")
		}
	}
	if len(set) < 10 {
		t.Fatalf("found only %d variables in the deploy files: %v", len(set), set)
	}
	for name, where := range set {
		if !knownVar(name) {
			t.Errorf("%s (set in %v) is not a variable the program reads", name, where)
		}
	}
}

// TestComposeConfig validates compose.yaml with Docker's own parser where Docker Compose exists.
func TestComposeConfig(t *testing.T) {
	if err := exec.Command("docker", "compose", "version").Run(); err != nil {
		t.Skip("docker compose is not installed here")
	}
	dir := filepath.Join("..", "..", "deploy")
	env := filepath.Join(dir, ".env")
	if _, err := os.Stat(env); err != nil {
		if err := os.WriteFile(env, deployFile(t, ".env.example"), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Remove(env) })
	}
	out, err := exec.Command("docker", "compose", "-f", filepath.Join(dir, "compose.yaml"), "--profile", "monitoring", "config", "-q").CombinedOutput()
	if err != nil {
		t.Errorf("docker compose config: %v\n%s", err, out)
	}
}
