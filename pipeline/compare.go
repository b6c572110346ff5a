package pipeline

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/variant"
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
	// Bootstrap and Seed set the paired bootstrap; nil takes the baseline run's statistics, so
	// that comparing two models of one run gives the run's own comparison.
	Bootstrap *int
	Seed      *uint64
	// MaxFailed is how many failed model calls a compared model may have: more, and the runs are
	// not compared (a broken server is not a regression).
	MaxFailed int
}

// Compare compares a model of one run with a model of another on their common clips, with
// paired tests, and evaluates the gates. It refuses runs that did not finish, and models with
// more failed calls than MaxFailed, instead of evaluating gates on them.
func Compare(ctx context.Context, o CompareOptions) (*compare.Report, error) {
	gates, err := compare.ParseGates(o.Gates)
	if err != nil {
		return nil, err
	}
	base, err := finishedSummary(o.Base)
	if err != nil {
		return nil, err
	}
	cand, err := finishedSummary(o.Cand)
	if err != nil {
		return nil, err
	}
	bm, err := compare.ResolveModel(base, o.BaseModel)
	if err != nil {
		return nil, inputerr.New(o.Base, "%v (choose with --base-model)", err)
	}
	cm, err := compare.ResolveModel(cand, o.CandModel)
	if err != nil {
		return nil, inputerr.New(o.Cand, "%v (choose with --cand-model)", err)
	}
	for _, r := range []struct {
		dir, model, flag string
		s                *metrics.Summary
	}{{o.Base, bm, "--base-model", base}, {o.Cand, cm, "--cand-model", cand}} {
		if f := r.s.Models[r.model].Failed; f > o.MaxFailed {
			return nil, inputerr.New(r.dir, "model %s has %d failed calls (more than --max-failed %d): its numbers leave those clips out, "+
				"and a broken server is not a regression; fix the cause and rerun it, or allow them with --max-failed %d", r.model, f, o.MaxFailed, f)
		}
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

// finishedSummary reads the summary of a run that finished.
func finishedSummary(dir string) (*metrics.Summary, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		if _, perr := readManifestFile(dir, PartialManifestFile); perr == nil {
			return nil, inputerr.New(dir, "the run has not finished (it was interrupted or is still going): finish it with emoeval run … --resume, then compare")
		}
		return nil, err
	}
	if m.Finished.IsZero() {
		return nil, inputerr.New(dir, "the run has not finished: finish it with emoeval run … --resume, then compare")
	}
	p := filepath.Join(dir, SummaryFile)
	if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
		return nil, inputerr.New(dir, "no %s: the run did not finish scoring; run it again to finish it", SummaryFile)
	}
	return ReadSummary(p)
}

// pairedComparisons scores both models' rows from their run directories through the same sample
// building as a run (with the baseline run's MI table, so that MI alignment is compared on one
// MI per clip) and lets the metrics builder compute paired bootstrap differences and exact
// McNemar tests.
func pairedComparisons(ctx context.Context, o CompareOptions, s *metrics.Summary, bm, cm string) ([]metrics.Comparison, error) {
	labels := &datasets.LabelSet{Name: s.Dataset, Labels: s.Labels}
	b, err := ReadRows(o.Base)
	if err != nil {
		return nil, err
	}
	c, err := ReadRows(o.Cand)
	if err != nil {
		return nil, err
	}
	// Inside the builder the models go by their names (the bootstrap's random streams are named
	// after them, so two models of one run compare exactly as the run compared them), or by
	// "baseline" and "candidate" when they share a name.
	baseKey, candKey := bm, cm
	if bm == cm {
		baseKey, candKey = "baseline", "candidate"
	}
	preds := append(rowsOf(b.Predictions, bm, baseKey), rowsOf(c.Predictions, cm, candKey)...)
	if err := sameClips(o, preds, baseKey, candKey); err != nil {
		return nil, err
	}
	var judged []judges.Judgment
	for _, r := range []struct {
		rows        []judges.Judgment
		model, role string
	}{{b.Judgments, bm, baseKey}, {c.Judgments, cm, candKey}} {
		for _, j := range r.rows {
			// Only judges both runs share are compared.
			if j.Model == r.model && slices.Contains(s.Judges, j.Judge) {
				j.Model = r.role
				judged = append(judged, j)
			}
		}
	}
	reps, seed := s.Statistics.Bootstrap, s.Statistics.Seed
	if o.Bootstrap != nil {
		reps = *o.Bootstrap
	}
	if o.Seed != nil {
		seed = *o.Seed
	}
	builder, err := metrics.NewBuilder(metrics.Options{
		Labels: labels, Protocol: parse.Protocol(s.Protocol), Folds: s.Folds, FoldAggregation: s.FoldAggregation,
		Bootstrap: reps, Seed: seed, Alpha: s.Statistics.Alpha,
		Pairs: []metrics.Pair{{Baseline: baseKey, Candidate: candKey}},
	}, nil)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	models := []scoredModel{{name: baseKey, variant: variant.AV}, {name: candKey, variant: variant.AV}}
	if err := scoreRows(builder, models, s.Judges, preds, judged); err != nil {
		return nil, err
	}
	builder.SetMI(firstMI(b.MI, c.MI))
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

// rowsOf is a model's av rows renamed to role.
func rowsOf(all []predictions.Prediction, model, role string) []predictions.Prediction {
	var out []predictions.Prediction
	for _, p := range all {
		if p.Model == model && (p.Variant == string(variant.AV) || p.Variant == "") {
			p.Model = role
			out = append(out, p)
		}
	}
	return out
}

func firstMI(ts ...*modality.Table) *modality.Table {
	for _, t := range ts {
		if t != nil {
			return t
		}
	}
	return nil
}

// sameClips rejects runs evaluated on different clips.
func sameClips(o CompareOptions, preds []predictions.Prediction, baseKey, candKey string) error {
	sets := map[string]map[string]bool{baseKey: {}, candKey: {}}
	for _, p := range preds {
		sets[p.Model][datasets.NormalizeID(p.ClipID)] = true
	}
	bs, cs := sets[baseKey], sets[candKey]
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
