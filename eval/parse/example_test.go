package parse_test

import (
	"fmt"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

func ExampleParser_Parse() {
	raw := "<aud_desc>A trembling voice.</aud_desc>\n<vis_desc>Tears.</vis_desc>\n" +
		"<think>The voice and the tears show grief.</think>\n<answer>Sadness"
	for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		o := parse.NewParser(datasets.DFEW(), proto).Parse(raw)
		fmt.Printf("%s: pred=%s status=%s order=%s normalized=%q\n", proto, o.Pred, o.Status, o.Order, o.Normalized)
	}
	// Output:
	// migr: pred=sad status=unclosed_answer order=audio_first normalized=""
	// robust: pred=sad status=unclosed_answer order=audio_first normalized="case,synonym,unclosed"
}

func ExampleMigrLabel() {
	for _, reply := range []string{"Angry", "angry.", "anger", "sadness", "calm"} {
		fmt.Printf("%q → %s\n", reply, parse.MigrLabel(datasets.DFEW(), reply))
	}
	// Output:
	// "Angry" → angry
	// "angry." → unknown
	// "anger" → angry
	// "sadness" → sad
	// "calm" → unknown
}

func ExampleFirstCue() {
	fmt.Println(parse.FirstCue("The woman's trembling voice and tearful eyes suggest sadness."))
	// Output: audio
}
