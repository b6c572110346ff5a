package compare

import (
	"math"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func TestParseGate(t *testing.T) {
	cases := []struct {
		spec   string
		metric string
		rule   Rule
		thr    float64
	}{
		{"uar:max-drop=1pp", "uar", MaxDrop, 0.01},
		{" war:max-drop=0.5pp ", "war", MaxDrop, 0.005},
		{"gpt.tf:max-rise=0", "gpt.tf", MaxRise, 0},
		{"war:significant-drop", "war", SignificantDrop, 0},
		{"war:significant-drop=0.01", "war", SignificantDrop, 0.01},
		{"gpt.tf:significant-rise", "gpt.tf", SignificantRise, 0},
		{"uar:min=0.6", "uar", Min, 0.6},
		{"uar:min=60%", "uar", Min, 0.6},
		{"uar:min=60pp", "uar", Min, 0.6},
		{"gpt.tf_given_correct:max=0.15", "gpt.tf_given_correct", Max, 0.15},
		{"war:max-drop=-1pp", "war", MaxDrop, -0.01},
		{"macro_f1:max-drop=0.02", "macro_f1", MaxDrop, 0.02},
		{"format_reward:max-drop=0.1", "format_reward", MaxDrop, 0.1},
		{"format_reward:min=-1", "format_reward", Min, -1},
		{"mi_aligned:min=0.5", "mi_aligned", Min, 0.5},
		{"gpt-4.1-mini.eea:min=50%", "gpt-4.1-mini.eea", Min, 0.5},
		{"my:judge.epc:max-rise=2pp", "my:judge.epc", MaxRise, 0.02},
		{"lexicon.ff:max=0.3", "lexicon.ff", Max, 0.3},
	}
	for _, c := range cases {
		g, err := ParseGate(c.spec)
		if err != nil {
			t.Errorf("%q: %v", c.spec, err)
			continue
		}
		if g.Metric != c.metric || g.Rule != c.rule || math.Abs(g.Threshold-c.thr) > 1e-15 || g.Spec != strings.TrimSpace(c.spec) {
			t.Errorf("%q = %+v, want %s %s %g", c.spec, g, c.metric, c.rule, c.thr)
		}
	}
}

func TestParseGateErrors(t *testing.T) {
	cases := []struct{ spec, want string }{
		{"uar", "want METRIC:RULE"},
		{"accuracy:min=0.5", `unknown metric "accuracy"`},
		{"gpt.recall:min=0.5", `unknown metric "gpt.recall"`},
		{".tf:min=0.5", `unknown metric ".tf"`},
		{"uar:drop=1pp", `unknown rule "drop"`},
		{"uar:max-drop", "max-drop needs a value"},
		{"uar:max-drop=", "max-drop needs a value"},
		{"uar:max-drop=abc", `"abc" is not a number`},
		{"uar:max-drop=NaN", `"NaN" is not a number`},
		{"uar:max-drop=1", "write 1pp for percentage points"},
		{"uar:max-drop=1%", "percentage points"},
		{"uar:min=60", "write 60% or 0.6"},
		{"uar:min=-0.1", "is a fraction in [0, 1]"},
		{"format_reward:max-drop=1pp", "format_reward is not a rate"},
		{"war:significant-drop=5", "alpha, a number between 0 and 1"},
		{"war:significant-drop=x", "alpha"},
	}
	for _, c := range cases {
		_, err := ParseGate(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.spec, err, c.want)
			continue
		}
		if !inputerr.Is(err) || !strings.Contains(err.Error(), c.spec) {
			t.Errorf("%q: error %v is not an input error naming the gate", c.spec, err)
		}
	}
	if _, err := ParseGates([]string{"uar:min=0.5", "bad"}); err == nil || !strings.Contains(err.Error(), `"bad"`) {
		t.Errorf("ParseGates error %v does not name the bad gate", err)
	}
}

// FuzzParseGate: any spec parses or gives an input error, and a parsed gate is well-formed.
func FuzzParseGate(f *testing.F) {
	for _, s := range []string{"uar:max-drop=1pp", "gpt.tf:max-rise=0", "war:significant-drop", "uar:min=60%", "a:b:c=", ":", "x.tf:max=1e400pp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		g, err := ParseGate(spec)
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("%q: error %v is not an input error", spec, err)
			}
			return
		}
		if math.IsNaN(g.Threshold) || math.IsInf(g.Threshold, 0) {
			t.Fatalf("%q: threshold %v", spec, g.Threshold)
		}
		switch g.Rule {
		case MaxDrop, MaxRise, Min, Max, SignificantDrop, SignificantRise:
		default:
			t.Fatalf("%q: rule %q", spec, g.Rule)
		}
	})
}
