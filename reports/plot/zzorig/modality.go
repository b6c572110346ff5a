package plot

import (
	"fmt"
	"image/color"
	"slices"
	"sort"

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
	var withMI []string
	var classes, orders []string
	for _, name := range models(s) {
		mo := s.Models[name].Modality
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
			labels = append(labels, fmt.Sprintf("%s · MI %s (n=%d)", name, label(class, 16), total))
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
		legend[o] = LegendEntry{Label: label(order, maxNameRunes), Color: c}
	}
	p, _ := rowsPlot(labels, ys, "share of outputs with this MI class (%)")
	bars.y = ys
	p.Add(&bars)
	return &Figure{
		Name: "mi-order", Title: "Description order by modality importance (MI)", Plot: p,
		Legend: legend, Synthetic: s.Synthetic,
		Width: 6.5 * 72, Height: rowsHeight(len(labels), 1.9),
	}, nil
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
