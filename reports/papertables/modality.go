package papertables

import (
	"fmt"
	"sort"
	"strings"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/tabular"
)

// orders are the output orders and miClasses the MI classes, in the order the tables show them.
func orders() [3]string    { return [3]string{"vision_first", "audio_first", "no_desc"} }
func miClasses() [3]string { return [3]string{"vision", "audio", "multimodal"} }

// Modality is the output-order distribution, MI-aligned rate, mean format reward and
// visual-initiation rate of each model with modality metrics. Nil when no model has them.
func Modality(s *metrics.Summary) *tabular.Table {
	var names []string
	for _, m := range models(s) {
		if s.Models[m].Modality != nil {
			names = append(names, m)
		}
	}
	if len(names) == 0 {
		return nil
	}
	t := &tabular.Table{
		ID:    "modality",
		Title: "Modality: " + scope(s),
		Columns: []tabular.Column{
			{Header: "Model"}, {Header: "Vision first", Align: tabular.Right}, {Header: "Audio first", Align: tabular.Right},
			{Header: "No description", Align: tabular.Right}, {Header: "MI-aligned", Align: tabular.Right},
			{Header: "Format reward", Align: tabular.Right}, {Header: "Visual initiation", Align: tabular.Right},
			{Header: "n", Align: tabular.Right},
		},
	}
	alignedCI := anyCI(s, names, "mi_aligned")
	if alignedCI {
		t.Columns = append(t.Columns, tabular.Column{Header: "MI-aligned " + CILabel(s), Align: tabular.Right})
	}
	sources := map[string][]string{}
	var noTags []string
	for _, m := range names {
		md := s.Models[m].Modality
		cells := []tabular.Cell{tabular.Str(m)}
		if !md.DescriptionTags {
			// Where descriptions start means nothing for a model that writes none.
			noTags = append(noTags, m)
			cells = append(cells, fill(5, noTagsCell)...)
		} else {
			cells = append(cells, orderAndAlignment(md, m, sources)...)
		}
		if md.VisualInitiation != nil {
			cells = append(cells, quarterPct(*md.VisualInitiation))
		} else {
			cells = append(cells, tabular.Str(notAvailable))
		}
		cells = append(cells, tabular.Count(md.VisualInitiationN))
		if alignedCI {
			ci, ok := s.Models[m].CI["mi_aligned"]
			cells = append(cells, ciCell(ci, ok))
		}
		t.Rows = append(t.Rows, tabular.Row{Cells: cells})
	}
	emphasize(t.Rows, 4, false)
	emphasize(t.Rows, 5, false)
	t.Notes = append(t.Notes,
		"Order: which description tag an output starts with (share of outputs). MI-aligned: outputs whose first description is the clip's MI modality, over clips whose MI is vision or audio.",
		"Format reward: mean of MIGR's training format reward in [-1, 1] (1 for the MI modality's description first; 0.5 for either order when MI is multimodal, clips without MI counting as multimodal; less otherwise). Visual initiation: over the n outputs without description tags that mention a modality, the share that draw first on a visual cue.")
	if len(noTags) > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("%s: the outputs of %s carry no description tags (<vis_desc>, <aud_desc>), so order, MI alignment and format reward do not apply to them.",
			noTagsCell, strings.Join(noTags, ", ")))
	}
	var srcs []string
	for src := range sources {
		srcs = append(srcs, src)
	}
	sort.Strings(srcs)
	for _, src := range srcs {
		t.Notes = append(t.Notes, fmt.Sprintf("MI from %s; MI-aligned computed for %s.", src, strings.Join(sources[src], ", ")))
	}
	if alignedCI {
		t.Notes = append(t.Notes, ciNote(s))
	}
	return finish(s, t)
}

// noTagsCell marks an order metric of a model without description tags.
const noTagsCell = "n/a (no tags)"

// orderAndAlignment are the order shares, MI-aligned rate and format reward of a model whose
// outputs carry description tags; sources collects which models MI-aligned was computed for.
func orderAndAlignment(md *metrics.Modality, m string, sources map[string][]string) []tabular.Cell {
	var cells []tabular.Cell
	for _, o := range orders() {
		cells = append(cells, quarterPct(md.Order[o]))
	}
	if md.MISource != "" && md.MIAligned != nil {
		cells = append(cells, quarterPct(*md.MIAligned))
		sources[md.MISource] = append(sources[md.MISource], m)
	} else {
		cells = append(cells, tabular.Str(notAvailable))
	}
	if md.FormatReward != nil {
		cells = append(cells, tabular.Num(*md.FormatReward, "%.3f"))
	} else {
		cells = append(cells, tabular.Str(notAvailable))
	}
	return cells
}

// ModalityMI is the MI distribution of each model with MI and, per MI class, how its outputs
// were ordered (counts). Nil when no model has MI.
func ModalityMI(s *metrics.Summary) *tabular.Table {
	t := &tabular.Table{
		ID:    "modality-mi",
		Title: "Modality importance × output order: " + scope(s),
		Columns: []tabular.Column{
			{Header: "Model"}, {Header: "MI"}, {Header: "Clips", Align: tabular.Right},
			{Header: "Vision first", Align: tabular.Right}, {Header: "Audio first", Align: tabular.Right},
			{Header: "No description", Align: tabular.Right},
		},
		Notes: []string{"MI: vision when the video-only run is right and the audio-only run wrong, audio for the reverse, else multimodal; Clips: share of clips per MI class; order columns count outputs."},
	}
	for _, m := range models(s) {
		md := s.Models[m].Modality
		if md == nil || md.MISource == "" {
			continue
		}
		for i, c := range miClasses() {
			cells := []tabular.Cell{tabular.Str(m), tabular.Str(c), quarterPct(md.MI[c])}
			if i > 0 {
				cells[0] = tabular.Str("")
			}
			for _, o := range orders() {
				cells = append(cells, tabular.Count(md.MIOrder[c][o]))
			}
			t.Rows = append(t.Rows, tabular.Row{Cells: cells, Rule: i == 0})
		}
	}
	if len(t.Rows) == 0 {
		return nil
	}
	return finish(s, t)
}
