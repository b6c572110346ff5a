package plot

import (
	"slices"

	"golang.org/x/text/unicode/bidi"
)

// VisualOrder turns one line of text from logical (stored) order into the order a renderer that
// draws strictly left to right must draw it in: right-to-left runs (Hebrew) are reversed,
// numbers inside them stay left to right, and brackets in them are mirrored. It implements the
// implicit part of the Unicode bidirectional algorithm (no explicit embeddings: CleanText
// removes those controls), which is enough for a line of mixed text. Wrap text into lines
// first, then reorder each line.
func VisualOrder(line string) string {
	runes := []rune(line)
	kinds := make([]bidiKind, len(runes))
	hasRTL := false
	for i, r := range runes {
		kinds[i] = kindOf(r)
		hasRTL = hasRTL || kinds[i] == rtl
	}
	if !hasRTL {
		return line
	}
	base := ltr
	if i := slices.IndexFunc(kinds, func(k bidiKind) bool { return k == ltr || k == rtl }); i >= 0 {
		base = kinds[i]
	}
	resolveWeak(kinds, base)
	levels := resolveLevels(kinds, base)
	for i := range runes {
		if levels[i]%2 == 1 {
			runes[i] = mirror(runes[i])
		}
	}
	// Rule L2: from the highest level down to the lowest odd one, reverse every run of
	// characters at that level or higher.
	top := slices.Max(levels)
	for lvl := top; lvl >= 1; lvl-- {
		for i := 0; i < len(runes); {
			if levels[i] < lvl {
				i++
				continue
			}
			j := i
			for j < len(runes) && levels[j] >= lvl {
				j++
			}
			slices.Reverse(runes[i:j])
			slices.Reverse(levels[i:j])
			i = j
		}
	}
	return string(runes)
}

type bidiKind uint8

const (
	neutral bidiKind = iota
	ltr
	rtl
	number
	mark // combining mark: takes the kind of the character before it
)

func kindOf(r rune) bidiKind {
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.L:
		return ltr
	case bidi.R, bidi.AL:
		return rtl
	case bidi.EN, bidi.AN:
		return number
	case bidi.NSM:
		return mark
	}
	return neutral
}

// resolveWeak gives combining marks the kind before them and turns a number that follows
// left-to-right text back into left-to-right text (rules W1, W7).
func resolveWeak(kinds []bidiKind, base bidiKind) {
	prevStrong := base
	prev := base
	for i, k := range kinds {
		if k == mark {
			kinds[i] = prev
			k = prev
		}
		switch k {
		case ltr, rtl:
			prevStrong = k
		case number:
			if prevStrong == ltr {
				kinds[i] = ltr
			}
		}
		prev = kinds[i]
	}
}

// resolveLevels settles neutrals by their strong neighbours (numbers count as right to left,
// rule N1) or else the base direction (N2), then assigns embedding levels (I1, I2).
func resolveLevels(kinds []bidiKind, base bidiKind) []int {
	dir := func(k bidiKind) bidiKind {
		if k == number {
			return rtl
		}
		return k
	}
	levels := make([]int, len(kinds))
	for i := 0; i < len(kinds); {
		if kinds[i] != neutral {
			i++
			continue
		}
		j := i
		for j < len(kinds) && kinds[j] == neutral {
			j++
		}
		before, after := base, base
		if i > 0 {
			before = dir(kinds[i-1])
		}
		if j < len(kinds) {
			after = dir(kinds[j])
		}
		resolved := base
		if before == after {
			resolved = before
		}
		for k := i; k < j; k++ {
			kinds[k] = resolved
		}
		i = j
	}
	for i, k := range kinds {
		switch {
		case base == ltr && k == rtl:
			levels[i] = 1
		case base == ltr && k == number:
			levels[i] = 2
		case base == rtl && k == rtl:
			levels[i] = 1
		case base == rtl:
			levels[i] = 2 // left-to-right text and numbers in a right-to-left line
		}
	}
	return levels
}

// mirror swaps a bracket for its counterpart, as right-to-left text shows it.
func mirror(r rune) rune {
	if p, _ := bidi.LookupRune(r); !p.IsBracket() {
		return r
	}
	m := []rune(bidi.ReverseString(string(r)))
	if len(m) != 1 {
		return r
	}
	return m[0]
}
