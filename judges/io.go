package judges

import (
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// JudgmentColumns is the judgments.parquet contract: the DESIGN.md columns are required; the
// per-sentence lists and the normalisations may be missing (files written by other tools).
func JudgmentColumns() []predictions.Column {
	return []predictions.Column{
		{Name: "judge", Type: predictions.ColString},
		{Name: "model", Type: predictions.ColString},
		{Name: "clip_id", Type: predictions.ColString},
		{Name: "input", Type: predictions.ColString},
		{Name: "emotion", Type: predictions.ColString},
		{Name: "fallback", Type: predictions.ColBool},
		{Name: "reply_raw", Type: predictions.ColString},
		{Name: "error", Type: predictions.ColString},
		{Name: "sentences", Type: predictions.ColStringList, Optional: true},
		{Name: "sentence_labels", Type: predictions.ColStringList, Optional: true},
		{Name: "normalized", Type: predictions.ColString, Optional: true},
	}
}

// Writer streams rows into judgments.parquet: Close renames the finished file into place,
// Abort discards it. It is safe for concurrent use.
type Writer = predictions.TableWriter[Judgment]

// NewWriter starts judgments.parquet at path.
func NewWriter(path string) (*Writer, error) { return predictions.NewTableWriter[Judgment](path) }

// ReadJudgments reads a judgments.parquet file, checking it against the contract.
func ReadJudgments(path string) ([]Judgment, error) {
	pf, f, err := predictions.OpenParquet(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := predictions.CheckColumns(path, pf, JudgmentColumns()); err != nil {
		return nil, err
	}
	rows, err := predictions.ReadRows[Judgment](path, pf)
	if err != nil {
		return nil, err
	}
	var sentences, labels int64
	for i, j := range rows {
		if len(j.Sentences) != len(j.SentenceLabels) {
			return nil, inputerr.AtRow(path, i+1, "%d sentences but %d sentence labels", len(j.Sentences), len(j.SentenceLabels))
		}
		sentences += int64(len(j.Sentences))
		labels += int64(len(j.SentenceLabels))
	}
	if err := predictions.CheckListLengths(path, pf, "sentences", sentences); err != nil {
		return nil, err
	}
	if err := predictions.CheckListLengths(path, pf, "sentence_labels", labels); err != nil {
		return nil, err
	}
	return rows, nil
}
