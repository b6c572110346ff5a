package datasets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
)

// ReadOption changes how ReadSplit reads a split file.
type ReadOption func(*readConfig)

type readConfig struct {
	labels  *LabelSet
	lenient bool
}

// WithLabelSet gives the label set of a dataset that is not built in. Without it, a custom
// dataset's labels come from the file's metadata (WriteSplit stores them there).
func WithLabelSet(ls *LabelSet) ReadOption { return func(c *readConfig) { c.labels = ls } }

// Lenient keeps rows that break a row rule (empty clip id, fold < 1, split kind, unknown label,
// label_id mismatch) instead of failing on the first, so that Inspect can report them all. The
// file's structure (schema, types, vector lengths, one dataset) is still checked.
func Lenient() ReadOption { return func(c *readConfig) { c.lenient = true } }

// splitFileOptions skip what a split reader never uses.
func splitFileOptions() []parquet.FileOption {
	return []parquet.FileOption{parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true)}
}

// ReadSplit reads and validates a split file. Every problem with the file is an
// *inputerr.Error naming the file and, where there is one, the row and column.
func ReadSplit(path string, opts ...ReadOption) (*Split, error) {
	f, err := parquetio.OpenInput(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	return DecodeSplit(path, f, st.Size(), opts...)
}

// DecodeSplit is ReadSplit on content in r of the given size; name is used in errors.
func DecodeSplit(name string, r io.ReaderAt, size int64, opts ...ReadOption) (*Split, error) {
	if err := checkFooter(name, r, size); err != nil {
		return nil, err
	}
	pf, err := parquetio.OpenReader(name, r, size, splitFileOptions()...)
	if err != nil {
		return nil, err
	}
	return decodeSplit(name, r, pf, opts)
}

// decodeSplit reads the split in an open file, whose content r holds. After a panic it returns
// only the error: s is set by its last return alone.
func decodeSplit(name string, r io.ReaderAt, pf *parquet.File, opts []ReadOption) (s *Split, err error) {
	var cfg readConfig
	for _, o := range opts {
		o(&cfg)
	}
	defer parquetio.Recover(name, &err)
	cols, extra, err := findColumns(name, pf.Schema())
	if err != nil {
		return nil, err
	}
	if n := pf.NumRows(); n < 0 || n > maxRowsPerByte*pf.Size() {
		return nil, inputerr.New(name, "damaged Parquet file: it claims %d rows, more than a file of %d bytes can hold", n, pf.Size())
	}
	if pf.NumRows() > math.MaxInt32 {
		return nil, inputerr.New(name, "%d rows is too many for a split", pf.NumRows())
	}
	rows := int(pf.NumRows())
	if rows == 0 {
		return nil, inputerr.New(name, "the split has no rows")
	}
	if err := cols.checkPages(name, r, pf); err != nil {
		return nil, err
	}
	t, err := readTable(name, pf, cols, rows)
	if err != nil {
		return nil, err
	}
	split := &Split{Dataset: t.str[ColDataset][0], ExtraColumns: extra}
	if split.Labels, err = resolveLabels(name, pf, split.Dataset, cfg.labels); err != nil {
		return nil, err
	}
	if v, ok := pf.Lookup(metaSynthetic); ok && v == "true" {
		split.Synthetic = true
		if v, ok := pf.Lookup(metaSeed); ok {
			if split.Seed, err = strconv.ParseInt(v, 10, 64); err != nil {
				return nil, &inputerr.Error{File: name, Key: metaSeed, Msg: "metadata is not an integer seed", Err: err}
			}
		}
	}
	if split.Clips, err = t.clips(name, split, cfg.lenient); err != nil {
		return nil, err
	}
	return split, nil
}

// scalarColumn is one of the contract's one-value-per-row columns; optional ones may be absent.
type scalarColumn struct {
	name     string
	isInt    bool
	optional bool
}

// scalarColumns lists them in contract order.
var scalarColumns = [...]scalarColumn{
	{ColDataset, false, false},
	{ColClipID, false, false},
	{ColFold, true, false},
	{ColSplit, false, false},
	{ColLabel, false, false},
	{ColLabelID, true, false},
	{ColVideoPath, false, true},
	{ColAudioPath, false, true},
	{ColTranscript, false, true},
}

// fileColumns locates the contract's columns in a file.
type fileColumns struct {
	scalars  []leafColumn // by name in scalarColumns order; absent optional ones have name ""
	features map[string]leafColumn
}

// findColumns checks a file's schema against the contract: every required column present with
// its type, feat_<modality> columns list<float32>. Columns outside the contract are returned.
func findColumns(name string, schema *parquet.Schema) (*fileColumns, []string, error) {
	fields := map[string]parquet.Field{}
	for _, f := range schema.Fields() {
		fields[f.Name()] = f
	}
	fc := &fileColumns{features: map[string]leafColumn{}}
	known := map[string]bool{}
	for _, sc := range scalarColumns {
		known[sc.name] = true
		f, ok := fields[sc.name]
		if !ok {
			if sc.optional {
				fc.scalars = append(fc.scalars, leafColumn{})
				continue
			}
			return nil, nil, &inputerr.Error{File: name, Key: sc.name, Msg: "missing column (a split file needs dataset, clip_id, fold, split, label, label_id)"}
		}
		var lc leafColumn
		var problem string
		if sc.isInt {
			lc, problem = scalarLeaf(schema, f, "int32", parquet.Int32, parquet.Int64)
		} else {
			lc, problem = scalarLeaf(schema, f, "string", parquet.ByteArray)
		}
		if problem != "" {
			return nil, nil, &inputerr.Error{File: name, Key: sc.name, Msg: problem}
		}
		fc.scalars = append(fc.scalars, lc)
	}
	var extra []string
	for _, f := range schema.Fields() {
		n := f.Name()
		m, isFeature := strings.CutPrefix(n, FeaturePrefix)
		switch {
		case known[n]:
		case isFeature:
			if !ValidModality(m) {
				return nil, nil, &inputerr.Error{File: name, Key: n, Msg: "feature column needs a modality name of letters, digits, '_' and '-'"}
			}
			lc, problem := floatListLeaf(schema, f)
			if problem != "" {
				return nil, nil, &inputerr.Error{File: name, Key: n, Msg: problem}
			}
			fc.features[m] = lc
		default:
			extra = append(extra, n)
		}
	}
	return fc, extra, nil
}

// table is a file's columns read into memory.
type table struct {
	rows  int
	str   map[string][]string
	ints  map[string][]int64
	null  map[string][]bool
	feats map[string]*vectorColumn
}

// readTable reads the columns of the split. Columns are independent (each has its own pages in
// every row group), so they are read at once, up to GOMAXPROCS at a time, feature columns (most
// of a file's bytes) first; problems are reported in the contract's column order, whichever
// column finishes first.
func readTable(name string, pf *parquet.File, fc *fileColumns, rows int) (*table, error) {
	t := &table{rows: rows, str: map[string][]string{}, ints: map[string][]int64{}, null: map[string][]bool{}, feats: map[string]*vectorColumn{}}
	modalities := slices.Sorted(maps.Keys(fc.features))
	type scalarResult struct {
		str  []string
		ints []int64
		null []bool
	}
	scalars := make([]scalarResult, len(scalarColumns))
	vectors := make([]*vectorColumn, len(modalities))
	// errs[i] is the error of scalar column i; errs[len(scalarColumns)+k] of modality k.
	errs := make([]error, len(scalarColumns)+len(modalities))
	var jobs []func()
	for k, m := range modalities {
		jobs = append(jobs, func() {
			lc := fc.features[m]
			var err error
			if vectors[k], err = readVectors(pf, lc, rows); err != nil {
				errs[len(scalarColumns)+k] = &inputerr.Error{File: name, Key: lc.name, Msg: "cannot read column", Err: err}
			}
		})
	}
	for i, sc := range scalarColumns {
		lc := fc.scalars[i]
		if lc.name == "" {
			continue
		}
		jobs = append(jobs, func() {
			r := &scalars[i]
			var err error
			if sc.isInt {
				r.ints, r.null, err = intColumn(pf, lc, rows)
			} else {
				r.str, r.null, err = stringColumn(pf, lc, rows)
			}
			if err != nil {
				errs[i] = &inputerr.Error{File: name, Key: sc.name, Msg: "cannot read column", Err: err}
			}
		})
	}
	if err := runJobs(name, jobs); err != nil {
		return nil, err
	}
	for i, sc := range scalarColumns {
		if errs[i] != nil {
			return nil, errs[i]
		}
		if fc.scalars[i].name == "" {
			continue
		}
		r := scalars[i]
		n := len(r.str)
		if sc.isInt {
			n = len(r.ints)
			t.ints[sc.name] = r.ints
		} else {
			t.str[sc.name] = r.str
		}
		t.null[sc.name] = r.null
		if n != rows {
			return nil, &inputerr.Error{File: name, Key: sc.name, Msg: fmt.Sprintf("%d values for %d rows", n, rows)}
		}
		if !sc.optional {
			if r := slices.Index(r.null, true); r >= 0 {
				return nil, &inputerr.Error{File: name, Row: r + 1, Key: sc.name, Msg: "no value"}
			}
		}
	}
	for k, m := range modalities {
		if err := errs[len(scalarColumns)+k]; err != nil {
			return nil, err
		}
		vc, key := vectors[k], fc.features[m].name
		if len(vc.rows) != rows {
			return nil, &inputerr.Error{File: name, Key: key, Msg: fmt.Sprintf("%d vectors for %d rows", len(vc.rows), rows)}
		}
		if vc.nullRow >= 0 {
			return nil, &inputerr.Error{File: name, Row: vc.nullRow + 1, Key: key, Msg: "null element in the vector"}
		}
		dim := len(vc.rows[0])
		for r, row := range vc.rows {
			switch n := len(row); {
			case n == 0:
				return nil, &inputerr.Error{File: name, Row: r + 1, Key: key, Msg: "empty vector (every row needs one)"}
			case n != dim:
				return nil, &inputerr.Error{File: name, Row: r + 1, Key: key, Msg: fmt.Sprintf("%d values, row 1 has %d", n, dim)}
			}
		}
		t.feats[m] = vc
	}
	return t, nil
}

// runJobs runs jobs, GOMAXPROCS at a time. A job's panic (parquet-go panics on some damaged
// files) becomes the error returned: the caller's deferred recover does not see a panic in
// another goroutine.
func runJobs(name string, jobs []func()) error {
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		panicked error
	)
	sem := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	for _, job := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					if panicked == nil {
						panicked = &inputerr.Error{File: name, Msg: "damaged Parquet file", Err: fmt.Errorf("%v", r)}
					}
					mu.Unlock()
				}
			}()
			job()
		}()
	}
	wg.Wait()
	return panicked
}

// resolveLabels picks the label set of a file: the caller's, a built-in one, or the custom set
// stored in the file's metadata.
func resolveLabels(name string, pf *parquet.File, dataset string, given *LabelSet) (*LabelSet, error) {
	if given != nil {
		if given.Name != dataset {
			return nil, &inputerr.Error{File: name, Row: 1, Key: ColDataset, Msg: fmt.Sprintf("dataset %q, but the label set given is %q", dataset, given.Name)}
		}
		return given, nil
	}
	if IsBuiltIn(dataset) {
		return LabelSetByName(dataset)
	}
	if v, ok := pf.Lookup(metaLabels); ok {
		ls, err := ParseLabelSet("", []byte(v))
		if err != nil {
			return nil, &inputerr.Error{File: name, Key: metaLabels, Msg: "the label set in the metadata is not usable", Err: err}
		}
		if ls.Name != dataset {
			return nil, &inputerr.Error{File: name, Key: metaLabels, Msg: fmt.Sprintf("label set %q in the metadata, but the dataset is %q", ls.Name, dataset)}
		}
		return ls, nil
	}
	return nil, &inputerr.Error{File: name, Row: 1, Key: ColDataset, Msg: fmt.Sprintf("dataset %q is not built in (dfew, mafw) and the file carries no label set: give its label set file", dataset)}
}

// clips builds the rows of the split and checks them.
func (t *table) clips(name string, s *Split, lenient bool) ([]Clip, error) {
	clips := make([]Clip, t.rows)
	modalities := slices.Sorted(maps.Keys(t.feats))
	col := func(c string) []string {
		if v, ok := t.str[c]; ok {
			return v
		}
		return make([]string, t.rows)
	}
	datasets, ids, splits, labels := col(ColDataset), col(ColClipID), col(ColSplit), col(ColLabel)
	videos, audios, transcripts := col(ColVideoPath), col(ColAudioPath), col(ColTranscript)
	folds, labelIDs := t.ints[ColFold], t.ints[ColLabelID]
	for i := range clips {
		c := &clips[i]
		if datasets[i] != s.Dataset {
			return nil, &inputerr.Error{File: name, Row: i + 1, Key: ColDataset, Msg: fmt.Sprintf("%q, but row 1 has %q (one dataset per file)", datasets[i], s.Dataset)}
		}
		for _, v := range [...]struct {
			col string
			n   int64
		}{{ColFold, folds[i]}, {ColLabelID, labelIDs[i]}} {
			if v.n < math.MinInt32 || v.n > math.MaxInt32 {
				return nil, &inputerr.Error{File: name, Row: i + 1, Key: v.col, Msg: fmt.Sprintf("%d does not fit int32", v.n)}
			}
		}
		*c = Clip{
			Dataset: datasets[i], ClipID: ids[i], Fold: int32(folds[i]), Split: splits[i],
			Label: labels[i], LabelID: int32(labelIDs[i]),
			VideoPath: videos[i], AudioPath: audios[i], Transcript: transcripts[i],
		}
		if len(modalities) > 0 {
			c.Features = make(map[string][]float32, len(modalities))
			for _, m := range modalities {
				c.Features[m] = t.feats[m].rows[i]
			}
		}
		if lenient {
			continue
		}
		if column, problem := clipProblem(s.Labels, c); problem != "" {
			return nil, &inputerr.Error{File: name, Row: i + 1, Key: column, Msg: problem}
		}
	}
	return clips, nil
}

// A damaged or hostile file may declare any size in its footer and page headers, and parquet-go
// allocates by what they declare before it reads (a 20 KB file claiming a 2 GB footer or page
// got 2 GB). The guards below check every declared size against the bytes that could hold it
// before parquet-go sees it, so that reading a file allocates in proportion to its size.

// Limits no split file comes near: writers cut pages at about 1 MB (parquet-go 256 KB, Arrow and
// DuckDB 1 MB).
const (
	maxPageBytes  = 256 << 20 // a page's uncompressed size
	maxPageValues = 64 << 20  // values (with their levels) in one page of a list column
	// maxRowsPerByte bounds the rows a file may claim by its size. A split row takes tens of
	// bytes (its clip id alone is 5); run-length and dictionary encodings of its repeated
	// values (dataset, fold, label) shrink that, never to 1/64 of a byte.
	maxRowsPerByte = 64
)

// checkFooter checks the footer of the Parquet content in r before parquet-go reads it: its
// declared length must fit in the file, and every length and count in it must fit in the footer.
// Content that does not end in PAR1 is left to parquet-go, which says what it is not.
func checkFooter(name string, r io.ReaderAt, size int64) error {
	if size < 12 {
		return nil
	}
	var tail [8]byte
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return inputerr.Wrap(name, err)
	}
	switch string(tail[4:]) {
	case "PAR1":
	case "PARE":
		return inputerr.New(name, "an encrypted Parquet file: split files are not encrypted")
	default:
		return nil
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n > size-12 {
		return inputerr.New(name, "damaged Parquet file: the footer claims %d bytes, the file has %d", n, size)
	}
	footer := make([]byte, n)
	if _, err := r.ReadAt(footer, size-8-n); err != nil {
		return inputerr.Wrap(name, err)
	}
	c := compactReader{b: footer}
	if _, err := c.value(thriftStruct, 0, false); err != nil {
		return &inputerr.Error{File: name, Msg: "damaged Parquet file: its footer", Err: err}
	}
	return nil
}

// checkPages checks the pages of every column the split reader reads (checkColumnPages).
func (fc *fileColumns) checkPages(name string, r io.ReaderAt, f *parquet.File) error {
	for _, lc := range fc.scalars {
		if lc.name != "" {
			if err := checkColumnPages(name, r, f, lc, false); err != nil {
				return err
			}
		}
	}
	for _, m := range slices.Sorted(maps.Keys(fc.features)) {
		if err := checkColumnPages(name, r, f, fc.features[m], true); err != nil {
			return err
		}
	}
	return nil
}

// checkColumnPages checks the page headers of a leaf column in every row group against the
// column chunk that holds them, before parquet-go reads the pages: every page must lie in its
// chunk, decompress to no more than its codec can produce, and declare no more values than its
// row group's rows (a column of one value per row) or maxPageValues (a list column).
func checkColumnPages(name string, r io.ReaderAt, f *parquet.File, lc leafColumn, repeated bool) error {
	meta := f.Metadata()
	for g, rg := range meta.RowGroups {
		if lc.index >= len(rg.Columns) {
			return inputerr.New(name, "damaged Parquet file: row group %d has %d columns, the schema %d", g+1, len(rg.Columns), lc.index+1)
		}
		if rg.NumRows < 0 || rg.NumRows > maxRowsPerByte*f.Size() {
			return inputerr.New(name, "damaged Parquet file: row group %d claims %d rows, more than a file of %d bytes can hold", g+1, rg.NumRows, f.Size())
		}
		cm := rg.Columns[lc.index].MetaData
		start := cm.DataPageOffset
		if cm.DictionaryPageOffset != 0 {
			start = cm.DictionaryPageOffset
		}
		end := start + cm.TotalCompressedSize
		if start < 4 || cm.TotalCompressedSize < 0 || end > f.Size() || end < start {
			return &inputerr.Error{File: name, Key: lc.name, Msg: fmt.Sprintf(
				"damaged Parquet file: row group %d's chunk claims bytes %d to %d, the file has %d", g+1, start, end, f.Size())}
		}
		maxValues := rg.NumRows
		if repeated {
			maxValues = maxPageValues
		}
		if err := walkPages(r, start, end, cm.Codec, maxValues); err != nil {
			return &inputerr.Error{File: name, Key: lc.name, Msg: fmt.Sprintf("damaged Parquet file: row group %d", g+1), Err: err}
		}
	}
	return nil
}

// Page types (format.PageType) and the fields of a page header this guard reads.
const (
	pageData       = 0
	pageDictionary = 2
	pageDataV2     = 3
)

// walkPages reads the page headers of one column chunk, bytes [start, end) of the file.
func walkPages(r io.ReaderAt, start, end int64, codec format.CompressionCodec, maxValues int64) error {
	var window []byte
	for pos := start; pos < end; {
		// A header is small; read more only when its fields (statistics) reach further.
		want := min(end-pos, 4<<10)
		var h pageHeader
		var hdrLen int
		for {
			window = slices.Grow(window[:0], int(want))[:want]
			if _, err := r.ReadAt(window, pos); err != nil && err != io.EOF {
				return err
			}
			c := compactReader{b: window, partial: want < end-pos}
			st, err := c.value(thriftStruct, 0, true)
			if err == nil {
				h, hdrLen = pageHeaderOf(st), c.pos
				break
			}
			if err != errShort || want == end-pos {
				return fmt.Errorf("page header at byte %d: %w", pos, err)
			}
			want = min(end-pos, 2*want)
		}
		if err := h.check(end-pos-int64(hdrLen), codec, maxValues); err != nil {
			return fmt.Errorf("page at byte %d: %w", pos, err)
		}
		pos += int64(hdrLen) + h.compressed
	}
	return nil
}

// pageHeader is what the guard needs of a format.PageHeader.
type pageHeader struct {
	typ                      int64
	uncompressed, compressed int64
	values, nulls, rows      int64 // of the data (v1, v2) or dictionary page header
	levels                   int64 // v2: the bytes of repetition and definition levels
}

func pageHeaderOf(st *thriftValues) pageHeader {
	h := pageHeader{typ: st.int(1), uncompressed: st.int(2), compressed: st.int(3)}
	switch {
	case st.sub[5] != nil: // data_page_header
		h.values = st.sub[5].int(1)
	case st.sub[7] != nil: // dictionary_page_header
		h.values = st.sub[7].int(1)
	case st.sub[8] != nil: // data_page_header_v2
		v2 := st.sub[8]
		h.values, h.nulls, h.rows = v2.int(1), v2.int(2), v2.int(3)
		h.levels = v2.int(5) + v2.int(6)
	}
	return h
}

// check compares a page header with the chunk bytes left after it.
func (h pageHeader) check(left int64, codec format.CompressionCodec, maxValues int64) error {
	switch {
	case h.compressed < 0 || h.uncompressed < 0 || h.values < 0 || h.nulls < 0 || h.rows < 0 || h.levels < 0:
		return fmt.Errorf("negative sizes or counts")
	case h.compressed > left:
		return fmt.Errorf("%d bytes claimed, %d left in the column chunk", h.compressed, left)
	case h.uncompressed > maxExpansion(codec, h.compressed):
		return fmt.Errorf("%d bytes of %s data claim to decompress to %d", h.compressed, codec, h.uncompressed)
	case h.uncompressed > maxPageBytes:
		return fmt.Errorf("%d bytes uncompressed; pages over %d MiB are not supported", h.uncompressed, maxPageBytes>>20)
	case h.levels > h.compressed || h.nulls > h.values:
		return fmt.Errorf("inconsistent v2 header")
	}
	if h.typ == pageDictionary {
		// Dictionary values are PLAIN: at least a byte each.
		if h.values > h.uncompressed {
			return fmt.Errorf("a dictionary of %d values in %d bytes", h.values, h.uncompressed)
		}
		return nil
	}
	if h.values > maxValues || h.rows > maxValues {
		return fmt.Errorf("%d values, more than its row group can hold (%d)", max(h.values, h.rows), maxValues)
	}
	return nil
}

// maxExpansion is the most that n compressed bytes can decompress to: what each codec's format
// allows (Snappy: a 3-byte copy gives 64 bytes; LZ4: 255 per length byte; DEFLATE: 258 per 2
// bits), and for Zstandard and Brotli, whose formats allow far more, a 32768:1 ratio (a Zstandard
// RLE block), bounded by maxPageBytes anyway.
func maxExpansion(codec format.CompressionCodec, n int64) int64 {
	switch codec {
	case format.Uncompressed:
		return n
	case format.Snappy:
		return 22*n + 32
	case format.Lz4, format.Lz4Raw:
		return 256*n + 64
	case format.Gzip:
		return 1033*n + 64
	}
	return 32768*n + 64
}

// Thrift compact protocol types (field types; list elements use the same codes, with 1 for any
// bool).
const (
	thriftTrue   = 1
	thriftFalse  = 2
	thriftByte   = 3
	thriftI16    = 4
	thriftI32    = 5
	thriftI64    = 6
	thriftDouble = 7
	thriftBinary = 8
	thriftList   = 9
	thriftSet    = 10
	thriftMap    = 11
	thriftStruct = 12
	thriftUUID   = 13
)

// errShort is returned when the bytes end inside a value: the caller may read more.
var errShort = errors.New("truncated")

// compactReader walks Thrift compact-protocol bytes, checking that every length and count fits
// in the bytes left: each element takes at least one byte, so a count above that is a lie that
// would make a decoder allocate for nothing.
type compactReader struct {
	b   []byte
	pos int
	// partial: b is the start of the bytes, and more may follow (a window on a column chunk).
	partial bool
}

// thriftValues is a struct's integer fields and nested structs, by field id, when kept.
type thriftValues struct {
	ints map[int16]int64
	sub  map[int16]*thriftValues
}

func (v *thriftValues) int(id int16) int64 {
	if v == nil {
		return 0
	}
	return v.ints[id]
}

func (c *compactReader) left() int { return len(c.b) - c.pos }

func (c *compactReader) byte() (byte, error) {
	if c.pos >= len(c.b) {
		return 0, errShort
	}
	c.pos++
	return c.b[c.pos-1], nil
}

func (c *compactReader) uvarint() (uint64, error) {
	v, n := binary.Uvarint(c.b[c.pos:])
	switch {
	case n == 0:
		return 0, errShort
	case n < 0:
		return 0, errors.New("varint overflows 64 bits")
	}
	c.pos += n
	return v, nil
}

func (c *compactReader) varint() (int64, error) {
	u, err := c.uvarint()
	return int64(u>>1) ^ -int64(u&1), err // zigzag
}

func (c *compactReader) skip(n int) error {
	if n > c.left() {
		return errShort
	}
	c.pos += n
	return nil
}

// count reads a length or element count and checks that the bytes left can hold it, at
// minBytes each.
func (c *compactReader) count(n uint64, minBytes int) (int, error) {
	if n > uint64(c.left()/minBytes) {
		if c.partial {
			return 0, errShort // judged once the caller has read all there is
		}
		return 0, fmt.Errorf("%d elements declared, %d bytes left", n, c.left())
	}
	return int(n), nil
}

// value reads one value of type typ; for a struct with keep, it returns its integer fields and
// nested structs.
func (c *compactReader) value(typ byte, depth int, keep bool) (*thriftValues, error) {
	if depth > 64 {
		return nil, errors.New("values nested more than 64 deep")
	}
	switch typ {
	case thriftTrue, thriftFalse, thriftByte:
		// A bool in a list takes a byte; as a field its value is in the type (handled by the
		// struct loop, which does not call value for it).
		return nil, c.skip(1)
	case thriftI16, thriftI32, thriftI64:
		_, err := c.varint()
		return nil, err
	case thriftDouble:
		return nil, c.skip(8)
	case thriftUUID:
		return nil, c.skip(16)
	case thriftBinary:
		n, err := c.uvarint()
		if err != nil {
			return nil, err
		}
		size, err := c.count(n, 1)
		if err != nil {
			return nil, err
		}
		return nil, c.skip(size)
	case thriftList, thriftSet:
		h, err := c.byte()
		if err != nil {
			return nil, err
		}
		n, elem := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = c.uvarint(); err != nil {
				return nil, err
			}
		}
		size, err := c.count(n, 1)
		if err != nil {
			return nil, err
		}
		for range size {
			if _, err := c.value(elem, depth+1, false); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case thriftMap:
		n, err := c.uvarint()
		if err != nil || n == 0 {
			return nil, err
		}
		size, err := c.count(n, 2)
		if err != nil {
			return nil, err
		}
		kv, err := c.byte()
		if err != nil {
			return nil, err
		}
		for range size {
			if _, err := c.value(kv>>4, depth+1, false); err != nil {
				return nil, err
			}
			if _, err := c.value(kv&0x0f, depth+1, false); err != nil {
				return nil, err
			}
		}
		return nil, nil
	case thriftStruct:
		return c.structValue(depth, keep)
	}
	return nil, fmt.Errorf("unknown Thrift type %d", typ)
}

func (c *compactReader) structValue(depth int, keep bool) (*thriftValues, error) {
	var out *thriftValues
	if keep {
		out = &thriftValues{ints: map[int16]int64{}, sub: map[int16]*thriftValues{}}
	}
	var id int16
	for {
		h, err := c.byte()
		if err != nil {
			return nil, err
		}
		if h == 0 {
			return out, nil // stop
		}
		typ := h & 0x0f
		if delta := int16(h >> 4); delta != 0 {
			id += delta
		} else {
			v, err := c.varint()
			if err != nil {
				return nil, err
			}
			id = int16(v)
		}
		switch {
		case typ == thriftTrue || typ == thriftFalse: // the value is the type
		case keep && (typ == thriftI16 || typ == thriftI32 || typ == thriftI64):
			v, err := c.varint()
			if err != nil {
				return nil, err
			}
			out.ints[id] = v
		default:
			sub, err := c.value(typ, depth+1, keep && typ == thriftStruct)
			if err != nil {
				return nil, err
			}
			if sub != nil {
				out.sub[id] = sub
			}
		}
	}
}
