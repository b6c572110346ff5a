package view

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/judges"
)

// Every number of the overview links to a filter; the filter must select exactly the samples
// the number counts, under both protocols.
func TestLinkedCountsMatchSummary(t *testing.T) {
	for _, protocol := range []string{"migr", "robust"} {
		t.Run(protocol, func(t *testing.T) {
			fx := makeRun(t, protocol)
			r := fx.load(t)
			ix := r.Index
			total := func(f Filter) int {
				t.Helper()
				res, err := ix.Search(f)
				if err != nil {
					t.Fatalf("%+v: %v", f, err)
				}
				return res.Total
			}
			checked := 0
			for _, m := range r.Summary.ModelOrder {
				ms := r.Summary.Models[m]
				type num struct {
					name      string
					got, want int
				}
				nums := []num{
					{"n", total(Filter{Model: m, Scored: "1"}) + ms.Missing, ms.N},
					{"correct", total(Filter{Model: m, Scored: "1", Correct: "1"}), ms.Correct},
					{"unknown", total(Filter{Model: m, Scored: "1", Pred: "unknown"}) + ms.Missing, ms.Unknown},
					{"failed", total(Filter{Model: m, Failed: "1"}), ms.Failed},
				}
				for _, l := range r.Summary.Labels {
					nums = append(nums, num{"support " + l, total(Filter{Model: m, Scored: "1", Truth: l}), ms.PerClass[l].Support})
				}
				for j, rel := range ms.Reliability {
					nums = append(nums,
						num{j + " TT", total(Filter{Model: m, Judge: j, Cell: "TT"}), rel.Counts.TT},
						num{j + " TF", total(Filter{Model: m, Judge: j, Cell: "TF"}), rel.Counts.TF},
						num{j + " FT", total(Filter{Model: m, Judge: j, Cell: "FT"}), rel.Counts.FT},
						num{j + " FF", total(Filter{Model: m, Judge: j, Cell: "FF"}) + ms.Missing, rel.Counts.FF},
						num{j + " errors", total(Filter{Model: m, Judge: j, JudgeError: "1", Scored: "1"}), rel.Errors})
				}
				for _, n := range nums {
					checked++
					if n.got != n.want {
						t.Errorf("%s %s: the filter selects %d samples, the summary counts %d", m, n.name, n.got, n.want)
					}
				}
			}
			if checked < 30 {
				t.Fatalf("only %d numbers checked", checked)
			}
			if got := len(r.Summary.Models["base"].Reliability); got != 2 {
				t.Fatalf("base was judged by %d judges, want 2 (the fixture is not what the test expects)", got)
			}
		})
	}
}

// tinyIndex is an index over hand-made rows: two models, a failed row, a duplicate, two judges.
func tinyIndex(protocol parse.Protocol) *Index {
	preds := []predictions.Prediction{
		{Model: "a", Variant: "av", ClipID: "1", Label: "happy", Pred: "happy", PredQuarter: "happy", ParseStatus: "ok", RawOutput: "<think>Smiling BROADLY</think><answer>happy</answer>"},
		{Model: "a", Variant: "av", ClipID: "2", Label: "sad", Pred: "angry", PredQuarter: "angry", ParseStatus: "ok", RawOutput: "<think>frowning</think><answer>angry</answer>"},
		{Model: "a", Variant: "av", ClipID: "3", Label: "sad", Pred: "unknown", PredQuarter: "unknown", ParseStatus: "error", Error: "HTTP 500"},
		{Model: "b", Variant: "av", ClipID: "1", Label: "happy", Pred: "happy", PredQuarter: "happy", ParseStatus: "ok", RawOutput: "Ünïcode smiling"},
		{Model: "b", Variant: "av", ClipID: "01", Label: "happy", Pred: "sad", PredQuarter: "sad", ParseStatus: "ok", RawOutput: "again"},
		{Model: "a@video", Variant: "video", ClipID: "1", Label: "happy", Pred: "happy", PredQuarter: "happy", ParseStatus: "ok", RawOutput: "video only"},
	}
	js := []judges.Judgment{
		{Judge: "j1", Model: "a", ClipID: "1", Emotion: "sad"},
		{Judge: "j1", Model: "a", ClipID: "2", Emotion: "sad"},
		{Judge: "j1", Model: "b", ClipID: "1", Emotion: "happy"},
		{Judge: "j2", Model: "a", ClipID: "1", Error: "timeout"},
	}
	judged := func(m, j string) bool { return m != "a@video" && (j == "j1" || m == "a") }
	return newIndex(protocol, datasets.DFEW(), []string{"a", "b", "a@video"}, []string{"j1", "j2"}, judged, preds, js)
}

func TestFilters(t *testing.T) {
	for _, tc := range []struct {
		name     string
		protocol parse.Protocol
		query    string
		rows     []int32 // in table order
		err      string
	}{
		{"everything", parse.ProtocolMigr, "", []int32{0, 1, 2, 3, 4, 5}, ""},
		{"model", parse.ProtocolMigr, "model=b", []int32{3, 4}, ""},
		{"variant", parse.ProtocolMigr, "variant=video", []int32{5}, ""},
		{"truth", parse.ProtocolMigr, "truth=sad", []int32{1, 2}, ""},
		{"pred", parse.ProtocolMigr, "pred=unknown", []int32{2}, ""},
		{"failed", parse.ProtocolMigr, "failed=1", []int32{2}, ""},
		{"not failed", parse.ProtocolMigr, "failed=0&model=a", []int32{0, 1}, ""},
		{"correct", parse.ProtocolMigr, "correct=1", []int32{0, 3, 5}, ""},
		{"migr scores duplicates", parse.ProtocolMigr, "scored=1&model=b", []int32{3, 4}, ""},
		{"robust scores the last output", parse.ProtocolRobust, "scored=1&model=b", []int32{4}, ""},
		{"failed is never scored", parse.ProtocolRobust, "scored=0", []int32{2, 3}, ""},
		{"status", parse.ProtocolMigr, "status=error", []int32{2}, ""},
		{"judge: rows it judged", parse.ProtocolMigr, "judge=j1", []int32{0, 1, 3, 4}, ""},
		{"judge label", parse.ProtocolMigr, "judge=j1&jlabel=sad", []int32{0, 1}, ""},
		{"cell TF", parse.ProtocolMigr, "judge=j1&cell=TF", []int32{0}, ""},
		{"cell TT", parse.ProtocolMigr, "judge=j1&cell=TT", []int32{3}, ""},
		{"cell FT: a duplicate takes its clip's judgment", parse.ProtocolMigr, "judge=j1&cell=FT", []int32{1, 4}, ""},
		{"cell FT robust", parse.ProtocolRobust, "judge=j1&cell=FT", []int32{1, 4}, ""},
		{"robust: a superseded output has no cell", parse.ProtocolRobust, "judge=j1&cell=TT", nil, ""},
		{"cell FF counts a missing reply", parse.ProtocolMigr, "judge=j2&cell=FF", []int32{0, 1}, ""},
		{"judge error", parse.ProtocolMigr, "judge=j2&jerr=1", []int32{0}, ""},
		{"text, any case", parse.ProtocolMigr, "q=broadly", []int32{0}, ""},
		{"text, unicode", parse.ProtocolMigr, "q=%C3%9CN%C3%8FCODE", []int32{3}, ""},
		{"text and model", parse.ProtocolMigr, "q=smiling&model=a", []int32{0}, ""},
		{"a label no row has", parse.ProtocolMigr, "truth=contempt", nil, ""},
		{"unknown model", parse.ProtocolMigr, "model=zzz", nil, `model "zzz" is not in this run`},
		{"unknown judge", parse.ProtocolMigr, "judge=zzz", nil, `judge "zzz" is not in this run`},
		{"cell without judge", parse.ProtocolMigr, "cell=TF", nil, "needs a judge"},
		{"bad cell", parse.ProtocolMigr, "judge=j1&cell=TX", nil, "use TT, TF, FT or FF"},
		{"bad flag", parse.ProtocolMigr, "failed=yes", nil, "use 1 or 0"},
		{"unknown parameter", parse.ProtocolMigr, "colour=red", nil, `unknown parameter "colour"`},
		{"repeated parameter", parse.ProtocolMigr, "model=a&model=b", nil, "given 2 times"},
		{"bad page", parse.ProtocolMigr, "page=0", nil, "want a whole number"},
		{"page too large", parse.ProtocolMigr, "size=100000", nil, "at most 500"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := tinyIndex(tc.protocol)
			q, err := url.ParseQuery(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			f, err := ParseFilter(q)
			var res *Result
			if err == nil {
				res, err = ix.Search(f)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Rows, tc.rows) || res.Total != len(tc.rows) {
				t.Fatalf("rows %v (total %d), want %v", res.Rows, res.Total, tc.rows)
			}
		})
	}
}

func TestPagination(t *testing.T) {
	var preds []predictions.Prediction
	for i := range 23 {
		preds = append(preds, predictions.Prediction{Model: "m", Variant: "av", ClipID: fmt.Sprint(i + 1), Label: "happy", Pred: "happy", ParseStatus: "ok"})
	}
	ix := newIndex(parse.ProtocolMigr, datasets.DFEW(), []string{"m"}, nil, func(string, string) bool { return false }, preds, nil)
	for _, tc := range []struct {
		page, size      int
		wantPage, pages int
		first, n        int
	}{
		{1, 10, 1, 3, 0, 10},
		{2, 10, 2, 3, 10, 10},
		{3, 10, 3, 3, 20, 3},
		{9, 10, 3, 3, 20, 3}, // past the end: the last page
		{1, 23, 1, 1, 0, 23},
		{2, 23, 1, 1, 0, 23},
		{1, 500, 1, 1, 0, 23},
	} {
		t.Run(fmt.Sprintf("page %d of size %d", tc.page, tc.size), func(t *testing.T) {
			res, err := ix.Search(Filter{Page: tc.page, Size: tc.size})
			if err != nil {
				t.Fatal(err)
			}
			if res.Page != tc.wantPage || res.Pages != tc.pages || res.Total != 23 || len(res.Rows) != tc.n || res.Rows[0] != int32(tc.first) {
				t.Fatalf("page %d of %d, total %d, %d rows from %d; want page %d of %d, 23, %d rows from %d",
					res.Page, res.Pages, res.Total, len(res.Rows), res.Rows[0], tc.wantPage, tc.pages, tc.n, tc.first)
			}
		})
	}
	// A filter survives its round trip through a link.
	f := Filter{Model: "a b&c", Judge: "j", Cell: "TF", Text: "x y", Page: 3, Size: 20}
	g, err := ParseFilter(f.Query())
	if err != nil || g != f {
		t.Fatalf("round trip: %+v, %v; want %+v", g, err, f)
	}
}
