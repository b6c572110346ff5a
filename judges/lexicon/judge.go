package lexicon

import (
	"context"
	"fmt"
	"sync"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/judges"
)

// DefaultName is the judge's name in judgments.parquet unless WithName changes it.
const DefaultName = "lexicon"

const unknownLabel = datasets.Unknown

// Judge is the lexicon judge. It is safe for concurrent use.
type Judge struct {
	name string
	lx   *lexicon
	pool sync.Pool // *scratch
}

var _ judges.Judge = (*Judge)(nil)

// Option configures a Judge.
type Option func(*Judge)

// WithName sets the judge's name (default "lexicon").
func WithName(name string) Option { return func(j *Judge) { j.name = name } }

// New returns a lexicon judge for a label set (DFEW, MAFW or custom; not nil).
func New(labels *datasets.LabelSet, opts ...Option) *Judge {
	lx, err := compile(labels)
	if err != nil {
		// The tables are the package's own and tests compile them for every kind of label set.
		panic(err)
	}
	j := &Judge{name: DefaultName, lx: lx}
	j.pool.New = func() any { return new(scratch) }
	for _, o := range opts {
		o(j)
	}
	return j
}

// Name returns the judge's name.
func (j *Judge) Name() string { return j.name }

// Classify reads one explanation: its emotion, the evidence per label and per sentence.
func (j *Judge) Classify(text string) Result {
	sc := j.pool.Get().(*scratch)
	defer j.pool.Put(sc)
	best := j.lx.classify(text, sc)
	return j.lx.result(text, best, sc)
}

// Judge judges each item's text. Input is left for the caller to fill; ReplyRaw holds the
// leading scores ("anger=3.5 fear=1") so a reader can see why. It stops only when ctx ends.
func (j *Judge) Judge(ctx context.Context, items []judges.Item) ([]judges.Judgment, error) {
	out := make([]judges.Judgment, len(items))
	sc := j.pool.Get().(*scratch)
	defer j.pool.Put(sc)
	for i, it := range items {
		if i%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("lexicon judge: stopped at item %d of %d: %w", i, len(items), err)
			}
		}
		best := j.lx.classify(it.Text, sc)
		jd := judges.Judgment{
			Judge:     j.name,
			Model:     it.Model,
			ClipID:    it.ClipID,
			Emotion:   j.lx.emotionOf(best),
			Abstained: best < 0,
			ReplyRaw:  string(j.lx.trace(sc)),
		}
		if ns := len(sc.sents); ns > 0 {
			both := make([]string, 2*ns) // one allocation for the two lists
			jd.Sentences, jd.SentenceLabels = both[:ns:ns], both[ns:]
		}
		for k, s := range sc.sents {
			jd.Sentences[k] = sc.sentenceText(it.Text, s)
			if b := sc.best[k]; b >= 0 {
				jd.SentenceLabels[k] = j.lx.labels[b]
			}
		}
		out[i] = jd
	}
	return out, nil
}
