package predictions

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

const benchRecords = 100_000

var benchSentences = []string{
	"The man's eyebrows are drawn together and his jaw is clenched as he leans towards the other person.",
	"His voice rises sharply and the words come out fast and clipped, with a hard edge on every syllable.",
	"In the background a door slams and someone else shouts, which adds to the tension of the scene.",
	"She looks down at the table, her shoulders drop, and she speaks quietly with long pauses.",
	"A faint smile appears at the corner of her mouth, but her eyes stay fixed and unblinking.",
	"The music is low and slow, in a minor key, and the lighting is dim and cold.",
}

// benchOutput is a MIGR-style output of about 1 KB over several lines.
func benchOutput(i int) string {
	s := func(k int) string { return benchSentences[(i+k)%len(benchSentences)] }
	vis := "<vis_desc>" + s(0) + " " + s(4) + "</vis_desc>"
	aud := "<aud_desc>" + s(1) + "</aud_desc>"
	desc := vis + "\n" + aud
	if i%3 == 0 {
		desc = aud + "\n" + vis
	}
	labels := []string{"happy", "sad", "neutral", "angry", "surprise", "disgust", "fear", "Anger", "sadness"}
	return fmt.Sprintf("%s\n<think>%s\n%s\n%s %s</think>\n<answer>%s</answer>", desc, s(2), s(3), s(5), s(0), labels[i%len(labels)])
}

// writeBenchFile writes benchRecords outputs in the given format and returns the path and size.
func writeBenchFile(b *testing.B, format string) (string, int64) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "outputs."+format)
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	for i := range benchRecords {
		out := benchOutput(i)
		if format == FormatJSONL {
			line, _ := json.Marshal(map[string]string{"clip_id": fmt.Sprint(i + 1), "output": out})
			w.Write(line)
			w.WriteByte('\n')
		} else {
			fmt.Fprintf(w, "%d|%s\n", i+1, out)
		}
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	st, _ := f.Stat()
	f.Close()
	return path, st.Size()
}

func benchScan(b *testing.B, format string, parser *parse.Parser) {
	path, size := writeBenchFile(b, format)
	b.SetBytes(size)
	b.ReportAllocs()
	ctx := context.Background()
	for b.Loop() {
		n := 0
		err := Scan(ctx, path, format, func(o Output) error {
			n++
			if parser != nil {
				if p := parser.Parse(o.Raw); p.Status == "" {
					return fmt.Errorf("no status")
				}
			}
			return nil
		})
		if err != nil || n != benchRecords {
			b.Fatalf("%d records, %v", n, err)
		}
	}
	b.ReportMetric(float64(benchRecords)*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

func BenchmarkScanIDPipe(b *testing.B) { benchScan(b, FormatIDPipe, nil) }

func BenchmarkScanParseIDPipeMigr(b *testing.B) {
	benchScan(b, FormatIDPipe, parse.NewParser(datasets.DFEW(), parse.ProtocolMigr))
}

func BenchmarkScanParseIDPipeRobust(b *testing.B) {
	benchScan(b, FormatIDPipe, parse.NewParser(datasets.DFEW(), parse.ProtocolRobust))
}

func BenchmarkScanJSONL(b *testing.B) { benchScan(b, FormatJSONL, nil) }

func BenchmarkScanParseJSONLMigr(b *testing.B) {
	benchScan(b, FormatJSONL, parse.NewParser(datasets.DFEW(), parse.ProtocolMigr))
}
