package datasets

import (
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
	if err := parquetio.CheckFooter(name, r, size); err != nil {
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
	if n := pf.NumRows(); n < 0 || n > parquetio.MaxRowsPerByte*pf.Size() {
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

// checkPages checks the pages of every column the split reader reads (parquetio.CheckColumnPages).
func (fc *fileColumns) checkPages(name string, r io.ReaderAt, f *parquet.File) error {
	for _, lc := range fc.scalars {
		if lc.name != "" {
			if err := parquetio.CheckColumnPages(name, r, f, lc.index, lc.name, false); err != nil {
				return err
			}
		}
	}
	for _, m := range slices.Sorted(maps.Keys(fc.features)) {
		if err := parquetio.CheckColumnPages(name, r, f, fc.features[m].index, fc.features[m].name, true); err != nil {
			return err
		}
	}
	return nil
}
