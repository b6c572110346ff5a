// Package tables builds the paper-style report tables of a run from its metrics.Summary:
// recognition (with the published rows of docs/reference.md §7), per-class recall, confusion
// matrices, the quarter table of each judge, modality, judge agreement, comparisons and fold
// means. Numbers are printed with the digits of the authors' scripts: WAR, UAR and recall as
// percentages with three decimals, quarter cells with two and a percent sign.
package papertables

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Options choose what the builders add.
type Options struct {
	// Reference adds the published rows of docs/reference.md §7, marked reported, to the
	// recognition and quarter tables.
	Reference bool
}

// notAvailable is the text of a cell with no value.
const notAvailable = "–"

// models returns the summary's model names: ModelOrder first, then any others sorted.
func models(s *metrics.Summary) []string {
	var out []string
	seen := map[string]bool{}
	for _, m := range s.ModelOrder {
		if s.Models[m] != nil && !seen[m] {
			out = append(out, m)
			seen[m] = true
		}
	}
	var rest []string
	for m, ms := range s.Models {
		if ms != nil && !seen[m] {
			rest = append(rest, m)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// judges returns the judge names: Summary.Judges first, then any others a model has, sorted.
func judges(s *metrics.Summary) []string {
	var out []string
	seen := map[string]bool{}
	for _, j := range s.Judges {
		if !seen[j] {
			out = append(out, j)
			seen[j] = true
		}
	}
	var rest []string
	for _, ms := range s.Models {
		if ms == nil {
			continue
		}
		for j := range ms.Reliability {
			if !seen[j] {
				rest = append(rest, j)
				seen[j] = true
			}
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}

// scope describes what the numbers cover: "DFEW, fold 5, migr protocol".
func scope(s *metrics.Summary) string {
	parts := []string{datasetName(s.Dataset)}
	if f := foldsText(s.Folds); f != "" {
		switch s.FoldAggregation {
		case metrics.FoldsPooled:
			f += " pooled"
		case metrics.FoldsMean:
			f += " pooled (mean ± sd in the fold table)"
		}
		parts = append(parts, f)
	}
	if s.Protocol != "" {
		parts = append(parts, s.Protocol+" protocol")
	}
	return strings.Join(parts, ", ")
}

func datasetName(ds string) string {
	switch strings.ToLower(ds) {
	case "dfew", "mafw":
		return strings.ToUpper(ds)
	case "":
		return "unknown data set"
	}
	return ds
}

// foldsText prints folds as "fold 5", "folds 1–5" or "folds 1, 3".
func foldsText(folds []int32) string {
	if len(folds) == 0 {
		return ""
	}
	fs := slices.Clone(folds)
	slices.Sort(fs)
	if len(fs) == 1 {
		return fmt.Sprintf("fold %d", fs[0])
	}
	contiguous := true
	for i := 1; i < len(fs); i++ {
		contiguous = contiguous && fs[i] == fs[i-1]+1
	}
	if contiguous {
		return fmt.Sprintf("folds %d–%d", fs[0], fs[len(fs)-1])
	}
	var ss []string
	for _, f := range fs {
		ss = append(ss, strconv.Itoa(int(f)))
	}
	return "folds " + strings.Join(ss, ", ")
}

// CILabel names interval columns after the summary's alpha: "95% CI".
func CILabel(s *metrics.Summary) string {
	alpha := s.Statistics.Alpha
	if alpha <= 0 || alpha >= 1 {
		alpha = 0.05
	}
	level := math.Round((1-alpha)*100*1000) / 1000
	return strconv.FormatFloat(level, 'f', -1, 64) + "% CI"
}

// ciNote says how intervals were computed.
func ciNote(s *metrics.Summary) string {
	return fmt.Sprintf("CI: bootstrap percentile interval, %d resamples, seed %d.", s.Statistics.Bootstrap, s.Statistics.Seed)
}

// finish applies what every table gets: the synthetic-data marks.
func finish(s *metrics.Summary, t *tabular.Table) *tabular.Table {
	if t == nil {
		return nil
	}
	if w := FailedWarning(s); w != "" {
		t.Notes = append(t.Notes, w)
	}
	if s.Synthetic {
		t.MarkSynthetic()
	}
	return t
}

// FailedWarning is the warning every table carries when model calls failed: their clips are
// in no number of the table, so the numbers cover fewer clips than the split has.
func FailedWarning(s *metrics.Summary) string {
	var parts []string
	total := 0
	for _, m := range s.ModelOrder {
		if ms := s.Models[m]; ms != nil && ms.Failed > 0 {
			parts = append(parts, fmt.Sprintf("%s %d", m, ms.Failed))
			total += ms.Failed
		}
	}
	if total == 0 {
		return ""
	}
	return fmt.Sprintf("WARNING: %d model calls failed (%s); failed calls are not scored, so these numbers cover fewer clips than the split.",
		total, strings.Join(parts, ", "))
}

// pct is a rate cell in percent: pct(0.6778, 3) is "67.780".
func pct(v float64, digits int) tabular.Cell { return percentCell(100*v, digits) }

// percentCell is a cell of a value already in percent.
func percentCell(v float64, digits int) tabular.Cell {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return tabular.Str(notAvailable)
	}
	return tabular.Num(v, "%."+strconv.Itoa(digits)+"f")
}

// recognitionPercents are a model's WAR, UAR and per-class recall in percent, keyed by label.
// Under migr they are the authors' own expressions (metrics.PaperFigures: correct·100/support,
// sum of recall·100 over K), which can differ from 100·rate in the last bit and so in a printed
// digit; elsewhere 100·rate.
type recognitionPercents struct {
	war, uar float64
	recall   map[string]float64
}

func percentsOf(s *metrics.Summary, ms *metrics.ModelSummary) recognitionPercents {
	p := recognitionPercents{war: 100 * ms.WAR, uar: 100 * ms.UAR, recall: map[string]float64{}}
	for l, cs := range ms.PerClass {
		p.recall[l] = 100 * cs.Recall
	}
	if s.Protocol != "migr" || len(s.Labels) == 0 {
		return p
	}
	f := ms.PaperFigures(s.Labels)
	p.war, p.uar = f.WAR, f.UAR
	for i, l := range s.Labels {
		if _, ok := ms.PerClass[l]; ok {
			p.recall[l] = f.Recall[i]
		}
	}
	return p
}

// quarterPct is a quarter-table cell: "18.10%".
func quarterPct(v float64) tabular.Cell {
	c := pct(v, 2)
	if c.Value != nil {
		c.Text += "%"
	}
	return c
}

// ciCell prints an interval of a rate in percent: "[65.12, 70.31]".
func ciCell(ci [2]float64, ok bool) tabular.Cell {
	if !ok || math.IsNaN(ci[0]) || math.IsNaN(ci[1]) {
		return tabular.Str(notAvailable)
	}
	c := tabular.Str(fmt.Sprintf("[%.2f, %.2f]", 100*ci[0], 100*ci[1]))
	c.Interval = &[2]float64{100 * ci[0], 100 * ci[1]}
	return c
}

// anyCI reports whether any of the models has an interval for key.
func anyCI(s *metrics.Summary, names []string, key string) bool {
	for _, m := range names {
		if _, ok := s.Models[m].CI[key]; ok {
			return true
		}
	}
	return false
}

// reported returns a cell holding a published number, or notAvailable.
func reportedCell(text, suffix string) tabular.Cell {
	if text == "" {
		return tabular.Str(notAvailable)
	}
	c := tabular.Str(text + suffix)
	if v, err := strconv.ParseFloat(text, 64); err == nil {
		c.Value = &v
	}
	return c
}

// emphasize marks the best computed value of column col (highest, or lowest when lower is
// better) in rows; ties are all marked. Nothing is marked when fewer than two values differ.
func emphasize(rows []tabular.Row, col int, lowerIsBetter bool) {
	cells := make([]*tabular.Cell, 0, len(rows))
	for i := range rows {
		if c := &rows[i].Cells[col]; !rows[i].Reported && c.Value != nil {
			cells = append(cells, c)
		}
	}
	markBest(cells, lowerIsBetter)
}

// markBest emphasises the cells holding the best value, unless all values are equal.
func markBest(cells []*tabular.Cell, lowerIsBetter bool) {
	if len(cells) < 2 {
		return
	}
	lo, hi := *cells[0].Value, *cells[0].Value
	for _, c := range cells[1:] {
		lo, hi = min(lo, *c.Value), max(hi, *c.Value)
	}
	if lo == hi {
		return
	}
	best := hi
	if lowerIsBetter {
		best = lo
	}
	for _, c := range cells {
		if *c.Value == best {
			c.Emph = true
		}
	}
}

// fill returns n cells of text.
func fill(n int, text string) []tabular.Cell {
	cells := make([]tabular.Cell, n)
	for i := range cells {
		cells[i] = tabular.Str(text)
	}
	return cells
}
