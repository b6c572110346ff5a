package sim

import (
	"testing"

	"github.com/emoeval/emoeval/eval/predictions"
)

// BenchmarkAnswer is the server's work per model request, without HTTP.
func BenchmarkAnswer(b *testing.B) {
	s := newTestServer(b, Config{Seed: 1})
	m := s.models["r1-omni-sim"]
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		c := &s.cfg.Split.Clips[i%len(s.cfg.Split.Clips)]
		d := s.decide(m, c, predictions.VariantAV, 0)
		s.finish(m, c.ClipID, s.compose(m, c, predictions.VariantAV, 0, 0.3, d), 0)
	}
}

// BenchmarkJudgeLookup is the simulated judge's reading of one explanation.
func BenchmarkJudgeLookup(b *testing.B) {
	s := newTestServer(b, Config{Seed: 1})
	m := s.models["r1-omni-sim"]
	c := &s.cfg.Split.Clips[0]
	raw := s.compose(m, c, predictions.VariantAV, 0, 0.3, s.decide(m, c, predictions.VariantAV, 0))
	b.ReportAllocs()
	for b.Loop() {
		s.supported(raw)
	}
}
