package view

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/emoeval/emoeval/pipeline/human"
)

// seg is a piece of untrusted text as a page shows it: plain text, or one invisible formatting
// character (human.IsFormatChar: bidirectional overrides and the like, which would reorder what
// a reader sees) shown as its code point. Templates print both through contextual escaping; nothing
// here is ever marked safe HTML.
type seg struct {
	Text string
	Ctrl string // "U+202E" for a formatting character, else ""
}

// segments splits text into plain runs and formatting characters. Invalid UTF-8 becomes U+FFFD
// (as the browser would show it) so that the page is valid UTF-8 whatever a model wrote.
func segments(s string) []seg {
	var out []seg
	start := 0
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if human.IsFormatChar(r) {
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
