package metrics

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

// TestOracle generates thousands of messy records for DFEW and MAFW, scores them with the
// transcription of the authors' Python and with eval/parse + Build under protocol migr, and
// requires the printed lines (WAR, UAR, per-class recall and counts, unknown count, confusion
// matrix, quarter table with EPC) to be equal.
func TestOracle(t *testing.T) {
	for _, ls := range []*datasets.LabelSet{datasets.DFEW(), datasets.MAFW()} {
		t.Run(ls.Name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(2026, uint64(ls.Len())))
			records, files := 0, 0
			for files < 150 {
				f := genOracleFile(r, ls)
				want, err := pyOracle(ls, f)
				var crash pyCrash
				if errors.As(err, &crash) {
					t.Fatalf("the generator made a file the authors' script cannot read: %v", err)
				}
				got, err := goOracle(ls, f)
				if err != nil {
					t.Fatal(err)
				}
				if d := diffLines(want, got); d != "" {
					t.Fatalf("file %d differs (- authors, + emoeval):\n%s\nfile:\n%q", files, d, f.text)
				}
				records += len(pyRearrangeOneLine(f.text))
				files++
			}
			if records < 3000 {
				t.Fatalf("only %d records generated", records)
			}
			t.Logf("%d files, %d records: equal", files, records)
		})
	}
}

type oracleFile struct {
	text   string
	labels map[string]int    // clip id → label id (the split)
	gpt    map[string]string // clip id → judge reply
}

func pyOracle(ls *datasets.LabelSet, f oracleFile) ([]string, error) {
	emotionDict := map[string]int{}
	reverse := map[int]string{}
	for i, l := range ls.Labels {
		emotionDict[l] = i + 1
		reverse[i+1] = l
	}
	lines := pyRearrangeOneLine(f.text)
	count := pyCountEmotionDFEW
	if ls.Name == "mafw" {
		count = pyCountEmotionMAFW
	}
	c, err := count(emotionDict, lines, f.labels)
	if err != nil {
		return nil, err
	}
	out := pyPrintResults(c, ls.Labels)
	q := pyQuarterTable(ls.Name, lines, f.gpt, f.labels, reverse)
	return append(out, sortedCopy(q[1:])...), nil // q[0], the exception count, has no summary key
}

// goOracle reads the same file into samples (the id-pipe record rule), parses each output with
// eval/parse under migr, and renders the summary's numbers as the authors' script prints them.
func goOracle(ls *datasets.LabelSet, f oracleFile) ([]string, error) {
	var clips []datasets.Clip
	for id, l := range f.labels {
		clips = append(clips, datasets.Clip{Dataset: ls.Name, ClipID: id, Fold: 5, Split: datasets.Test, Label: ls.Labels[l-1]})
	}
	slices.SortFunc(clips, func(a, b datasets.Clip) int { return strings.Compare(a.ClipID, b.ClipID) })
	p := parse.NewParser(ls, parse.ProtocolMigr)
	var samples []Sample
	for _, rec := range readIDPipe(f.text) {
		o := p.Parse(rec.raw)
		samples = append(samples, Sample{ClipID: rec.id, Fold: 5, Pred: o.Pred, QuarterPred: o.QuarterPred,
			Status: string(o.Status), Order: string(o.Order), Format: parse.MatchFormat(rec.raw)})
	}
	judge := map[string]JudgeOutcome{}
	for id, reply := range f.gpt {
		judge[id] = JudgeOutcome{Emotion: parse.MigrLabel(ls, reply)}
	}
	s, err := Build(Input{Clips: clips, Models: []ModelInput{{Name: "m", Samples: samples,
		Judgments: map[string]map[string]JudgeOutcome{"gpt": judge}}}},
		Options{Labels: ls, Protocol: parse.ProtocolMigr, Folds: []int32{5}})
	if err != nil {
		return nil, err
	}
	m := s.Models["m"]
	fig := m.PaperFigures(ls.Labels)
	// The authors' count also holds the records whose clip has no label: under migr those are
	// scored, and counted in Extra rather than Unknown.
	out := []string{fmt.Sprintf("Total Unknown Count: %d", m.Unknown+m.Extra)}
	for i, l := range ls.Labels {
		cs := m.PerClass[l]
		out = append(out, fmt.Sprintf("%s:: %.3f || %d/%d ", l, fig.Recall[i], cs.Correct, cs.Support))
	}
	out = append(out, fmt.Sprintf("WAR: %.3f %d %d", fig.WAR, m.Correct, m.N), fmt.Sprintf("UAR: %.3f", fig.UAR))
	for i, row := range m.Confusion.Matrix {
		out = append(out, fmt.Sprintf("%s %v", ls.Labels[i], row))
	}
	rel := m.Reliability["gpt"]
	var q []string
	for _, c := range []struct {
		key   string
		count int
		share float64
	}{
		{"R1-True/GPT-True", rel.Counts.TT, rel.TT}, {"R1-True/GPT-False", rel.Counts.TF, rel.TF},
		{"R1-False/GPT-True", rel.Counts.FT, rel.FT}, {"R1-False/GPT-False", rel.Counts.FF, rel.FF},
		{"Explanation-Consistency", rel.Counts.EPC, rel.EPC},
	} {
		if c.count > 0 {
			q = append(q, fmt.Sprintf("%s: %.2f%%", c.key, c.share*100))
		}
	}
	return append(out, sortedCopy(q)...), nil
}

type idPipeRecord struct{ id, raw string }

// readIDPipe splits an id-pipe file into records: a record starts at a line that is not blank
// and whose text before the first '|' (line end included, as readlines keeps it) is all digits.
func readIDPipe(text string) []idPipeRecord {
	var out []idPipeRecord
	var lines []string
	flush := func() {
		if len(lines) > 0 {
			out[len(out)-1].raw = strings.Join(lines, "\n")
		}
	}
	for _, line := range pyReadlines(text) {
		if parse.PyStrip(line) != "" && parse.IsPyDigits(strings.Split(line, "|")[0]) {
			flush()
			id, rest, _ := strings.Cut(strings.TrimSuffix(line, "\n"), "|")
			out = append(out, idPipeRecord{id: id})
			lines = []string{rest}
			continue
		}
		lines = append(lines, strings.TrimSuffix(line, "\n"))
	}
	flush()
	return out
}

func sortedCopy(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func diffLines(want, got []string) string {
	var b strings.Builder
	for i := 0; i < max(len(want), len(got)); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if w != g {
			fmt.Fprintf(&b, "- %q\n+ %q\n", w, g)
		}
	}
	return b.String()
}

// genOracleFile makes an id-pipe file of 15–40 messy outputs, its split and judge replies.
func genOracleFile(r *rand.Rand, ls *datasets.LabelSet) oracleFile {
	f := oracleFile{labels: map[string]int{}, gpt: map[string]string{}}
	var ids []string
	classes := ls.Len()
	if r.IntN(3) == 0 { // sometimes a few classes only, so that some have no support
		classes = 2 + r.IntN(ls.Len()-2)
	}
	for len(ids) < 30 {
		n := 1 + r.IntN(16000)
		id := strconv.Itoa(n)
		if ls.Name == "mafw" {
			id = fmt.Sprintf("%05d", n)
		}
		if _, dup := f.labels[id]; dup {
			continue
		}
		f.labels[id] = 1 + r.IntN(classes)
		ids = append(ids, id)
	}
	pick := func(words []string) string { return words[r.IntN(len(words))] }
	var b strings.Builder
	n := 15 + r.IntN(26)
	for i := 0; i < n; i++ {
		id := pick(ids)
		if i > 0 && r.IntN(20) == 0 { // a clip outside the split
			id = strconv.Itoa(20000 + r.IntN(1000))
		}
		var raw string
		if i == 0 { // the authors' script needs one readable record first (see pyCountEmotion*)
			raw = "<think>" + genText(r) + "</think>\n<answer>" + ls.Labels[r.IntN(ls.Len())] + "</answer>"
		} else {
			raw = genOutput(r, ls)
		}
		b.WriteString(id + "|" + genLines(r, raw) + pick([]string{"\n", "\r\n"}))
		if r.IntN(10) > 0 {
			f.gpt[id] = genReply(r, ls)
		}
	}
	f.text = b.String()
	return f
}

func genAnswerWord(r *rand.Rand, ls *datasets.LabelSet) string {
	pick := func(words []string) string { return words[r.IntN(len(words))] }
	var variants []string
	if ls.Name == "dfew" {
		variants = []string{"sadness", "happiness", "anger", "Happiness", "ANGER", "unhappiness", "angerness",
			"surprised", "fearful", "HAPPİNESS", "Sadness ", "sad ness", "happy|sad", "sadness."}
	} else {
		variants = []string{"angry", "sad", "anxious", "helpless", "disappointed", "happy", "unhappy",
			"contemptuous", "Contemptuous look", "Angry", "SAD", "anger.", "helplessness ", "anx ious"}
	}
	junk := []string{"", "I think it is sad", "N/A", "neutral / calm", "<think>", "None", "Fear!", "surprise?", "中性"}
	switch x := r.IntN(10); {
	case x < 5:
		w := ls.Labels[r.IntN(ls.Len())]
		switch r.IntN(4) {
		case 0:
			w = strings.ToUpper(w[:1]) + w[1:]
		case 1:
			w = " " + w + " "
		}
		return w
	case x < 8:
		return pick(variants)
	}
	return pick(junk)
}

func genText(r *rand.Rand) string {
	words := []string{"The", "man", "frowns", "and", "his", "voice", "trembles.", "She", "smiles", "|", "a|b",
		"tone", "is", "sad", "happy", "angry", "<", ">", "é", "中文", "😀", "\t", "\u00a0", "\u3000", "\x0b",
		"\x0c", "\x1c", "anger", "sadness", "<b>", "face", "1|2", "answer", "</think", "<answer", "İ"}
	n := 1 + r.IntN(25)
	parts := make([]string, n)
	for i := range parts {
		parts[i] = words[r.IntN(len(words))]
	}
	return strings.Join(parts, " ")
}

func genReply(r *rand.Rand, ls *datasets.LabelSet) string {
	if r.IntN(10) < 6 {
		return ls.Labels[r.IntN(ls.Len())]
	}
	return genAnswerWord(r, ls)
}

// genOutput makes one raw output in one of many shapes, clean and broken.
func genOutput(r *rand.Rand, ls *datasets.LabelSet) string {
	x, y := genAnswerWord(r, ls), genAnswerWord(r, ls)
	th, vd, ad := genText(r), genText(r), genText(r)
	shapes := []string{
		"<think>" + th + "</think>\n<answer>" + x + "</answer>",
		"<think>" + th + "</think><answer>" + x,
		"<think>" + th + "</think><answer>" + x + "</answer><answer>" + y + "</answer>",
		"<think>" + th + "<answer>" + x + "</answer>",
		"<think>" + th + "</think> " + x + "<|im_end|>",
		"<answer>" + x + "</answer><|im_end|>",
		x,
		x + "<|im_end|>",
		"<vis_desc>" + vd + "</vis_desc><aud_desc>" + ad + "</aud_desc><think>" + th + "</think><answer>" + x + "</answer>",
		"<aud_desc>" + ad + "</aud_desc>\n<vis_desc>" + vd + "</vis_desc>\n<think>" + th + "</think>\n<answer>" + x + "</answer>",
		th + " | more " + th + " <answer>" + x + "</answer>",
		"",
		"<think>" + th + "</think>\n\n<answer>\n" + x + "\n</answer>\n<|im_end|>",
		"</answer> " + th + " <answer>" + x,
		"<think>" + th + "</think><answer>" + x + "</answer> trailing | pipe " + y,
		"<think>" + th + "</think>\n<answer> " + x + " </answer>  \n  <|im_end|>  ",
		"<answer>" + x + "</answer>|" + y,
		"<|im_end|>" + x,
	}
	return shapes[r.IntN(len(shapes))]
}

// genLines breaks an output into lines with mixed line ends (LF, CRLF, lone CR), stray spaces and
// blank lines. No line it makes can start a record.
func genLines(r *rand.Rand, raw string) string {
	var lines []string
	cur := ""
	for i, part := range strings.Split(raw, " ") {
		if i > 0 {
			if r.IntN(6) == 0 {
				lines = append(lines, cur+[]string{"", " ", "\t", "\x1c"}[r.IntN(4)])
				cur = []string{"", " ", "  "}[r.IntN(3)]
				if r.IntN(5) == 0 {
					lines = append(lines, []string{"", "  "}[r.IntN(2)])
				}
			} else {
				cur += " "
			}
		}
		cur += part
	}
	lines = append(lines, cur)
	lines = strings.Split(strings.Join(lines, "\n"), "\n")
	var b strings.Builder
	for i, l := range lines {
		// A continuation line whose text before '|' is all digits would start a record.
		if i > 0 && parse.PyStrip(l) != "" && parse.IsPyDigits(strings.Split(l+"\n", "|")[0]) {
			l = "x" + l
		}
		if i > 0 {
			b.WriteString([]string{"\n", "\r\n", "\r"}[r.IntN(3)])
		}
		b.WriteString(l)
	}
	return b.String()
}
