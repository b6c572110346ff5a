package parse

import (
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// The authors' scripts work on one "record" per sample: "<id>|<output>" with the output's lines
// stripped and joined by single spaces (their rearrange_one_line). migrJoin returns that record's
// text after "<id>|" for any raw output, so that outputs read from JSONL or Parquet score as they
// would have had they been written to an id-pipe file. The rules below never look inside the id,
// and "<id>|" can neither create nor hide a tag, so they are applied to this text directly: the
// record's first '|'-separated field after the id is the join's text before its first '|'.
func migrJoin(raw string) string {
	if strings.IndexByte(raw, '\n') < 0 && strings.IndexByte(raw, '\r') < 0 {
		return pyRStrip(raw) // one line: no copy
	}
	var b strings.Builder
	b.Grow(len(raw))
	for i, line := range pySplitLines(raw) {
		if i == 0 {
			b.WriteString(pyRStrip(line))
			continue
		}
		b.WriteByte(' ')
		b.WriteString(pyStrip(line))
	}
	return pyRStrip(b.String())
}

// field returns the n-th element of strings.Split(s, sep) (Python's s.split(sep)[n]), and
// whether it exists.
func field(s, sep string, n int) (string, bool) {
	for ; n > 0; n-- {
		i := strings.Index(s, sep)
		if i < 0 {
			return "", false
		}
		s = s[i+len(sep):]
	}
	if i := strings.Index(s, sep); i >= 0 {
		s = s[:i]
	}
	return s, true
}

// before returns s up to the first sep (Python's s.split(sep)[0]).
func before(s, sep string) string {
	if i := strings.Index(s, sep); i >= 0 {
		return s[:i]
	}
	return s
}

func (p *Parser) parseMigr(raw string, o *Output) {
	rec := migrJoin(raw)
	seg := before(rec, "|") // line.split('|')[1] of the authors' record
	o.QuarterPred = datasets.Unknown
	if strings.Contains(seg, "<answer>") {
		a, _ := field(seg, "<answer>", 1)
		o.QuarterPred = MigrLabel(p.Labels, pyStrip(before(a, "</answer>")))
	}
	o.Reason = migrReason(seg)

	unclosed := false
	hasAnswer := strings.Contains(rec, "<answer>")
	switch {
	case hasAnswer:
		a, _ := field(rec, "<answer>", 1)
		if !strings.Contains(rec, "</answer>") {
			// re.search(r'<answer>(.*?)$', line): the record has no newline, so: to the end.
			a = rec[strings.Index(rec, "<answer>")+len("<answer>"):]
		}
		unclosed = !strings.Contains(a, "</answer>")
		o.AnswerRaw = before(a, "</answer>")
	case strings.Contains(rec, "<|im_end|>"):
		o.AnswerRaw = before(rec, "<|im_end|>") // from the record's first '|' (the id's)
	default:
		o.AnswerRaw = seg
	}
	o.AnswerRaw = pyStrip(o.AnswerRaw)
	o.Pred = MigrLabel(p.Labels, o.AnswerRaw)

	switch {
	case pyStrip(rec) == "":
		o.Status = StatusEmpty
	case !hasAnswer:
		o.Status = StatusNoAnswer
	case o.Pred == datasets.Unknown:
		o.Status = StatusUnknownLabel
	case unclosed:
		o.Status = StatusUnclosedAnswer
	default:
		o.Status = StatusOK
	}
}

// migrReason is the judge input of the authors' consistency pipeline: within seg (the joined
// output's text before its first '|'), the text between the first <think> and the next
// </think>, stripped; empty when either tag is missing.
func migrReason(seg string) string {
	i := strings.Index(seg, "<think>")
	if i < 0 {
		return ""
	}
	rest := seg[i+len("<think>"):]
	j := strings.Index(rest, "</think>")
	if j < 0 {
		return ""
	}
	return pyStrip(rest[:j])
}

// migrDesc is the authors' description extraction: the text after the first <tag> up to the next
// </tag> (or the next <tag>), within seg; empty without the tag.
func migrDesc(seg, tag string) string {
	open := "<" + tag + ">"
	if !strings.Contains(seg, open) {
		return ""
	}
	a, _ := field(seg, open, 1)
	return pyStrip(before(a, "</"+tag+">"))
}

// MigrLabel maps an answer or judge reply to a canonical label with the authors' rules
// (match_emotion_key_DFEW / _MAFW): lower-case, newlines deleted, a few fixed synonyms, then an
// exact match; datasets.Unknown otherwise. Custom label sets get lower-casing, newline deletion,
// their synonyms (exact) and an exact match.
func MigrLabel(ls *datasets.LabelSet, answer string) string {
	a := strings.ReplaceAll(pyLower(answer), "\n", "")
	switch ls.Name {
	case "dfew":
		switch {
		case a == "sadness":
			a = "sad"
		case strings.Contains(a, "happiness"):
			a = "happy"
		case strings.Contains(a, "anger"):
			a = "angry"
		}
	case "mafw":
		switch {
		case a == "angry":
			a = "anger"
		case a == "sad":
			a = "sadness"
		case a == "anxious":
			a = "anxiety"
		case a == "helpless":
			a = "helplessness"
		case a == "disappointed":
			a = "disappointment"
		case strings.Contains(a, "happy"):
			a = "happiness"
		case strings.Contains(a, "contemptuous"):
			a = "contempt"
		}
	default:
		if s, ok := ls.Synonyms[a]; ok {
			a = s
		}
	}
	if ls.Contains(a) {
		return a
	}
	return datasets.Unknown
}
