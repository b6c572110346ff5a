package plot

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/text/encoding/charmap"
	"gonum.org/v1/plot/font"
)

// Replacement marks. Liberation Sans has no U+FFFD, so a character the font cannot draw becomes
// a white square (which it can draw) and an invalid byte becomes '?'.
const (
	missingGlyph = '□'
	invalidByte  = '?'
	ellipsis     = '…'
)

// CleanText makes untrusted text (model names, judge names, labels) safe to draw with the
// Liberation Sans font of the plots and the PDF report: invalid UTF-8 bytes become '?', control
// and invisible formatting characters (NUL, bidi overrides, zero-width joiners) are dropped, any
// run of white space (newlines included) becomes one space, characters the font has no glyph for
// (CJK, emoji, most scripts beyond Latin, Greek, Cyrillic and Hebrew) become '□', and text longer
// than maxRunes is cut with '…' (maxRunes <= 0: no limit).
func CleanText(s string, maxRunes int) string {
	face := font.DefaultCache.Lookup(sansFont, 10).Face
	var buf sfnt.Buffer
	var b strings.Builder
	b.Grow(len(s))
	n := 0
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			r = invalidByte
		case unicode.IsSpace(r):
			space = n > 0
			continue
		case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Co, r), r == utf8.RuneError:
			continue
		}
		if g, err := face.GlyphIndex(&buf, r); err != nil || g == 0 {
			r = missingGlyph
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		b.WriteRune(r)
		n++
	}
	out := b.String()
	if maxRunes > 0 && n > maxRunes {
		runes := []rune(out)
		out = strings.TrimRight(string(runes[:max(maxRunes-1, 0)]), " ") + string(ellipsis)
	}
	return out
}

// cp1252 re-encodes UTF-8 text as Windows-1252, the only encoding gonum's PDF canvas writes
// correctly; a character outside it becomes its pdfFallback spelling, else '?'.
func cp1252(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		c, ok := charmap.Windows1252.EncodeRune(r)
		switch {
		case ok:
			b = append(b, c)
		case pdfFallback[r] != "":
			b = append(b, pdfFallback[r]...)
		default:
			b = append(b, '?')
		}
	}
	return string(b)
}

// pdfFallback spells, in Windows-1252, characters the figures themselves draw that it lacks.
var pdfFallback = map[rune]string{'κ': "kappa", '−': "-"}

// label is CleanText in display order: what every figure draws.
func label(s string, maxRunes int) string { return VisualOrder(CleanText(s, maxRunes)) }
