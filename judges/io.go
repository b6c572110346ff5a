package judges

import (
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

// JudgmentColumns is the judgments.parquet contract: the docs/formats.md columns are required; the
// per-sentence lists, the normalisations and the abstention flag may be missing (files written by
// other tools, or before judges could abstain).
func JudgmentColumns() []parquetio.Column {
	return []parquetio.Column{
		{Name: "judge", Type: parquetio.ColString},
		{Name: "model", Type: parquetio.ColString},
		{Name: "clip_id", Type: parquetio.ColString},
		{Name: "input", Type: parquetio.ColString},
		{Name: "emotion", Type: parquetio.ColString},
		{Name: "fallback", Type: parquetio.ColBool},
		{Name: "reply_raw", Type: parquetio.ColString},
		{Name: "error", Type: parquetio.ColString},
		{Name: "sentences", Type: parquetio.ColStringList, Optional: true},
		{Name: "sentence_labels", Type: parquetio.ColStringList, Optional: true},
		{Name: "normalized", Type: parquetio.ColString, Optional: true},
		{Name: "abstained", Type: parquetio.ColBool, Optional: true},
	}
}

// Writer streams rows into judgments.parquet: Close renames the finished file into place,
// Abort discards it. It is safe for concurrent use.
type Writer = parquetio.TableWriter[Judgment]

// NewWriter starts judgments.parquet at path.
func NewWriter(path string) (*Writer, error) { return parquetio.NewTableWriter[Judgment](path) }

// ReadJudgments reads a judgments.parquet file, checking it against the contract.
func ReadJudgments(path string) ([]Judgment, error) {
	return parquetio.ReadTable(path, JudgmentColumns(), countJudgmentLists(path))
}

// ScanJudgments streams a judgments.parquet file in batches that fn may not keep, checking it
// against the contract: memory is that of one batch.
func ScanJudgments(path string, fn func(batch []Judgment, first int) error) error {
	return parquetio.ScanTable(path, JudgmentColumns(), countJudgmentLists(path), fn)
}

func countJudgmentLists(path string) parquetio.Count[Judgment] {
	return func(rows []Judgment, first int) (map[string]int64, error) {
		var sentences, labels int64
		for i, j := range rows {
			if len(j.Sentences) != len(j.SentenceLabels) {
				return nil, inputerr.AtRow(path, first+i, "%d sentences but %d sentence labels", len(j.Sentences), len(j.SentenceLabels))
			}
			sentences += int64(len(j.Sentences))
			labels += int64(len(j.SentenceLabels))
		}
		return map[string]int64{"sentences": sentences, "sentence_labels": labels}, nil
	}
}
