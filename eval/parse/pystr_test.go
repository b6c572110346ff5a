package parse

import (
	"slices"
	"testing"
)

// The expectations are Python 3's (checked against CPython 3.11 for every code point; Go's
// Unicode 15 tables add the Kawi and Nag Mundari digits, which Python 3.12+ also accepts).
func TestIsPyDigits(t *testing.T) {
	for s, want := range map[string]bool{
		"":        false,
		"12583":   true,
		"00012":   true,
		"12a":     false,
		" 12":     false,
		"12\n":    false, // the line end the authors' test sees makes a bare id a non-record
		"-1":      false,
		"١٢٣":     true, // Arabic-Indic (Nd)
		"²":       true, // superscript two: isdigit but not isdecimal
		"①":       true,
		"⓿":       true,
		"𐩀":       true, // Kharoshthi one
		"𑁒":       true, // Brahmi number one
		"½":       false,
		"Ⅻ":       false, // Roman numeral: numeric, not digit
		"\ufeff1": false,
	} {
		if got := IsPyDigits(s); got != want {
			t.Errorf("IsPyDigits(%q) = %v; want %v", s, got, want)
		}
	}
}

func TestPyStrip(t *testing.T) {
	for in, want := range map[string]string{
		" \t\n\r\v\f x \x1c\x1d\x1e\x1f": "x",
		"\u0085\u00a0x\u2028\u3000":      "x",
		"\u200bx\u200b":                  "\u200bx\u200b", // zero-width space is not whitespace
		"\ufeffx":                        "\ufeffx",       // nor is a BOM
		"":                               "",
	} {
		if got := PyStrip(in); got != want {
			t.Errorf("PyStrip(%q) = %q; want %q", in, got, want)
		}
	}
	if got := pyRStrip("  x  "); got != "  x" {
		t.Errorf("pyRStrip = %q", got)
	}
}

func TestPyLower(t *testing.T) {
	for in, want := range map[string]string{
		"HAPPY": "happy",
		"İ":     "i\u0307",
		"K":     "k", // Kelvin sign lowers to ASCII k, in Go as in Python
		"ß":     "ß",
	} {
		if got := pyLower(in); got != want {
			t.Errorf("pyLower(%q) = %q; want %q", in, got, want)
		}
	}
}

func TestPySplitLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"a\nb", []string{"a", "b"}},
		{"a\r\nb\rc\n", []string{"a", "b", "c", ""}},
		{"a\vb\x1cc\u2028d", []string{"a\vb\x1cc\u2028d"}}, // str.splitlines would split these; files do not
		{"\r\r\n", []string{"", "", ""}},
	}
	for _, tt := range tests {
		if got := PySplitLines(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("PySplitLines(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}
