package pipeline

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/reports"
)

// scoreFixture writes a DFEW-labelled split of n test clips and an id-pipe result file with one
// realistic output of about 1 KB per clip, some spread over several lines.
func scoreFixture(b *testing.B, n int) (split, results string, bytes int64) {
	b.Helper()
	dir := b.TempDir()
	ls := datasets.DFEW()
	rng := rand.New(rand.NewPCG(1, 2))
	s := &datasets.Split{Dataset: "dfew", Labels: ls, Clips: make([]datasets.Clip, n)}
	for i := range s.Clips {
		l := ls.Labels[rng.IntN(ls.Len())]
		s.Clips[i] = datasets.Clip{Dataset: "dfew", ClipID: fmt.Sprintf("%07d", i+1), Fold: 5, Split: datasets.Test, Label: l, LabelID: ls.ID(l)}
	}
	split = filepath.Join(dir, "split.parquet")
	if err := datasets.WriteSplit(split, s); err != nil {
		b.Fatal(err)
	}
	results = filepath.Join(dir, "results.txt")
	f, err := os.Create(results)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	filler := strings.Repeat("The woman's brows draw together and her voice drops as she speaks of the loss; ", 11)
	for i, c := range s.Clips {
		answer := c.Label
		if rng.IntN(10) == 0 {
			answer = ls.Labels[rng.IntN(ls.Len())]
		}
		sep := " "
		if i%3 == 0 {
			sep = "\n"
		}
		fmt.Fprintf(w, "%d|<think>%s%swe can infer a sense of %s.</think>%s<answer>%s</answer>\n", i+1, filler, sep, answer, sep, answer)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return split, results, st.Size()
}

// BenchmarkScore100k parses and scores 100,000 records of about 1 KB (make bench).
func BenchmarkScore100k(b *testing.B) {
	split, results, size := scoreFixture(b, 100_000)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		res, err := Score(context.Background(), ScoreOptions{Split: split, Models: []ModelFile{{Name: "m", Path: results, Format: "idpipe"}},
			Protocol: "migr", Bootstrap: 0})
		if err != nil {
			b.Fatal(err)
		}
		if res.Summary.Models["m"].N != 100_000 {
			b.Fatalf("scored %d records", res.Summary.Models["m"].N)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkScoreMillionMemory scores 1,000,000 records of about 1 KB (a 1 GB file) and reports
// the peak heap: memory grows with the number of clips, not with the size of the outputs.
// Opt-in (it writes 1 GB): go test -run '^$' -bench ScoreMillion -benchtime 1x ./pipeline with
// EMOEVAL_BENCH_MILLION=1.
func BenchmarkScoreMillionMemory(b *testing.B) {
	if os.Getenv("EMOEVAL_BENCH_MILLION") != "1" {
		b.Skip("set EMOEVAL_BENCH_MILLION=1 to write and score a 1 GB result file")
	}
	split, results, size := scoreFixture(b, 1_000_000)
	runtime.GC()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var ms runtime.MemStats
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Score(context.Background(), ScoreOptions{Split: split, Models: []ModelFile{{Name: "m", Path: results, Format: "idpipe"}},
			Protocol: "migr", Bootstrap: 1000}); err != nil {
			b.Fatal(err)
		}
	}
	close(done)
	b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MiB")
}

// BenchmarkRenderReport renders the demo run's whole report: every table in five formats, every
// plot in PNG, SVG and PDF, and report.pdf (`emoeval report`). The demo run is made once first.
func BenchmarkRenderReport(b *testing.B) {
	if _, err := os.Stat(os.Getenv("ONNXRUNTIME_SHARED_LIBRARY_PATH")); err != nil {
		b.Skip("the demo needs ONNX Runtime: run make ort and set ONNXRUNTIME_SHARED_LIBRARY_PATH")
	}
	out := b.TempDir()
	res, err := Demo(context.Background(), DemoOptions{Out: out})
	if err != nil {
		b.Fatal(err)
	}
	opts := ReportOptions{Formats: reports.Formats(), Reference: true, Examples: 3}
	b.ResetTimer()
	for b.Loop() {
		if _, err := RenderReport(context.Background(), res.Dir, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScoreVsAuthors scores 100,000 records of about 1 KB with replayed judge replies
// (emoeval score --protocol migr) and, in the same iteration, runs the authors' scripts
// (testdata/results/authors_ref.py score: their recognition and consistency scripts) on the
// same files; it reports the ratio of their time to emoeval's, and checks that both print the
// same numbers. Needs python3.
func BenchmarkScoreVsAuthors(b *testing.B) {
	python, err := exec.LookPath("python3")
	if err != nil {
		b.Skip("python3 runs the authors' scripts; it is not installed")
	}
	split, results, size := scoreFixture(b, 100_000)
	dir := filepath.Dir(results)
	labels, judge := filepath.Join(dir, "labels.csv"), filepath.Join(dir, "judge.json")
	writeAuthorsInputs(b, split, labels, judge)
	script, err := filepath.Abs("../testdata/results/authors_ref.py")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	var ours, theirs time.Duration
	for b.Loop() {
		t0 := time.Now()
		res, err := Score(context.Background(), ScoreOptions{Split: split, Models: []ModelFile{{Name: "m", Path: results, Format: "idpipe"}},
			Judgments: []JudgmentFile{{Judge: "gpt", Model: "m", Path: judge, Format: "ervjson"}}, Protocol: "migr"})
		if err != nil {
			b.Fatal(err)
		}
		ours += time.Since(t0)
		t1 := time.Now()
		out, err := exec.Command(python, script, "score", labels, results, judge).Output()
		if err != nil {
			b.Fatalf("the authors' scripts: %v", err)
		}
		theirs += time.Since(t1)
		m := res.Summary.Models["m"]
		q := m.Reliability["gpt"].Counts
		f := m.PaperFigures(res.Summary.Labels)
		pc := func(c int) float64 { return float64(c*100) / float64(m.N) }
		want := fmt.Sprintf("WAR %.3f UAR %.3f\nTT %.2f%% TF %.2f%% FT %.2f%% FF %.2f%%\n", f.WAR, f.UAR, pc(q.TT), pc(q.TF), pc(q.FT), pc(q.FF))
		if string(out) != want {
			b.Fatalf("the authors' scripts print\n%s\nemoeval\n%s", out, want)
		}
	}
	b.ReportMetric(float64(100_000*b.N)/ours.Seconds(), "records/s")
	b.ReportMetric(theirs.Seconds()/ours.Seconds(), "x-authors")
}

// writeAuthorsInputs writes the split's labels as the authors' DFEW test CSV and a judge file in
// their JSON, the judge agreeing with the truth for four clips in five.
func writeAuthorsInputs(b *testing.B, split, labels, judge string) {
	s, err := datasets.ReadSplit(split)
	if err != nil {
		b.Fatal(err)
	}
	var csv, js strings.Builder
	csv.WriteString("video_name,label\n")
	js.WriteString("[")
	for i, c := range s.Clips {
		id := datasets.NormalizeID(c.ClipID)
		fmt.Fprintf(&csv, "%s,%d\n", id, c.LabelID)
		reply := c.Label
		if i%5 == 0 {
			reply = s.Labels.Labels[(s.Labels.Index(c.Label)+1)%s.Labels.Len()]
		}
		if i > 0 {
			js.WriteString(",\n")
		}
		fmt.Fprintf(&js, `{"%s": {"gpt_response": "%s"}}`, id, reply)
	}
	js.WriteString("]\n")
	if err := os.WriteFile(labels, []byte(csv.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(judge, []byte(js.String()), 0o644); err != nil {
		b.Fatal(err)
	}
}
