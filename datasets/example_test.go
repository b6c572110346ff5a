package datasets_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

func ExampleParseMAFWList() {
	list := "03747.mp4 anger\n03748.mp4 Happy\n"
	clips, err := datasets.ParseMAFWList("set_5/test.txt", strings.NewReader(list), 5, datasets.Test)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range clips {
		fmt.Println(c.ClipID, c.Label, c.LabelID)
	}
	_, err = datasets.ParseMAFWList("set_5/test.txt", strings.NewReader("03749.mp4 bliss\n"), 5, datasets.Test)
	fmt.Println(err)
	// Output:
	// 03747 anger 1
	// 03748 happiness 4
	// set_5/test.txt:1: unknown emotion "bliss" (MAFW labels: anger, disgust, fear, happiness, neutral, sadness, surprise, contempt, anxiety, helplessness, disappointment)
}

func ExampleSynth() {
	s, err := datasets.Synth(datasets.SynthOptions{Dataset: "dfew", Folds: []int32{5}, Seed: 1,
		Features: map[string]datasets.FeatureSpec{"video": {Dim: 16, Informativeness: 1}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	test := s.Select([]int32{5}, datasets.Test)
	fmt.Println(len(test), "test clips;", len(s.Clips)-len(test), "train clips; synthetic:", s.Synthetic)
	fmt.Println(len(test[0].Features["video"]), "video features per clip")
	// Output:
	// 2336 test clips; 9361 train clips; synthetic: true
	// 16 video features per clip
}

func ExampleInspect() {
	s, err := datasets.ImportDFEW(filepath.Join("..", "testdata", "dfew"), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	in := datasets.Inspect(s)
	fmt.Println(in.Rows, "rows,", in.Clips, "clips,", in.Errors(), "errors")
	for _, fc := range in.Folds[4:] {
		fmt.Printf("fold %d: %d train, %d test (%d happy)\n", fc.Fold, fc.Train.Total, fc.Test.Total, fc.Test.PerClass["happy"])
	}
	// Output:
	// 750 rows, 150 clips, 0 errors
	// fold 5: 120 train, 30 test (6 happy)
}

func ExampleWriteSplit() {
	s, err := datasets.ImportMAFW(filepath.Join("..", "testdata", "mafw"), "/data/mafw")
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "splits.parquet")
	if err := datasets.WriteSplit(path, s); err != nil {
		fmt.Println(err)
		return
	}
	back, err := datasets.ReadSplit(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	c := back.Clips[0]
	fmt.Println(len(back.Clips), c.Dataset, c.ClipID, c.Fold, c.Split, c.Label, c.VideoPath)
	// Output:
	// 750 mafw 00001 1 train anger /data/mafw/clips/00001.mp4
}
