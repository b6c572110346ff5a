package metrics

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

// Builder collects samples and judgments while they are read and computes the summary. It keeps
// about 20 bytes per sample and 12 per judgment, so a million samples fit easily in memory. A
// Builder is not safe for concurrent use.
type Builder struct {
	opts Options
	k    int // number of labels; label index k stands for unknown
	// labelIdx maps a canonical label to its index.
	labelIdx map[string]int8

	clipIdx   map[string]int32 // NormalizeID(clip id) → clip index
	clipTruth []int8           // by clip index: label index from the split, -1 when not in it
	clipFold  []int32
	// split lists the split's clip indexes in file order; nil when the split is unknown.
	split []int32

	models []*modelRun
	byName map[string]*modelRun
	judges []string
	judgeN map[string]int
	mi     *modality.Table
	human  []HumanLabels

	statuses names
	norms    names
	// workers bounds the concurrent tasks of Summary; 0 means GOMAXPROCS.
	workers int
}

// modelRun is what the builder keeps of one model.
type modelRun struct {
	name, backend, variant string
	recs                   []rec
	// last maps a clip index to 1 + the index of the clip's last sample (0: none).
	last []int32
	// judged holds, by judge index, the judgments of this model's explanations (nil: none).
	judged []*judgeRun
}

// rec is the compact form of a Sample.
type rec struct {
	clip   int32
	fold   int32
	norm   uint32 // bit i: normalisation norms.list[i]
	truth  int8   // label index; -1 outside the split
	pred   int8   // label index; k is unknown
	qpred  int8
	status uint8 // index into statuses
	order  order
	flags  uint8
	cue    parse.Cue
}

const (
	flagError uint8 = 1 << iota
	flagMissing
	flagFormatVision
	flagFormatAudio
	flagTruncated
)

type order uint8

const (
	orderNoDesc order = iota
	orderVisionFirst
	orderAudioFirst
)

var orderNames = [...]string{string(parse.OrderNoDesc), string(parse.OrderVisionFirst), string(parse.OrderAudioFirst)}

// judgeRun holds one judge's outcomes for one model, by clip index.
type judgeRun struct {
	out  []jrec
	sent []int8 // sentence labels of all outcomes (label index, -1 for none)
}

// jrec is the compact form of a JudgeOutcome.
type jrec struct {
	sentOff uint32
	norm    uint32
	sentLen uint16
	emotion int8 // label index; k is unknown; -1 no reply
	flags   uint8
}

const (
	jPresent uint8 = 1 << iota
	jFallback
	jErr
	jAbstained
)

// names interns short strings (statuses, normalisation kinds) into small indexes.
type names struct {
	list []string
	idx  map[string]int
}

func (n *names) id(s string, max int) (int, error) {
	if i, ok := n.idx[s]; ok {
		return i, nil
	}
	if len(n.list) >= max {
		return 0, fmt.Errorf("more than %d distinct values (%q)", max, s)
	}
	if n.idx == nil {
		n.idx = map[string]int{}
	}
	s = strings.Clone(s)
	n.idx[s] = len(n.list)
	n.list = append(n.list, s)
	return len(n.list) - 1, nil
}

// NewBuilder starts a summary. clips is the selected split (nil when unknown: then every sample
// must carry its Truth, and no clip counts as missing).
func NewBuilder(opts Options, clips []datasets.Clip) (*Builder, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	b := &Builder{
		opts:     opts,
		k:        opts.Labels.Len(),
		labelIdx: map[string]int8{},
		clipIdx:  map[string]int32{},
		byName:   map[string]*modelRun{},
		judgeN:   map[string]int{},
	}
	for i, l := range opts.Labels.Labels {
		b.labelIdx[l] = int8(i)
	}
	if clips != nil {
		b.split = make([]int32, 0, len(clips))
	}
	for i, c := range clips {
		t, ok := b.labelIdx[c.Label]
		if !ok {
			return nil, fmt.Errorf("split clip %s (entry %d): label %q is not in label set %s", c.ClipID, i+1, c.Label, opts.Labels.Name)
		}
		ci := b.clip(c.ClipID)
		if b.clipTruth[ci] >= 0 {
			return nil, fmt.Errorf("split clip %s (entry %d) appears twice in the selected split", c.ClipID, i+1)
		}
		b.clipTruth[ci], b.clipFold[ci] = t, c.Fold
		b.split = append(b.split, ci)
	}
	return b, nil
}

func (b *Builder) clip(id string) int32 {
	key := datasets.NormalizeID(id)
	if i, ok := b.clipIdx[key]; ok {
		return i
	}
	i := int32(len(b.clipTruth))
	// Cloned: the caller's id may be a slice of a much larger buffer.
	b.clipIdx[strings.Clone(key)] = i
	b.clipTruth = append(b.clipTruth, -1)
	b.clipFold = append(b.clipFold, 0)
	return i
}

// AddModel declares a model (or variant run) before its samples; the order of declaration is the
// summary's model order.
func (b *Builder) AddModel(name, backend, variant string) error {
	if name == "" {
		return fmt.Errorf("metrics: a model needs a name")
	}
	if _, ok := b.byName[name]; ok {
		return fmt.Errorf("metrics: model %q added twice", name)
	}
	m := &modelRun{name: name, backend: backend, variant: variant}
	b.models = append(b.models, m)
	b.byName[name] = m
	return nil
}

func (b *Builder) model(name string) (*modelRun, error) {
	m, ok := b.byName[name]
	if !ok {
		return nil, fmt.Errorf("metrics: model %q was not added", name)
	}
	return m, nil
}

// label maps a canonical label or unknown ("" too) to its index.
func (b *Builder) label(s string) (int8, bool) {
	if s == "" || s == datasets.Unknown {
		return int8(b.k), true
	}
	i, ok := b.labelIdx[s]
	return i, ok
}

// AddSample adds one output of a model. Under migr every output is scored in the order added;
// under robust the last output of a clip replaces earlier ones.
func (b *Builder) AddSample(model string, s Sample) error {
	m, err := b.model(model)
	if err != nil {
		return err
	}
	if s.ClipID == "" {
		return fmt.Errorf("model %s: a sample has no clip id", model)
	}
	return b.add(m, b.clip(s.ClipID), s)
}

// AddSplitSample is AddSample for the sample of the i-th clip given to NewBuilder, which the
// caller has already matched: it saves looking the clip id up again (a scorer of a million
// outputs does it once).
func (b *Builder) AddSplitSample(model string, i int, s Sample) error {
	m, err := b.model(model)
	if err != nil {
		return err
	}
	if i < 0 || i >= len(b.split) {
		return fmt.Errorf("model %s: split clip %d of %d", model, i, len(b.split))
	}
	return b.add(m, b.split[i], s)
}

// add records sample s of clip index c under model m.
func (b *Builder) add(m *modelRun, c int32, s Sample) error {
	model := m.name
	r := rec{clip: c, fold: s.Fold, truth: -1, cue: s.Cue}
	if s.Truth != "" {
		t, ok := b.labelIdx[s.Truth]
		if !ok {
			return fmt.Errorf("model %s clip %s: label %q is not in label set %s", model, s.ClipID, s.Truth, b.opts.Labels.Name)
		}
		r.truth = t
	}
	if b.split != nil {
		st := b.clipTruth[c]
		if st >= 0 && s.Truth != "" && r.truth != st {
			return fmt.Errorf("model %s clip %s: label %q disagrees with the split's %q", model, s.ClipID, s.Truth, b.opts.Labels.Labels[st])
		}
		r.truth = st
		if st >= 0 {
			r.fold = b.clipFold[c]
		}
	}
	var ok bool
	if r.pred, ok = b.label(s.Pred); !ok {
		return fmt.Errorf("model %s clip %s: prediction %q is neither a label of %s nor unknown", model, s.ClipID, s.Pred, b.opts.Labels.Name)
	}
	r.qpred = r.pred
	if s.QuarterPred != "" {
		if r.qpred, ok = b.label(s.QuarterPred); !ok {
			return fmt.Errorf("model %s clip %s: quarter prediction %q is neither a label of %s nor unknown", model, s.ClipID, s.QuarterPred, b.opts.Labels.Name)
		}
	}
	switch s.Order {
	case "", string(parse.OrderNoDesc):
		r.order = orderNoDesc
	case string(parse.OrderVisionFirst):
		r.order = orderVisionFirst
	case string(parse.OrderAudioFirst):
		r.order = orderAudioFirst
	default:
		return fmt.Errorf("model %s clip %s: unknown order %q", model, s.ClipID, s.Order)
	}
	st, err := b.statuses.id(s.Status, 255)
	if err != nil {
		return fmt.Errorf("model %s clip %s: parse status: %w", model, s.ClipID, err)
	}
	r.status = uint8(st)
	if r.norm, err = b.normMask(s.Normalized); err != nil {
		return fmt.Errorf("model %s clip %s: normalisations: %w", model, s.ClipID, err)
	}
	if s.Error {
		r.flags |= flagError
	}
	if s.Truncated {
		r.flags |= flagTruncated
	}
	if s.Format&parse.FormatVision != 0 {
		r.flags |= flagFormatVision
	}
	if s.Format&parse.FormatAudio != 0 {
		r.flags |= flagFormatAudio
	}
	m.recs = append(m.recs, r)
	m.last = growTo(m.last, int(c)+1)
	m.last[c] = int32(len(m.recs))
	return nil
}

func (b *Builder) normMask(list string) (uint32, error) {
	var mask uint32
	for list != "" {
		name, rest, _ := strings.Cut(list, ",")
		list = rest
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		i, err := b.norms.id(name, 32)
		if err != nil {
			return 0, err
		}
		mask |= 1 << i
	}
	return mask, nil
}

// AddJudgment adds a judge's outcome for a model's explanation of a clip; a later outcome for
// the same clip replaces an earlier one.
func (b *Builder) AddJudgment(model, judge, clipID string, o JudgeOutcome) error {
	m, err := b.model(model)
	if err != nil {
		return err
	}
	if judge == "" || clipID == "" {
		return fmt.Errorf("model %s: a judgment needs a judge name and a clip id", model)
	}
	j, ok := b.judgeN[judge]
	if !ok {
		j = len(b.judges)
		judge = strings.Clone(judge)
		b.judges = append(b.judges, judge)
		b.judgeN[judge] = j
	}
	m.judged = growTo(m.judged, j+1)
	jr := m.judged[j]
	if jr == nil {
		jr = &judgeRun{}
		m.judged[j] = jr
	}
	c := b.clip(clipID)
	jr.out = growTo(jr.out, int(c)+1)
	r := jrec{flags: jPresent, emotion: -1}
	if o.Emotion != "" {
		if r.emotion, ok = b.label(o.Emotion); !ok {
			return fmt.Errorf("judge %s model %s clip %s: emotion %q is neither a label of %s nor unknown", judge, model, clipID, o.Emotion, b.opts.Labels.Name)
		}
	}
	if o.Fallback {
		r.flags |= jFallback
	}
	if o.Err {
		r.flags |= jErr
	}
	if o.Abstained {
		r.flags |= jAbstained
	}
	if r.norm, err = b.normMask(o.Normalized); err != nil {
		return fmt.Errorf("judge %s model %s clip %s: normalisations: %w", judge, model, clipID, err)
	}
	if len(o.SentenceLabels) > 0xffff {
		return fmt.Errorf("judge %s model %s clip %s: %d sentences; at most 65535 are supported", judge, model, clipID, len(o.SentenceLabels))
	}
	r.sentOff, r.sentLen = uint32(len(jr.sent)), uint16(len(o.SentenceLabels))
	for _, l := range o.SentenceLabels {
		idx := int8(-1)
		if i, ok := b.labelIdx[l]; ok {
			idx = i
		}
		jr.sent = append(jr.sent, idx)
	}
	jr.out[c] = r
	return nil
}

// SetMI sets the modality-importance table used by the modality metrics.
func (b *Builder) SetMI(t *modality.Table) { b.mi = t }

// AddHuman adds human labels to compare with every judge.
func (b *Builder) AddHuman(h HumanLabels) error {
	if h.Name == "" {
		return fmt.Errorf("metrics: human labels need a name")
	}
	if h.Model != "" {
		if _, err := b.model(h.Model); err != nil {
			return fmt.Errorf("human labels %s: %w", h.Name, err)
		}
	}
	if _, ok := b.judgeN[h.StratifiedBy]; h.StratifiedBy != "" && !ok {
		return fmt.Errorf("human labels %s were drawn within the quarter cells of judge %q, which this run does not have (judges: %s)", h.Name, h.StratifiedBy, strings.Join(b.judges, ", "))
	}
	b.human = append(b.human, h)
	return nil
}

func growTo[T any](s []T, n int) []T {
	if len(s) >= n {
		return s
	}
	if cap(s) >= n {
		return s[:n]
	}
	c := 2 * cap(s)
	if c < n {
		c = n
	}
	t := make([]T, n, c)
	copy(t, s)
	return t
}

// judgment returns a model's judge outcome for a clip (zero when there is none).
func (jr *judgeRun) judgment(clip int32) jrec {
	if jr == nil || int(clip) >= len(jr.out) {
		return jrec{emotion: -1}
	}
	return jr.out[clip]
}
