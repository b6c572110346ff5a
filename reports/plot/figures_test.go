package plot

import (
	"errors"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"

	"github.com/emoeval/emoeval/metrics"
)

const z95 = 1.959963984540054

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

func TestWilson(t *testing.T) {
	tests := []struct {
		k, n   int
		lo, hi float64 // NaN: undefined
	}{
		{0, 10, 0, 0.2775328},
		{5, 10, 0.2365931, 0.7634069},
		{10, 10, 0.7224672, 1},
		{2, 3, 0.2076596, 0.9385081},
		{6, 29, 0.0984607, 0.3839009},
		{1742, 2336, 0.7276671, 0.7629645},
		{0, 0, math.NaN(), math.NaN()},
		{4, 3, math.NaN(), math.NaN()},
		{-1, 3, math.NaN(), math.NaN()},
	}
	for _, tt := range tests {
		lo, hi := wilson(tt.k, tt.n, z95)
		if math.IsNaN(tt.lo) {
			if !math.IsNaN(lo) || !math.IsNaN(hi) {
				t.Errorf("wilson(%d, %d) = [%v, %v], want NaNs", tt.k, tt.n, lo, hi)
			}
			continue
		}
		if !near(lo, tt.lo, 1e-6) || !near(hi, tt.hi, 1e-6) {
			t.Errorf("wilson(%d, %d) = [%.7f, %.7f], want [%.7f, %.7f]", tt.k, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
	if z := zScore(0.95); !near(z, z95, 1e-9) {
		t.Errorf("zScore(0.95) = %v", z)
	}
	if got := levelText(&metrics.Summary{Statistics: metrics.Statistics{Alpha: 0.1}}); got != "90%" {
		t.Errorf("levelText(alpha 0.1) = %q", got)
	}
}

// driftSummary has one model per drift in order "big", "small", … under judge "j".
func driftSummary(drifts ...*metrics.Drift) *metrics.Summary {
	s := &metrics.Summary{Models: map[string]*metrics.ModelSummary{}}
	for i, d := range drifts {
		name := []string{"big", "small", "third", "fourth"}[i]
		s.ModelOrder = append(s.ModelOrder, name)
		s.Models[name] = &metrics.ModelSummary{N: 10, Drift: map[string]*metrics.Drift{"j": d}}
	}
	return s
}

func bins5(n []int, grounded, agree []float64) *metrics.Drift {
	return &metrics.Drift{Bins: []float64{0.1, 0.3, 0.5, 0.7, 0.9}, Sentences: n, Grounded: grounded, AgreeAnswer: agree}
}

func TestDriftData(t *testing.T) {
	big := bins5([]int{2000, 2000, 2000, 2000, 2000}, []float64{0.6, 0.55, 0.5, 0.45, 0.4}, []float64{0.7, 0.7, 0.7, 0.7, 0.7})
	tests := []struct {
		name string
		s    *metrics.Summary
		// per model: grounded points' bin indices, and the count row
		wantBins [][]int
		wantN    [][]string
	}{
		{"a small model with one point", driftSummary(big, bins5([]int{0, 0, 3, 0, 0}, []float64{0, 0, 2.0 / 3, 0, 0}, []float64{0, 0, 1, 0, 0})),
			[][]int{{0, 1, 2, 3, 4}, {2}}, [][]string{{"2000", "2000", "2000", "2000", "2000"}, {"0", "0", "3", "0", "0"}}},
		{"NaN share and infinite bin not drawn", driftSummary(&metrics.Drift{Bins: []float64{0.25, math.Inf(1), 0.75},
			Sentences: []int{4, 4, 4}, Grounded: []float64{math.NaN(), 0.5, 0.25}, AgreeAnswer: []float64{0.5, 0.5, 0.5}}),
			[][]int{{2}}, [][]string{{"4", "4"}}},
		{"bins without a known n not drawn", driftSummary(&metrics.Drift{Bins: []float64{0.25, 0.75},
			Sentences: []int{12000}, Grounded: []float64{0.5, 0.5}, AgreeAnswer: []float64{0.5, 0.5}}),
			[][]int{{0}}, [][]string{{"12k"}}},
		{"a model with no sentences is left out", driftSummary(big, bins5([]int{0, 0, 0, 0, 0}, []float64{0, 0, 0, 0, 0}, []float64{0, 0, 0, 0, 0})),
			[][]int{{0, 1, 2, 3, 4}}, [][]string{{"2000", "2000", "2000", "2000", "2000"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			series := driftData(tt.s, "j")
			if len(series) != len(tt.wantBins) {
				t.Fatalf("%d series, want %d", len(series), len(tt.wantBins))
			}
			for k, ds := range series {
				d := tt.s.Models[ds.model].Drift["j"]
				if len(ds.grounded.XYs) != len(tt.wantBins[k]) || len(ds.grounded.YErrors) != len(ds.grounded.XYs) {
					t.Fatalf("%s: %d points, %d errors; want %d", ds.model, len(ds.grounded.XYs), len(ds.grounded.YErrors), len(tt.wantBins[k]))
				}
				for p, bin := range tt.wantBins[k] {
					pt, e := ds.grounded.XYs[p], ds.grounded.YErrors[p]
					if math.Abs(pt.X-d.Bins[bin]) > 0.02 {
						t.Errorf("%s point %d at x=%v, want near bin %v", ds.model, p, pt.X, d.Bins[bin])
					}
					if !near(pt.Y, 100*d.Grounded[bin], 1e-9) {
						t.Errorf("%s point %d at y=%v, want %v", ds.model, p, pt.Y, 100*d.Grounded[bin])
					}
					n := d.Sentences[bin]
					lo, hi := wilson(countOf(d.Grounded[bin], n), n, z95)
					if !near(pt.Y-e.Low, 100*lo, 1e-9) || !near(pt.Y+e.High, 100*hi, 1e-9) {
						t.Errorf("%s point %d interval [%v, %v], want Wilson [%v, %v]", ds.model, p, pt.Y-e.Low, pt.Y+e.High, 100*lo, 100*hi)
					}
				}
				if !slices.Equal(ds.n, tt.wantN[k]) {
					t.Errorf("%s counts = %v, want %v", ds.model, ds.n, tt.wantN[k])
				}
			}
		})
	}
	// The one point of three sentences is visibly uncertain; the points of 2000 are not.
	series := driftData(tests[0].s, "j")
	width := func(e struct{ Low, High float64 }) float64 { return e.Low + e.High }
	if w := width(series[1].grounded.YErrors[0]); w < 50 {
		t.Errorf("interval of 2 in 3 is %v points wide, want > 50", w)
	}
	if w := width(series[0].grounded.YErrors[2]); w > 5 {
		t.Errorf("interval of 1000 in 2000 is %v points wide, want < 5", w)
	}
	// The curves are set apart so that whiskers at one bin do not coincide.
	xs := []float64{series[0].grounded.XYs[2].X, series[0].agree.XYs[2].X, series[1].grounded.XYs[0].X, series[1].agree.XYs[0].X}
	for i := 1; i < len(xs); i++ {
		if !(xs[i] > xs[i-1]) {
			t.Errorf("curve x positions at bin 0.5 = %v, want increasing", xs)
		}
	}
}

func TestDriftFigureShowsCountsAndIntervals(t *testing.T) {
	s := edgeSummary()
	f, err := Drift(s, "lexicon")
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Counts) != 4 {
		t.Fatalf("%d count rows, want one per model (4)", len(f.Counts))
	}
	if tiny := f.Counts[3]; !slices.Equal(tiny.Text, []string{"0", "0", "3", "0", "0"}) || tiny.Color != modelColor(3) {
		t.Errorf("tiny's count row = %+v", tiny)
	}
	for _, want := range []string{"Wilson", "95%", "not drawn"} {
		if !strings.Contains(f.Note, want) {
			t.Errorf("caption %q lacks %q", f.Note, want)
		}
	}
	if _, err := Drift(driftSummary(bins5([]int{0, 0, 0, 0, 0}, make([]float64, 5), make([]float64, 5))), "j"); !errors.Is(err, ErrNoData) {
		t.Errorf("drift with only empty bins: err = %v, want ErrNoData", err)
	}
}

func TestJudgeAgreementScaleAndCells(t *testing.T) {
	withNegative := fixtureSummary()
	withNegative.Agreement = append(withNegative.Agreement, metrics.Agreement{A: "lexicon", B: "human", Model: "m", N: 12, Kappa: -0.12})
	perModel := &metrics.Summary{Agreement: []metrics.Agreement{
		{A: "a", B: "b", Model: "m1", N: 12, Matrix: [][]int{{5, 1}, {2, 4}}},
		{A: "a", B: "b", Model: "m2", N: 6, Matrix: [][]int{{3, 0}, {0, 3}}},
		{A: "a", B: "c", Model: "m1", N: 0, Kappa: 0}, // compared on no items: n/a, not 0
	}}
	pooledKappa := kappaOf([][]int{{8, 1}, {2, 7}}).kappa
	tests := []struct {
		name     string
		s        *metrics.Summary
		lo       float64
		colors   int
		raters   []string
		wantCell map[[2]int]string
	}{
		{"kappas in [0, 1]", fixtureSummary(), 0, 9, []string{"lexicon", "gpt", "human"},
			map[[2]int]string{{0, 1}: "0.61\nn=7008", {1, 0}: "0.61\nn=7008", {1, 2}: "0.74\nn=300", {0, 2}: "n/a", {2, 2}: "1"}},
		{"a negative kappa", withNegative, -1, 11, []string{"lexicon", "gpt", "human"},
			map[[2]int]string{{0, 2}: "-0.12\nn=12"}},
		{"pooled from per-model matrices", perModel, 0, 9, []string{"a", "b"},
			map[[2]int]string{{0, 1}: formatFloat(pooledKappa, 2) + "\nn=18"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := JudgeAgreement(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			sc := f.Scale
			if sc == nil {
				t.Fatal("no colour scale")
			}
			if sc.Min != tt.lo || sc.Max != 1 || len(sc.Colors) != tt.colors || sc.Label != "κ" {
				t.Errorf("scale %v to %v, %d colours, label %q; want %v to 1, %d colours, κ", sc.Min, sc.Max, len(sc.Colors), sc.Label, tt.lo, tt.colors)
			}
			if len(sc.Ticks) < 3 || sc.Ticks[0] != tt.lo || sc.Ticks[len(sc.Ticks)-1] != 1 {
				t.Errorf("scale ticks = %v, want %v … 1", sc.Ticks, tt.lo)
			}
			d := agreementData(tt.s)
			if !slices.Equal(d.raters, tt.raters) {
				t.Errorf("raters = %v, want %v", d.raters, tt.raters)
			}
			for rc, want := range tt.wantCell {
				if got := d.cells[rc[0]][rc[1]]; got != want {
					t.Errorf("cell %v = %q, want %q", rc, got, want)
				}
				if want == notAvailable && !math.IsNaN(d.z[rc[0]][rc[1]]) {
					t.Errorf("cell %v is n/a but coloured as %v", rc, d.z[rc[0]][rc[1]])
				}
			}
		})
	}
	// The scale shows each value in the colour the heat map gives it.
	for _, lo := range []float64{0, -1} {
		pal, ticks, err := kappaScale(lo)
		if err != nil {
			t.Fatal(err)
		}
		sc := &ColorScale{Min: lo, Max: 1, Colors: pal.Colors(), Ticks: ticks}
		h := plotter.NewHeatMap(matrixGrid{z: [][]float64{{0}}, min: lo, max: 1}, pal)
		for v := lo; v <= 1; v += 0.01 {
			if sc.colorAt(v) != cellColor(h, v) {
				t.Errorf("scale from %v: κ %.2f has colour %v on the scale, %v in the map", lo, v, sc.colorAt(v), cellColor(h, v))
			}
		}
	}
}

func TestPerClassRecallWhiskers(t *testing.T) {
	tests := []struct {
		name string
		s    *metrics.Summary
	}{
		{"fixture", fixtureSummary()},
		{"with a small model and a class without clips", edgeSummary()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := perClassData(tt.s)
			if len(d.models) != len(models(tt.s)) {
				t.Fatalf("models = %v, want every model", d.models)
			}
			z := zScore(level(tt.s))
			for si, name := range d.models {
				for c, class := range d.classes {
					cs := tt.s.Models[name].PerClass[class]
					v, ci := d.bars.values[si][c], d.bars.ci[si][c]
					if cs.Support == 0 {
						if !math.IsNaN(v) || !math.IsNaN(ci[0]) {
							t.Errorf("%s/%s without clips: value %v, interval %v; want n/a", name, class, v, ci)
						}
						continue
					}
					want := wilsonPct(cs.Correct, cs.Support, z)
					if !near(v, 100*cs.Recall, 1e-9) || !near(ci[0], want[0], 1e-9) || !near(ci[1], want[1], 1e-9) {
						t.Errorf("%s/%s: bar %v [%v, %v], want %v with Wilson %v", name, class, v, ci[0], ci[1], 100*cs.Recall, want)
					}
					if !(ci[0] <= v && v <= ci[1] && ci[1] > ci[0]) {
						t.Errorf("%s/%s: no whisker around the bar: %v [%v, %v]", name, class, v, ci[0], ci[1])
					}
				}
			}
			if !strings.Contains(d.ticks[0], "\nn=") {
				t.Errorf("tick %q does not give the class's n", d.ticks[0])
			}
			f, err := PerClassRecall(tt.s)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(f.Note, "Wilson") || !strings.Contains(f.Title, "Wilson") {
				t.Errorf("title %q / caption %q do not say the whiskers are Wilson intervals", f.Title, f.Note)
			}
		})
	}
}

// TestUndefinedIsNotZero checks, figure by figure, that a metric undefined for a model is left
// out or marked n/a (NaN in the plot data), never drawn as 0, while a measured 0 stays 0.
func TestUndefinedIsNotZero(t *testing.T) {
	nan := math.NaN()
	mod := func(mutate func(*metrics.Modality)) *metrics.Summary {
		s := fixtureSummary()
		s.ModelOrder = []string{"migr"}
		s.Models = map[string]*metrics.ModelSummary{"migr": s.Models["migr"]}
		mutate(s.Models["migr"].Modality)
		return s
	}
	type want struct {
		miAligned, visual float64 // NaN = n/a
	}
	modTests := []struct {
		name string
		s    *metrics.Summary
		want *want // nil = no figure
	}{
		{"all defined", mod(func(*metrics.Modality) {}), &want{100 * (551.0 + 209) / (612 + 287), 55}},
		{"MI-aligned nil", mod(func(m *metrics.Modality) { m.MIAligned = nil }), &want{nan, 55}},
		{"no MI", mod(func(m *metrics.Modality) { m.MISource = "" }), &want{nan, 55}},
		{"visual initiation nil", mod(func(m *metrics.Modality) { m.VisualInitiation, m.VisualInitiationN = nil, 0 }),
			&want{100 * (551.0 + 209) / (612 + 287), nan}},
		{"no description tags: MI-aligned 0 is not measured", mod(func(m *metrics.Modality) {
			m.Order = map[string]float64{"no_desc": 1}
			m.MIOrder = map[string]map[string]int{"vision": {"no_desc": 612}, "audio": {"no_desc": 287}}
			m.MIAligned = ptr(0)
		}), &want{nan, 55}},
		{"no description tags, as metrics now writes it", mod(func(m *metrics.Modality) {
			*m = metrics.Modality{DescriptionTags: false, MISource: "variants", VisualInitiation: ptr(0.55), VisualInitiationN: 40}
		}), &want{nan, 55}},
		{"description tags said, order shares absent", mod(func(m *metrics.Modality) { m.DescriptionTags, m.Order = true, nil }),
			&want{100 * (551.0 + 209) / (612 + 287), 55}},
		{"a measured 0 stays 0", mod(func(m *metrics.Modality) { m.VisualInitiation = ptr(0) }), &want{100 * (551.0 + 209) / (612 + 287), 0}},
		{"nothing defined: no figure", mod(func(m *metrics.Modality) { m.MIAligned, m.VisualInitiation = nil, nil }), nil},
		{"no modality: no figure", mod(func(m *metrics.Modality) { *m = metrics.Modality{} }), nil},
	}
	for _, tt := range modTests {
		t.Run("modality/"+tt.name, func(t *testing.T) {
			f, err := ModalityRates(tt.s)
			if tt.want == nil {
				if !errors.Is(err, ErrNoData) {
					t.Errorf("err = %v, want ErrNoData", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			d := modalityRatesData(tt.s)
			got := d.bars.values[0]
			for i, w := range []float64{tt.want.miAligned, tt.want.visual} {
				if math.IsNaN(w) != math.IsNaN(got[i]) || (!math.IsNaN(w) && !near(got[i], w, 1e-9)) {
					t.Errorf("value %d = %v, want %v", i, got[i], w)
				}
				if math.IsNaN(w) && !strings.Contains(f.Note, "n/a") {
					t.Errorf("caption %q does not explain n/a", f.Note)
				}
				if ci := d.bars.ci[0][i]; math.IsNaN(got[i]) != math.IsNaN(ci[0]) {
					t.Errorf("value %d = %v has interval %v", i, got[i], ci)
				}
			}
		})
	}

	edge := edgeSummary()
	t.Run("modality/models without modality are left out", func(t *testing.T) {
		s := edgeSummary()
		s.Models["migr"].Modality = nil
		if d := modalityRatesData(s); slices.Contains(d.models, "migr") || len(d.models) != 3 {
			t.Errorf("models = %v, want all but migr", d.models)
		}
		d := modalityRatesData(edge)
		tiny := slices.Index(d.models, "tiny")
		if tiny < 0 || !math.IsNaN(d.bars.values[tiny][0]) || !math.IsNaN(d.bars.values[tiny][1]) {
			t.Errorf("tiny (no tags, no visual initiation) = %v, want n/a twice", d.bars.values)
		}
	})
	t.Run("MI order leaves out, and names, a model without description tags", func(t *testing.T) {
		s := fixtureSummary()
		s.Models["r1-omni"].Modality = &metrics.Modality{MISource: "variants", VisualInitiation: ptr(0.83), VisualInitiationN: 2100}
		f, err := MIOrder(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, tk := range f.Plot.Y.Tick.Marker.Ticks(f.Plot.Y.Min, f.Plot.Y.Max) {
			if strings.HasPrefix(tk.Label, "r1-omni") {
				t.Errorf("row %q drawn for a model without description tags", tk.Label)
			}
		}
		if !strings.Contains(f.Note, "no description tags: r1-omni.") {
			t.Errorf("caption %q does not name the model left out", f.Note)
		}
	})
	t.Run("per-class recall of a class without clips", func(t *testing.T) {
		d := perClassData(edge)
		tiny, disgust := slices.Index(d.models, "tiny"), slices.Index(d.classes, "disgust")
		fear := slices.Index(d.classes, "fear")
		if !math.IsNaN(d.bars.values[tiny][disgust]) {
			t.Errorf("tiny/disgust = %v, want n/a", d.bars.values[tiny][disgust])
		}
		if d.bars.values[tiny][fear] != 0 || d.bars.ci[tiny][fear][1] <= 0 {
			t.Errorf("tiny/fear, 0 of 1 right, = %v %v; want a measured 0 with its interval", d.bars.values[tiny][fear], d.bars.ci[tiny][fear])
		}
	})
	t.Run("recognition of a non-finite value", func(t *testing.T) {
		_, g := recognitionData(oneModel(func(m *metrics.ModelSummary) { m.WAR, m.UAR = nan, math.Inf(1) }))
		if v := g.values[0]; !math.IsNaN(v[0]) || !math.IsNaN(v[1]) || math.IsNaN(v[2]) {
			t.Errorf("values = %v, want n/a, n/a, macro-F1", v)
		}
	})
	t.Run("quarter with undefined shares", func(t *testing.T) {
		s := oneModel(func(m *metrics.ModelSummary) {
			m.Reliability = map[string]*metrics.Reliability{"j": {N: 10, TT: nan, TF: 0.1, FT: 0.1, FF: 0.1}}
		})
		if _, err := Quarter(s, "j"); !errors.Is(err, ErrNoData) {
			t.Errorf("err = %v, want ErrNoData (the model left out)", err)
		}
	})
	t.Run("agreement on no items", func(t *testing.T) {
		s := &metrics.Summary{Agreement: []metrics.Agreement{{A: "a", B: "b", N: 0, Kappa: 0}}}
		if _, err := JudgeAgreement(s); !errors.Is(err, ErrNoData) {
			t.Errorf("err = %v, want ErrNoData", err)
		}
	})
}

// figureTexts is every text a figure draws from its data: title, legend, caption, axis labels
// and tick labels.
func figureTexts(f *Figure) []string {
	out := []string{f.Title, f.Note, f.Plot.X.Label.Text, f.Plot.Y.Label.Text}
	for _, e := range f.Legend {
		out = append(out, e.Label)
	}
	for _, ax := range []*gplot.Axis{&f.Plot.X, &f.Plot.Y} {
		for _, tk := range ax.Tick.Marker.Ticks(ax.Min, ax.Max) {
			out = append(out, tk.Label)
		}
	}
	return out
}

func TestReadableWords(t *testing.T) {
	identifier := regexp.MustCompile(`\b(vision_first|audio_first|no_desc|MI (vision|audio|multimodal))\b|\b[a-z]+_[a-z]+\b`)
	s := fixtureSummary()
	s.Models["migr"].Modality.MIOrder["vision"]["both_first"] = 3 // an order this package does not know
	figs, err := Figures(s)
	if err != nil {
		t.Fatal(err)
	}
	all := map[string][]string{}
	for _, f := range figs {
		all[f.Name] = figureTexts(f)
		for _, txt := range all[f.Name] {
			if m := identifier.FindString(txt); m != "" {
				t.Errorf("%s draws the identifier %q in %q", f.Name, m, txt)
			}
		}
	}
	tests := []struct {
		figure string
		want   []string
	}{
		{"mi-order", []string{"Vision first", "Audio first", "No description tags", "Both first",
			"migr · Vision-important clips (n=615)", "migr · Audio-important clips (n=287)", "migr · Multimodal clips (n=1437)"}},
		{"quarter-gpt", []string{"TT: correct prediction, consistent explanation", "TF: correct prediction, inconsistent explanation",
			"FT: wrong prediction, explanation names the truth", "FF: wrong prediction, explanation misses the truth"}},
		{"modality", []string{"MI-aligned", "Visual initiation"}},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !slices.Contains(all[tt.figure], w) {
				t.Errorf("%s lacks %q; has %q", tt.figure, w, all[tt.figure])
			}
		}
	}
	if got := humanize("some_new_order"); got != "Some new order" {
		t.Errorf("humanize = %q", got)
	}
}

func TestCaptionAndCountsKeepThePlotSize(t *testing.T) {
	f, err := Drift(edgeSummary(), "lexicon")
	if err != nil {
		t.Fatal(err)
	}
	if extra := f.Height - inches(3.9); extra < f.countsHeight()+2*noteLine {
		t.Errorf("default height grew by %v for a %v count table and a caption", extra, f.countsHeight())
	}
	lines := noteLines(noteStyle(), f.Note, f.Width-2*figPad)
	if len(lines) < 2 {
		t.Errorf("caption not wrapped: %q", lines)
	}
	for _, l := range lines {
		if noteStyle().Width(l) > f.Width-2*figPad {
			t.Errorf("caption line %q wider than the figure", l)
		}
	}
}

func TestCP1252(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Cohen's κ", "Cohen's kappa"},
		{"−0.5 · n=3 — ok…", "-0.5 \xb7 n=3 \x97 ok\x85"},
		{"中", "?"},
	}
	for _, tt := range tests {
		if got := cp1252(tt.in); got != tt.want {
			t.Errorf("cp1252(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
