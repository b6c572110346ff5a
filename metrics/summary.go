// Package metrics scores predictions and judgments: recognition (WAR, UAR, per-class, confusion),
// reasoning reliability (the quarter table), modality metrics, bootstrap intervals and paired
// tests. Summary is the stable form written to summary.json.
package metrics

// SummarySchema names the version of the summary.json layout.
const SummarySchema = "emoeval.summary/v1"

// Fold aggregations.
const (
	FoldsSingle = "single" // one fold (the paper's protocol: fold 5)
	FoldsPooled = "pooled" // all listed folds' samples together
	FoldsMean   = "mean"   // pooled numbers, plus mean ± sd of per-fold values in FoldMean
)

// Summary is summary.json. Rates are fractions in [0, 1].
type Summary struct {
	Schema          string                   `json:"schema"`
	Dataset         string                   `json:"dataset"`
	Folds           []int32                  `json:"folds"`
	Protocol        string                   `json:"protocol"`
	FoldAggregation string                   `json:"fold_aggregation"`
	Synthetic       bool                     `json:"synthetic"`
	Labels          []string                 `json:"labels"`
	ModelOrder      []string                 `json:"model_order"`
	Judges          []string                 `json:"judges"`
	Models          map[string]*ModelSummary `json:"models"`
	Agreement       []Agreement              `json:"agreement,omitempty"`
	Comparisons     []Comparison             `json:"comparisons"`
	Statistics      Statistics               `json:"statistics"`
	// JudgeModels names the model behind each LLM judge (gpt → gpt-4.1-mini), so that a rate
	// says which judge measured it.
	JudgeModels map[string]string `json:"judge_models,omitempty"`
	// JudgeDevices names where each in-process judge (an ONNX classifier) ran.
	JudgeDevices map[string]string `json:"judge_devices,omitempty"`
}

// ResamplingStratified is Statistics.Resampling of emoeval's bootstrap: each true class's
// samples (and those outside the split, as one more stratum) are redrawn with replacement with
// the class's size fixed, so every class keeps its support in every resample. Paired
// comparisons resample the two models' joint outcomes the same way, by the clip's true class.
const ResamplingStratified = "stratified by true class"

// Statistics records how intervals were computed: percentile intervals of Bootstrap resamples
// drawn as Resampling says, from a random stream seeded with Seed.
type Statistics struct {
	Bootstrap int     `json:"bootstrap"` // resamples; 0 = no intervals
	Seed      uint64  `json:"seed"`
	Alpha     float64 `json:"alpha"`
	// Resampling is how resamples were drawn (ResamplingStratified); "" without intervals.
	Resampling string `json:"resampling,omitempty"`
}

// ModelSummary holds every metric of one model.
type ModelSummary struct {
	Backend string `json:"backend,omitempty"`
	// Device is where an in-process model ran (cpu, cuda:0; several, comma-separated, when the
	// shards of a merged run ran on different ones); "" for a remote one.
	Device  string `json:"device,omitempty"`
	Variant string `json:"variant"`
	// N is the number of scored samples (the WAR denominator).
	N       int `json:"n"`
	Correct int `json:"correct"`
	// Unknown counts predictions outside the label set for clips of the split (including missing
	// clips under robust): the total of the confusion matrix's unknown column. Outputs for clips
	// outside the split are counted in Extra instead.
	Unknown int `json:"unknown"`
	// Missing counts clips of the split with no output (robust: scored as unknown; migr: not scored).
	Missing int `json:"missing"`
	// Duplicates counts extra outputs for a clip already seen.
	Duplicates int `json:"duplicates"`
	// Extra counts outputs for clips outside the selected split (migr: scored as wrong, in N as
	// the authors' script counts them, but in no class's support or confusion row; robust: not
	// scored).
	Extra int `json:"extra"`
	// Failed counts samples whose model call failed (after retries): they are not answers, so
	// they are in no count, rate or interval of the model, under either protocol (the authors'
	// scripts score records that exist; a failed call left none). Request and retry counts are
	// the manifest's: they describe how a run went, not what it measured.
	Failed int `json:"failed"`
	// Truncated counts scored answers that were cut at the backend's size limit.
	Truncated int `json:"truncated,omitempty"`

	WAR      float64               `json:"war"`
	UAR      float64               `json:"uar"`
	MacroF1  float64               `json:"macro_f1"`
	PerClass map[string]ClassStats `json:"per_class"`
	// Confusion rows are the true classes in label order; columns the same plus "unknown".
	Confusion Confusion `json:"confusion"`
	// ParseStatus counts samples per parse_status.
	ParseStatus map[string]int `json:"parse_status"`
	// Normalizations counts, under robust, the samples each normalisation was applied to.
	Normalizations map[string]int `json:"normalizations,omitempty"`

	Reliability map[string]*Reliability `json:"reliability"`
	Modality    *Modality               `json:"modality,omitempty"`
	// Drift is keyed by judge name (judges that label sentences).
	Drift map[string]*Drift `json:"drift,omitempty"`
	// FoldMean holds mean and standard deviation over folds of per-fold values (fold_aggregation mean).
	FoldMean map[string]MeanSD `json:"fold_mean,omitempty"`
	// CI holds the bootstrap percentile interval (Statistics says how it was resampled) of each
	// headline metric: "war", "uar", "macro_f1", "<judge>.tt" … "<judge>.ff",
	// "<judge>.tf_given_correct", "<judge>.epc", "<judge>.eea", "mi_aligned". A metric that is
	// undefined (mi_aligned without MI-eligible clips, tf_given_correct without correct
	// predictions) has no interval.
	CI map[string][2]float64 `json:"ci"`
}

// ClassStats is one class's row of the recognition table.
type ClassStats struct {
	Support   int     `json:"support"`
	Correct   int     `json:"correct"`
	Predicted int     `json:"predicted"`
	Recall    float64 `json:"recall"`
	Precision float64 `json:"precision"`
	F1        float64 `json:"f1"`
}

// Confusion is a confusion matrix with an unknown column.
type Confusion struct {
	Labels []string `json:"labels"` // the label set, then "unknown"
	Matrix [][]int  `json:"matrix"` // [true class][predicted class or unknown]
}

// Reliability is the quarter table of one model under one judge.
type Reliability struct {
	N int `json:"n"`
	// TT, TF, FT, FF: prediction correct? × explanation (judge's emotion) correct?, as shares of
	// all N samples. TF is "correct prediction, inconsistent explanation".
	TT             float64        `json:"tt"`
	TF             float64        `json:"tf"`
	FT             float64        `json:"ft"`
	FF             float64        `json:"ff"`
	Counts         QuarterCounts  `json:"counts"`
	TFGivenCorrect float64        `json:"tf_given_correct"` // TF / (TT + TF); 0 when TT + TF is 0 (Counts tell)
	EPC            float64        `json:"epc"`              // prediction = judge's emotion
	EEA            float64        `json:"eea"`              // TT + FT
	Fallback       float64        `json:"fallback"`         // share of replies the migr fallback mapped to neutral
	Errors         int            `json:"errors"`           // judge calls that failed
	Unknown        int            `json:"unknown"`          // judge emotions outside the label set, abstentions included
	Abstained      int            `json:"abstained"`        // the judge said it cannot tell: unknown, and counted as not matching the truth
	Normalizations map[string]int `json:"normalizations,omitempty"`
	// Corrected are the rates corrected with human labels, when there are some for the model.
	Corrected *Corrected `json:"corrected,omitempty"`
}

// QuarterCounts are the sample counts behind the quarter shares.
type QuarterCounts struct {
	TT  int `json:"tt"`
	TF  int `json:"tf"`
	FT  int `json:"ft"`
	FF  int `json:"ff"`
	EPC int `json:"epc"`
}

// Modality holds modality importance and output-order metrics of one model.
type Modality struct {
	// DescriptionTags says whether the model's outputs carry description tags at all. Without
	// them, Order, FormatReward and MIAligned are absent: they measure where descriptions start.
	DescriptionTags bool `json:"description_tags"`
	// Order is the share of outputs per description order (vision_first, audio_first, no_desc);
	// empty without outputs or description tags.
	Order map[string]float64 `json:"order,omitempty"`
	// The rates and means below are nil, and their keys absent from summary.json, when they are
	// undefined (0/0): a 0 would read as a measured value.

	// FormatReward is the mean format reward of docs/reference.md §5 over the outputs (clips without
	// MI count as multimodal); nil without outputs.
	FormatReward *float64 `json:"format_reward,omitempty"`
	// MIAligned is the share of outputs whose first description is the clip's MI modality, over
	// the outputs for clips whose MI is vision or audio; nil when there are none (no MI, or no
	// such clip).
	MIAligned *float64 `json:"mi_aligned,omitempty"`
	// MISource says where MI came from: variants, onnx, file; "" when there is none.
	MISource string `json:"mi_source,omitempty"`
	// MI is the share of outputs per their clip's MI class (vision, audio, multimodal); empty
	// without outputs.
	MI map[string]float64 `json:"mi,omitempty"`
	// MIOrder counts outputs per MI class and order.
	MIOrder map[string]map[string]int `json:"mi_order,omitempty"`
	// VisualInitiation is, over outputs without description tags, the share whose explanation
	// draws first on a visual cue; VisualInitiationN is how many such outputs mention either.
	// VisualInitiation is nil when VisualInitiationN is 0.
	VisualInitiation  *float64 `json:"visual_initiation,omitempty"`
	VisualInitiationN int      `json:"visual_initiation_n"`
}

// Drift is sentence grounding by relative position in the explanation.
type Drift struct {
	// Bins are the centres of equal-width relative-position bins in [0, 1].
	Bins []float64 `json:"bins"`
	// Grounded is the share of sentences in each bin whose emotion is the ground truth;
	// AgreeAnswer the share whose emotion is the model's own answer; Sentences the count.
	Grounded    []float64 `json:"grounded"`
	AgreeAnswer []float64 `json:"agree_answer"`
	Sentences   []int     `json:"sentences"`
	// Grounding is the share of all emotion-bearing sentences whose emotion is the ground truth.
	Grounding float64 `json:"grounding"`
}

// MeanSD is a mean and sample standard deviation over folds.
type MeanSD struct {
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	N    int     `json:"n"`
}

// Agreement compares two judges (or a judge and human labels) on the same explanations.
type Agreement struct {
	A      string   `json:"a"`
	B      string   `json:"b"`
	Model  string   `json:"model"` // "" when pooled over models
	N      int      `json:"n"`
	Kappa  float64  `json:"kappa"`
	Agree  float64  `json:"agree"` // raw agreement
	Labels []string `json:"labels"`
	Matrix [][]int  `json:"matrix"` // [A's label][B's label]
}

// Comparison is a paired comparison of two models on their common clips.
type Comparison struct {
	Baseline  string     `json:"baseline"`
	Candidate string     `json:"candidate"`
	Metric    string     `json:"metric"`
	N         int        `json:"n"`
	Base      float64    `json:"base"`
	Cand      float64    `json:"cand"`
	Delta     float64    `json:"delta"` // Cand − Base
	CI        [2]float64 `json:"ci"`
	PValue    float64    `json:"p_value"`
	Test      string     `json:"test"` // paired-bootstrap | mcnemar-exact
}
