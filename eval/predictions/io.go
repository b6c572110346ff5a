package predictions

// PredictionColumns is the predictions.parquet contract: the DESIGN.md columns are required; the
// columns emoeval adds beyond them may be missing (files written by other tools).
func PredictionColumns() []Column {
	return []Column{
		{Name: "model", Type: ColString},
		{Name: "variant", Type: ColString},
		{Name: "dataset", Type: ColString},
		{Name: "fold", Type: ColInt},
		{Name: "clip_id", Type: ColString},
		{Name: "label", Type: ColString},
		{Name: "raw_output", Type: ColString},
		{Name: "vis_desc", Type: ColString},
		{Name: "aud_desc", Type: ColString},
		{Name: "think", Type: ColString},
		{Name: "answer_raw", Type: ColString},
		{Name: "pred", Type: ColString},
		{Name: "parse_status", Type: ColString},
		{Name: "order", Type: ColString},
		{Name: "probs", Type: ColFloatList},
		{Name: "latency_ms", Type: ColFloat},
		{Name: "attempts", Type: ColInt},
		{Name: "error", Type: ColString},
		{Name: "pred_quarter", Type: ColString, Optional: true},
		{Name: "reason", Type: ColString, Optional: true},
		{Name: "normalized", Type: ColString, Optional: true},
		{Name: "line", Type: ColInt, Optional: true},
	}
}

// Writer streams rows into predictions.parquet; see TableWriter.
type Writer = TableWriter[Prediction]

// NewWriter starts predictions.parquet at path. Write rows as they come; Close renames the
// finished file into place; Abort discards it.
func NewWriter(path string) (*Writer, error) { return NewTableWriter[Prediction](path) }

// ReadPredictions reads a predictions.parquet file, checking it against the contract.
func ReadPredictions(path string) ([]Prediction, error) {
	pf, f, err := OpenParquet(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if _, err := CheckColumns(path, pf, PredictionColumns()); err != nil {
		return nil, err
	}
	rows, err := ReadRows[Prediction](path, pf)
	if err != nil {
		return nil, err
	}
	var n int64
	for i := range rows {
		n += int64(len(rows[i].Probs))
	}
	if err := CheckListLengths(path, pf, "probs", n); err != nil {
		return nil, err
	}
	return rows, nil
}
