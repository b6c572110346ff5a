package parse

import (
	"strings"
	"unicode"
)

// The authors' scripts are Python; these helpers give Go the exact Python string semantics that
// decide answers at the edges (which characters strip() removes, how lower() treats 'İ', how a
// text-mode file splits into lines).

// pyIsSpace is Python's str.isspace for one rune: Go's unicode.IsSpace plus the ASCII
// information separators U+001C–U+001F.
func pyIsSpace(r rune) bool {
	return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f)
}

// pyStrip is Python's str.strip().
func pyStrip(s string) string { return strings.TrimFunc(s, pyIsSpace) }

// pyRStrip is Python's str.rstrip().
func pyRStrip(s string) string { return strings.TrimRightFunc(s, pyIsSpace) }

// pyLower is Python's str.lower(). It differs from strings.ToLower only for U+0130 (İ), which
// Python lowers to "i" followed by U+0307.
func pyLower(s string) string {
	if !strings.ContainsRune(s, 'İ') {
		return strings.ToLower(s)
	}
	return strings.ToLower(strings.ReplaceAll(s, "İ", "i\u0307"))
}

// pySplitLines splits text the way Python's readlines does on a file opened in text mode:
// "\r\n" and a lone "\r" both end a line, as "\n" does. Line ends are not kept.
func pySplitLines(s string) []string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return strings.Split(s, "\n")
}

// IsPySpace exposes Python's str.isspace for one rune to the readers of the authors' files.
func IsPySpace(r rune) bool { return pyIsSpace(r) }

// PyStrip exposes Python's str.strip() semantics to the readers of the authors' files.
func PyStrip(s string) string { return pyStrip(s) }

// PySplitLines exposes Python's text-mode line splitting to the readers of the authors' files.
func PySplitLines(s string) []string { return pySplitLines(s) }

// IsPyDigits reports whether s is non-empty and every rune is a decimal digit as Python's
// str.isdigit() sees it (Unicode Nd, plus superscript and other digit forms it accepts).
func IsPyDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsDigit(r) && !isPyExtraDigit(r) {
			return false
		}
	}
	return true
}

// isPyExtraDigit covers the runes with Unicode Numeric_Type=Digit that are not Nd (which
// Python's isdigit accepts): superscripts, circled and parenthesised digits and the like.
func isPyExtraDigit(r rune) bool {
	switch {
	case r == 0xB2 || r == 0xB3 || r == 0xB9: // ² ³ ¹
		return true
	case r >= 0x2070 && r <= 0x2079 && r != 0x2071 && r != 0x2072 && r != 0x2073: // superscripts
		return true
	case r >= 0x2080 && r <= 0x2089: // subscripts
		return true
	case r >= 0x2460 && r <= 0x2468, r >= 0x2474 && r <= 0x247C, r >= 0x2488 && r <= 0x2490: // ①.. ⑴.. ⒈..
		return true
	case r >= 0x24F5 && r <= 0x24FD, r == 0x24EA, r == 0x24FF, r >= 0x2776 && r <= 0x277E,
		r >= 0x2780 && r <= 0x2788, r >= 0x278A && r <= 0x2792:
		return true
	case r >= 0x1369 && r <= 0x1371: // Ethiopic digits
		return true
	case r == 0x19DA:
		return true
	case r >= 0x10A40 && r <= 0x10A43, r >= 0x10E60 && r <= 0x10E68, r >= 0x11052 && r <= 0x1105A: // Kharoshthi, Rumi, Brahmi
		return true
	case r >= 0x1F100 && r <= 0x1F10A:
		return true
	}
	return false
}
