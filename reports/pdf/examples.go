package pdf

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// examples prints, per model, a few samples whose prediction is correct but whose explanation
// the judge reads as another emotion: the "TF" cell of the quarter table, made concrete.
func (d *doc) examples() error {
	if len(d.in.Examples) == 0 {
		return nil
	}
	d.section("Correct predictions, inconsistent explanations")
	d.paragraph("Each example below was classified correctly, but the judge read its explanation as " +
		"supporting a different emotion (the TF cell of the quarter table). Explanations are quoted as " +
		"the model wrote them; characters the report's font lacks are shown as □, and very long " +
		"explanations are cut.")
	byModel := map[string][]Example{}
	var order []string
	for _, e := range d.in.Examples {
		if _, ok := byModel[e.Model]; !ok {
			order = append(order, e.Model)
		}
		byModel[e.Model] = append(byModel[e.Model], e)
	}
	rank := map[string]int{}
	for i, m := range d.in.Summary.ModelOrder {
		if _, ok := rank[m]; !ok {
			rank[m] = i
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		ri, iok := rank[order[i]]
		rj, jok := rank[order[j]]
		if iok != jok {
			return iok
		}
		return iok && ri < rj
	})
	for _, model := range order {
		list := byModel[model]
		d.subheading("Model " + clean(model, 120))
		for _, e := range list[:min(len(list), MaxExamplesPerModel)] {
			d.example(e)
		}
		if extra := len(list) - MaxExamplesPerModel; extra > 0 {
			d.note(fmt.Sprintf("%d more examples of this model are not shown.", extra))
		}
	}
	return nil
}

func (d *doc) example(e Example) {
	f := d.f
	d.ensure(22)
	judge := clean(e.Judge, 40)
	if judge == "" {
		judge = "judge"
	}
	head := fmt.Sprintf("clip %s  ·  truth: %s  ·  predicted: %s  ·  %s read: %s",
		orDash(clean(e.ClipID, 60)), orDash(clean(e.Truth, 40)), orDash(clean(e.Pred, 40)),
		judge, orDash(clean(e.JudgeEmotion, 40)))
	d.block(head, font{sans, "B", 8.5}, ink, 4.4, false)
	f.Ln(1.5)

	text, cut := truncateRunes(clean(e.Explanation, 0), MaxExplanationRunes)
	if strings.TrimSpace(text) == "" {
		text = "(empty explanation)"
	}
	if cut > 0 {
		text += fmt.Sprintf(" … [%d more characters not shown]", cut)
	}
	d.block(text, font{sans, "", 8.5}, ink, 4.1, true)
	f.Ln(4)
	d.body()
}

func (d *doc) note(s string) {
	d.block(s, font{sans, "I", smallSize}, muted, 3.6, false)
	d.f.Ln(3)
	d.body()
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "–"
	}
	return s
}

// truncateRunes keeps the first n runes of s and reports how many were dropped.
func truncateRunes(s string, n int) (string, int) {
	total := utf8.RuneCountInString(s)
	if total <= n {
		return s, 0
	}
	return string([]rune(s)[:n]), total - n
}
