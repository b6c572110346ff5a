package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/metrics"
)

// Known MI classes and description orders, in display order; others found in a summary follow.
var (
	miClasses  = []string{"vision", "audio", "multimodal"}
	orderNames = []string{"vision_first", "audio_first", "no_desc"}
	// orderColors: blue for vision first, orange for audio first, grey for no description tags.
	orderColors = []color.Color{rgb(0x0072B2), rgb(0xE69F00), neutralGry, rgb(0xCC79A7), rgb(0x009E73)}
)

// MIOrder draws, for each model and MI class, how the model's outputs order their descriptions
// (vision first, audio first, none), as horizontal 100 % bars grouped by model. An MI-guided
// model should start from vision on vision clips and from audio on audio clips.
func MIOrder(s *metrics.Summary) (*Figure, error) {
	var withMI, noTags []string
	var classes, orders []string
	for _, name := range models(s) {
		mo := s.Models[name].Modality
		if mo != nil && mo.MISource != "" && len(mo.MIOrder) == 0 && !writesTags(mo) {
			noTags = append(noTags, name)
		}
		if mo == nil || len(mo.MIOrder) == 0 {
			continue
		}
		withMI = append(withMI, name)
		for class, byOrder := range mo.MIOrder {
			classes = appendNew(classes, class)
			for order := range byOrder {
				orders = appendNew(orders, order)
			}
		}
	}
	classes = knownFirst(miClasses, classes)
	orders = knownFirst(orderNames, orders)
	var labels []string
	var ys []float64
	bars := hBars{thickness: 0.7, label: func(v float64) string { return formatFloat(v, 0) }}
	y := 0.0
	for mi, name := range displayNames(withMI) {
		mio := s.Models[withMI[mi]].Modality.MIOrder
		for _, class := range classes {
			total := 0
			for _, n := range mio[class] {
				total += max(n, 0)
			}
			if total == 0 {
				continue
			}
			segs := make([]float64, len(orders))
			for o, order := range orders {
				segs[o] = 100 * float64(max(mio[class][order], 0)) / float64(total)
			}
			bars.segments = append(bars.segments, segs)
			labels = append(labels, fmt.Sprintf("%s · %s (n=%d)", name, readable(class, miWords), total))
			ys = append(ys, y)
			y--
		}
		y -= 0.6 // gap between models
	}
	if len(labels) == 0 {
		return nil, ErrNoData
	}
	legend := make([]LegendEntry, len(orders))
	for o, order := range orders {
		c := orderColors[o%len(orderColors)]
		bars.colors = append(bars.colors, c)
		legend[o] = LegendEntry{Label: readable(order, orderWords), Color: c}
	}
	p, _ := rowsPlot(labels, ys, "share of the model's outputs for these clips (%)")
	bars.y = ys
	p.Add(&bars)
	note := miNote + " " + orderNote
	if len(noTags) > 0 {
		note += " Not shown, as they write no description tags: " + strings.Join(displayNames(noTags), ", ") + "."
	}
	return withExtras(&Figure{
		Name: "mi-order", Title: "Description order by modality importance (MI)", Plot: p,
		Legend: legend, Synthetic: s.Synthetic, Note: note,
		Width: 6.5 * 72, Height: rowsHeight(len(labels), 1.9),
	}), nil
}

// orderNote explains the description orders.
const orderNote = "n: outputs for the clips; bars: which description they begin with."

// ModalityRates draws, per model with modality metrics, the MI-aligned rate (outputs whose first
// description is the clip's MI modality, over clips whose MI is vision or audio) and the visual
// initiation rate (over outputs without description tags that mention a modality, the share
// that start from a visual cue) as grouped bars, each with its n and the Wilson score interval
// from it. A rate that is undefined for a model — nil in the summary, MI-aligned without MI or
// for a model that writes no description tags — is drawn as n/a, never as 0. The figure
// matches the modality table; format reward, a mean in [−1, 1], stays in the table.
func ModalityRates(s *metrics.Summary) (*Figure, error) {
	d := modalityRatesData(s)
	if len(d.models) == 0 {
		return nil, ErrNoData
	}
	p := newPlot("", "rate (%)")
	p.Add(yGrid())
	p.Add(&d.bars)
	_, _, _, ymax := d.bars.DataRange()
	percentAxis(&p.Y, ymax)
	p.X.Tick.Marker = nominalTicks([]string{"MI-aligned", "Visual initiation"}, nil)
	note := "MI-aligned: of the n outputs for vision- or audio-important clips, those that describe " +
		"that modality first. Visual initiation: of the n untagged outputs that mention a modality, " +
		"those that start from a visual cue. Whiskers: " + levelText(s) + " Wilson interval from n."
	if d.anyNA {
		note += " n/a: undefined (no MI or no description tags; no untagged outputs with a cue)."
	}
	return withExtras(&Figure{
		Name: "modality", Title: "MI-aligned description order and visual initiation", Plot: p,
		Legend: modelLegend(d.models, d.bars.colors), Synthetic: s.Synthetic, Note: note,
		Width: 6.5 * 72, Height: 3.4 * 72,
	}), nil
}

// modalityRates is the data of the modality figure.
type modalityRates struct {
	models []string
	bars   groupedBars // categories: MI-aligned, visual initiation
	anyNA  bool
}

// modalityRatesData builds the modality figure's bars: rates in percent (NaN where undefined),
// their Wilson intervals and n. Models without modality metrics are left out, and so is every
// model when no rate is defined.
func modalityRatesData(s *metrics.Summary) modalityRates {
	var d modalityRates
	z := zScore(level(s))
	defined := false
	nan := [2]float64{math.NaN(), math.NaN()}
	for i, name := range models(s) {
		mo := s.Models[name].Modality
		if mo == nil {
			continue
		}
		vals := []float64{math.NaN(), math.NaN()}
		ci := [][2]float64{nan, nan}
		labels := []string{"", ""}
		if v := mo.MIAligned; v != nil && mo.MISource != "" && writesTags(mo) && isFinite(*v) {
			vals[0] = pct(*v)
			if n := miEligible(mo); n > 0 {
				if k := countOf(*v, n); k >= 0 {
					ci[0], labels[0] = wilsonPct(k, n, z), "n="+strconv.Itoa(n)
				}
			}
		}
		if v := mo.VisualInitiation; v != nil && mo.VisualInitiationN > 0 {
			if k := countOf(*v, mo.VisualInitiationN); k >= 0 {
				vals[1], ci[1] = pct(*v), wilsonPct(k, mo.VisualInitiationN, z)
				labels[1] = "n=" + strconv.Itoa(mo.VisualInitiationN)
			}
		}
		for _, v := range vals {
			defined = defined || !math.IsNaN(v)
			d.anyNA = d.anyNA || math.IsNaN(v)
		}
		d.models = append(d.models, name)
		d.bars.colors = append(d.bars.colors, modelColor(i))
		d.bars.values = append(d.bars.values, vals)
		d.bars.ci = append(d.bars.ci, ci)
		d.bars.labels = append(d.bars.labels, labels)
	}
	if !defined {
		return modalityRates{}
	}
	return d
}

// miEligible is the MI-aligned rate's denominator: the outputs for clips whose MI is vision or
// audio, counted in MIOrder.
func miEligible(mo *metrics.Modality) int {
	n := 0
	for _, class := range []string{"vision", "audio"} {
		for _, c := range mo.MIOrder[class] {
			n += max(c, 0)
		}
	}
	return n
}

// writesTags reports whether some of the model's outputs carry a description tag (start with a
// vision or an audio description). MI alignment of a model that never writes them is not
// measured: its 0 would read as "always misaligned". Summaries written before
// Modality.DescriptionTags existed lack it, so the orders are looked at too.
func writesTags(mo *metrics.Modality) bool {
	if mo.DescriptionTags {
		return true
	}
	for order, share := range mo.Order {
		if order != "no_desc" && share > 0 {
			return true
		}
	}
	for _, byOrder := range mo.MIOrder {
		for order, n := range byOrder {
			if order != "no_desc" && n > 0 {
				return true
			}
		}
	}
	return false
}

func appendNew(list []string, v string) []string {
	if slices.Contains(list, v) {
		return list
	}
	return append(list, v)
}

// knownFirst orders found names: the known ones in their order, then the rest sorted.
func knownFirst(known, found []string) []string {
	var out, rest []string
	for _, k := range known {
		if slices.Contains(found, k) {
			out = append(out, k)
		}
	}
	for _, f := range found {
		if !slices.Contains(known, f) {
			rest = append(rest, f)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
