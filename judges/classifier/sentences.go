package classifier

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// neverFinal reports abbreviations that do not end a sentence (lower case, without their last dot).
func neverFinal(word string) bool {
	switch word {
	case "e.g", "i.e", "cf", "vs", "viz", "approx", "fig", "no", "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr":
		return true
	}
	return false
}

// SplitSentences splits text into sentences: at line breaks, and after ., !, ?, … (and the CJK
// 。！？) followed by white space or the end of the text, keeping closing quotes and brackets with
// their sentence. A dot does not end a sentence after an abbreviation ("e.g.", "Dr."), an
// initial ("J."), a list number at the start of a sentence ("1."), or a dotted or "etc."
// abbreviation followed by a lower-case word or a digit; decimals ("3.5") are never split.
// Sentences are trimmed; pieces without a letter or digit are dropped; invalid UTF-8 becomes U+FFFD.
func SplitSentences(text string) []string {
	text = strings.ToValidUTF8(text, "\uFFFD")
	var out []string
	emit := func(s string) {
		s = strings.TrimSpace(s)
		if strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			out = append(out, s)
		}
	}
	start := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case r == '\n' || r == '\r':
			emit(text[start:i])
			start = i + size
			i += size
		case isTerminator(r):
			end := i + size
			single := r == '.'
			for end < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[end:])
				if isTerminator(r2) {
					single = false
				} else if !isCloser(r2) {
					break
				}
				end += s2
			}
			next, _ := utf8.DecodeRuneInString(text[end:])
			atBoundary := end == len(text) || unicode.IsSpace(next) || isWideTerminator(r)
			if atBoundary && !(single && keepsDot(text[start:i], text[end:])) {
				emit(text[start:end])
				start = end
			}
			i = end
		default:
			i += size
		}
	}
	emit(text[start:])
	return out
}

func isTerminator(r rune) bool {
	return r == '.' || r == '!' || r == '?' || r == '…' || isWideTerminator(r)
}

// isWideTerminator: CJK sentence ends, which are not followed by a space.
func isWideTerminator(r rune) bool { return r == '。' || r == '！' || r == '？' }

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', ')', ']', '}', '»', '」', '』':
		return true
	}
	return false
}

// keepsDot reports whether a single dot after before (the sentence so far, without the dot) is
// part of an abbreviation rather than a sentence end; after is the text following it.
func keepsDot(before, after string) bool {
	fields := strings.Fields(before)
	if len(fields) == 0 {
		return false
	}
	word := strings.TrimLeft(fields[len(fields)-1], "\"'“‘([{")
	lower := strings.ToLower(word)
	if neverFinal(lower) {
		return true
	}
	if n := utf8.RuneCountInString(word); n == 1 {
		if r, _ := utf8.DecodeRuneInString(word); unicode.IsUpper(r) {
			return true // an initial: "J. Smith"
		}
	}
	if len(fields) == 1 && isDigits(word) {
		return true // a list number: "1. The man …"
	}
	next, _ := utf8.DecodeRuneInString(strings.TrimLeft(after, " \t"))
	continues := unicode.IsLower(next) || unicode.IsDigit(next)
	return continues && (lower == "etc" || strings.Contains(word, "."))
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
