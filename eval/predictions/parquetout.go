package predictions

import (
	"context"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

// Rows of the two Parquet layouts of model outputs.
type (
	outputRow struct {
		ClipID string `parquet:"clip_id"`
		Output string `parquet:"output"`
	}
	outputRowIntID struct {
		ClipID int64  `parquet:"clip_id"`
		Output string `parquet:"output"`
	}
	// predictionRow is the part of predictions.parquet that a replay needs.
	predictionRow struct {
		Model     string `parquet:"model"`
		Variant   string `parquet:"variant"`
		ClipID    string `parquet:"clip_id"`
		RawOutput string `parquet:"raw_output"`
	}
)

// scanParquetOutputs reads clip_id + output columns (clip_id a string or an integer), or an
// emoeval predictions.parquet (clip_id + raw_output) holding one model × variant.
func scanParquetOutputs(ctx context.Context, path string, fn func(Output) error) error {
	pf, f, err := parquetio.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if pf.NumRows() == 0 {
		return inputerr.New(path, "no rows")
	}
	emit := func(row int, id, raw string) error {
		if id == "" {
			return inputerr.AtRow(path, row, "empty clip_id")
		}
		if row%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return fn(Output{ClipID: id, Raw: raw, Line: row})
	}
	field := func(name string) parquet.Field {
		for _, c := range pf.Schema().Fields() {
			if c.Name() == name {
				return c
			}
		}
		return nil
	}
	has := func(name string) bool { return field(name) != nil }
	switch {
	case has("output"):
		idType := parquetio.ColString
		if id := field("clip_id"); id != nil && id.Leaf() && parquetio.ColInt.Accepts(id.Type().Kind()) {
			idType = parquetio.ColInt
		}
		if _, err := parquetio.CheckColumns(path, pf, []parquetio.Column{{Name: "clip_id", Type: idType}, {Name: "output", Type: parquetio.ColString}}); err != nil {
			return err
		}
		intID := idType == parquetio.ColInt
		if intID {
			return parquetio.ScanRows(path, pf, func(batch []outputRowIntID, first int) error {
				for i, r := range batch {
					if r.ClipID < 0 {
						return inputerr.AtRow(path, first+i, "negative clip_id %d", r.ClipID)
					}
					if err := emit(first+i, strconv.FormatInt(r.ClipID, 10), r.Output); err != nil {
						return err
					}
				}
				return nil
			})
		}
		return parquetio.ScanRows(path, pf, func(batch []outputRow, first int) error {
			for i, r := range batch {
				if err := emit(first+i, r.ClipID, r.Output); err != nil {
					return err
				}
			}
			return nil
		})
	case has("raw_output"):
		if _, err := parquetio.CheckColumns(path, pf, []parquetio.Column{{Name: "clip_id", Type: parquetio.ColString}, {Name: "raw_output", Type: parquetio.ColString},
			{Name: "model", Type: parquetio.ColString, Optional: true}, {Name: "variant", Type: parquetio.ColString, Optional: true}}); err != nil {
			return err
		}
		var model, variant string
		return parquetio.ScanRows(path, pf, func(batch []predictionRow, first int) error {
			for i, r := range batch {
				if first+i == 1 {
					model, variant = r.Model, r.Variant
				} else if r.Model != model || r.Variant != variant {
					return inputerr.AtRow(path, first+i, "model %q variant %q, but row 1 is model %q variant %q: "+
						"a replayed file must hold one model × variant", r.Model, r.Variant, model, variant)
				}
				if err := emit(first+i, r.ClipID, r.RawOutput); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return &inputerr.Error{File: path, Key: "output", Msg: "missing column: model outputs in Parquet need clip_id and output " +
		"(or an emoeval predictions.parquet with raw_output); the file has " + parquetio.FieldNames(pf)}
}
