package modality

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

// MI table formats.
const (
	FormatCSV     = "csv"
	FormatParquet = "parquet"
)

// Read reads an MI table: format "csv" (the authors' sample_id,video,audio,video_audio flags,
// or clip_id,mi[,score]) or "parquet" (clip_id, mi and optional score columns); "" picks the
// format from the file's extension. Errors caused by the file are *inputerr.Error.
func Read(path, format string) (*Table, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	}
	switch format {
	case FormatCSV:
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, inputerr.Wrap(path, err)
		}
		return ParseCSV(path, data)
	case FormatParquet:
		return ReadParquet(path)
	}
	return nil, inputerr.New(path, "unknown MI table format %q: use csv or parquet (name it as PATH:FORMAT)", format)
}

// ParseCSV parses an MI table in CSV; name is the file name used in errors.
func ParseCSV(name string, data []byte) (*Table, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.TrimLeadingSpace = true
	r.ReuseRecord = true
	header, err := r.Read()
	if err == io.EOF {
		return nil, inputerr.New(name, "empty MI table: expected a header sample_id,video,audio,video_audio or clip_id,mi")
	}
	if err != nil {
		return nil, csvError(name, err)
	}
	cols, flags, err := miColumns(name, header)
	if err != nil {
		return nil, err
	}
	t := NewTable("file")
	firstLine := map[string]int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(header) {
			return nil, inputerr.AtLine(name, line, "%d fields, but the header has %d", len(rec), len(header))
		}
		id := strings.TrimSpace(rec[cols["id"]])
		if id == "" {
			return nil, inputerr.AtLine(name, line, "empty clip id")
		}
		key := datasets.NormalizeID(id)
		if first, ok := firstLine[key]; ok {
			return nil, inputerr.AtLine(name, line, "clip %s appears again (first at line %d)", id, first)
		}
		firstLine[strings.Clone(key)] = line
		if flags {
			video, err := miFlag(rec[cols["video"]])
			if err != nil {
				return nil, &inputerr.Error{File: name, Line: line, Key: "video", Msg: err.Error()}
			}
			audio, err := miFlag(rec[cols["audio"]])
			if err != nil {
				return nil, &inputerr.Error{File: name, Line: line, Key: "audio", Msg: err.Error()}
			}
			if c, ok := cols["video_audio"]; ok {
				if _, err := miFlag(rec[c]); err != nil {
					return nil, &inputerr.Error{File: name, Line: line, Key: "video_audio", Msg: err.Error()}
				}
			}
			t.Set(id, FromFlags(video, audio))
			continue
		}
		class, err := ParseClass(rec[cols["mi"]])
		if err != nil {
			return nil, &inputerr.Error{File: name, Line: line, Key: "mi", Msg: err.Error()}
		}
		t.Set(id, class)
		if c, ok := cols["score"]; ok && strings.TrimSpace(rec[c]) != "" {
			s, err := strconv.ParseFloat(strings.TrimSpace(rec[c]), 64)
			if err != nil || math.IsNaN(s) || math.IsInf(s, 0) {
				return nil, &inputerr.Error{File: name, Line: line, Key: "score", Msg: fmt.Sprintf("%q is not a finite number", rec[c])}
			}
			if t.scores == nil {
				t.scores = map[string]float64{}
			}
			t.scores[strings.Clone(key)] = s
		}
	}
	return t, nil
}

// miColumns maps the header's columns: flags reports the authors' flag layout.
func miColumns(name string, header []string) (cols map[string]int, flags bool, err error) {
	cols = map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch h {
		case "":
			continue // a pandas index column
		case "sample_id", "clip_id":
			h = "id"
		case "video", "audio", "video_audio", "mi", "score":
		default:
			return nil, false, &inputerr.Error{File: name, Line: 1, Key: header[i], Msg: "unknown column: expected sample_id,video,audio,video_audio or clip_id,mi[,score]"}
		}
		if _, dup := cols[h]; dup {
			return nil, false, &inputerr.Error{File: name, Line: 1, Key: header[i], Msg: "column appears twice"}
		}
		cols[h] = i
	}
	_, hasID := cols["id"]
	_, hasMI := cols["mi"]
	_, hasVideo := cols["video"]
	_, hasAudio := cols["audio"]
	switch {
	case hasID && hasMI && !hasVideo && !hasAudio:
		return cols, false, nil
	case hasID && hasVideo && hasAudio && !hasMI:
		if _, ok := cols["score"]; ok {
			return nil, false, &inputerr.Error{File: name, Line: 1, Key: "score", Msg: "a score column goes with clip_id,mi, not with the flag columns"}
		}
		return cols, true, nil
	}
	return nil, false, inputerr.AtLine(name, 1, "header %q: expected sample_id,video,audio,video_audio or clip_id,mi[,score]", strings.Join(header, ","))
}

// miFlag reads a 0/1 correctness flag as pandas may have written it.
func miFlag(s string) (bool, error) {
	switch strings.TrimSpace(s) {
	case "1", "1.0", "True", "true", "TRUE":
		return true, nil
	case "0", "0.0", "False", "false", "FALSE":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a 0/1 flag", s)
}

func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &inputerr.Error{File: name, Line: pe.Line, Msg: pe.Err.Error()}
	}
	return inputerr.Wrap(name, err)
}

// miRow is a row of an MI Parquet file (modality.parquet).
type miRow struct {
	ClipID string   `parquet:"clip_id"`
	MI     string   `parquet:"mi"`
	Score  *float64 `parquet:"score,optional"`
}

// ReadParquet reads an MI table from Parquet: string columns clip_id and mi, and an optional
// double column score.
func ReadParquet(path string) (*Table, error) {
	pf, f, err := parquetio.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	for _, c := range []struct {
		name     string
		kind     parquet.Kind
		required bool
	}{{"clip_id", parquet.ByteArray, true}, {"mi", parquet.ByteArray, true}, {"score", parquet.Double, false}} {
		leaf, ok := pf.Schema().Lookup(c.name)
		switch {
		case !ok && c.required:
			return nil, &inputerr.Error{File: path, Key: c.name, Msg: "missing column (an MI table has clip_id, mi and optionally score)"}
		case ok && (leaf.Node.Type().Kind() != c.kind || leaf.MaxRepetitionLevel > 0):
			return nil, &inputerr.Error{File: path, Key: c.name, Msg: fmt.Sprintf("column has type %s, expected %s", leaf.Node.Type(), c.kind)}
		}
	}
	t := NewTable("file")
	firstRow := map[string]int{}
	err = parquetio.ScanRows(path, pf, func(batch []miRow, first int) error {
		for i, r := range batch {
			if err := t.addRow(path, first+i, r, firstRow); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func (t *Table) addRow(path string, row int, r miRow, firstRow map[string]int) error {
	id := strings.TrimSpace(r.ClipID)
	if id == "" {
		return inputerr.AtRow(path, row, "empty clip id")
	}
	key := strings.Clone(datasets.NormalizeID(id))
	if first, ok := firstRow[key]; ok {
		return inputerr.AtRow(path, row, "clip %s appears again (first at row %d)", id, first)
	}
	firstRow[key] = row
	class, err := ParseClass(r.MI)
	if err != nil {
		return &inputerr.Error{File: path, Row: row, Key: "mi", Msg: err.Error()}
	}
	t.classes[key] = class
	if r.Score != nil {
		if math.IsNaN(*r.Score) || math.IsInf(*r.Score, 0) {
			return &inputerr.Error{File: path, Row: row, Key: "score", Msg: "not a finite number"}
		}
		if t.scores == nil {
			t.scores = map[string]float64{}
		}
		t.scores[key] = *r.Score
	}
	return nil
}

// WriteParquet writes an MI table (modality.parquet), rows sorted by clip id, atomically.
func WriteParquet(path string, t *Table) error {
	rows := make([]miRow, 0, t.Len())
	for _, id := range t.Clips() {
		r := miRow{ClipID: id, MI: t.classes[id].String()}
		if s, ok := t.scores[id]; ok {
			r.Score = &s
		}
		rows = append(rows, r)
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		pw := parquet.NewGenericWriter[miRow](w)
		if _, err := pw.Write(rows); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		if err := pw.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	})
}
