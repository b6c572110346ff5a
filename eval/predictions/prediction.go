// Package predictions holds the prediction row of predictions.parquet, its Parquet I/O, and the
// readers of model outputs produced elsewhere: the authors' id-pipe files, JSONL and Parquet.
package predictions

// Variants: which modalities the model saw.
const (
	VariantAV    = "av"
	VariantVideo = "video"
	VariantAudio = "audio"
)

// Prediction is one row of predictions.parquet: one model × variant × clip.
type Prediction struct {
	Model       string    `parquet:"model" json:"model"`
	Variant     string    `parquet:"variant" json:"variant"`
	Dataset     string    `parquet:"dataset" json:"dataset"`
	Fold        int32     `parquet:"fold" json:"fold"`
	ClipID      string    `parquet:"clip_id" json:"clip_id"`
	Label       string    `parquet:"label" json:"label"`
	RawOutput   string    `parquet:"raw_output" json:"raw_output"`
	VisDesc     string    `parquet:"vis_desc" json:"vis_desc"`
	AudDesc     string    `parquet:"aud_desc" json:"aud_desc"`
	Think       string    `parquet:"think" json:"think"`
	AnswerRaw   string    `parquet:"answer_raw" json:"answer_raw"`
	Pred        string    `parquet:"pred" json:"pred"`
	ParseStatus string    `parquet:"parse_status" json:"parse_status"`
	Order       string    `parquet:"order" json:"order"`
	Probs       []float32 `parquet:"probs,list" json:"probs,omitempty"`
	LatencyMS   float64   `parquet:"latency_ms" json:"latency_ms"`
	Attempts    int32     `parquet:"attempts" json:"attempts"`
	Error       string    `parquet:"error" json:"error"`
	// Beyond the docs/formats.md columns:
	// PredQuarter is the prediction as the authors' consistency script reads it (parse.Output.QuarterPred).
	PredQuarter string `parquet:"pred_quarter" json:"pred_quarter"`
	// Reason is the text the authors' judge would be sent (parse.Output.Reason).
	Reason string `parquet:"reason" json:"reason"`
	// Normalized lists the robust protocol's normalisations ("" for none).
	Normalized string `parquet:"normalized" json:"normalized"`
	// Line is where the output was read from (1-based line or row of the source file; 0 when run here).
	Line int32 `parquet:"line" json:"line"`
	// FinishReason is the server's finish reason ("stop", "length" for a generation cut at the
	// token limit; "" when not known).
	FinishReason string `parquet:"finish_reason" json:"finish_reason"`
	// Truncated says the answer was longer than the model's max_output_bytes and was cut there.
	Truncated bool `parquet:"truncated" json:"truncated,omitempty"`
}
