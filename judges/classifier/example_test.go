package classifier_test

import (
	"context"
	"fmt"
	"log"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/classifier"
)

func ExampleSplitSentences() {
	for _, s := range classifier.SplitSentences("Her voice trembles, e.g. at 2.5 s. Is she afraid?\nFinal: fear") {
		fmt.Println(s)
	}
	// Output:
	// Her voice trembles, e.g. at 2.5 s.
	// Is she afraid?
	// Final: fear
}

func ExampleDefaultLabelMap() {
	m := classifier.DefaultLabelMap(datasets.DFEW())
	fmt.Println(m[17], m[2], m[25], m[19] == "")
	// Output: happy angry sad true
}

// A GoEmotions model exported to ONNX with its tokenizer.json judges explanations by sentence.
func ExampleNew() {
	ctx := context.Background()
	j, err := classifier.New(ctx, classifier.Config{
		Name:          "goemotions",
		ModelPath:     "models/roberta-base-go_emotions.onnx",
		TokenizerPath: "models/tokenizer.json",
		Labels:        datasets.DFEW(), // GoEmotions classes are mapped by docs/reference.md §5
		Input:         "think",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer j.Close()
	out, err := j.Judge(ctx, []judges.Item{{Model: "r1-omni", ClipID: "00001", Text: "She smiles. Her voice is warm."}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(out[0].Emotion, out[0].SentenceLabels)
}
