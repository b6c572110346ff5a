package predictions

import "github.com/emoeval/emoeval/internal/parquetio"

// PredictionColumns is the predictions.parquet contract: the docs/formats.md columns are required; the
// columns emoeval adds beyond them may be missing (files written by other tools).
func PredictionColumns() []parquetio.Column {
	return []parquetio.Column{
		{Name: "model", Type: parquetio.ColString},
		{Name: "variant", Type: parquetio.ColString},
		{Name: "dataset", Type: parquetio.ColString},
		{Name: "fold", Type: parquetio.ColInt},
		{Name: "clip_id", Type: parquetio.ColString},
		{Name: "label", Type: parquetio.ColString},
		{Name: "raw_output", Type: parquetio.ColString},
		{Name: "vis_desc", Type: parquetio.ColString},
		{Name: "aud_desc", Type: parquetio.ColString},
		{Name: "think", Type: parquetio.ColString},
		{Name: "answer_raw", Type: parquetio.ColString},
		{Name: "pred", Type: parquetio.ColString},
		{Name: "parse_status", Type: parquetio.ColString},
		{Name: "order", Type: parquetio.ColString},
		{Name: "probs", Type: parquetio.ColFloatList},
		{Name: "latency_ms", Type: parquetio.ColFloat},
		{Name: "attempts", Type: parquetio.ColInt},
		{Name: "error", Type: parquetio.ColString},
		{Name: "pred_quarter", Type: parquetio.ColString, Optional: true},
		{Name: "reason", Type: parquetio.ColString, Optional: true},
		{Name: "normalized", Type: parquetio.ColString, Optional: true},
		{Name: "line", Type: parquetio.ColInt, Optional: true},
		{Name: "finish_reason", Type: parquetio.ColString, Optional: true},
		{Name: "truncated", Type: parquetio.ColBool, Optional: true},
	}
}

// Writer streams rows into predictions.parquet; see parquetio.TableWriter.
type Writer = parquetio.TableWriter[Prediction]

// NewWriter starts predictions.parquet at path. Write rows as they come; Close renames the
// finished file into place; Abort discards it.
// Statistics (min/max) are kept for the short key columns only: those of the raw output and
// the explanation would be as long as the longest answer.
func NewWriter(path string) (*Writer, error) {
	return parquetio.NewTableWriter[Prediction](path,
		parquetio.KeepStatistics("model", "variant", "dataset", "clip_id", "label", "pred", "pred_quarter", "parse_status", "order"))
}

// ReadPredictions reads a predictions.parquet file, checking it against the contract.
func ReadPredictions(path string) ([]Prediction, error) {
	return parquetio.ReadTable(path, PredictionColumns(), countProbs)
}

// ScanPredictions streams a predictions.parquet file in batches that fn may not keep, checking
// it against the contract: memory is that of one batch, however long the answers in it.
func ScanPredictions(path string, fn func(batch []Prediction, first int) error) error {
	return parquetio.ScanTable(path, PredictionColumns(), countProbs, fn)
}

func countProbs(rows []Prediction, _ int) (map[string]int64, error) {
	var n int64
	for i := range rows {
		n += int64(len(rows[i].Probs))
	}
	return map[string]int64{"probs": n}, nil
}
