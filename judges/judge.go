// Package judges reads explanations and names the emotion each supports: LLM, lexicon,
// classifier and replay judges, and agreement between judges.
package judges

import "context"

// Judgment is one row of judgments.parquet: one judge × model × clip.
type Judgment struct {
	Judge   string `parquet:"judge" json:"judge"`
	Model   string `parquet:"model" json:"model"`
	ClipID  string `parquet:"clip_id" json:"clip_id"`
	Input   string `parquet:"input" json:"input"`     // think | think+desc | full
	Emotion string `parquet:"emotion" json:"emotion"` // canonical label or "unknown"
	// Fallback is set when the faithful (migr) protocol mapped an unusable reply to neutral.
	Fallback bool   `parquet:"fallback" json:"fallback"`
	ReplyRaw string `parquet:"reply_raw" json:"reply_raw"`
	Error    string `parquet:"error" json:"error"`
	// Sentences and SentenceLabels hold per-sentence judgments where the judge works by sentence;
	// SentenceLabels[i] is the emotion of Sentences[i] ("" when the sentence names none).
	Sentences      []string `parquet:"sentences,list" json:"sentences,omitempty"`
	SentenceLabels []string `parquet:"sentence_labels,list" json:"sentence_labels,omitempty"`
	// Normalized lists the robust protocol's reply normalisations ("" for none).
	Normalized string `parquet:"normalized" json:"normalized"`
	// Abstained is set when the judge declined to name an emotion (Emotion is "unknown"): the
	// explanation names none, says none can be determined, or its cues conflict. It is not an
	// error; metrics count abstentions apart from answers.
	Abstained bool `parquet:"abstained" json:"abstained,omitempty"`
}

// Item is one explanation to judge.
type Item struct {
	Model  string
	ClipID string
	// Text is the judge input, already selected by input mode (parse.Parser.JudgeText).
	Text string
	// Pred is the model's own answer (canonical or unknown); judges may ignore it.
	Pred string
}

// Judge names the emotion each explanation supports. Judge returns one Judgment per item, in
// order; a failure on one item is recorded in that item's Judgment.Error, and the returned
// error is reserved for failures that stop the whole batch (a cancelled context, a bad set-up).
type Judge interface {
	Name() string
	Judge(ctx context.Context, items []Item) ([]Judgment, error)
}
