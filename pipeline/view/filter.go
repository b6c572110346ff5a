package view

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Page sizes of the samples table.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
)

// Filter selects rows of the samples table. Empty fields select everything; the URL query
// names are the struct's field names in lower case (Query and ParseFilter).
type Filter struct {
	Model, Variant string
	Truth, Pred    string
	// Judge selects the rows a judge judged; JudgeLabel (the judge's emotion) and Cell (its
	// quarter cell) need it.
	Judge, JudgeLabel, Cell string
	// JudgeError ("", "1" or "0") selects rows whose judgment failed (or did not).
	JudgeError string
	Status     string // parse status
	// Failed, Correct and Scored are "", "1" or "0". Scored rows are those the summary counts.
	Failed, Correct, Scored string
	// Text is searched for, case-insensitively, in the raw output.
	Text string
	// Page is 1-based; Size the rows per page.
	Page, Size int
}

// filterKeys are the query parameters of a filter, in the order links write them.
var filterKeys = []string{"model", "variant", "truth", "pred", "judge", "jlabel", "cell", "jerr", "status", "failed", "correct", "scored", "q", "page", "size"}

// ParseFilter reads a filter from a URL query. Unknown parameters are errors, so that a
// mistyped link says so instead of showing every row.
func ParseFilter(q url.Values) (Filter, error) {
	var f Filter
	for k, vs := range q {
		if !slices.Contains(filterKeys, k) && k != "token" {
			return f, fmt.Errorf("unknown parameter %q (known: %s)", k, strings.Join(filterKeys, ", "))
		}
		if len(vs) > 1 {
			return f, fmt.Errorf("parameter %q is given %d times", k, len(vs))
		}
	}
	f.Model, f.Variant, f.Truth, f.Pred = q.Get("model"), q.Get("variant"), q.Get("truth"), q.Get("pred")
	f.Judge, f.JudgeLabel, f.Cell, f.Status = q.Get("judge"), q.Get("jlabel"), q.Get("cell"), q.Get("status")
	f.Failed, f.Correct, f.Scored, f.Text = q.Get("failed"), q.Get("correct"), q.Get("scored"), q.Get("q")
	f.JudgeError = q.Get("jerr")
	for _, b := range []struct{ name, v string }{{"failed", f.Failed}, {"correct", f.Correct}, {"scored", f.Scored}, {"jerr", f.JudgeError}} {
		if b.v != "" && b.v != "0" && b.v != "1" {
			return f, fmt.Errorf("%s=%q: use 1 or 0", b.name, b.v)
		}
	}
	var err error
	if f.Page, err = positive(q, "page", 1); err != nil {
		return f, err
	}
	if f.Size, err = positive(q, "size", DefaultPageSize); err != nil {
		return f, err
	}
	if f.Size > MaxPageSize {
		return f, fmt.Errorf("size=%d: at most %d rows a page", f.Size, MaxPageSize)
	}
	return f, nil
}

func positive(q url.Values, key string, def int) (int, error) {
	s := q.Get(key)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, fmt.Errorf("%s=%q: want a whole number from 1", key, s)
	}
	return n, nil
}

// Query is the filter as URL parameters (empty fields and defaults left out).
func (f Filter) Query() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("model", f.Model)
	set("variant", f.Variant)
	set("truth", f.Truth)
	set("pred", f.Pred)
	set("judge", f.Judge)
	set("jlabel", f.JudgeLabel)
	set("cell", f.Cell)
	set("jerr", f.JudgeError)
	set("status", f.Status)
	set("failed", f.Failed)
	set("correct", f.Correct)
	set("scored", f.Scored)
	set("q", f.Text)
	if f.Page > 1 {
		q.Set("page", strconv.Itoa(f.Page))
	}
	if f.Size != 0 && f.Size != DefaultPageSize {
		q.Set("size", strconv.Itoa(f.Size))
	}
	return q
}

// URL is the samples page of the filter.
func (f Filter) URL() string {
	if q := f.Query().Encode(); q != "" {
		return "/samples?" + q
	}
	return "/samples"
}

// WithPage is the filter on another page.
func (f Filter) WithPage(p int) Filter {
	f.Page = p
	return f
}

// query is a filter compiled against an index: interned ids instead of strings.
type query struct {
	model, variant, truth, pred, status int // -1: any
	judge                               int // -1: none
	jlabel                              int
	cell                                uint8 // cellNone: any
	failed, correct, scored, jerr       int8  // -1 any, 0, 1
	text                                string
	none                                bool // a value no row has: nothing matches
}

// compile checks a filter's values against the run: a model or judge that is not in it is an
// error (a stale link), a label no row has simply matches nothing.
func (ix *Index) compile(f Filter) (*query, error) {
	q := &query{model: -1, variant: -1, truth: -1, pred: -1, status: -1, judge: -1, jlabel: -1, failed: -1, correct: -1, scored: -1, jerr: -1}
	if f.Model != "" {
		m, ok := ix.modelIDs[f.Model]
		if !ok {
			return nil, fmt.Errorf("model %q is not in this run (models: %s)", f.Model, strings.Join(ix.Models, ", "))
		}
		q.model = int(m)
	}
	if f.Judge != "" {
		if q.judge = ix.judgeIndex(f.Judge); q.judge < 0 {
			if len(ix.Judges) == 0 {
				return nil, fmt.Errorf("judge %q: this run has no judges", f.Judge)
			}
			return nil, fmt.Errorf("judge %q is not in this run (judges: %s)", f.Judge, strings.Join(ix.Judges, ", "))
		}
	} else if f.JudgeLabel != "" || f.Cell != "" || f.JudgeError != "" {
		return nil, fmt.Errorf("a judge label, quarter cell or judge error needs a judge (judge=…)")
	}
	if f.Cell != "" {
		if q.cell = cellCode(f.Cell); q.cell == cellNone {
			return nil, fmt.Errorf("cell %q: use TT, TF, FT or FF", f.Cell)
		}
	}
	lookup := func(d *dict, v string, dst *int) {
		if v == "" {
			return
		}
		id, ok := d.lookup(v)
		if !ok {
			q.none = true
			return
		}
		*dst = int(id)
	}
	lookup(ix.variants, f.Variant, &q.variant)
	lookup(ix.labels, f.Truth, &q.truth)
	lookup(ix.labels, f.Pred, &q.pred)
	lookup(ix.statuses, f.Status, &q.status)
	if f.JudgeLabel != "" {
		lookup(ix.emotions, f.JudgeLabel, &q.jlabel)
	}
	tri := func(s string) int8 {
		switch s {
		case "1":
			return 1
		case "0":
			return 0
		}
		return -1
	}
	q.failed, q.correct, q.scored, q.jerr = tri(f.Failed), tri(f.Correct), tri(f.Scored), tri(f.JudgeError)
	q.text = strings.ToLower(f.Text)
	return q, nil
}

func flagIs(flags, flag uint8, want int8) bool {
	return want < 0 || (flags&flag != 0) == (want == 1)
}

// match says whether row i passes the compiled filter; the text search, the only costly test,
// comes last.
func (ix *Index) match(q *query, i int32) bool {
	r := ix.info[i]
	if q.model >= 0 && int(r.model) != q.model || q.variant >= 0 && int(r.variant) != q.variant ||
		q.truth >= 0 && int(r.truth) != q.truth || q.pred >= 0 && int(r.pred) != q.pred ||
		q.status >= 0 && int(r.status) != q.status {
		return false
	}
	if !flagIs(r.flags, flagFailed, q.failed) || !flagIs(r.flags, flagCorrect, q.correct) || !flagIs(r.flags, flagScored, q.scored) {
		return false
	}
	if q.judge >= 0 {
		if ix.jrow[q.judge][i] < 0 && q.cell == cellNone {
			return false
		}
		if q.cell != cellNone && ix.cell[q.judge][i] != q.cell {
			return false
		}
		if q.jlabel >= 0 && int(ix.jlabel[q.judge][i]) != q.jlabel {
			return false
		}
		if q.jerr >= 0 {
			k := ix.jrow[q.judge][i]
			if (k >= 0 && ix.judgment[k].Error != "") != (q.jerr == 1) {
				return false
			}
		}
	}
	return q.text == "" || strings.Contains(ix.lower[i], q.text)
}

// Result is one page of a filtered table.
type Result struct {
	Filter Filter
	// Total is the number of rows the filter selects; Rows those of the page, in table order.
	Total int
	Rows  []int32
	// Page is the page shown (clamped to the last), Pages the number of pages (at least 1).
	Page, Pages int
}

// Search filters the rows and returns the filter's page. It counts every match (the total is
// shown) but keeps only the page's rows.
func (ix *Index) Search(f Filter) (*Result, error) {
	q, err := ix.compile(f)
	if err != nil {
		return nil, err
	}
	if f.Size <= 0 {
		f.Size = DefaultPageSize
	}
	if f.Page <= 0 {
		f.Page = 1
	}
	res := &Result{Filter: f}
	if q.none {
		res.Page, res.Pages, res.Filter.Page = 1, 1, 1
		return res, nil
	}
	from := (f.Page - 1) * f.Size
	var tail []int32 // the last full page seen, for a page past the end
	for _, i := range ix.order {
		if !ix.match(q, i) {
			continue
		}
		if res.Total >= from && len(res.Rows) < f.Size {
			res.Rows = append(res.Rows, i)
		}
		if res.Total%f.Size == 0 {
			tail = tail[:0]
		}
		tail = append(tail, i)
		res.Total++
	}
	res.Pages = max(1, (res.Total+f.Size-1)/f.Size)
	res.Page = f.Page
	if res.Page > res.Pages {
		res.Page, res.Rows = res.Pages, tail
	}
	res.Filter.Page = res.Page
	return res, nil
}
