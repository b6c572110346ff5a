package predictions

import (
	"context"
	"fmt"
	"io"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/bom"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

// Output is one model output read from a file produced elsewhere.
type Output struct {
	ClipID string // as written in the file
	Raw    string // the raw output (for id-pipe files: the joined record after "<id>|")
	Line   int    // 1-based line (text formats) or row (Parquet) where the output starts
	// Probs and Err come from an emoeval predictions.parquet: the class probabilities of a model
	// that gives them (ONNX; nil for none) and the error of a failed call ("" for none).
	Probs []float32
	Err   string
}

// Scan reads a model-output file in the given format (FormatIDPipe, FormatJSONL, FormatParquet)
// and calls fn for each output, in file order. It streams: memory grows with the longest
// output, not with the file. Every problem with the file is an *inputerr.Error naming the file
// and the line or row; an error from fn stops the scan and is returned as it is. Clip ids are
// passed on as written, duplicates included.
func Scan(ctx context.Context, path, format string, fn func(Output) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if format == FormatParquet {
		return scanParquetOutputs(ctx, path, fn)
	}
	if format != FormatIDPipe && format != FormatJSONL {
		return fmt.Errorf("unknown model-output format %q: use %s, %s or %s", format, FormatIDPipe, FormatJSONL, FormatParquet)
	}
	f, err := parquetio.OpenInput(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return ScanReader(ctx, path, f, format, fn)
}

// ScanReader is Scan for the text formats (FormatIDPipe, FormatJSONL) read from r, e.g. standard
// input; name stands for the file in errors.
func ScanReader(ctx context.Context, name string, r io.Reader, format string, fn func(Output) error) error {
	r = bom.Reader(r)
	switch format {
	case FormatIDPipe:
		return scanIDPipe(ctx, name, r, fn)
	case FormatJSONL:
		return scanJSONL(ctx, name, r, fn)
	}
	return fmt.Errorf("ScanReader reads %s or %s, not %q", FormatIDPipe, FormatJSONL, format)
}

// ReadOutputs reads a whole model-output file (see Scan). Two outputs for one clip (after
// datasets.NormalizeID) are an input error, since it is not known which one to score.
func ReadOutputs(ctx context.Context, path, format string) ([]Output, error) {
	var out []Output
	seen := map[string]int{}
	err := Scan(ctx, path, format, func(o Output) error {
		key := datasets.NormalizeID(o.ClipID)
		if prev, ok := seen[key]; ok {
			return duplicateErr(path, format, o, out[prev])
		}
		seen[key] = len(out)
		out = append(out, o)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func duplicateErr(path, format string, o, prev Output) error {
	if format == FormatParquet {
		return inputerr.AtRow(path, o.Line, "a second output for clip %q (the first is in row %d)", o.ClipID, prev.Line)
	}
	return inputerr.AtLine(path, o.Line, "a second output for clip %q (the first is at line %d)", o.ClipID, prev.Line)
}
