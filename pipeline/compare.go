package pipeline

import (
	"context"
	"os"
	"path/filepath"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/compare"
)

// CompareOptions configure `emoeval compare`.
type CompareOptions struct {
	Base, Cand           string // run directories
	BaseModel, CandModel string // "" when the run has one model
	Gates                []string
	Bootstrap            int
	Seed                 uint64
}

// Compare compares a model of one run with a model of another on their common clips, with
// paired tests, and evaluates the gates.
func Compare(ctx context.Context, o CompareOptions) (*compare.Report, error) {
	gates, err := compare.ParseGates(o.Gates)
	if err != nil {
		return nil, err
	}
	base, err := ReadSummary(filepath.Join(o.Base, SummaryFile))
	if err != nil {
		return nil, err
	}
	cand, err := ReadSummary(filepath.Join(o.Cand, SummaryFile))
	if err != nil {
		return nil, err
	}
	bm, err := compare.ResolveModel(base, o.BaseModel)
	if err != nil {
		return nil, inputerr.New(o.Base, "%v", err)
	}
	cm, err := compare.ResolveModel(cand, o.CandModel)
	if err != nil {
		return nil, inputerr.New(o.Cand, "%v", err)
	}
	if err := compare.CheckComparable(base, cand, bm, cm); err != nil {
		return nil, err
	}
	comparisons, err := pairedComparisons(ctx, o, base, bm, cm)
	if err != nil {
		return nil, err
	}
	return compare.New(base, cand, bm, cm, gates, comparisons)
}

// runSamples is one model's predictions and judgments read back from a run directory.
type runSamples struct {
	preds  []predictions.Prediction
	judged []judges.Judgment
}

func readRunModel(dir, model string) (*runSamples, error) {
	all, err := predictions.ReadPredictions(filepath.Join(dir, PredictionsFile))
	if err != nil {
		return nil, err
	}
	rs := &runSamples{}
	for _, p := range all {
		if p.Model == model && (p.Variant == predictions.VariantAV || p.Variant == "") {
			rs.preds = append(rs.preds, p)
		}
	}
	jp := filepath.Join(dir, JudgmentsFile)
	if _, err := os.Stat(jp); err == nil {
		js, err := judges.ReadJudgments(jp)
		if err != nil {
			return nil, err
		}
		for _, j := range js {
			if j.Model == model {
				rs.judged = append(rs.judged, j)
			}
		}
	}
	return rs, nil
}

// pairedComparisons rebuilds both models' per-sample outcomes from their run directories and
// lets the metrics builder compute paired bootstrap differences and exact McNemar tests.
func pairedComparisons(ctx context.Context, o CompareOptions, s *metrics.Summary, bm, cm string) ([]metrics.Comparison, error) {
	labels := &datasets.LabelSet{Name: s.Dataset, Labels: s.Labels}
	b, err := readRunModel(o.Base, bm)
	if err != nil {
		return nil, err
	}
	c, err := readRunModel(o.Cand, cm)
	if err != nil {
		return nil, err
	}
	if err := sameClips(o, b, c); err != nil {
		return nil, err
	}
	// The two models may share a name; inside the builder they are "baseline" and "candidate".
	const baseKey, candKey = "baseline", "candidate"
	builder, err := metrics.NewBuilder(metrics.Options{
		Labels: labels, Protocol: parse.Protocol(s.Protocol), Folds: s.Folds, FoldAggregation: s.FoldAggregation,
		Bootstrap: o.Bootstrap, Seed: o.Seed, Alpha: s.Statistics.Alpha,
		Pairs: []metrics.Pair{{Baseline: baseKey, Candidate: candKey}},
	}, nil)
	if err != nil {
		return nil, err
	}
	for _, r := range []struct {
		key string
		rs  *runSamples
	}{{baseKey, b}, {candKey, c}} {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := builder.AddModel(r.key, "", predictions.VariantAV); err != nil {
			return nil, err
		}
		for _, p := range r.rs.preds {
			if err := builder.AddSample(r.key, sampleOf(p)); err != nil {
				return nil, err
			}
		}
		for _, j := range r.rs.judged {
			// Only judges both runs share are compared.
			if !slices.Contains(s.Judges, j.Judge) {
				continue
			}
			if err := builder.AddJudgment(r.key, j.Judge, j.ClipID, outcomeOf(j)); err != nil {
				return nil, err
			}
		}
	}
	sum, err := builder.Summary()
	if err != nil {
		return nil, err
	}
	out := sum.Comparisons
	for i := range out {
		out[i].Baseline, out[i].Candidate = bm, cm
	}
	return out, nil
}

// sameClips rejects runs evaluated on different clips.
func sameClips(o CompareOptions, b, c *runSamples) error {
	set := func(ps []predictions.Prediction) map[string]bool {
		m := make(map[string]bool, len(ps))
		for _, p := range ps {
			m[datasets.NormalizeID(p.ClipID)] = true
		}
		return m
	}
	bs, cs := set(b.preds), set(c.preds)
	onlyB, onlyC := 0, 0
	for k := range bs {
		if !cs[k] {
			onlyB++
		}
	}
	for k := range cs {
		if !bs[k] {
			onlyC++
		}
	}
	if onlyB > 0 || onlyC > 0 {
		return inputerr.New(o.Cand, "the runs cover different clips: %d only in %s, %d only in %s", onlyB, o.Base, onlyC, o.Cand)
	}
	if len(bs) == 0 {
		return inputerr.New(o.Base, "no predictions to compare")
	}
	return nil
}
