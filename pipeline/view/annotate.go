package view

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/pipeline/human"
)

// AnnotateOptions set up an annotation session.
type AnnotateOptions struct {
	Annotator string
	// Judge stratifies the sample by its quarter cell ("" for the summary's first judge).
	Judge      string
	Sample     int
	Seed       uint64
	Allocation string // AllocEqual (default) or AllocProportional
	// Unblind shows the model, its prediction and the judge's label beside the explanation.
	Unblind bool
}

// Annotation is one annotator's session: the sample, in the order it is shown, and the answers
// so far (kept in human.parquet, which is read back at start so that a session resumes).
type Annotation struct {
	Opts  AnnotateOptions
	Items []Drawn
	// Population is the number of explanations the sample was drawn from.
	Population int
	judge      int
	keys       []pairKey // item i's model and clip
	store      *HumanStore
	now        func() time.Time

	mu      sync.Mutex
	answers map[pairKey]string
}

// NewAnnotation draws the sample of an annotation session over a run and reads back the
// annotator's earlier answers.
func NewAnnotation(r *Run, o AnnotateOptions, now func() time.Time) (*Annotation, error) {
	o.Annotator = strings.TrimSpace(o.Annotator)
	if err := human.CheckName(o.Annotator); err != nil {
		return nil, err
	}
	if o.Sample < 1 {
		return nil, fmt.Errorf("--sample %d: want at least 1", o.Sample)
	}
	ix := r.Index
	if o.Judge == "" {
		for j, name := range ix.Judges {
			if judgedAny(ix, j) {
				o.Judge = name
				break
			}
		}
		if o.Judge == "" {
			return nil, fmt.Errorf("the run has no judged explanations to annotate (no judge in %s)", r.Dir)
		}
	}
	j := ix.judgeIndex(o.Judge)
	if j < 0 || !judgedAny(ix, j) {
		return nil, fmt.Errorf("--judge %q: not a judge of this run's explanations (judges: %s)", o.Judge, strings.Join(ix.Judges, ", "))
	}
	units := population(ix, j)
	if len(units) == 0 {
		return nil, fmt.Errorf("judge %s scored no explanation to annotate", o.Judge)
	}
	items, err := Stratified(units, o.Sample, o.Seed, o.Allocation)
	if err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	a := &Annotation{Opts: o, Items: items, Population: len(units), judge: j, store: NewHumanStore(r.Dir), now: now, answers: map[pairKey]string{}}
	a.keys = make([]pairKey, len(items))
	for i, it := range items {
		p := ix.Row(it.Row)
		a.keys[i] = pairKey{p.Model, datasets.NormalizeID(p.ClipID)}
	}
	rows, err := a.store.Read()
	if err != nil {
		return nil, err
	}
	for _, h := range rows {
		if h.Annotator == o.Annotator {
			a.answers[pairKey{h.Model, datasets.NormalizeID(h.ClipID)}] = h.Emotion
		}
	}
	return a, nil
}

func judgedAny(ix *Index, j int) bool {
	for _, ok := range ix.judged[j] {
		if ok {
			return true
		}
	}
	return false
}

// population lists the explanations a judge's quarter table counts, one per model × clip (the
// last output, as a re-answer replaces an answer), stratified by model and the judge's cell.
func population(ix *Index, j int) []Unit {
	type key struct {
		model uint16
		clip  string
	}
	last := map[key]int32{}
	var keys []key
	for _, i := range ix.order {
		r := ix.info[i]
		if r.flags&flagExplained == 0 || ix.cell[j][i] == cellNone {
			continue
		}
		k := key{r.model, datasets.NormalizeID(ix.preds[i].ClipID)}
		if _, ok := last[k]; !ok {
			keys = append(keys, k)
		}
		last[k] = i
	}
	units := make([]Unit, len(keys))
	for n, k := range keys {
		i := last[k]
		model := ix.Models[k.model]
		// The key orders the population by model (summary order) and clip: zero-padded so that
		// string order is that order.
		units[n] = Unit{Key: fmt.Sprintf("%05d\x00%s", k.model, k.clip), Stratum: model + "/" + ix.Cell(j, i), Row: i}
	}
	return units
}

// Len is the sample size.
func (a *Annotation) Len() int { return len(a.Items) }

// Answer returns the annotator's answer to item i (0-based), "" when not answered.
func (a *Annotation) Answer(i int) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.answers[a.key(i)]
}

func (a *Annotation) key(i int) pairKey { return a.keys[i] }

// Answered counts the items answered.
func (a *Annotation) Answered() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for i := range a.Items {
		if _, ok := a.answers[a.key(i)]; ok {
			n++
		}
	}
	return n
}

// Next is the first unanswered item (0-based), or Len() when all are answered.
func (a *Annotation) Next() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := range a.Items {
		if _, ok := a.answers[a.key(i)]; !ok {
			return i
		}
	}
	return len(a.Items)
}

// Put records the answer to item i (0-based): a label of the run's label set or NoEmotion. The
// row is in human.parquet when Put returns.
func (a *Annotation) Put(ix *Index, i int, emotion string) error {
	if i < 0 || i >= len(a.Items) {
		return fmt.Errorf("item %d: the sample has items 1 to %d", i+1, len(a.Items))
	}
	if emotion != NoEmotion && !ix.Labels.Contains(emotion) {
		return fmt.Errorf("emotion %q: use a label of %s or %s", emotion, ix.Labels.Name, NoEmotion)
	}
	it := a.Items[i]
	p := ix.Row(it.Row)
	row := HumanRow{Annotator: a.Opts.Annotator, Model: p.Model, ClipID: p.ClipID, Emotion: emotion,
		Stratum: it.Stratum, InclusionProb: it.InclusionProb, Judge: a.Opts.Judge, Seed: int64(a.Opts.Seed),
		SampleSize: int32(a.Opts.Sample), Item: int32(i + 1), Blind: !a.Opts.Unblind, AnsweredAt: a.now().UTC()}
	// One answer at a time: the file is rewritten whole, in order.
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.store.Put(row); err != nil {
		return err
	}
	a.answers[a.key(i)] = emotion
	return nil
}

// Explanation is the text an annotator reads for an item: what the stratifying judge read. Under
// judge input "full" the answer tag's content is masked, since the annotator must not see the
// prediction.
func Explanation(ix *Index, j int, row int32) []Section {
	p := ix.Row(row)
	input := parse.InputThink
	if jd := ix.Judgment(j, row); jd != nil && jd.Input != "" {
		input = jd.Input
	}
	reason := p.Reason
	if reason == "" {
		reason = p.Think
	}
	switch input {
	case parse.InputThinkDesc:
		return nonEmpty([]Section{{"vis_desc", p.VisDesc}, {"aud_desc", p.AudDesc}, {"think", reason}})
	case parse.InputFull:
		return []Section{{"output", maskAnswer(p.RawOutput)}}
	}
	return []Section{{"think", reason}}
}

// Section is a named part of a model output.
type Section struct {
	Name, Text string
}

func nonEmpty(ss []Section) []Section {
	var out []Section
	for _, s := range ss {
		if strings.TrimSpace(s.Text) != "" {
			out = append(out, s)
		}
	}
	return out
}

// maskAnswer replaces the content of every <answer>…</answer> (and of an unclosed <answer> to the
// end) with a mark.
func maskAnswer(s string) string {
	var b strings.Builder
	for {
		i := indexFold(s, "<answer>")
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i+len("<answer>")])
		b.WriteString("[answer hidden]")
		s = s[i+len("<answer>"):]
		j := indexFold(s, "</answer>")
		if j < 0 {
			return b.String()
		}
		b.WriteString(s[j : j+len("</answer>")])
		s = s[j+len("</answer>"):]
	}
}

// indexFold is the byte offset of an ASCII tag in s, ignoring ASCII case (strings.ToLower would
// move offsets where a lower-case form has another length).
func indexFold(s, tag string) int {
	for i := 0; i+len(tag) <= len(s); i++ {
		if s[i] == '<' && strings.EqualFold(s[i:i+len(tag)], tag) {
			return i
		}
	}
	return -1
}
