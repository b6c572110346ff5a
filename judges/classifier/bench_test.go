package classifier

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/judges"
)

// benchItems are explanations of three sentences of about ten words each.
func benchItems(n int) []judges.Item {
	sentences := []string{
		"She smiles at her and the tears are gone.",
		"He shouts at the man, e.g. at the door, and is furious.",
		"The quiet room is calm; she trembles slightly at the noise.",
		"He is overwhelmed, and the tears fall as he frowns.",
	}
	items := make([]judges.Item, n)
	for i := range items {
		items[i] = judges.Item{ClipID: fmt.Sprint(i), Text: strings.Join([]string{
			sentences[i%4], sentences[(i+1)%4], sentences[(i+2)%4]}, " ")}
	}
	return items
}

// BenchmarkJudge measures the whole judge (split, tokenise, batched model runs, rule) on the
// tiny test model, so it mostly measures everything but the model.
func BenchmarkJudge(b *testing.B) {
	j := newJudge(b, testConfig(b))
	items := benchItems(64)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if _, err := j.Judge(ctx, items); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*len(items)*3)/b.Elapsed().Seconds(), "sentences/s")
	b.ReportMetric(float64(b.N*len(items))/b.Elapsed().Seconds(), "items/s")
}

func BenchmarkEncode(b *testing.B) {
	enc, err := loadEncoder("bench", writeTokenizer(b), DefaultMaxLen)
	if err != nil {
		b.Fatal(err)
	}
	s := "He shouts at the man, e.g. at the door, and is furious."
	for range b.N {
		if _, err := enc.encode(s); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "sentences/s")
}

func BenchmarkSplitSentences(b *testing.B) {
	text := benchItems(1)[0].Text
	b.SetBytes(int64(len(text)))
	for range b.N {
		SplitSentences(text)
	}
}
