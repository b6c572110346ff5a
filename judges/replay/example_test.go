package replay_test

import (
	"context"
	"fmt"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/replay"
)

// Replaying the authors' judge replies under the migr protocol.
func ExampleNew() {
	path, format, _ := replay.FormatOf("../../testdata/results/gpt_r1omni_dfew5.json")
	j, err := replay.New("gpt", path, format, datasets.DFEW(), parse.ProtocolMigr, "")
	if err != nil {
		panic(err)
	}
	got, _ := j.Judge(context.Background(), []judges.Item{{Model: "r1-omni", ClipID: "00147"}, {Model: "r1-omni", ClipID: "11950"}})
	for _, g := range got {
		fmt.Printf("%s: %s (reply %q)\n", g.ClipID, g.Emotion, g.ReplyRaw)
	}
	fmt.Println("outside the split:", j.Unmatched([]string{"147", "11950"})[:2])
	// Output:
	// 00147: disgust (reply "disgust")
	// 11950: unknown (reply "None")
	// outside the split: [151 00417]
}
