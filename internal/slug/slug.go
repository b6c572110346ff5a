// Package slug turns names (of models, judges, variants) into parts of file names and IDs. Every
// table and figure of a report is named through it, so a table and the figure of one model carry
// one name.
package slug

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// maxStem bounds a slug's readable part: a file name must stay well under 255 bytes with its
// prefix, suffix and extension.
const maxStem = 48

// Of turns a name into a file-name-safe ID part. Names of at most 48 ASCII letters, digits, '.',
// '_' and '-' (not starting with '.' or '-') are returned unchanged; any other name gets its
// unsafe runs replaced by '-', its length cut, and a short hash of the original appended, so
// distinct names give distinct slugs ("a/b", "a-b" and "a b" do not collide).
func Of(name string) string {
	if Is(name) && len(name) <= maxStem {
		return name
	}
	var b strings.Builder
	dash := false
	for _, r := range name {
		if b.Len() >= maxStem {
			break
		}
		if isSlugRune(r) && r != '-' {
			b.WriteRune(r)
			dash = false
			continue
		}
		if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	sum := sha256.Sum256([]byte(name))
	stem := strings.TrimLeft(strings.TrimRight(b.String(), "-"), ".-")
	if stem == "" {
		stem = "x"
	}
	return stem + "-" + hex.EncodeToString(sum[:4])
}

// Is says whether s is a slug as it stands: ASCII letters, digits, '.', '_' and '-', not
// starting with '.' or '-'.
func Is(s string) bool {
	if s == "" || s[0] == '.' || s[0] == '-' {
		return false
	}
	for _, r := range s {
		if !isSlugRune(r) {
			return false
		}
	}
	return true
}

func isSlugRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
}
