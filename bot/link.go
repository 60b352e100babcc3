package bot

import "context"

// Codes keeps one-time codes (/link): a code is a claim its issuer holds until it expires, and
// Take hands it to exactly one redeemer, across replicas.
type Codes interface {
	Claims
	// Take removes the claim on key, whoever holds it, and returns its owner; ok is false when
	// there was none, or it had expired.
	Take(ctx context.Context, key string) (owner string, ok bool, err error)
}
