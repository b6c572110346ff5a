package predictions

import (
	"context"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

// Rows of the two Parquet layouts of model outputs. The clip id and the output are read as
// pointers so that a null (pandas' None) is told apart from a value: parquet-go reads a null
// into a plain field as "" or 0, which would pass for an empty output or clip "0".
type (
	outputRow struct {
		ClipID *string `parquet:"clip_id,optional"`
		Output *string `parquet:"output,optional"`
	}
	outputRowIntID struct {
		ClipID *int64  `parquet:"clip_id,optional"`
		Output *string `parquet:"output,optional"`
	}
	// predictionRow is the part of predictions.parquet that a replay needs.
	predictionRow struct {
		Model     string    `parquet:"model"`
		Variant   string    `parquet:"variant"`
		ClipID    *string   `parquet:"clip_id,optional"`
		RawOutput *string   `parquet:"raw_output,optional"`
		Probs     []float32 `parquet:"probs,list"`
		Error     string    `parquet:"error"`
	}
)

// scanParquetOutputs reads clip_id + output columns (clip_id a string or an integer), or an
// emoeval predictions.parquet (clip_id + raw_output, with probs and error where it has them)
// holding one model × variant. A null clip id or output is an input error at its row (JSONL
// refuses a null output too); so is a null raw_output, unless the row records a failed call.
func scanParquetOutputs(ctx context.Context, path string, fn func(Output) error) error {
	pf, f, err := parquetio.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if pf.NumRows() == 0 {
		return inputerr.New(path, "no rows")
	}
	emit := func(o Output) error {
		if o.ClipID == "" {
			return inputerr.AtRow(path, o.Line, "empty clip_id")
		}
		if o.Line%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return fn(o)
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
		if idType == parquetio.ColInt {
			return parquetio.ScanRows(path, pf, func(batch []outputRowIntID, first int) error {
				for i, r := range batch {
					row := first + i
					switch {
					case r.ClipID == nil:
						return inputerr.AtRow(path, row, "null clip_id")
					case *r.ClipID < 0:
						return inputerr.AtRow(path, row, "negative clip_id %d", *r.ClipID)
					case r.Output == nil:
						return inputerr.AtRow(path, row, "null output")
					}
					if err := emit(Output{ClipID: strconv.FormatInt(*r.ClipID, 10), Raw: *r.Output, Line: row}); err != nil {
						return err
					}
				}
				return nil
			})
		}
		return parquetio.ScanRows(path, pf, func(batch []outputRow, first int) error {
			for i, r := range batch {
				row := first + i
				switch {
				case r.ClipID == nil:
					return inputerr.AtRow(path, row, "null clip_id")
				case r.Output == nil:
					return inputerr.AtRow(path, row, "null output")
				}
				if err := emit(Output{ClipID: *r.ClipID, Raw: *r.Output, Line: row}); err != nil {
					return err
				}
			}
			return nil
		})
	case has("raw_output"):
		return scanPredictionRows(path, pf, emit)
	}
	return &inputerr.Error{File: path, Key: "output", Msg: "missing column: model outputs in Parquet need clip_id and output " +
		"(or an emoeval predictions.parquet with raw_output); the file has " + parquetio.FieldNames(pf)}
}

// scanPredictionRows reads an emoeval predictions.parquet of one model × variant.
func scanPredictionRows(path string, pf *parquet.File, emit func(Output) error) error {
	if _, err := parquetio.CheckColumns(path, pf, []parquetio.Column{{Name: "clip_id", Type: parquetio.ColString}, {Name: "raw_output", Type: parquetio.ColString},
		{Name: "model", Type: parquetio.ColString, Optional: true}, {Name: "variant", Type: parquetio.ColString, Optional: true},
		{Name: "probs", Type: parquetio.ColFloatList, Optional: true}, {Name: "error", Type: parquetio.ColString, Optional: true}}); err != nil {
		return err
	}
	var model, variant string
	var probs int64
	err := parquetio.ScanRows(path, pf, func(batch []predictionRow, first int) error {
		for i, r := range batch {
			row := first + i
			if row == 1 {
				model, variant = r.Model, r.Variant
			} else if r.Model != model || r.Variant != variant {
				return inputerr.AtRow(path, row, "model %q variant %q, but row 1 is model %q variant %q: "+
					"a replayed file must hold one model × variant", r.Model, r.Variant, model, variant)
			}
			if r.ClipID == nil {
				return inputerr.AtRow(path, row, "null clip_id")
			}
			// A failed call may have no output at all; any other row must say what the model wrote.
			raw := ""
			if r.RawOutput != nil {
				raw = *r.RawOutput
			} else if r.Error == "" {
				return inputerr.AtRow(path, row, "null raw_output, and no error says why")
			}
			o := Output{ClipID: *r.ClipID, Raw: raw, Line: row, Err: r.Error}
			if len(r.Probs) > 0 {
				probs += int64(len(r.Probs))
				o.Probs = r.Probs // ScanRows clears the batch before each read: the list is this row's own
			}
			if err := emit(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// parquet-go reads a list layout it cannot map as empty lists, silently.
	return parquetio.CheckListLengths(path, pf, "probs", probs)
}
