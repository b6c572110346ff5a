package compare

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/papertables"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Report is a comparison's outcome, ready to render.
type Report struct {
	Base, Cand           *metrics.Summary
	BaseModel, CandModel string
	Comparisons          []metrics.Comparison
	Results              []Result
}

// New evaluates the gates (see Evaluate) and returns the report.
func New(base, cand *metrics.Summary, baseModel, candModel string, gates []Gate, comparisons []metrics.Comparison) (*Report, error) {
	results, err := Evaluate(base, cand, baseModel, candModel, gates, comparisons)
	if err != nil {
		return nil, err
	}
	return &Report{Base: base, Cand: cand, BaseModel: baseModel, CandModel: candModel, Comparisons: comparisons, Results: results}, nil
}

// Count returns how many gates have the status.
func (r *Report) Count(s Status) int {
	n := 0
	for _, res := range r.Results {
		if res.Status == s {
			n++
		}
	}
	return n
}

// ExitCode is the CLI's exit code: 2 when a gate could not be evaluated, 1 when one failed, else 0.
func (r *Report) ExitCode() int {
	switch {
	case r.Count(Error) > 0:
		return 2
	case r.Count(Fail) > 0:
		return 1
	}
	return 0
}

func (r *Report) synthetic() bool { return r.Base.Synthetic || r.Cand.Synthetic }

// verdict is the one-line outcome: "✅ all 3 gates passed".
func (r *Report) verdict() string {
	n, fail, errs := len(r.Results), r.Count(Fail), r.Count(Error)
	gates := func(k int) string {
		if k == 1 {
			return "1 gate"
		}
		return fmt.Sprintf("%d gates", k)
	}
	switch {
	case n == 0:
		return "ℹ️ no gates"
	case errs > 0 && fail > 0:
		return fmt.Sprintf("❌ %d of %s failed, %d could not be evaluated (see why below)", fail, gates(n), errs)
	case errs > 0:
		return fmt.Sprintf("⚠️ %d of %s could not be evaluated (see why below)", errs, gates(n))
	case fail > 0:
		return fmt.Sprintf("❌ %d of %s failed", fail, gates(n))
	case n == 1:
		return "✅ the gate passed"
	}
	return fmt.Sprintf("✅ all %d gates passed", n)
}

// headlineMetrics are the metrics both models have, in report order.
func (r *Report) headlineMetrics() []string {
	bm, cm := r.Base.Models[r.BaseModel], r.Cand.Models[r.CandModel]
	candidates := []string{"war", "uar", "macro_f1"}
	for _, j := range r.Cand.Judges {
		candidates = append(candidates, j+".tf", j+".tf_given_correct", j+".corrected_tf", j+".corrected_tf_given_correct")
	}
	candidates = append(candidates, "mi_aligned", "format_reward")
	var out []string
	for _, m := range candidates {
		_, okB := papertables.MetricValue(bm, m)
		_, okC := papertables.MetricValue(cm, m)
		if okB && okC {
			out = append(out, m)
		}
	}
	return out
}

// Tables returns the headline table ("compare-headline") and the gate table ("compare-gates"),
// for any renderer of package table.
func (r *Report) Tables() []*tabular.Table {
	bm, cm := r.Base.Models[r.BaseModel], r.Cand.Models[r.CandModel]
	head := &tabular.Table{
		ID:    "compare-headline",
		Title: "Headline numbers",
		Columns: []tabular.Column{
			{Header: "Metric"}, {Header: "Baseline: " + r.BaseModel, Align: tabular.Right},
			{Header: "Candidate: " + r.CandModel, Align: tabular.Right}, {Header: "Δ (pp)", Align: tabular.Right},
			{Header: "Δ " + papertables.CILabel(r.Cand), Align: tabular.Right}, {Header: "p", Align: tabular.Right}, {Header: "Test"},
		},
		Notes: []string{"Rates in percent; Δ = candidate − baseline in percentage points (format reward: in its own units)."},
	}
	if r.hasCorrected() {
		head.Notes = append(head.Notes, "Human-corrected rows compare the judge's rates corrected with human labels on a sample of each run (prediction-powered inference); each run has its own interval in its report, and there is no paired test of them.")
	}
	for _, m := range r.headlineMetrics() {
		b, _ := papertables.MetricValue(bm, m)
		c, _ := papertables.MetricValue(cm, m)
		cells := []tabular.Cell{tabular.Str(papertables.MetricLabel(m)), papertables.MetricCell(m, b), papertables.MetricCell(m, c)}
		if cmp, ok := findComparison(r.Comparisons, r.BaseModel, r.CandModel, m); ok {
			cells = append(cells, papertables.DeltaCell(m, cmp.Delta), tabular.Str(papertables.DeltaCI(m, cmp.Delta, cmp.CI)), papertables.PValueCell(cmp.PValue), tabular.Str(cmp.Test))
		} else {
			cells = append(cells, papertables.DeltaCell(m, c-b), tabular.Str("–"), tabular.Str("–"), tabular.Str("–"))
		}
		head.Rows = append(head.Rows, tabular.Row{Cells: cells})
	}
	gates := &tabular.Table{
		ID:    "compare-gates",
		Title: "Gates: " + r.verdict(),
		Columns: []tabular.Column{
			{Header: "Gate"}, {Header: "Result"}, {Header: "Detail"},
		},
	}
	for _, res := range r.Results {
		mark := map[Status]string{Pass: "✅ pass", Fail: "❌ fail", Error: "⚠️ error"}[res.Status]
		gates.Rows = append(gates.Rows, tabular.Row{Cells: []tabular.Cell{
			tabular.Str(res.Gate.Spec), {Text: mark, Emph: res.Status != Pass}, tabular.Str(res.Message),
		}})
	}
	out := []*tabular.Table{head, gates}
	if len(head.Rows) == 0 {
		out = out[1:]
	}
	if r.synthetic() {
		for _, t := range out {
			t.MarkSynthetic()
		}
	}
	return out
}

// hasCorrected says whether both models have human-corrected rates under some judge.
func (r *Report) hasCorrected() bool {
	for _, m := range r.headlineMetrics() {
		if strings.Contains(m, ".corrected_") {
			return true
		}
	}
	return false
}

// scopeLine describes the comparison in one Markdown line, names escaped.
func (r *Report) scopeLine() string {
	esc := func(s string) string { return tabular.EscapeMarkdown(tabular.Sanitize(s)) }
	n := r.Cand.Models[r.CandModel].N
	return fmt.Sprintf("Baseline **%s** vs candidate **%s**: %s, %s, %s protocol, N = %d.",
		esc(r.BaseModel), esc(r.CandModel), esc(strings.ToUpper(r.Cand.Dataset)), esc(foldsText(r.Cand.Folds)), esc(r.Cand.Protocol), n)
}

// WriteMarkdown writes the pull-request summary: the verdict, the headline numbers side by
// side with Δ, CI and p, and the gate table. Every name and message is escaped.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("## emoeval compare: " + r.verdict() + "\n\n")
	if r.synthetic() {
		bw.WriteString("**" + tabular.SyntheticMark + "**: at least one run was made from generated data.\n\n")
	}
	bw.WriteString(r.scopeLine() + "\n\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write compare Markdown: %w", err)
	}
	for i, t := range r.Tables() {
		if i > 0 {
			if _, err := io.WriteString(w, "\n"); err != nil {
				return fmt.Errorf("write compare Markdown: %w", err)
			}
		}
		if err := t.Render(w, tabular.MD); err != nil {
			return err
		}
	}
	return nil
}

func foldsText(folds []int32) string {
	var parts []string
	for _, f := range sortedFolds(folds) {
		parts = append(parts, fmt.Sprint(f))
	}
	if len(parts) == 1 {
		return "fold " + parts[0]
	}
	return "folds " + strings.Join(parts, ",")
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes JUnit XML: one testcase per gate, a failure element for a failed gate and an
// error element for one that could not be evaluated.
func (r *Report) WriteJUnit(w io.Writer) error {
	clean := tabular.Sanitize
	suite := junitSuite{
		Name:     clean(fmt.Sprintf("emoeval compare %s vs %s", r.BaseModel, r.CandModel)),
		Tests:    len(r.Results),
		Failures: r.Count(Fail),
		Errors:   r.Count(Error),
		Properties: []junitProperty{
			{Name: "baseline", Value: clean(r.BaseModel)}, {Name: "candidate", Value: clean(r.CandModel)},
			{Name: "dataset", Value: clean(r.Cand.Dataset)}, {Name: "folds", Value: foldsText(r.Cand.Folds)},
			{Name: "protocol", Value: clean(r.Cand.Protocol)}, {Name: "synthetic", Value: fmt.Sprint(r.synthetic())},
		},
	}
	for _, res := range r.Results {
		c := junitCase{Name: clean(res.Gate.Spec), Classname: "emoeval.compare." + clean(res.Gate.Metric)}
		msg := clean(res.Message)
		switch res.Status {
		case Fail:
			c.Failure = &junitProblem{Message: msg, Type: string(res.Gate.Rule), Text: msg}
		case Error:
			c.Error = &junitProblem{Message: msg, Type: "not-evaluated", Text: msg}
		default:
			c.SystemOut = msg
		}
		suite.Cases = append(suite.Cases, c)
	}
	doc := junitSuites{Name: "emoeval compare", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	return nil
}
