package pdf

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/reports/tabular"
)

// cover prints the run's page: its metadata, its models, and the command that reproduces it.
func (d *doc) cover() error {
	f := d.f
	d.section("Run: " + d.runName)

	s := d.in.Summary
	m := d.in.Meta
	var rows [][2]string
	add := func(k, v string) {
		if v = strings.TrimSpace(v); v != "" {
			rows = append(rows, [2]string{k, v})
		}
	}
	if !m.Date.IsZero() {
		add("Date", m.Date.Format("2006-01-02 15:04 MST"))
	}
	add("Tool version", clean(m.ToolVersion, 80))
	add("Dataset", datasetText(s.Dataset, s.Folds, s.FoldAggregation))
	add("Protocol", clean(s.Protocol, 40))
	add("Dataset file", clean(m.DatasetFile, 400))
	add("Dataset SHA-256", clean(m.DatasetSHA256, 128))
	judges := m.Judges
	if len(judges) == 0 {
		judges = s.Judges
	}
	cleaned := make([]string, len(judges))
	for i, j := range judges {
		cleaned[i] = clean(j, 60)
	}
	add("Judges", strings.Join(cleaned, ", "))
	if m.HumanLabels != "" {
		add("Human labels", clean(m.HumanLabels, 200))
	}
	if st := s.Statistics; st.Bootstrap > 0 {
		add("Intervals", fmt.Sprintf("percentile bootstrap, %d resamples, seed %d, alpha %s",
			st.Bootstrap, st.Seed, strconv.FormatFloat(st.Alpha, 'g', 4, 64)))
	}
	d.keyValues(rows)

	if t := d.modelsTable(); t != nil {
		f.Ln(3)
		d.table(t, false)
	}
	if cmd := clean(m.Command, 4000); cmd != "" {
		d.ensure(20)
		d.use(sans, "B", bodySize)
		d.text(ink)
		f.CellFormat(0, 6, "Reproduce with", "", 1, "L", false, 0, "")
		d.block(cmd, font{mono, "", 8}, ink, 4.2, true)
	}
	return nil
}

func (d *doc) warningBox(msg string) {
	f := d.f
	d.fill(rgb{0xFB, 0xE9, 0xEB})
	d.draw(warnRed)
	f.SetLineWidth(0.6)
	d.use(sans, "B", 10)
	d.text(warnRed)
	f.MultiCell(0, 5.5, msg, "1", "L", true)
	f.Ln(5)
	d.body()
}

// keyValues prints label–value pairs, labels in a narrow grey column, values wrapped.
func (d *doc) keyValues(rows [][2]string) {
	f := d.f
	const labelW = 36.0
	valueW := d.contentWidth() - labelW
	for _, kv := range rows {
		family := sans
		if kv[0] == "Dataset SHA-256" {
			family = mono
		}
		d.use(family, "", bodySize)
		lines := d.lines(kv[1], valueW-2*f.GetCellMargin())
		h := float64(max(len(lines), 1)) * 5
		d.ensure(h)
		y := f.GetY()
		d.use(sans, "", bodySize)
		d.text(muted)
		f.SetXY(marginX, y)
		f.CellFormat(labelW, 5, kv[0], "", 0, "L", false, 0, "")
		d.use(family, "", bodySize)
		d.text(ink)
		for i, l := range lines {
			f.SetXY(marginX+labelW, y+float64(i)*5)
			f.CellFormat(valueW, 5, l, "", 0, "L", false, 0, "")
		}
		f.SetXY(marginX, y+h+0.8)
	}
	d.body()
}

func datasetText(name string, folds []int32, agg string) string {
	out := clean(name, 40)
	if len(folds) > 0 {
		fs := make([]string, len(folds))
		for i, v := range folds {
			fs[i] = strconv.Itoa(int(v))
		}
		word := "fold "
		if len(folds) > 1 {
			word = "folds "
		}
		out += ", " + word + strings.Join(fs, ", ")
		if len(folds) > 1 && agg != "" {
			out += " (" + clean(agg, 20) + ")"
		}
	}
	return out
}

// modelsTable lists the run's models: from Meta when given, else from the summary.
func (d *doc) modelsTable() *tabular.Table {
	s := d.in.Summary
	infos := slices.Clone(d.in.Meta.Models)
	known := map[string]bool{}
	for _, mi := range infos {
		known[mi.Name] = true
	}
	for _, name := range s.ModelOrder {
		if m := s.Models[name]; m != nil && !known[name] {
			known[name] = true
			infos = append(infos, ModelInfo{Name: name, Backend: m.Backend})
		}
	}
	if len(infos) == 0 {
		return nil
	}
	t := &tabular.Table{ID: "models", Title: "Models", Columns: []tabular.Column{
		{Header: "model"}, {Header: "backend"}, {Header: "model id"}, {Header: "endpoint or file"},
		{Header: "samples", Align: tabular.Right},
	}}
	for _, mi := range infos {
		n := ""
		if m := s.Models[mi.Name]; m != nil {
			n = strconv.Itoa(m.N)
		}
		where := redactURL(mi.Endpoint)
		if where == "" {
			where = mi.Path
		}
		if mi.RunsOn != "" {
			where += " (" + mi.RunsOn + ")"
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: []tabular.Cell{
			{Text: mi.Name}, {Text: mi.Backend}, {Text: mi.ModelID}, {Text: where}, {Text: n},
		}})
	}
	return t
}

// redactURL drops user information and query strings, where credentials hide.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		if i := strings.IndexAny(raw, "?@"); i >= 0 {
			return raw[:i] + "…"
		}
		return raw
	}
	u.User = nil
	u.RawQuery = ""
	u.Fragment = ""
	return u.String()
}
