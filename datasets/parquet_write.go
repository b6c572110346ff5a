package datasets

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/internal/atomicfile"
)

// WriteSplit validates s and writes it to path as a split file (docs/formats.md "Split file"),
// atomically: a failed write leaves no file behind and an existing file untouched.
func WriteSplit(path string, s *Split) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		if err := EncodeSplit(w, s); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	})
}

// writeBatch is the number of rows handed to the Parquet writer at a time.
const writeBatch = 256

// EncodeSplit writes s in the split file format to w. The output depends only on s, so the same
// split always gives the same bytes.
func EncodeSplit(w io.Writer, s *Split) (err error) {
	if err := s.Validate(); err != nil {
		return err
	}
	dims, _, _ := featureDims(s.Clips)
	modalities := slices.Sorted(maps.Keys(dims))
	labels, err := json.Marshal(labelSetFile{Name: s.Labels.Name, Labels: s.Labels.Labels, Synonyms: s.Labels.Synonyms})
	if err != nil {
		return err
	}
	opts := []parquet.WriterOption{
		writeSchema(modalities),
		parquet.Compression(&parquet.Snappy),
		parquet.KeyValueMetadata(metaSchema, schemaVersion),
		parquet.KeyValueMetadata(metaDataset, s.Dataset),
		parquet.KeyValueMetadata(metaLabels, string(labels)),
		parquet.KeyValueMetadata(metaSynthetic, strconv.FormatBool(s.Synthetic)),
	}
	if s.Synthetic {
		opts = append(opts, parquet.KeyValueMetadata(metaSeed, strconv.FormatInt(s.Seed, 10)))
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parquet writer failed: %v", r)
		}
	}()
	pw := parquet.NewWriter(w, opts...)
	// The writer copies values into its column buffers, so one batch's memory serves them all.
	rows := make([]parquet.Row, 0, writeBatch)
	var values []parquet.Value
	for start := 0; start < len(s.Clips); start += writeBatch {
		end := min(start+writeBatch, len(s.Clips))
		rows, values = rows[:0], values[:0]
		for i := start; i < end; i++ {
			n := len(values)
			values = appendClipRow(values, &s.Clips[i], modalities)
			rows = append(rows, values[n:len(values):len(values)])
		}
		if _, err := pw.WriteRows(fixRows(rows, values)); err != nil {
			return err
		}
	}
	return pw.Close()
}

// fixRows re-points rows at the final backing array of values: appending may have moved it
// while the batch was built.
func fixRows(rows []parquet.Row, values []parquet.Value) []parquet.Row {
	off := 0
	for i, r := range rows {
		rows[i] = values[off : off+len(r) : off+len(r)]
		off += len(r)
	}
	return rows
}

// appendClipRow appends a clip as a Parquet row of the write schema; each value carries its
// leaf column index and its repetition and definition levels.
func appendClipRow(row []parquet.Value, c *Clip, modalities []string) []parquet.Value {
	str := func(s string) parquet.Value { return parquet.ByteArrayValue([]byte(s)) }
	row = append(row,
		str(c.Dataset).Level(0, 0, 0),
		str(c.ClipID).Level(0, 0, 1),
		parquet.Int32Value(c.Fold).Level(0, 0, 2),
		str(c.Split).Level(0, 0, 3),
		str(c.Label).Level(0, 0, 4),
		parquet.Int32Value(c.LabelID).Level(0, 0, 5),
		optionalString(c.VideoPath, 6),
		optionalString(c.AudioPath, 7),
		optionalString(c.Transcript, 8),
	)
	for k, m := range modalities {
		col := 9 + k
		for j, f := range c.Features[m] {
			rep := 1
			if j == 0 {
				rep = 0
			}
			row = append(row, parquet.FloatValue(f).Level(rep, 1, col))
		}
	}
	return row
}

// optionalString writes "" as null: a clip without a path has none.
func optionalString(s string, col int) parquet.Value {
	if s == "" {
		return parquet.NullValue().Level(0, 0, col)
	}
	return parquet.ByteArrayValue([]byte(s)).Level(0, 1, col)
}
