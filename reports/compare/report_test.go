package compare

import (
	"bytes"
	"encoding/xml"
	"regexp"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/metrics"
)

// reportFixture compares r1-omni with migr on DFEW fold 5 with a passing, a failing and an
// unevaluable gate. With hostile, the model names carry Markdown, HTML, XML and control text.
func reportFixture(t *testing.T, hostile bool) *Report {
	baseName, candName := "r1-omni", "migr"
	if hostile {
		baseName, candName = "r1|omni <script>alert(1)</script>", "migr_**v2**\n@team \x1b[2J & \"q\" ]]>"
	}
	base, cand := run(baseName, model(0.70933, 0.60888, 0.18193)), run(candName, model(0.74743, 0.65768, 0.07363))
	cand.Synthetic = hostile
	cmp := []metrics.Comparison{
		comparison(baseName, candName, "war", 0.70933, 0.74743, 0.00002, "mcnemar-exact"),
		comparison(baseName, candName, "uar", 0.60888, 0.65768, 0.0004, "paired-bootstrap"),
		comparison(baseName, candName, "gpt.tf", 0.18193, 0.07363, 0, "mcnemar-exact"),
	}
	gates := mustGates(t, "uar:max-drop=1pp", "war:significant-drop", "gpt.tf:max=0.05", "lexicon.tf:max-rise=0")
	r, err := New(base, cand, baseName, candName, gates, cmp)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestMarkdownGolden(t *testing.T) {
	for _, hostile := range []bool{false, true} {
		var buf bytes.Buffer
		if err := reportFixture(t, hostile).WriteMarkdown(&buf); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		name := "report.md"
		if hostile {
			name = "report-hostile.md"
			for _, bad := range []string{"\x1b", "r1|omni", "**v2**"} {
				if strings.Contains(out, bad) {
					t.Errorf("unescaped %q in Markdown", bad)
				}
			}
			if regexp.MustCompile(`(^|[^\\])<script>`).MatchString(out) {
				t.Error("unescaped <script> in Markdown")
			}
		}
		for _, want := range []string{"## emoeval compare: ❌ 1 of 4 gates failed, 1 could not be evaluated (see why below)", "| ✅ pass |", "| **❌ fail** |", "| **⚠️ error** |", `| WAR | 70.933 | 74.743 | +3.81 | \[+2.81, +4.81\] | <0.0001 | mcnemar-exact |`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		golden(t, name, buf.Bytes())
	}
}

func TestJUnitGolden(t *testing.T) {
	for _, hostile := range []bool{false, true} {
		var buf bytes.Buffer
		if err := reportFixture(t, hostile).WriteJUnit(&buf); err != nil {
			t.Fatal(err)
		}
		var doc junitSuites
		if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatalf("JUnit XML does not parse: %v\n%s", err, buf.String())
		}
		s := doc.Suites[0]
		if doc.Tests != 4 || doc.Failures != 1 || doc.Errors != 1 || len(s.Cases) != 4 {
			t.Fatalf("counts %+v", doc)
		}
		if s.Cases[0].Failure != nil || s.Cases[1].Failure != nil || s.Cases[2].Failure == nil || s.Cases[3].Error == nil {
			t.Errorf("failure elements on the wrong cases: %+v", s.Cases)
		}
		if s.Cases[2].Name != "gpt.tf:max=0.05" || !strings.Contains(s.Cases[2].Failure.Message, "maximum 5.00%") {
			t.Errorf("failed case %+v", s.Cases[2])
		}
		name := "report.xml"
		if hostile {
			name = "report-hostile.xml"
			if s.Properties[1].Value != "migr_**v2**\n@team ␛[2J & \"q\" ]]>" {
				t.Errorf("candidate property reads back as %q", s.Properties[1].Value)
			}
		}
		golden(t, name, buf.Bytes())
	}
}

func TestExitCode(t *testing.T) {
	cases := []struct {
		statuses []Status
		want     int
	}{
		{nil, 0},
		{[]Status{Pass, Pass}, 0},
		{[]Status{Pass, Fail}, 1},
		{[]Status{Fail, Error}, 2},
		{[]Status{Error}, 2},
	}
	for _, c := range cases {
		r := &Report{}
		for _, s := range c.statuses {
			r.Results = append(r.Results, Result{Status: s})
		}
		if got := r.ExitCode(); got != c.want {
			t.Errorf("%v: exit %d, want %d", c.statuses, got, c.want)
		}
	}
}

func TestAllPassVerdict(t *testing.T) {
	base, cand := run("a", model(0.7, 0.6, 0.1)), run("b", model(0.71, 0.6, 0.1))
	r, err := New(base, cand, "a", "b", mustGates(t, "war:max-drop=0", "uar:min=0.6"), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.WriteMarkdown(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "## emoeval compare: ✅ all 2 gates passed\n") || r.ExitCode() != 0 {
		t.Errorf("verdict:\n%s", buf.String())
	}
}
