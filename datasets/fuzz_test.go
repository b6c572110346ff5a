package datasets

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// addSeeds adds the files matching pattern to a fuzz corpus.
func addSeeds(f *testing.F, pattern string) {
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		f.Fatalf("no seeds match %s", pattern)
	}
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// checkParsed holds what a parser promises: clips that pass the schema's row rules, or an
// *inputerr.Error naming the file.
func checkParsed(t *testing.T, ls *LabelSet, clips []Clip, err error) {
	if err != nil {
		var ie *inputerr.Error
		if !errors.As(err, &ie) || ie.File != "fuzz" {
			t.Fatalf("error %v is not an input error naming the file", err)
		}
		return
	}
	if len(clips) == 0 {
		t.Fatal("no clips and no error")
	}
	for _, c := range clips {
		if col, p := clipProblem(ls, &c); p != "" {
			t.Fatalf("clip %+v: %s: %s", c, col, p)
		}
		if c.Fold != 3 || c.Split != Test || c.Dataset != ls.Name {
			t.Fatalf("clip %+v not in fold 3 test of %s", c, ls.Name)
		}
	}
}

func FuzzParseDFEWCSV(f *testing.F) {
	addSeeds(f, filepath.Join(repoTestdata, "dfew", "single_testset_5.csv"))
	addSeeds(f, filepath.Join("testdata", "bad", "dfew", "*.csv"))
	addSeeds(f, filepath.Join("testdata", "odd", "dfew_*.csv"))
	f.Fuzz(func(t *testing.T, data []byte) {
		clips, err := ParseDFEWCSV("fuzz", bytes.NewReader(data), 3, Test)
		checkParsed(t, DFEW(), clips, err)
		for _, c := range clips {
			if len(c.ClipID) < 5 {
				t.Fatalf("clip id %q is not zero-padded to 5 digits", c.ClipID)
			}
		}
	})
}

func FuzzParseMAFWList(f *testing.F) {
	addSeeds(f, filepath.Join(repoTestdata, "mafw", "single", "no_caption", "set_5", "test.txt"))
	addSeeds(f, filepath.Join("testdata", "bad", "mafw", "*.txt"))
	addSeeds(f, filepath.Join("testdata", "odd", "mafw_*.txt"))
	f.Fuzz(func(t *testing.T, data []byte) {
		clips, err := ParseMAFWList("fuzz", bytes.NewReader(data), 3, Test)
		checkParsed(t, MAFW(), clips, err)
	})
}
