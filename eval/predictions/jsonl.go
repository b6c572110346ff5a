package predictions

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// jsonlOutput is one line of a JSONL outputs file. Other keys are ignored.
type jsonlOutput struct {
	ClipID json.RawMessage `json:"clip_id"`
	Output *string         `json:"output"` // decoded in the same pass: outputs are most of the file
}

// scanJSONL reads one {"clip_id": …, "output": "…"} object per line; blank lines are skipped.
func scanJSONL(ctx context.Context, path string, r io.Reader, fn func(Output) error) error {
	lr := newLineReader(r, false)
	records := 0
	for {
		line, _, err := lr.next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, ErrLineTooLong) {
			return inputerr.AtLine(path, lr.n, "%v", err)
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, err)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if records == 0 && line[0] == '[' {
			return inputerr.AtLine(path, lr.n, "a JSON array: model outputs in JSON must be one object per line (JSONL), "+
				`e.g. {"clip_id": "12583", "output": "<think>…</think><answer>happy</answer>"}`)
		}
		var o jsonlOutput
		if err := decodeJSONObject(line, &o); err != nil {
			return inputerr.AtLine(path, lr.n, "%v", err)
		}
		id, err := ClipIDFromJSON(o.ClipID)
		if err != nil {
			return inputerr.AtLine(path, lr.n, "%v", err)
		}
		if o.Output == nil {
			return inputerr.AtLine(path, lr.n, "no output (or null)")
		}
		records++
		if records%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := fn(Output{ClipID: id, Raw: *o.Output, Line: lr.n}); err != nil {
			return err
		}
	}
	if records == 0 {
		if lr.n == 0 {
			return inputerr.New(path, "empty file")
		}
		return inputerr.New(path, "no records: only blank lines")
	}
	return nil
}

// decodeJSONObject decodes one JSON object (a line of a JSONL file) into v.
func decodeJSONObject(line []byte, v any) error {
	if !utf8.Valid(line) {
		return fmt.Errorf("not valid UTF-8")
	}
	if line[0] != '{' {
		return fmt.Errorf("not a JSON object: %q", abbreviate(line, 40))
	}
	err := json.Unmarshal(line, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s must be a string, got %s", te.Field, te.Value)
	}
	if err != nil {
		return fmt.Errorf("bad JSON: %v", err)
	}
	return nil
}

// ClipIDFromJSON reads a clip_id value: a non-empty string, or a non-negative integer kept as
// written ("12583"). Shared with the judge-reply readers.
func ClipIDFromJSON(v json.RawMessage) (string, error) {
	switch {
	case len(v) == 0:
		return "", fmt.Errorf("no clip_id")
	case v[0] == '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", fmt.Errorf("clip_id: %v", err)
		}
		if s == "" {
			return "", fmt.Errorf("empty clip_id")
		}
		return s, nil
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return "", fmt.Errorf("clip_id must be a string or a non-negative integer, got %s", abbreviate(v, 40))
		}
	}
	return string(v), nil
}

// JSONString reads a required string value; key names it in errors. Shared with the judge-reply
// readers.
func JSONString(v json.RawMessage, key string) (string, error) {
	if len(v) == 0 {
		return "", fmt.Errorf("no %s", key)
	}
	if v[0] != '"' {
		return "", fmt.Errorf("%s must be a string, got %s", key, abbreviate(v, 40))
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", fmt.Errorf("%s: %v", key, err)
	}
	return s, nil
}
