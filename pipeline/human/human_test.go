package human

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
)

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestFile(t *testing.T) {
	dir := t.TempDir()
	store := NewStore(dir)
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	row := Row{Annotator: "alice", Model: "m", ClipID: "00017", Emotion: "sad", Stratum: "m/TF", InclusionProb: 0.25, Judge: "gpt", Seed: 1, AnsweredAt: at}
	must(t, store.Put(row))
	row.ClipID, row.Emotion = "00018", NoEmotion
	must(t, store.Put(row))
	row.ClipID, row.Emotion = "17", "happy" // re-answering clip 17 (another spelling) replaces it
	must(t, store.Put(row))
	rows, err := Read(store.Path())
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[0].Emotion != "happy" || rows[1].Emotion != NoEmotion || !rows[0].AnsweredAt.Equal(at) || rows[1].Row != 2 {
		t.Fatalf("%+v", rows)
	}
	hl, err := Labels(store.Path(), rows, datasets.DFEW())
	if err != nil || len(hl) != 1 || hl[0].Name != "human:alice" || hl[0].Labels["17"] != "happy" || hl[0].Labels["18"] != datasets.Unknown {
		t.Fatalf("%+v %v", hl, err)
	}
	if _, err := Labels(store.Path(), []Row{{Emotion: "contempt", Row: 4}}, datasets.DFEW()); err == nil || !strings.Contains(err.Error(), "row 4") {
		t.Fatalf("error %v", err)
	}

	// Row-level input errors name the file and the row.
	for _, tc := range []struct {
		name string
		rows []Row
		err  string
	}{
		{"no annotator", []Row{{Model: "m", ClipID: "1", Emotion: "sad", InclusionProb: 1}}, "row 1: annotator is empty"},
		{"an escape sequence in a name", []Row{{Annotator: "a\x1b[2J", Model: "m", ClipID: "1", Emotion: "sad", InclusionProb: 1}}, "row 1: annotator \"a\\x1b[2J\" has control characters"},
		{"no emotion", []Row{{Annotator: "a", Model: "m", ClipID: "1", InclusionProb: 1}}, "row 1: emotion is empty"},
		{"inclusion probability 0", []Row{{Annotator: "a", Model: "m", ClipID: "1", Emotion: "sad"}}, "row 1: inclusion_prob 0"},
		{"inclusion probability above 1", []Row{{Annotator: "a", Model: "m", ClipID: "1", Emotion: "sad", InclusionProb: 1.5}}, "row 1: inclusion_prob 1.5"},
		{"one item twice", []Row{{Annotator: "a", Model: "m", ClipID: "1", Emotion: "sad", InclusionProb: 1}, {Annotator: "a", Model: "m", ClipID: "01", Emotion: "sad", InclusionProb: 1}}, "row 2: annotator \"a\" answered model m clip 01 already at row 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), File)
			writeHumanRows(t, p, tc.rows)
			_, err := Read(p)
			if err == nil || !inputerr.Is(err) || !strings.Contains(err.Error(), p+" "+tc.err) {
				t.Fatalf("error %v, want an input error with %q", err, tc.err)
			}
		})
	}
	p := filepath.Join(t.TempDir(), File)
	must(t, os.WriteFile(p, []byte("not parquet"), 0o644))
	if _, err := Read(p); err == nil || !inputerr.Is(err) {
		t.Fatalf("error %v for a file that is not Parquet", err)
	}
}

func writeHumanRows(t *testing.T, path string, rows []Row) {
	t.Helper()
	dir := filepath.Dir(path)
	s := NewStore(dir)
	// Put would refuse nothing: write the rows as they are, duplicates included.
	w, err := newWriter(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rows...); err != nil {
		t.Fatal(err)
	}
	must(t, w.Close())
}

func TestCheckName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"alice", true},
		{"Zoë Ngũgĩ", true},
		{"", false},
		{"a\nb", false},
		{"a\x1b[31m", false},
		{"a\u202Eb", false},
		{"a\u200Bb", false},
		{strings.Repeat("x", 65), false},
	} {
		if err := CheckName(tc.name); (err == nil) != tc.ok {
			t.Errorf("CheckName(%q) = %v", tc.name, err)
		}
	}
}
