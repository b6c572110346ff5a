package parse

import (
	"sort"
	"strings"
	"unicode"

	"github.com/emoeval/emoeval/datasets"
)

// chatMarkers are end-of-turn tokens that servers sometimes leave in the text.
var chatMarkers = []string{"<|im_end|>", "<|endoftext|>", "<|eot_id|>", "</s>", "<|end|>"}

func (p *Parser) parseRobust(raw string, o *Output) {
	o.Reason = o.Think
	var norms []string
	text := raw
	for _, m := range chatMarkers {
		if strings.Contains(text, m) {
			text = strings.ReplaceAll(text, m, " ")
			norms = append(norms, NormPunct)
		}
	}
	if strings.TrimSpace(text) == "" {
		o.Pred, o.QuarterPred, o.Status = datasets.Unknown, datasets.Unknown, StatusEmpty
		return
	}
	last, complete, unclosed, hasUnclosed := answerSpans(text)
	switch {
	case complete > 0:
		if complete > 1 {
			norms = append(norms, NormLastAnswer)
		}
		o.AnswerRaw = strings.TrimSpace(last)
	case hasUnclosed:
		o.AnswerRaw = strings.TrimSpace(unclosed)
		norms = append(norms, NormUnclosed)
	default:
		// No answer tag: accept an output that is nothing but a label word.
		bare := strings.TrimSpace(stripTags(text))
		label, n := RobustLabel(p.Labels, bare)
		if label != datasets.Unknown && (len(n) == 0 || !contains(n, NormExtracted)) {
			o.AnswerRaw = bare
			o.Pred = label
			o.Normalized = joinNorms(append(append(norms, NormBareAnswer), n...))
		} else {
			o.Pred = datasets.Unknown
			o.Normalized = joinNorms(norms)
		}
		o.QuarterPred = o.Pred
		o.Status = StatusNoAnswer
		return
	}
	label, n := RobustLabel(p.Labels, o.AnswerRaw)
	o.Pred, o.QuarterPred = label, label
	o.Normalized = joinNorms(append(norms, n...))
	switch {
	case label == datasets.Unknown:
		o.Status = StatusUnknownLabel
	case complete == 0:
		o.Status = StatusUnclosedAnswer
	default:
		o.Status = StatusOK
	}
}

// answerSpans returns the text of the last complete <answer>…</answer> pair and the number of
// complete pairs (case-insensitive tags; of several opening tags before one closing tag, the
// last opens the answer), and, when the last <answer> has no closing tag after it, the text
// after it up to the next tag. It is linear in the length of the text, whatever the tags.
func answerSpans(text string) (last string, complete int, unclosed string, hasUnclosed bool) {
	const open, closing = "<answer>", "</answer>"
	pos := 0
	for {
		i := indexTag(text[pos:], open)
		if i < 0 {
			return last, complete, "", false
		}
		start := pos + i + len(open)
		j := indexTag(text[start:], closing)
		if j < 0 {
			start = lastIndexTag(text, open) + len(open)
			rest := text[start:]
			if t := strings.IndexByte(rest, '<'); t >= 0 {
				rest = rest[:t]
			}
			return last, complete, rest, true
		}
		end := start + j
		if k := lastIndexTag(text[start:end], open); k >= 0 {
			start += k + len(open)
		}
		last = text[start:end]
		complete++
		pos = end + len(closing)
	}
}

// indexTag is strings.Index for a lower-case ASCII tag, ignoring ASCII case, without copying.
func indexTag(s, tag string) int {
	for off := 0; ; {
		i := strings.IndexByte(s[off:], '<')
		if i < 0 {
			return -1
		}
		i += off
		if len(s)-i < len(tag) {
			return -1
		}
		if asciiEqualFold(s[i:i+len(tag)], tag) {
			return i
		}
		off = i + 1
	}
}

// lastIndexTag is strings.LastIndex for a lower-case ASCII tag, ignoring ASCII case.
func lastIndexTag(s, tag string) int {
	for end := len(s); ; {
		i := strings.LastIndexByte(s[:end], '<')
		if i < 0 {
			return -1
		}
		if len(s)-i >= len(tag) && asciiEqualFold(s[i:i+len(tag)], tag) {
			return i
		}
		end = i
	}
}

// asciiEqualFold compares s with a lower-case ASCII tag, folding only ASCII letters (so that
// 'K' (Kelvin) never matches 'k', as strings.EqualFold would).
func asciiEqualFold(s, tag string) bool {
	for i := 0; i < len(tag); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != tag[i] {
			return false
		}
	}
	return true
}

// stripTags removes every <…> tag.
func stripTags(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case r == '<':
			depth++
		case r == '>' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// RobustLabel maps an answer or judge reply to a canonical label under the robust protocol:
// case, surrounding punctuation and spacing are normalised, synonyms mapped, and a longer answer
// that names exactly one label is read as that label. It returns the normalisations applied;
// datasets.Unknown when no single label can be read.
func RobustLabel(ls *datasets.LabelSet, answer string) (string, []string) {
	if ls.Contains(answer) {
		return answer, nil
	}
	var norms []string
	a := strings.Join(strings.Fields(strings.ToLower(answer)), " ")
	if a != answer {
		norms = append(norms, NormCase)
	}
	trimmed := strings.TrimFunc(a, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r) })
	if trimmed != a {
		norms = append(norms, NormPunct)
		a = trimmed
	}
	if ls.Contains(a) {
		return a, norms
	}
	if s, ok := ls.Synonyms[a]; ok {
		return s, append(norms, NormSynonym)
	}
	// A longer answer ("The emotion is anger."): take it when it names exactly one label.
	found := map[string]bool{}
	for _, w := range strings.FieldsFunc(a, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' }) {
		if ls.Contains(w) {
			found[w] = true
		} else if s, ok := ls.Synonyms[w]; ok {
			found[s] = true
		}
	}
	if len(found) == 1 && !negated(a) {
		for l := range found {
			return l, append(norms, NormExtracted)
		}
	}
	return datasets.Unknown, norms
}

// negated reports answers such as "not angry" that must not be read as the label they name.
func negated(a string) bool {
	for _, w := range strings.Fields(a) {
		switch strings.Trim(w, ".,;:!?") {
		case "not", "no", "never", "neither", "nor", "without", "isn't", "wasn't", "n't":
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// joinNorms returns the distinct normalisations, sorted, comma-separated.
func joinNorms(n []string) string {
	if len(n) == 0 {
		return ""
	}
	seen := map[string]bool{}
	var out []string
	for _, x := range n {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}
