package view

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// seg is a piece of untrusted text as a page shows it: plain text, or one invisible formatting
// character shown as its code point. Templates print both through contextual escaping; nothing
// here is ever marked safe HTML.
type seg struct {
	Text string
	Ctrl string // "U+202E" for a formatting character, else ""
}

// isBidiControl reports the characters that change how the text around them is displayed
// without showing themselves: bidirectional embeddings, overrides and isolates (the "Trojan
// Source" characters), directional marks, zero-width characters and the byte-order mark. A
// page shows them as marks, so that what a reader sees is what the model wrote.
func isBidiControl(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r >= 0x200B && r <= 0x200F,
		r == 0x061C, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}

// segments splits text into plain runs and formatting characters. Invalid UTF-8 becomes U+FFFD
// (as the browser would show it) so that the page is valid UTF-8 whatever a model wrote.
func segments(s string) []seg {
	var out []seg
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isBidiControl(r) {
			if start < i {
				out = append(out, seg{Text: strings.ToValidUTF8(s[start:i], "\uFFFD")})
			}
			out = append(out, seg{Ctrl: fmt.Sprintf("U+%04X", r)})
			start = i + n
		}
		i += n
	}
	if start < len(s) {
		out = append(out, seg{Text: strings.ToValidUTF8(s[start:], "\uFFFD")})
	}
	return out
}

// excerpt is the start of a text, at most n runes, on one line.
func excerpt(s string, n int) string {
	if limit := 8 * n; len(s) > limit { // a megabyte of output is not split into words for 200 runes
		for limit > 0 && !utf8.RuneStart(s[limit]) {
			limit--
		}
		s = s[:limit]
	}
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for i = range s {
		if k == n {
			break
		}
		k++
	}
	return s[:i] + "…"
}

// byteSize writes a size for people.
func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
