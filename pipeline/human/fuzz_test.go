package human

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// human.parquet may come from anywhere (copied between machines, edited by hand): any content
// is read, or refused with an input error; rows read are checked, and their labels too.
func FuzzRead(f *testing.F) {
	dir := f.TempDir()
	store := NewStore(dir)
	for i, e := range []string{"sad", NoEmotion, "happy"} {
		if err := store.Put(Row{Annotator: "alice", Model: "m", ClipID: string(rune('1' + i)), Emotion: e, Stratum: "m/TF",
			InclusionProb: 0.5, Judge: "gpt", Seed: 1, AnsweredAt: time.Unix(0, 0)}); err != nil {
			f.Fatal(err)
		}
	}
	good, err := os.ReadFile(store.Path())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte("PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), File)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		rows, err := Read(path)
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("error %v is not an input error", err)
			}
			return
		}
		for _, r := range rows {
			if r.Annotator == "" || r.Model == "" || r.ClipID == "" || !(r.InclusionProb > 0 && r.InclusionProb <= 1) {
				t.Fatalf("row %+v read without complaint", r)
			}
		}
		if _, err := Labels(path, rows, datasets.DFEW()); err != nil && !inputerr.Is(err) {
			t.Fatalf("labels: %v is not an input error", err)
		}
	})
}
