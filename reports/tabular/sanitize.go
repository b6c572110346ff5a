package tabular

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes untrusted text safe to show in any format before format-specific escaping:
// invalid UTF-8 becomes U+FFFD; CR LF, CR and the Unicode line separators become LF; a tab becomes
// a space; other C0 controls and DEL become their visible Control Pictures (U+2400…), so terminal
// escape sequences cannot act; C1 controls and the bidirectional embedding, override and isolate
// controls (which can reorder a table's borders) become U+FFFD. Letters of any script, emoji and
// joiners are kept.
func Sanitize(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune(utf8.RuneError)
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteByte('\n')
		case r == '\n' || r == '\u2028' || r == '\u2029':
			b.WriteByte('\n')
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20:
			b.WriteRune(0x2400 + r)
		case r == 0x7f:
			b.WriteRune('\u2421')
		case isUnsafeFormat(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isClean is Sanitize's fast path: printable ASCII, or valid UTF-8 without runes it changes.
func isClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c < 0x80 && c != '\n' {
			return false
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || r == '\u2028' || r == '\u2029' || isUnsafeFormat(r) {
			return false
		}
		i += size
	}
	return true
}

func isUnsafeFormat(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
