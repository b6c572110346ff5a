package lexicon

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/judges"
)

// benchTexts builds explanations of about 1 KB from the labelled ones, as long EMER-style
// explanations are: descriptions first, the concluding sentence last.
func benchTexts(b *testing.B) []string {
	cases := loadLabelled(b)
	var out []string
	for i := range cases {
		var sb strings.Builder
		for k := 0; sb.Len() < 1024; k++ {
			if k > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(cases[(i+k)%len(cases)].Text)
		}
		out = append(out, sb.String()[:1024])
	}
	return out
}

// rate measures a benchmark loop: MB/s and explanations/s by wall time, and, where the process
// CPU time is known, explanations per CPU-second (the per-core figure, unaffected by other load;
// run with -cpu 1).
type rate struct {
	b     *testing.B
	bytes int
	cpu0  time.Duration
}

func startRate(b *testing.B, texts []string) *rate {
	n := 0
	for _, t := range texts {
		n += len(t)
	}
	b.SetBytes(int64(n / len(texts)))
	b.ReportAllocs()
	r := &rate{b: b, bytes: n / len(texts)}
	r.cpu0, _ = processCPU()
	b.ResetTimer()
	return r
}

func (r *rate) stop() {
	r.b.StopTimer()
	r.b.ReportMetric(float64(r.b.N)/r.b.Elapsed().Seconds(), "explanations/s")
	if cpu, ok := processCPU(); ok && cpu > r.cpu0 {
		perSec := float64(r.b.N) / (cpu - r.cpu0).Seconds()
		r.b.ReportMetric(perSec, "explanations/cpu-s")
		r.b.ReportMetric(perSec*float64(r.bytes)/1e6, "MB/cpu-s")
	}
}

// BenchmarkClassify: Classify on 1 KB explanations, with the per-sentence maps it returns.
func BenchmarkClassify(b *testing.B) {
	j := New(datasets.MAFW())
	texts := benchTexts(b)
	r := startRate(b, texts)
	for i := 0; i < b.N; i++ {
		j.Classify(texts[i%len(texts)])
	}
	r.stop()
}

// BenchmarkJudge: the Judge interface on 1 KB explanations, in batches of 64.
func BenchmarkJudge(b *testing.B) {
	j := New(datasets.MAFW())
	texts := benchTexts(b)
	items := make([]judges.Item, 64)
	r := startRate(b, texts)
	for i := 0; i < b.N; i += len(items) {
		for k := range items {
			items[k].Text = texts[(i+k)%len(texts)]
		}
		if _, err := j.Judge(context.Background(), items); err != nil {
			b.Fatal(err)
		}
	}
	r.stop()
}

// BenchmarkEmotion: the core classification alone (scan, phrases, scoring, no result maps).
func BenchmarkEmotion(b *testing.B) {
	j := New(datasets.MAFW())
	texts := benchTexts(b)
	sc := new(scratch)
	r := startRate(b, texts)
	for i := 0; i < b.N; i++ {
		j.lx.classify(texts[i%len(texts)], sc)
	}
	r.stop()
}

func BenchmarkNew(b *testing.B) {
	for i := 0; i < b.N; i++ {
		New(datasets.MAFW())
	}
}
