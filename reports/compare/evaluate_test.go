package compare

import (
	"math"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/metrics"
)

func TestEvaluateRules(t *testing.T) {
	cases := []struct {
		name       string
		gate       string
		base, cand *metrics.ModelSummary
		cmp        []metrics.Comparison
		want       Status
	}{
		{"drop within", "uar:max-drop=1pp", model(0.75, 0.70, 0.1), model(0.75, 0.695, 0.1), nil, Pass},
		{"drop exactly at threshold", "uar:max-drop=1pp", model(0.75, 0.70, 0.1), model(0.75, 0.69, 0.1), nil, Pass},
		{"drop just over", "uar:max-drop=1pp", model(0.75, 0.70, 0.1), model(0.75, 0.6899, 0.1), nil, Fail},
		{"rise passes a drop gate", "war:max-drop=0.5pp", model(0.70, 0.6, 0.1), model(0.80, 0.6, 0.1), nil, Pass},
		{"war half point exactly", "war:max-drop=0.5pp", model(0.7123, 0.6, 0.1), model(0.7073, 0.6, 0.1), nil, Pass},
		{"improvement required, met exactly", "war:max-drop=-1pp", model(0.70, 0.6, 0.1), model(0.71, 0.6, 0.1), nil, Pass},
		{"improvement required, missed", "war:max-drop=-1pp", model(0.70, 0.6, 0.1), model(0.705, 0.6, 0.1), nil, Fail},
		{"tf no rise, equal", "gpt.tf:max-rise=0", model(0.7, 0.6, 0.1810), model(0.7, 0.6, 0.1810), nil, Pass},
		{"tf no rise, one sample more", "gpt.tf:max-rise=0", model(0.7, 0.6, 425.0/2336), model(0.7, 0.6, 426.0/2336), nil, Fail},
		{"tf fell", "gpt.tf:max-rise=0", model(0.7, 0.6, 0.181), model(0.7, 0.6, 0.0737), nil, Pass},
		{"min exactly", "uar:min=0.6", nil, model(0.7, 0.6, 0.1), nil, Pass},
		{"min percent exactly", "uar:min=60%", nil, model(0.7, 0.6, 0.1), nil, Pass},
		{"below min", "uar:min=0.6", nil, model(0.7, 0.5999, 0.1), nil, Fail},
		{"max exactly", "gpt.tf:max=0.1", nil, model(0.7, 0.6, 0.1), nil, Pass},
		{"above max", "gpt.tf:max=0.1", nil, model(0.7, 0.6, 0.1001), nil, Fail},
		{"format reward min", "format_reward:min=0.5", nil, model(0.7, 0.6, 0.1), nil, Pass},
		{"significant drop", "war:significant-drop", model(0.72, 0.6, 0.1), model(0.70, 0.6, 0.1),
			[]metrics.Comparison{comparison("base", "cand", "war", 0.72, 0.70, 0.049, "mcnemar-exact")}, Fail},
		{"drop with p exactly alpha", "war:significant-drop", model(0.72, 0.6, 0.1), model(0.70, 0.6, 0.1),
			[]metrics.Comparison{comparison("base", "cand", "war", 0.72, 0.70, 0.05, "mcnemar-exact")}, Pass},
		{"significant rise passes a drop gate", "war:significant-drop", model(0.70, 0.6, 0.1), model(0.72, 0.6, 0.1),
			[]metrics.Comparison{comparison("base", "cand", "war", 0.70, 0.72, 0.001, "mcnemar-exact")}, Pass},
		{"own alpha", "war:significant-drop=0.01", model(0.72, 0.6, 0.1), model(0.70, 0.6, 0.1),
			[]metrics.Comparison{comparison("base", "cand", "war", 0.72, 0.70, 0.02, "paired-bootstrap")}, Pass},
		{"significant tf rise", "gpt.tf:significant-rise", model(0.7, 0.6, 0.07), model(0.7, 0.6, 0.09),
			[]metrics.Comparison{comparison("base", "cand", "gpt.tf", 0.07, 0.09, 0.003, "mcnemar-exact")}, Fail},
		{"tf fall passes a rise gate", "gpt.tf:significant-rise", model(0.7, 0.6, 0.18), model(0.7, 0.6, 0.07),
			[]metrics.Comparison{comparison("base", "cand", "gpt.tf", 0.18, 0.07, 0.0001, "mcnemar-exact")}, Pass},
		{"swapped comparison", "war:significant-drop", model(0.72, 0.6, 0.1), model(0.70, 0.6, 0.1),
			[]metrics.Comparison{comparison("cand", "base", "war", 0.70, 0.72, 0.01, "mcnemar-exact")}, Fail},
		{"McNemar preferred", "war:significant-drop", model(0.72, 0.6, 0.1), model(0.70, 0.6, 0.1),
			[]metrics.Comparison{
				comparison("base", "cand", "war", 0.72, 0.70, 0.30, "paired-bootstrap"),
				comparison("base", "cand", "war", 0.72, 0.70, 0.01, "mcnemar-exact"),
			}, Fail},
		{"no comparison", "war:significant-drop", model(0.72, 0.6, 0.1), model(0.70, 0.6, 0.1),
			[]metrics.Comparison{comparison("base", "other", "war", 0.72, 0.70, 0.01, "mcnemar-exact")}, Error},
		{"judge missing", "lexicon.tf:max-rise=0", model(0.7, 0.6, 0.1), model(0.7, 0.6, 0.1), nil, Error},
		{"mi missing in baseline", "mi_aligned:max-drop=1pp", &metrics.ModelSummary{N: 2336}, model(0.7, 0.6, 0.1), nil, Error},
		{"mi missing in candidate", "mi_aligned:min=0.5", nil, &metrics.ModelSummary{N: 2336}, nil, Error},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base := c.base
			if base == nil {
				base = model(0.5, 0.5, 0.5)
			}
			res, err := Evaluate(run("base", base), run("cand", c.cand), "base", "cand", mustGates(t, c.gate), c.cmp)
			if err != nil {
				t.Fatal(err)
			}
			if len(res) != 1 || res[0].Status != c.want {
				t.Fatalf("got %+v, want %s", res, c.want)
			}
			if res[0].Message == "" {
				t.Error("no message")
			}
		})
	}
}

func TestEvaluateResultFields(t *testing.T) {
	cmp := []metrics.Comparison{comparison("base", "cand", "war", 0.72, 0.70, 0.01, "mcnemar-exact")}
	res, err := Evaluate(run("base", model(0.72, 0.7, 0.1)), run("cand", model(0.70, 0.69, 0.1)), "base", "cand",
		mustGates(t, "uar:max-drop=1pp", "war:significant-drop"), cmp)
	if err != nil {
		t.Fatal(err)
	}
	r := res[0]
	if r.Base != 0.7 || r.Cand != 0.69 || math.Abs(r.Delta+0.01) > 1e-12 || !math.IsNaN(r.PValue) {
		t.Errorf("uar result %+v", r)
	}
	if r.Message != "UAR 70.000% → 69.000% (Δ -1.00 pp); allowed drop 1.00 pp" {
		t.Errorf("message %q", r.Message)
	}
	r = res[1]
	if r.PValue != 0.01 || r.Test != "mcnemar-exact" || r.Status != Fail {
		t.Errorf("war result %+v", r)
	}
	if r.Message != "WAR 72.000% → 70.000% (Δ -2.00 pp), p = 0.0100 (mcnemar-exact), α = 0.05" {
		t.Errorf("message %q", r.Message)
	}
}

func TestEvaluateIncomparable(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(base, cand *metrics.Summary)
		want   string
	}{
		{"data set", func(_, c *metrics.Summary) { c.Dataset = "mafw" }, "data set dfew vs mafw"},
		{"folds", func(_, c *metrics.Summary) { c.Folds = []int32{1, 2, 3, 4, 5} }, "folds [5] vs [1 2 3 4 5]"},
		{"aggregation", func(_, c *metrics.Summary) { c.FoldAggregation = metrics.FoldsPooled }, "fold aggregation single vs pooled"},
		{"protocol", func(_, c *metrics.Summary) { c.Protocol = "robust" }, "protocol migr vs robust"},
		{"clips", func(_, c *metrics.Summary) { c.Models["cand"].N = 2335 }, "clips 2336 vs 2335"},
		{"labels", func(_, c *metrics.Summary) { c.Labels = c.Labels[:6] }, "labels"},
		{"base model", func(b, _ *metrics.Summary) { delete(b.Models, "base") }, `no model "base" in the baseline run`},
		{"cand model", func(_, c *metrics.Summary) { delete(c.Models, "cand") }, `no model "cand" in the candidate run (it has no models)`},
	}
	for _, c := range cases {
		base, cand := run("base", model(0.7, 0.6, 0.1)), run("cand", model(0.7, 0.6, 0.1))
		c.mutate(base, cand)
		_, err := Evaluate(base, cand, "base", "cand", mustGates(t, "uar:min=0.5"), nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || !inputerr.Is(err) {
			t.Errorf("%s: error %v, want an input error with %q", c.name, err, c.want)
		}
	}
	// Missing clips under migr are not in N but are clips of the split.
	base, cand := run("base", model(0.7, 0.6, 0.1)), run("cand", model(0.7, 0.6, 0.1))
	cand.Models["cand"].N, cand.Models["cand"].Missing = 2330, 6
	cand.Folds = []int32{5}
	if _, err := Evaluate(base, cand, "base", "cand", nil, nil); err != nil {
		t.Errorf("same split with missing outputs: %v", err)
	}
	if _, err := Evaluate(nil, cand, "base", "cand", nil, nil); !inputerr.Is(err) {
		t.Errorf("nil summary: %v", err)
	}
}

func TestResolveModel(t *testing.T) {
	s := run("only", model(0.7, 0.6, 0.1))
	if m, err := ResolveModel(s, ""); err != nil || m != "only" {
		t.Errorf("ResolveModel(\"\") = %q, %v", m, err)
	}
	if _, err := ResolveModel(s, "other"); err == nil || !strings.Contains(err.Error(), `"only"`) {
		t.Errorf("unknown model: %v", err)
	}
	s.Models["second"] = model(0.5, 0.5, 0.1)
	if _, err := ResolveModel(s, ""); err == nil || !strings.Contains(err.Error(), "several models") {
		t.Errorf("ambiguous model: %v", err)
	}
}
