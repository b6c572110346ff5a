package papertables

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/olekukonko/tablewriter/pkg/twwidth"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

var update = flag.Bool("update", false, "rewrite golden files")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestBuildGolden(t *testing.T) {
	fixtures := map[string]func() *metrics.Summary{"dfew": dfewSummary, "mafw": mafwSummary}
	for name, mk := range fixtures {
		tables, err := Build(mk(), Options{Reference: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range []string{tabular.TXT, tabular.MD, tabular.CSV} {
			var buf bytes.Buffer
			for _, tbl := range tables {
				buf.WriteString("==== " + tbl.ID + "\n")
				if err := tbl.Render(&buf, format); err != nil {
					t.Fatalf("%s %s: %v", tbl.ID, format, err)
				}
				buf.WriteByte('\n')
			}
			golden(t, name+"."+format, buf.Bytes())
		}
	}
}

func TestBuildIDs(t *testing.T) {
	tables, err := Build(dfewSummary(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tbl := range tables {
		ids = append(ids, tbl.ID)
	}
	want := "recognition per-class quarter-gpt quarter-ci-gpt quarter-lexicon quarter-by-judge modality modality-mi agreement comparisons " +
		"confusion-r1-omni confusion-norm-r1-omni confusion-migr confusion-norm-migr"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("IDs\n got %s\nwant %s", got, want)
	}
}

func TestBuildIDsDistinct(t *testing.T) {
	s := dfewSummary()
	s.Models["norm-migr"] = s.Models["migr"]
	s.Models["migr"].Reliability["ci-gpt"] = s.Models["migr"].Reliability["gpt"]
	s.Models["migr"].CI["ci-gpt.tf"] = [2]float64{0.1, 0.2}
	tables, err := Build(s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, tbl := range tables {
		if seen[tbl.ID] {
			t.Errorf("ID %q twice", tbl.ID)
		}
		seen[tbl.ID] = true
	}
	if !seen["confusion-norm-migr-2"] || !seen["quarter-ci-gpt-2"] {
		t.Errorf("expected suffixed IDs, got %v", seen)
	}
}

func TestSyntheticMarksEveryTable(t *testing.T) {
	tables, err := Build(mafwSummary(), Options{Reference: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range tables {
		if !tbl.Synthetic || !strings.HasPrefix(tbl.Title, tabular.SyntheticMark) {
			t.Errorf("%s: not marked synthetic (title %q)", tbl.ID, tbl.Title)
		}
	}
	tables, _ = Build(dfewSummary(), Options{})
	for _, tbl := range tables {
		if tbl.Synthetic || strings.Contains(tbl.Title, tabular.SyntheticMark) {
			t.Errorf("%s: marked synthetic", tbl.ID)
		}
	}
}

func cellTexts(tbl *tabular.Table, row int) []string {
	var out []string
	for _, c := range tbl.Rows[row].Cells {
		out = append(out, c.Text)
	}
	return out
}

func TestRecognitionRows(t *testing.T) {
	s := dfewSummary()
	tbl := Recognition(s, Options{Reference: true})
	// r1-omni: WAR = 1657/2336 = 70.933%; UAR = mean(401/489, 290/378, 350/533, 330/434, 195/293, 3/29, 88/180) = 60.888%.
	if got := strings.Join(cellTexts(tbl, 0)[:6], " "); got != "r1-omni 2336 70.933 60.888 62.026 3" {
		t.Errorf("r1-omni row = %q", got)
	}
	if !tbl.Rows[1].Cells[2].Emph || tbl.Rows[0].Cells[2].Emph {
		t.Error("the better WAR is not the one emphasised")
	}
	if len(tbl.Rows) != 2+7 || !tbl.Rows[2].Reported || !tbl.Rows[2].Rule || tbl.Rows[3].Rule {
		t.Fatalf("want 7 reported rows after a rule, got %d rows", len(tbl.Rows))
	}
	if got := strings.Join(cellTexts(tbl, 8)[:4], " "); got != "MIGR-7B – – 67.78" {
		t.Errorf("MIGR reported row = %q", got)
	}
	if v := tbl.Rows[8].Cells[3].Value; v == nil || *v != 67.78 {
		t.Errorf("reported UAR value = %v", v)
	}
	if len(Recognition(s, Options{}).Rows) != 2 {
		t.Error("reported rows without Options.Reference")
	}
	s.Dataset = "custom"
	if len(Recognition(s, Options{Reference: true}).Rows) != 2 {
		t.Error("reported rows for a data set without published numbers")
	}
}

func TestQuarterRows(t *testing.T) {
	tbl := Quarter(dfewSummary(), "gpt", Options{Reference: true})
	// r1-omni under gpt: 1122/425/160/629 of 2336; TF / correct = 425 / 1547.
	want := "r1-omni 2336 48.03% 18.19% 6.85% 26.93% 27.47% 76.20% 54.88% 1.20% 2 [16.52, 19.70]"
	if got := strings.Join(cellTexts(tbl, 0), " "); got != want {
		t.Errorf("r1-omni row\n got %q\nwant %q", got, want)
	}
	if !tbl.Rows[1].Cells[3].Emph || tbl.Rows[0].Cells[3].Emph {
		t.Error("the lower TF is not the one emphasised")
	}
	// Published rates, judged otherwise, are not among this judge's rows.
	for _, r := range tbl.Rows {
		if r.Reported {
			t.Errorf("a published row in the quarter table: %+v", r)
		}
	}
	if Quarter(dfewSummary(), "nobody", Options{}) != nil {
		t.Error("a table for a judge no model has")
	}
}

func TestNormalizations(t *testing.T) {
	s := dfewSummary()
	s.Protocol = "robust"
	s.Models["r1-omni"].Normalizations = map[string]int{"synonym": 12, "case": 3}
	s.Models["migr"].Normalizations = map[string]int{"case": 1}
	s.Models["migr"].Reliability["gpt"].Normalizations = map[string]int{"first label": 7}
	tbl := Normalizations(s)
	if tbl == nil {
		t.Fatal("no table")
	}
	var got []string
	for i := range tbl.Rows {
		got = append(got, strings.Join(cellTexts(tbl, i), " "))
	}
	want := []string{"answers case 3 1", "answers synonym 12 0", "judge gpt first label 0 7"}
	if !slices.Equal(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
}

func TestConfusion(t *testing.T) {
	s := dfewSummary()
	cm, err := Confusion(s, "r1-omni")
	if err != nil || len(cm) != 2 {
		t.Fatalf("Confusion: %v, %d tables", err, len(cm))
	}
	if got := strings.Join(cellTexts(cm[0], 0), " "); got != "happy 401 12 40 15 15 1 3 2 489" {
		t.Errorf("counts row = %q", got)
	}
	if got := strings.Join(cellTexts(cm[1], 5), " "); got != "disgust 20.69 13.79 20.69 20.69 6.90 10.34 6.90 0.00 29" {
		t.Errorf("normalised row = %q", got)
	}
	if !cm[0].Rows[3].Cells[4].Emph {
		t.Error("diagonal not emphasised")
	}
	bad := []struct {
		name   string
		mutate func(*metrics.Confusion)
		want   string
	}{
		{"short row", func(c *metrics.Confusion) { c.Matrix[2] = c.Matrix[2][:3] }, "row 3 (neutral) has 3 columns, want 8"},
		{"too many rows", func(c *metrics.Confusion) { c.Labels = c.Labels[:3] }, "7 rows for 3 labels"},
		{"negative", func(c *metrics.Confusion) { c.Matrix[0][1] = -1 }, "negative count in row 1"},
	}
	for _, b := range bad {
		s := dfewSummary()
		b.mutate(&s.Models["migr"].Confusion)
		if _, err := Build(s, Options{}); err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("%s: error %v, want %q", b.name, err, b.want)
		}
	}
}

func TestBuildErrors(t *testing.T) {
	if _, err := Build(nil, Options{}); err == nil {
		t.Error("nil summary accepted")
	}
	if _, err := Build(&metrics.Summary{Models: map[string]*metrics.ModelSummary{"x": nil}}, Options{}); err == nil {
		t.Error("summary without models accepted")
	}
}

func TestOptionalTablesAbsent(t *testing.T) {
	s := dfewSummary()
	s.Agreement, s.Comparisons = nil, nil
	for _, ms := range s.Models {
		ms.Modality, ms.CI = nil, nil
	}
	for name, tbl := range map[string]*tabular.Table{
		"modality": Modality(s), "modality-mi": ModalityMI(s), "agreement": Agreement(s),
		"comparisons": Comparisons(s), "fold-mean": FoldMean(s), "quarter-ci": QuarterCI(s, "gpt"),
		"normalizations": Normalizations(s),
	} {
		if tbl != nil {
			t.Errorf("%s built without data", name)
		}
	}
	if len(Recognition(s, Options{}).Columns) != 7 {
		t.Error("interval columns without intervals")
	}
}

func BenchmarkBuild(b *testing.B) {
	s := dfewSummary()
	for b.Loop() {
		if _, err := Build(s, Options{Reference: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// The tables as a terminal shows them: every line within 100 columns (wide tables cut into
// parts led by the model column, notes wrapped).
func TestTerminalGoldenFits100Columns(t *testing.T) {
	tables, err := Build(dfewSummary(), Options{Reference: true})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	for _, tbl := range tables {
		if err := tbl.RenderText(&buf, tabular.TerminalWidth); err != nil {
			t.Fatal(err)
		}
		buf.WriteByte('\n')
	}
	for i, l := range strings.Split(buf.String(), "\n") {
		if w := twwidth.Width(l); w > tabular.TerminalWidth {
			t.Errorf("line %d is %d columns wide: %q", i+1, w, l)
		}
	}
	golden(t, "dfew.terminal.txt", buf.Bytes())
}

// Every row of the published-vs-run table says which judge and protocol made it; no row of
// this run is called comparable unless it was judged by the published judge under the published
// protocol on real data of fold 5; nothing is ranked.
func TestPublishedVsRun(t *testing.T) {
	s := dfewSummary()
	tbl := PublishedVsRun(s, map[string]string{"gpt": "gpt-4.1-mini"})
	got := map[string]string{}
	for _, r := range tbl.Rows {
		got[r.Cells[0].Text+"/"+r.Cells[3].Text] = r.Cells[5].Text
		for _, c := range r.Cells {
			if c.Emph {
				t.Errorf("a ranked cell: %+v", r)
			}
		}
	}
	if !strings.HasPrefix(got["MIGR-7B/gpt-4.1-mini"], "published") {
		t.Errorf("published row: %v", got)
	}
	if got["migr/lexicon"] != "no: another judge" || got["migr/gpt (gpt-4.1-mini)"] != "yes (same judge, protocol and fold)" {
		t.Errorf("comparability: %v", got)
	}
	s.Synthetic, s.Protocol = true, "robust"
	for _, r := range PublishedVsRun(s, map[string]string{"gpt": "gpt-4.1-mini"}).Rows {
		if !r.Reported && !strings.Contains(r.Cells[5].Text, "synthetic data") {
			t.Errorf("a synthetic robust row called comparable: %v", r.Cells[5].Text)
		}
	}
}
