package lexicon_test

import (
	"context"
	"fmt"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/lexicon"
)

func ExampleJudge_Classify() {
	j := lexicon.New(datasets.MAFW())
	r := j.Classify("At first she smiles, but her voice reveals deep sadness. " +
		"She is not angry. Therefore, the emotion is most likely sadness or helplessness.")
	fmt.Println(r.Emotion)
	for _, s := range r.Sentences {
		fmt.Printf("%q → %q\n", s.Text, s.Emotion)
	}
	// Output:
	// sadness
	// "At first she smiles, but her voice reveals deep sadness." → "sadness"
	// "She is not angry." → "neutral"
	// "Therefore, the emotion is most likely sadness or helplessness." → "sadness"
}

func ExampleJudge_Judge() {
	j := lexicon.New(datasets.DFEW())
	out, err := j.Judge(context.Background(), []judges.Item{
		{Model: "r1-omni", ClipID: "12583", Text: "He frowns and raises his voice. The emotion is anger."},
		{Model: "r1-omni", ClipID: "12584", Text: "A man reads a letter aloud."},
	})
	if err != nil {
		panic(err)
	}
	for _, jd := range out {
		fmt.Printf("%s %s %q %s\n", jd.ClipID, jd.Emotion, jd.SentenceLabels, jd.ReplyRaw)
	}
	// Output:
	// 12583 angry ["angry" "angry"] angry=5.65 sad=0.25 disgust=0.1 fear=0.1
	// 12584 unknown [""] abstained: no emotional evidence
}
