// Package replay is the judge that replays replies produced elsewhere: the authors' JSON, JSONL
// and Parquet files of judge replies.
package replay

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"unicode/utf8"

	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/bom"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

// Formats of judge-reply files.
const (
	FormatERVJSON = "ervjson" // the authors': [{"<clip id>": {"gpt_response": "angry", …}}, …]
	FormatJSONL   = "jsonl"   // one {"clip_id": …, "emotion": …} (or "reply") object per line
	FormatParquet = "parquet" // judgments.parquet, or clip_id + emotion (or reply) columns
)

// FormatOf resolves a judge-reply file argument: "PATH:FORMAT" names the format, otherwise the
// extension decides (.json → ervjson; .jsonl, .ndjson → jsonl; .parquet → parquet).
func FormatOf(arg string) (path, format string, err error) {
	return predictions.ResolveFormat(arg, map[string]string{
		".json": FormatERVJSON, ".jsonl": FormatJSONL, ".ndjson": FormatJSONL, ".parquet": FormatParquet,
	}, []string{FormatERVJSON, FormatJSONL, FormatParquet})
}

// Reply is one stored judge reply.
type Reply struct {
	ClipID string // as written in the file
	Text   string // the reply the label is read from; "" for a null reply (the judge gave none)
	// ReplyRaw is the judge's reply as it came: a judgments.parquet file's reply_raw (its Text is
	// the emotion already read from it); Text in files without that column.
	ReplyRaw string
	// Judge, Model, Input, Fallback, Error and Normalized come from a judgments.parquet file (each
	// where the file has its column); zero elsewhere.
	Judge, Model, Input string
	Fallback            bool
	Error, Normalized   string
	Line                int // 1-based line (text formats) or row (Parquet)
}

// ReadReplies reads a judge-reply file in the given format. Every problem with the file is an
// *inputerr.Error naming the file and the line or row.
func ReadReplies(path, format string) ([]Reply, error) {
	if format == FormatParquet {
		return readParquet(path)
	}
	if format != FormatERVJSON && format != FormatJSONL {
		return nil, fmt.Errorf("unknown judge-reply format %q: use %s, %s or %s", format, FormatERVJSON, FormatJSONL, FormatParquet)
	}
	f, err := parquetio.OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := bom.Reader(f)
	if format == FormatERVJSON {
		return readERVJSON(path, r)
	}
	return readJSONL(path, r)
}

// newlineIndex remembers where the lines of what passes through it start, so that a JSON
// decoder's byte offsets can be reported as lines.
type newlineIndex struct {
	r      io.Reader
	n      int64
	breaks []int64 // offsets of '\n'
}

func (x *newlineIndex) Read(p []byte) (int, error) {
	n, err := x.r.Read(p)
	for i, c := range p[:n] {
		if c == '\n' {
			x.breaks = append(x.breaks, x.n+int64(i))
		}
	}
	x.n += int64(n)
	return n, err
}

// lineAt is the 1-based line of a byte offset.
func (x *newlineIndex) lineAt(off int64) int {
	return 1 + sort.Search(len(x.breaks), func(i int) bool { return x.breaks[i] >= off })
}

// ervValue is the value of one clip in the authors' JSON. Other keys ("reason") are ignored.
type ervValue struct {
	GPTResponse json.RawMessage `json:"gpt_response"`
}

// readERVJSON reads the authors' list of one-key objects, streaming. Objects with several keys
// are read as several replies.
func readERVJSON(path string, r io.Reader) ([]Reply, error) {
	idx := &newlineIndex{r: r}
	dec := json.NewDecoder(idx)
	fail := func(err error) error {
		off := dec.InputOffset()
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off = se.Offset
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return inputerr.AtLine(path, idx.lineAt(idx.n), "the JSON ends too early")
		}
		return inputerr.AtLine(path, idx.lineAt(off), "%v", err)
	}
	tok, err := dec.Token()
	if err == io.EOF {
		return nil, inputerr.New(path, "empty file")
	}
	if err != nil {
		return nil, fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, inputerr.AtLine(path, idx.lineAt(dec.InputOffset()),
			`not the authors' judge replies: want a JSON list of one-key objects, [{"12583": {"gpt_response": "angry"}}, …]`)
	}
	var out []Reply
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, fail(err)
		}
		if d, ok := tok.(json.Delim); !ok || d != '{' {
			return nil, inputerr.AtLine(path, idx.lineAt(dec.InputOffset()), `list element %d is not an object like {"12583": {"gpt_response": "angry"}}`, len(out)+1)
		}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return nil, fail(err)
			}
			id, _ := tok.(string)
			line := idx.lineAt(dec.InputOffset())
			var v json.RawMessage
			if err := dec.Decode(&v); err != nil {
				return nil, fail(err)
			}
			text, err := ervReply(id, v)
			if err != nil {
				return nil, inputerr.AtLine(path, line, "%v", err)
			}
			out = append(out, Reply{ClipID: id, Text: text, ReplyRaw: text, Line: line})
		}
		if _, err := dec.Token(); err != nil { // '}'
			return nil, fail(err)
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return nil, fail(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, inputerr.AtLine(path, idx.lineAt(dec.InputOffset()), "data after the JSON list")
	}
	if len(out) == 0 {
		return nil, inputerr.New(path, "no replies: the list is empty")
	}
	return out, nil
}

func ervReply(id string, v json.RawMessage) (string, error) {
	if id == "" {
		return "", fmt.Errorf("empty clip id")
	}
	if len(v) == 0 || v[0] != '{' {
		return "", fmt.Errorf(`clip %q: want an object like {"gpt_response": "angry"}`, id)
	}
	var val ervValue
	if err := json.Unmarshal(v, &val); err != nil {
		return "", fmt.Errorf("clip %q: %v", id, err)
	}
	text, err := replyText(val.GPTResponse, "gpt_response")
	if err != nil {
		return "", fmt.Errorf("clip %q: %v", id, err)
	}
	return text, nil
}

// replyText reads a reply value: a string, or null for no reply.
func replyText(v json.RawMessage, what string) (string, error) {
	if string(v) == "null" {
		return "", nil
	}
	return predictions.JSONString(v, what)
}

// jsonlReply is one line of a JSONL reply file. Other keys are ignored.
type jsonlReply struct {
	ClipID  json.RawMessage `json:"clip_id"`
	Emotion json.RawMessage `json:"emotion"`
	Reply   json.RawMessage `json:"reply"`
}

func readJSONL(path string, r io.Reader) ([]Reply, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	var out []Reply
	lines := 0
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 {
			lines++
			if r, perr := jsonlLine(line); perr != nil {
				return nil, inputerr.AtLine(path, lines, "%v", perr)
			} else if r != nil {
				r.Line = lines
				out = append(out, *r)
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	}
	if len(out) == 0 {
		if lines == 0 {
			return nil, inputerr.New(path, "empty file")
		}
		return nil, inputerr.New(path, "no replies: only blank lines")
	}
	return out, nil
}

// jsonlLine parses one line; nil for a blank line.
func jsonlLine(line []byte) (*Reply, error) {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil, nil
	}
	if !utf8.Valid(line) {
		return nil, fmt.Errorf("not valid UTF-8")
	}
	if line[0] != '{' {
		return nil, fmt.Errorf(`not a JSON object like {"clip_id": "12583", "emotion": "angry"}`)
	}
	var v jsonlReply
	if err := json.Unmarshal(line, &v); err != nil {
		return nil, fmt.Errorf("bad JSON: %v", err)
	}
	id, err := predictions.ClipIDFromJSON(v.ClipID)
	if err != nil {
		return nil, err
	}
	val, key := v.Emotion, "emotion"
	if len(val) == 0 {
		val, key = v.Reply, "reply"
	}
	if len(val) == 0 {
		return nil, fmt.Errorf("no emotion (or reply)")
	}
	text, err := replyText(val, key)
	if err != nil {
		return nil, err
	}
	return &Reply{ClipID: id, Text: text, ReplyRaw: text}, nil
}

// parquetReply is the part of judgments.parquet (or of a clip_id + emotion file) a replay reads.
type parquetReply struct {
	Judge      string `parquet:"judge"`
	Model      string `parquet:"model"`
	ClipID     string `parquet:"clip_id"`
	Input      string `parquet:"input"`
	Emotion    string `parquet:"emotion"`
	Reply      string `parquet:"reply"`
	Fallback   bool   `parquet:"fallback"`
	ReplyRaw   string `parquet:"reply_raw"`
	Error      string `parquet:"error"`
	Normalized string `parquet:"normalized"`
}

func readParquet(path string) ([]Reply, error) {
	pf, f, err := parquetio.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	present, err := parquetio.CheckColumns(path, pf, []parquetio.Column{
		{Name: "clip_id", Type: parquetio.ColString},
		{Name: "emotion", Type: parquetio.ColString, Optional: true},
		{Name: "reply", Type: parquetio.ColString, Optional: true},
		{Name: "judge", Type: parquetio.ColString, Optional: true},
		{Name: "model", Type: parquetio.ColString, Optional: true},
		{Name: "input", Type: parquetio.ColString, Optional: true},
		{Name: "fallback", Type: parquetio.ColBool, Optional: true},
		{Name: "reply_raw", Type: parquetio.ColString, Optional: true},
		{Name: "error", Type: parquetio.ColString, Optional: true},
		{Name: "normalized", Type: parquetio.ColString, Optional: true},
	})
	if err != nil {
		return nil, err
	}
	if !present["emotion"] && !present["reply"] {
		return nil, &inputerr.Error{File: path, Key: "emotion", Msg: "missing column: judge replies in Parquet need clip_id and emotion (or reply)"}
	}
	var out []Reply
	err = parquetio.ScanRows(path, pf, func(batch []parquetReply, first int) error {
		for i, r := range batch {
			if r.ClipID == "" {
				return inputerr.AtRow(path, first+i, "empty clip_id")
			}
			text := r.Emotion
			if !present["emotion"] {
				text = r.Reply
			}
			raw := text
			if present["reply_raw"] {
				raw = r.ReplyRaw
			}
			out = append(out, Reply{ClipID: r.ClipID, Text: text, ReplyRaw: raw, Judge: r.Judge, Model: r.Model, Input: r.Input,
				Fallback: r.Fallback, Error: r.Error, Normalized: r.Normalized, Line: first + i})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, inputerr.New(path, "no rows")
	}
	return out, nil
}
