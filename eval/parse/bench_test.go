package parse

import (
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

func BenchmarkParse(b *testing.B) {
	multi := migrVision + "\n" + strings.Repeat("The voice trembles and the eyes are wide open.\n", 12)
	inputs := map[string]string{
		"one-line":   strings.ReplaceAll(multi, "\n", " "),
		"multi-line": multi,
		// Pathological: 1 MiB of opening tags must stay linear.
		"tag-flood": strings.Repeat("<answer>", 1<<17),
	}
	for _, proto := range []Protocol{ProtocolMigr, ProtocolRobust} {
		p := NewParser(datasets.DFEW(), proto)
		for name, raw := range inputs {
			b.Run(string(proto)+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(raw)))
				b.ReportAllocs()
				for b.Loop() {
					p.Parse(raw)
				}
			})
		}
	}
}
