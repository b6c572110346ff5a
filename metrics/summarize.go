package metrics

import (
	"fmt"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
)

// Summary computes every metric of the samples and judgments added so far.
func (b *Builder) Summary() (*Summary, error) {
	o := b.opts
	s := &Summary{
		Schema:          SummarySchema,
		Dataset:         o.Labels.Name,
		Folds:           slices.Sorted(slices.Values(o.Folds)),
		Protocol:        string(o.Protocol),
		FoldAggregation: o.FoldAggregation,
		Synthetic:       o.Synthetic,
		Labels:          slices.Clone(o.Labels.Labels),
		Judges:          slices.Clone(b.judges),
		Models:          map[string]*ModelSummary{},
		Comparisons:     []Comparison{},
		Statistics:      Statistics{Bootstrap: o.Bootstrap, Seed: o.Seed, Alpha: o.Alpha},
	}
	if o.Bootstrap > 0 {
		s.Statistics.Resampling = ResamplingStratified
	}
	if s.Folds == nil {
		s.Folds = []int32{}
	}
	mi := b.miByClip()
	views := map[string]*view{}
	order := make([]*view, len(b.models))
	for i, m := range b.models {
		order[i] = b.view(m)
		views[m.name] = order[i]
		s.ModelOrder = append(s.ModelOrder, m.name)
	}
	s.Agreement = b.agreement(views)
	pairs := o.Pairs
	if pairs == nil {
		for _, m := range b.models[min(1, len(b.models)):] {
			pairs = append(pairs, Pair{Baseline: b.models[0].name, Candidate: m.name})
		}
	}
	for _, p := range pairs {
		if views[p.Baseline] == nil || views[p.Candidate] == nil {
			return nil, fmt.Errorf("metrics: comparison %s vs %s names a model that was not added", p.Baseline, p.Candidate)
		}
	}
	// Each model and each pair is an independent task with its own seeded random stream, so
	// running them concurrently gives the same numbers as running them in order.
	summaries := make([]*ModelSummary, len(order))
	comparisons := make([][]Comparison, len(pairs))
	errs := make([]error, len(pairs))
	var g errgroup.Group
	g.SetLimit(b.workerLimit())
	for i, v := range order {
		g.Go(func() error {
			summaries[i] = b.modelSummary(v, mi)
			return nil
		})
	}
	for i, p := range pairs {
		g.Go(func() error {
			comparisons[i], errs[i] = b.compare(views[p.Baseline], views[p.Candidate], mi)
			return nil
		})
	}
	_ = g.Wait() // the tasks report through errs, so that the first error in pair order wins
	for i, m := range b.models {
		s.Models[m.name] = summaries[i]
	}
	for i := range pairs {
		if errs[i] != nil {
			return nil, errs[i]
		}
		s.Comparisons = append(s.Comparisons, comparisons[i]...)
	}
	return s, nil
}

// workerLimit is how many model and comparison tasks Summary runs at once.
func (b *Builder) workerLimit() int {
	if b.workers > 0 {
		return b.workers
	}
	return runtime.GOMAXPROCS(0)
}

// miByClip resolves the MI table to clip indexes; clips without an entry are multimodal.
func (b *Builder) miByClip() []modality.Class {
	mi := make([]modality.Class, len(b.clipTruth))
	for i := range mi {
		mi[i] = modality.Multimodal
	}
	if b.mi == nil {
		return mi
	}
	for id, c := range b.clipIdx {
		if m, ok := b.mi.Get(id); ok {
			mi[c] = m
		}
	}
	return mi
}

// tallyAll counts a view's outcome cells, pooled and per fold.
func (b *Builder) tallyAll(v *view, mi []modality.Class) (pooled *tallies, byFold map[int32]*tallies) {
	judges := make([]*judgeRun, len(v.judges))
	for i, j := range v.judges {
		judges[i] = v.run.judged[j]
	}
	pooled = newTallies(b.k, len(judges))
	byFold = map[int32]*tallies{}
	cells := make([]uint8, len(judges))
	for _, r := range v.recs {
		for i, jr := range judges {
			cells[i] = b.cell(r, jr)
		}
		st, rc, mc := stratum(r.truth), recCode(b.k, r.truth, r.pred), miCell(r, mi[r.clip], v.descTags)
		pooled.add(st, rc, cells, mc)
		if b.opts.FoldAggregation == FoldsMean {
			t := byFold[r.fold]
			if t == nil {
				t = newTallies(b.k, len(judges))
				byFold[r.fold] = t
			}
			t.add(st, rc, cells, mc)
		}
	}
	return pooled, byFold
}

func (b *Builder) judgeNames(v *view) []string {
	names := make([]string, len(v.judges))
	for i, j := range v.judges {
		names[i] = b.judges[j]
	}
	return names
}

func (b *Builder) modelSummary(v *view, mi []modality.Class) *ModelSummary {
	m := v.run
	ms := &ModelSummary{
		Backend:     m.backend,
		Variant:     m.variant,
		Missing:     v.missing,
		Duplicates:  v.duplicates,
		Extra:       v.extra,
		Failed:      v.failed,
		Reliability: map[string]*Reliability{},
		CI:          map[string][2]float64{},
	}
	t, byFold := b.tallyAll(v, mi)
	b.recognition(v, t, ms)
	for i, j := range v.judges {
		rel := b.reliability(v, j, pooledQuarter(t.judge[i]))
		rel.Corrected = b.corrected(v, j)
		ms.Reliability[b.judges[j]] = rel
	}
	ms.Modality = b.modality(v, mi)
	for _, j := range v.judges {
		if d := b.drift(v, j); d != nil {
			if ms.Drift == nil {
				ms.Drift = map[string]*Drift{}
			}
			ms.Drift[b.judges[j]] = d
		}
	}
	keys := headlineKeys(b.judgeNames(v))
	if b.opts.Bootstrap > 0 {
		ms.CI = b.intervals(t, keys, "model/"+m.name)
	}
	if b.opts.FoldAggregation == FoldsMean {
		ms.FoldMean = b.foldMean(keys, byFold)
	}
	return ms
}

// recognition fills the recognition metrics from the count matrix. docs/reference.md §2: an unknown
// answer is in its own true class's support and its own row's unknown column. A sample without a
// label (a clip outside the split, scored under migr) is in N and Extra, in no row and not in
// Unknown.
func (b *Builder) recognition(v *view, t *tallies, ms *ModelSummary) {
	k, w := b.k, b.k+1
	ms.WAR, ms.UAR, ms.MacroF1 = newEvaluator(k).recognition(t.rec)
	for _, c := range t.rec {
		ms.N += int(c)
	}
	ms.PerClass = map[string]ClassStats{}
	ms.Confusion = Confusion{Labels: append(slices.Clone(b.opts.Labels.Labels), datasets.Unknown), Matrix: make([][]int, k)}
	for i, label := range b.opts.Labels.Labels {
		row := t.rec[(i+1)*w : (i+2)*w]
		cs := ClassStats{Correct: int(row[i])}
		ms.Confusion.Matrix[i] = make([]int, w)
		for p, c := range row {
			cs.Support += int(c)
			ms.Confusion.Matrix[i][p] = int(c)
		}
		ms.Unknown += int(row[k])
		for tr := 1; tr <= k; tr++ {
			cs.Predicted += int(t.rec[tr*w+i])
		}
		ms.Correct += cs.Correct
		cs.Recall = ratio(int64(cs.Correct), int64(cs.Support))
		cs.Precision = ratio(int64(cs.Correct), int64(cs.Predicted))
		cs.F1 = f1(cs.Precision, cs.Recall)
		ms.PerClass[label] = cs
	}
	ms.ParseStatus = map[string]int{}
	normCount := make([]int, len(b.norms.list))
	for _, r := range v.recs {
		if !r.output() {
			continue
		}
		ms.ParseStatus[b.statuses.list[r.status]]++
		if r.flags&flagTruncated != 0 {
			ms.Truncated++
		}
		for i := range normCount {
			if r.norm&(1<<i) != 0 {
				normCount[i]++
			}
		}
	}
	ms.Normalizations = countsByName(b.norms.list, normCount)
}

func countsByName(names []string, counts []int) map[string]int {
	var out map[string]int
	for i, c := range counts {
		if c > 0 {
			if out == nil {
				out = map[string]int{}
			}
			out[names[i]] = c
		}
	}
	return out
}

// reliability is the quarter table of a model under judge j. Fallbacks, errors, unknown
// emotions and normalisations are counted once per judged clip of the view.
func (b *Builder) reliability(v *view, j int, cells [nCells]int64) *Reliability {
	q := quarterOf(cells)
	rel := &Reliability{
		N: int(q.n), TT: q.tt, TF: q.tf, FT: q.ft, FF: q.ff, Counts: q.counts,
		TFGivenCorrect: q.tfGivenCorrect, EPC: q.epc, EEA: q.eea,
	}
	jr := v.run.judged[j]
	seen := make([]bool, len(b.clipTruth))
	normCount := make([]int, len(b.norms.list))
	var outcomes, fallbacks int
	for _, r := range v.recs {
		if seen[r.clip] {
			continue
		}
		seen[r.clip] = true
		o := jr.judgment(r.clip)
		if o.flags&jPresent == 0 {
			continue
		}
		outcomes++
		if o.flags&jFallback != 0 {
			fallbacks++
		}
		if o.flags&jErr != 0 {
			rel.Errors++
		}
		if int(o.emotion) == b.k {
			rel.Unknown++
		}
		if o.flags&jAbstained != 0 {
			rel.Abstained++
		}
		for i := range normCount {
			if o.norm&(1<<i) != 0 {
				normCount[i]++
			}
		}
	}
	rel.Fallback = ratio(int64(fallbacks), int64(outcomes))
	rel.Normalizations = countsByName(b.norms.list, normCount)
	return rel
}
