package metrics

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strconv"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

// synthRun fills a builder with models × clips samples of a DFEW-like run: each model right
// about acc of the time, two judges, description orders and an MI table.
func synthRun(tb testing.TB, clips, models int, opts Options) *Builder {
	tb.Helper()
	ls := datasets.DFEW()
	opts.Labels = ls
	r := rand.New(rand.NewPCG(1, 2))
	split := make([]datasets.Clip, clips)
	weights := []int{2445, 1894, 2669, 2173, 1469, 145, 902}
	for i := range split {
		x, label := r.IntN(11697), 0
		for x >= weights[label] {
			x -= weights[label]
			label++
		}
		split[i] = datasets.Clip{ClipID: strconv.Itoa(i + 1), Fold: int32(1 + i%5), Split: datasets.Test, Label: ls.Labels[label]}
	}
	b, err := NewBuilder(opts, split)
	if err != nil {
		tb.Fatal(err)
	}
	mi := modality.NewTable("file")
	for _, c := range split {
		mi.Set(c.ClipID, modality.Class(1+r.IntN(3)))
	}
	b.SetMI(mi)
	orders := []string{"vision_first", "audio_first", "no_desc"}
	for m := 0; m < models; m++ {
		name := fmt.Sprintf("model%d", m)
		if err := b.AddModel(name, "replay", "av"); err != nil {
			tb.Fatal(err)
		}
		acc := 0.55 + 0.1*float64(m)
		for _, c := range split {
			pred := c.Label
			if r.Float64() > acc {
				pred = ls.Labels[r.IntN(7)]
				if r.IntN(30) == 0 {
					pred = datasets.Unknown
				}
			}
			s := Sample{ClipID: c.ClipID, Pred: pred, QuarterPred: pred, Status: "ok", Order: orders[r.IntN(3)], Format: parse.Format(r.IntN(3)), Cue: parse.Cue(r.IntN(3))}
			if err := b.AddSample(name, s); err != nil {
				tb.Fatal(err)
			}
			for _, judge := range []string{"gpt", "lexicon"} {
				e := pred
				if r.IntN(5) == 0 {
					e = ls.Labels[r.IntN(7)]
				}
				if err := b.AddJudgment(name, judge, c.ClipID, JudgeOutcome{Emotion: e}); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
	return b
}

// BenchmarkBootstrap is 10,000 resamples of every headline metric for three models of 11,697
// clips with two judges each, and the three paired comparisons: with one worker, and with
// GOMAXPROCS (the default).
func BenchmarkBootstrap(b *testing.B) {
	opts := Options{Protocol: parse.ProtocolRobust, Bootstrap: 10000, Seed: 1,
		Pairs: []Pair{{"model0", "model1"}, {"model0", "model2"}, {"model1", "model2"}}}
	bld := synthRun(b, 11697, 3, opts)
	for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			bld.workers = workers
			for i := 0; i < b.N; i++ {
				if _, err := bld.Summary(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuildMillion streams 1,000,000 samples of one model, each with two judgments, into a
// builder and computes the summary with 1,000 resamples; it reports the builder's heap bytes per
// sample (inputs are generated before the timer starts and are not counted).
func BenchmarkBuildMillion(b *testing.B) {
	const n = 1000000
	ls := datasets.DFEW()
	r := rand.New(rand.NewPCG(1, 2))
	split := make([]datasets.Clip, n)
	ss := make([]Sample, n)
	js := make([][2]JudgeOutcome, n)
	orders := []string{"vision_first", "audio_first", "no_desc"}
	for i := range split {
		label := ls.Labels[r.IntN(7)]
		split[i] = datasets.Clip{ClipID: strconv.Itoa(i + 1), Fold: int32(1 + i%5), Label: label}
		pred := label
		if r.IntN(3) == 0 {
			pred = ls.Labels[r.IntN(7)]
		}
		ss[i] = Sample{ClipID: split[i].ClipID, Pred: pred, QuarterPred: pred, Status: "ok", Order: orders[r.IntN(3)], Format: parse.Format(r.IntN(3))}
		js[i] = [2]JudgeOutcome{{Emotion: pred}, {Emotion: ls.Labels[r.IntN(7)]}}
	}
	opts := Options{Labels: ls, Protocol: parse.ProtocolMigr, Bootstrap: 1000, Seed: 1}
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		bld, err := NewBuilder(opts, split)
		if err != nil {
			b.Fatal(err)
		}
		if err := bld.AddModel("m", "", "av"); err != nil {
			b.Fatal(err)
		}
		for i, s := range ss {
			if err := bld.AddSample("m", s); err != nil {
				b.Fatal(err)
			}
			for j, judge := range []string{"gpt", "lexicon"} {
				if err := bld.AddJudgment("m", judge, s.ClipID, js[i][j]); err != nil {
					b.Fatal(err)
				}
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/n, "heap-bytes/sample")
		if _, err := bld.Summary(); err != nil {
			b.Fatal(err)
		}
	}
}
