package sim

import (
	"fmt"
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

// dfewFold5 and mafwFold5 are the fold-5 test class counts (docs/reference.md §6).
var (
	dfewFold5 = []int{489, 378, 533, 434, 293, 29, 180}
	mafwFold5 = []int{278, 127, 125, 248, 227, 294, 214, 47, 183, 52, 36}
)

// testSplit returns a split with the given class counts; clip ids are zero-padded.
func testSplit(ls *datasets.LabelSet, counts []int) *datasets.Split {
	s := &datasets.Split{Dataset: ls.Name, Labels: ls}
	n := 0
	for i, c := range counts {
		for range c {
			n++
			s.Clips = append(s.Clips, datasets.Clip{Dataset: ls.Name, ClipID: fmt.Sprintf("%05d", n), Fold: 5,
				Split: datasets.Test, Label: ls.Labels[i], LabelID: int32(i + 1),
				VideoPath: fmt.Sprintf("/data/%s/clip/%05d.mp4", ls.Name, n),
				AudioPath: fmt.Sprintf("/data/%s/audio/%05d.wav", ls.Name, n)})
		}
	}
	return s
}

func newTestServer(t testing.TB, cfg Config) *Server {
	t.Helper()
	if cfg.Split == nil {
		cfg.Split = testSplit(datasets.DFEW(), dfewFold5)
	}
	if cfg.Models == nil {
		cfg.Models = DefaultModels()
	}
	if cfg.Judge.Name == "" {
		cfg.Judge = DefaultJudge()
	}
	s, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
