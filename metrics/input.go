package metrics

import (
	"fmt"
	"maps"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

// Sample is one model output as the scorer needs it: labels and flags, no raw text. Callers
// compute the text-derived fields while streaming (MatchFormat on the raw output, FirstCue on the
// explanation) and keep only the results, so that a million samples fit in little memory.
type Sample struct {
	ClipID string
	Fold   int32
	// Truth is the clip's canonical label. When the builder knows the split it takes the label
	// from there and Truth may be empty; a non-empty Truth must then agree with the split.
	// A sample without a label (a clip outside the split) is scored as wrong under migr, as the
	// authors' script scores it, and left out under robust; both count it in Extra.
	Truth string
	// Pred is the recognition answer: a canonical label or datasets.Unknown ("" counts as unknown).
	Pred string
	// QuarterPred is parse.Output.QuarterPred, the answer the authors' consistency script reads;
	// "" means the same as Pred.
	QuarterPred string
	Status      string // parse status (parse_status column)
	Order       string // description order; "" counts as no_desc
	// Normalized lists the robust protocol's normalisations, comma-separated.
	Normalized string
	// Error marks a failed model call; Attempts counts the requests made for it.
	Error    bool
	Attempts int32
	// Truncated marks an answer cut at the backend's size limit (still scored as written).
	Truncated bool
	// Format says which format-reward patterns the raw output matches (MatchFormat).
	Format parse.Format
	// Cue is the first modality the explanation mentions (FirstCue), for outputs without
	// description tags.
	Cue parse.Cue
}

// JudgeOutcome is one judge's reading of one explanation.
type JudgeOutcome struct {
	// Emotion is a canonical label or datasets.Unknown; "" means the judge gave no reply.
	Emotion  string
	Fallback bool // the faithful protocol mapped an unusable reply to neutral
	Err      bool // the judge call failed
	// Abstained: the judge said it cannot tell (Emotion is unknown); counted apart from errors
	// and from emotions outside the label set.
	Abstained bool
	// Normalized lists the robust protocol's reply normalisations, comma-separated.
	Normalized string
	// SentenceLabels holds one emotion per explanation sentence, in order ("" when the
	// sentence names none), for judges that work by sentence.
	SentenceLabels []string
}

// HumanLabels are human readings of explanations, compared with every judge.
type HumanLabels struct {
	Name string // shown as the second rater, e.g. "human"
	// Model restricts the comparison to one model's explanations; "" compares with every model.
	Model  string
	Labels map[string]string // clip id → canonical label
	// StratifiedBy names the judge within whose quarter cells the labelled explanations were
	// drawn (emoeval view --annotate), possibly at unequal rates; the corrected rates of every
	// judge then use those cells as strata. "" means drawn at random within each judge's cells.
	StratifiedBy string
}

// Pair names a paired comparison.
type Pair struct {
	Baseline, Candidate string
}

// Options set how a summary is computed.
type Options struct {
	Labels   *datasets.LabelSet
	Protocol parse.Protocol
	// Folds lists the folds scored (Summary.Folds).
	Folds []int32
	// FoldAggregation is FoldsSingle, FoldsPooled or FoldsMean; "" picks single for one fold and
	// pooled otherwise.
	FoldAggregation string
	Synthetic       bool
	// Bootstrap is the number of resamples for intervals and paired tests (0: none).
	Bootstrap int
	Seed      uint64
	Alpha     float64 // interval level 1−Alpha; 0 means 0.05
	// Pairs lists the paired comparisons; nil compares the first model with every other.
	Pairs []Pair
	// DriftBins is the number of relative-position bins of the drift curve; 0 means 5.
	DriftBins int
}

// Input is everything Build scores, held in memory. For large runs, stream into a Builder.
type Input struct {
	// Clips is the selected split (folds and split kind already chosen); nil when unknown.
	// Outputs for clips outside it are Extra (see Sample.Truth).
	Clips  []datasets.Clip
	Models []ModelInput
	MI     *modality.Table
	Human  []HumanLabels
}

// ModelInput is one model's (or variant's) samples and the judgments of its explanations.
type ModelInput struct {
	Name, Backend, Variant string
	Samples                []Sample
	// Judgments maps judge name → clip id → outcome.
	Judgments map[string]map[string]JudgeOutcome
}

// Build computes the summary of in.
func Build(in Input, opts Options) (*Summary, error) {
	b, err := NewBuilder(opts, in.Clips)
	if err != nil {
		return nil, err
	}
	for _, m := range in.Models {
		if err := b.AddModel(m.Name, m.Backend, m.Variant); err != nil {
			return nil, err
		}
		for _, s := range m.Samples {
			if err := b.AddSample(m.Name, s); err != nil {
				return nil, err
			}
		}
		for _, judge := range slices.Sorted(maps.Keys(m.Judgments)) {
			outcomes := m.Judgments[judge]
			// Sorted, so that ids that normalise to one clip resolve the same way every time.
			for _, clip := range slices.Sorted(maps.Keys(outcomes)) {
				if err := b.AddJudgment(m.Name, judge, clip, outcomes[clip]); err != nil {
					return nil, err
				}
			}
		}
	}
	if in.MI != nil {
		b.SetMI(in.MI)
	}
	for _, h := range in.Human {
		if err := b.AddHuman(h); err != nil {
			return nil, err
		}
	}
	return b.Summary()
}

func (o *Options) check() error {
	if o.Labels == nil || o.Labels.Len() < 2 {
		return fmt.Errorf("metrics: options need a label set")
	}
	if o.Labels.Len() > 100 {
		return fmt.Errorf("metrics: label set %s has %d labels; at most 100 are supported", o.Labels.Name, o.Labels.Len())
	}
	if _, err := parse.ParseProtocol(string(o.Protocol)); err != nil {
		return err
	}
	if o.Bootstrap < 0 {
		return fmt.Errorf("metrics: bootstrap resamples must be ≥ 0, got %d", o.Bootstrap)
	}
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if !(o.Alpha > 0 && o.Alpha < 1) {
		return fmt.Errorf("metrics: alpha must be in (0, 1), got %v", o.Alpha)
	}
	if o.DriftBins == 0 {
		o.DriftBins = 5
	}
	if o.DriftBins < 1 || o.DriftBins > 1000 {
		return fmt.Errorf("metrics: drift bins must be in 1..1000, got %d", o.DriftBins)
	}
	switch o.FoldAggregation {
	case "":
		o.FoldAggregation = FoldsPooled
		if len(o.Folds) == 1 {
			o.FoldAggregation = FoldsSingle
		}
	case FoldsSingle:
		if len(o.Folds) > 1 {
			return fmt.Errorf("metrics: fold aggregation single needs one fold, got %d", len(o.Folds))
		}
	case FoldsPooled, FoldsMean:
	default:
		return fmt.Errorf("metrics: unknown fold aggregation %q: use single, pooled or mean", o.FoldAggregation)
	}
	return nil
}
