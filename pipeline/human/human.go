// Package human reads and writes human.parquet, the human labels of a run's explanations that
// `emoeval view --annotate` collects: one row per annotator × model × clip, with the sampling
// stratum and inclusion probability of each item. Scoring (run, report) and the viewer share
// this one reader.
package human

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
	"github.com/emoeval/emoeval/metrics"
)

// File is the annotations file of a run directory.
const File = "human.parquet"

// NoEmotion is the human answer "none / cannot tell": the explanation supports no emotion of
// the label set, or none can be made out.
const NoEmotion = "none"

// Row is one row of human.parquet: one annotator's reading of one model's explanation of one
// clip. Re-answering replaces the row.
type Row struct {
	Annotator string `parquet:"annotator" json:"annotator"`
	Model     string `parquet:"model" json:"model"` // the scored name (model, or model@variant)
	ClipID    string `parquet:"clip_id" json:"clip_id"`
	// Emotion is a canonical label of the run's label set, or NoEmotion.
	Emotion string `parquet:"emotion" json:"emotion"`
	// Stratum is the sampling stratum, "<model>/<quarter cell>" of the stratifying judge, and
	// InclusionProb its n_h / N_h: weight an answer by 1/InclusionProb to estimate over all
	// explanations.
	Stratum       string  `parquet:"stratum" json:"stratum"`
	InclusionProb float64 `parquet:"inclusion_prob" json:"inclusion_prob"`
	Judge         string  `parquet:"judge" json:"judge"` // the stratifying judge
	Seed          int64   `parquet:"seed" json:"seed"`
	// SampleSize is the n the sample was drawn for; Item the row's 1-based place in the
	// annotator's order.
	SampleSize int32 `parquet:"sample_size" json:"sample_size"`
	Item       int32 `parquet:"item" json:"item"`
	// Blind says whether the annotator saw the explanation without model, prediction and judge label.
	Blind      bool      `parquet:"blind" json:"blind"`
	AnsweredAt time.Time `parquet:"answered_at,timestamp(millisecond)" json:"answered_at"`

	// Row is the 1-based row the reader found it at (0 for a row not read from a file).
	Row int `parquet:"-" json:"-"`
}

// humanColumns is the human.parquet contract.
func columns() []parquetio.Column {
	return []parquetio.Column{
		{Name: "annotator", Type: parquetio.ColString},
		{Name: "model", Type: parquetio.ColString},
		{Name: "clip_id", Type: parquetio.ColString},
		{Name: "emotion", Type: parquetio.ColString},
		{Name: "stratum", Type: parquetio.ColString},
		{Name: "inclusion_prob", Type: parquetio.ColFloat},
		{Name: "judge", Type: parquetio.ColString},
		{Name: "seed", Type: parquetio.ColInt},
		{Name: "sample_size", Type: parquetio.ColInt, Optional: true},
		{Name: "item", Type: parquetio.ColInt, Optional: true},
		{Name: "blind", Type: parquetio.ColBool, Optional: true},
		{Name: "answered_at", Type: parquetio.ColInt},
	}
}

// Read reads a human.parquet file, checking every row: annotator, model, clip and emotion
// present, an inclusion probability in (0, 1], one row per annotator × model × clip. Problems
// are input errors naming the file and row. Labels are checked against a label set by
// Labels.
func Read(path string) ([]Row, error) {
	type key struct{ annotator, model, clip string }
	seen := map[key]int{}
	rows, err := parquetio.ReadTable(path, columns(), func(rows []Row, first int) (map[string]int64, error) {
		for i := range rows {
			r := &rows[i]
			r.Row = first + i
			switch {
			case strings.TrimSpace(r.Annotator) == "":
				return nil, inputerr.AtRow(path, r.Row, "annotator is empty")
			case CheckName(r.Annotator) != nil:
				// Names are printed on terminals and pages: no escape sequences, no reordering.
				return nil, inputerr.AtRow(path, r.Row, "annotator %q has control characters", r.Annotator)
			case r.Model == "":
				return nil, inputerr.AtRow(path, r.Row, "model is empty")
			case r.ClipID == "":
				return nil, inputerr.AtRow(path, r.Row, "clip_id is empty")
			case r.Emotion == "":
				return nil, inputerr.AtRow(path, r.Row, "emotion is empty (a label, or %q)", NoEmotion)
			case !(r.InclusionProb > 0 && r.InclusionProb <= 1) || math.IsNaN(r.InclusionProb):
				return nil, inputerr.AtRow(path, r.Row, "inclusion_prob %v is not in (0, 1]", r.InclusionProb)
			}
			k := key{r.Annotator, r.Model, datasets.NormalizeID(r.ClipID)}
			if first, dup := seen[k]; dup {
				return nil, inputerr.AtRow(path, r.Row, "annotator %q answered model %s clip %s already at row %d", r.Annotator, r.Model, r.ClipID, first)
			}
			seen[k] = r.Row
		}
		return nil, nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// Labels turns human rows into the metrics package's human labels, one set per annotator ×
// model, named "human:<annotator>", with NoEmotion as datasets.Unknown (the explanation supports
// no label). An emotion that is neither a label of the set nor NoEmotion is an input error at
// its row.
func Labels(path string, rows []Row, labels *datasets.LabelSet) ([]metrics.HumanLabels, error) {
	type key struct{ annotator, model string }
	var order []key
	sets := map[key]*metrics.HumanLabels{}
	for _, r := range rows {
		l := r.Emotion
		switch {
		case l == NoEmotion:
			l = datasets.Unknown
		case !labels.Contains(l):
			return nil, inputerr.AtRow(path, r.Row, "emotion %q is not a label of %s (labels: %s, or %s)", r.Emotion, labels.Name, strings.Join(labels.Labels, ", "), NoEmotion)
		}
		k := key{r.Annotator, r.Model}
		h := sets[k]
		if h == nil {
			h = &metrics.HumanLabels{Name: "human:" + r.Annotator, Model: r.Model, Labels: map[string]string{}, StratifiedBy: r.Judge}
			sets[k] = h
			order = append(order, k)
		}
		if r.Judge != h.StratifiedBy {
			return nil, inputerr.AtRow(path, r.Row, "annotator %s's answers on %s were drawn within the cells of two judges, %s and %s: one sample is one design; keep the answers of one", r.Annotator, r.Model, h.StratifiedBy, r.Judge)
		}
		h.Labels[datasets.NormalizeID(r.ClipID)] = l
	}
	out := make([]metrics.HumanLabels, len(order))
	for i, k := range order {
		out[i] = *sets[k]
	}
	return out, nil
}

// Store writes human.parquet one answer at a time. Each Put takes an advisory lock on a
// file beside it, reads the file again, replaces or adds the row and renames a complete new file
// into place: two annotators' servers on one run directory never lose each other's answers,
// and a reader never sees half a file. At a few thousand rows a rewrite takes milliseconds.
type Store struct {
	path string
}

// NewStore is the store of a run directory's human.parquet.
func NewStore(dir string) *Store { return &Store{path: filepath.Join(dir, File)} }

// Path is the file's path.
func (s *Store) Path() string { return s.path }

// Read reads every row (none when the file does not exist yet).
func (s *Store) Read() ([]Row, error) {
	if _, err := os.Stat(s.path); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return Read(s.path)
}

// Put records an answer, replacing the annotator's earlier answer for the same model and clip.
func (s *Store) Put(row Row) error {
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	rows, err := s.Read()
	if err != nil {
		return err
	}
	row.Row = 0
	i := slices.IndexFunc(rows, func(r Row) bool {
		return r.Annotator == row.Annotator && r.Model == row.Model && datasets.SameID(r.ClipID, row.ClipID)
	})
	if i >= 0 {
		rows[i] = row
	} else {
		rows = append(rows, row)
	}
	w, err := newWriter(s.path)
	if err != nil {
		return err
	}
	if err := w.Write(rows...); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}

// newWriter starts a human.parquet file (in place when closed).
func newWriter(path string) (*parquetio.TableWriter[Row], error) {
	return parquetio.NewTableWriter[Row](path)
}

// lock takes the store's advisory lock, waiting for another writer to finish.
func (s *Store) lock() (func(), error) {
	p := filepath.Join(filepath.Dir(s.path), "."+File+".lock")
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", p, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// CheckName accepts an annotator name that prints on one line and fits a table: at most 64
// bytes, no control characters and no invisible formatting characters (names are printed on
// terminals and pages).
func CheckName(name string) error {
	if name == "" {
		return fmt.Errorf("--annotator: give your name (it is written with every answer)")
	}
	if len(name) > 64 {
		return fmt.Errorf("--annotator %.20q…: at most 64 bytes", name)
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f || IsFormatChar(c) {
			return fmt.Errorf("--annotator %q: no control characters", name)
		}
	}
	return nil
}

// IsFormatChar reports the characters that change how the text around them is displayed
// without showing themselves: bidirectional embeddings, overrides and isolates (the "Trojan
// Source" characters), directional marks, zero-width characters and the byte-order mark.
func IsFormatChar(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r >= 0x200B && r <= 0x200F,
		r == 0x061C, r == 0x2060, r == 0xFEFF:
		return true
	}
	return false
}
