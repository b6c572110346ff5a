package view

import (
	"slices"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
)

// Quarter cells as the index stores them; cellNone marks a row a judge's quarter table does not
// count (a failed call, a superseded output, a model the judge did not judge).
const (
	cellNone uint8 = iota
	cellTT
	cellTF
	cellFT
	cellFF
)

// Cells are the quarter cells in table order.
var cellNames = [...]string{"", "TT", "TF", "FT", "FF"}

// Cells lists the quarter cells in table order.
func Cells() []string { return slices.Clone(cellNames[1:]) }

func cellCode(s string) uint8 {
	for i, n := range cellNames {
		if i > 0 && n == s {
			return uint8(i)
		}
	}
	return cellNone
}

// Row flags.
const (
	flagFailed uint8 = 1 << iota
	// flagScored: the summary counts the row (not failed; under robust, the last output of its
	// model for its clip).
	flagScored
	flagCorrect
	// flagExplained: the row carries an explanation a judge reads (not failed, not ONNX probabilities).
	flagExplained
)

// rowInfo is the part of a predictions row that filters read, in 8 bytes: the index scans these
// instead of the rows, so that a filter over 100k rows reads under a megabyte.
type rowInfo struct {
	model   uint16
	truth   uint16 // interned label (labels dict)
	pred    uint16
	status  uint8 // interned parse status
	variant uint8
	flags   uint8
}

// dict interns the few distinct values of a column.
type dict struct {
	names []string
	ids   map[string]uint16
}

func newDict(seed ...string) *dict {
	d := &dict{ids: map[string]uint16{}}
	for _, s := range seed {
		d.id(s)
	}
	return d
}

func (d *dict) id(s string) uint16 {
	if i, ok := d.ids[s]; ok {
		return i
	}
	i := uint16(len(d.names))
	d.names = append(d.names, s)
	d.ids[s] = i
	return i
}

func (d *dict) lookup(s string) (uint16, bool) {
	i, ok := d.ids[s]
	return i, ok
}

// noJudgment is the judge-label id of a row the judge left without a judgment.
const noJudgment = 0

// Index is what the viewer knows of every predictions row, computed once at start from rows that
// are already in memory: filters then scan small fixed-size records, and only the page shown
// touches the rows themselves.
type Index struct {
	Protocol parse.Protocol
	Labels   *datasets.LabelSet
	// Models are the summary's models in its order (then any others the rows name); Judges the
	// summary's judges.
	Models, Judges []string

	preds    []predictions.Prediction
	judgment []judges.Judgment
	info     []rowInfo
	// order lists row indexes as pages show them: by model (summary order), then as in the file.
	order []int32
	// lower is each row's raw output in lower case, for the text search (the same string when
	// it has no upper case, so that most rows cost nothing more).
	lower []string

	modelIDs map[string]uint16
	// judged[j][m] says whether judge j judged model m (the summary has its quarter table).
	judged [][]bool
	// cell[j][row] and jlabel[j][row]: judge j's quarter cell and emotion (interned in emotions,
	// noJudgment for none) of a row; jrow[j][row] the judgments row (-1: none).
	cell   [][]uint8
	jlabel [][]uint16
	jrow   [][]int32

	variants, labels, statuses, emotions *dict
	// byClip maps a normalised clip id to its rows, in file order.
	byClip map[string][]int32
}

// newIndex indexes a run's rows. models and judgeNames come from the summary; judged(m, j) says
// whether the summary holds judge j's quarter table for model m.
func newIndex(protocol parse.Protocol, labels *datasets.LabelSet, models, judgeNames []string, judged func(model, judge string) bool,
	preds []predictions.Prediction, js []judges.Judgment) *Index {
	ix := &Index{
		Protocol: protocol, Labels: labels, Models: slices.Clone(models), Judges: slices.Clone(judgeNames),
		preds: preds, judgment: js, info: make([]rowInfo, len(preds)), lower: make([]string, len(preds)),
		modelIDs: map[string]uint16{}, variants: newDict(), labels: newDict(labels.Labels...), statuses: newDict(),
		emotions: newDict(""), byClip: map[string][]int32{},
	}
	for i, m := range ix.Models {
		ix.modelIDs[m] = uint16(i)
	}
	for _, j := range js {
		if !slices.Contains(ix.Judges, j.Judge) {
			ix.Judges = append(ix.Judges, j.Judge)
		}
	}
	type last struct {
		model uint16
		clip  string
	}
	lastRow := map[last]int32{}
	for i := range preds {
		p := &preds[i]
		m, ok := ix.modelIDs[p.Model]
		if !ok {
			m = uint16(len(ix.Models))
			ix.Models = append(ix.Models, p.Model)
			ix.modelIDs[p.Model] = m
		}
		id := datasets.NormalizeID(p.ClipID)
		ix.byClip[id] = append(ix.byClip[id], int32(i))
		lastRow[last{m, id}] = int32(i)
		r := rowInfo{model: m, truth: ix.labels.id(p.Label), pred: ix.labels.id(p.Pred),
			status: uint8(ix.statuses.id(p.ParseStatus)), variant: uint8(ix.variants.id(p.Variant))}
		if p.Error != "" {
			r.flags |= flagFailed
		} else if len(p.Probs) == 0 {
			r.flags |= flagExplained
		}
		ix.info[i] = r
		ix.lower[i] = strings.ToLower(p.RawOutput)
	}
	// Which rows the summary counts: metrics scores every output under migr (duplicates
	// included, as the authors' script reads a file) and the last output per clip under robust;
	// failed calls under neither.
	for i := range ix.info {
		r := &ix.info[i]
		if r.flags&flagFailed != 0 {
			continue
		}
		if protocol == parse.ProtocolRobust && (lastRow[last{r.model, datasets.NormalizeID(preds[i].ClipID)}] != int32(i) ||
			!labels.Contains(preds[i].Label)) {
			continue // robust scores the last output of each clip of the split only
		}
		r.flags |= flagScored
		if labels.Contains(preds[i].Pred) && preds[i].Pred == preds[i].Label {
			r.flags |= flagCorrect
		}
	}
	ix.order = make([]int32, len(preds))
	for i := range ix.order {
		ix.order[i] = int32(i)
	}
	slices.SortStableFunc(ix.order, func(a, b int32) int { return int(ix.info[a].model) - int(ix.info[b].model) })

	// Judgments: the last one per judge × model × clip wins, as in metrics.Builder.
	type jkey struct {
		judge, model, clip string
	}
	lastJ := make(map[jkey]int32, len(js))
	for i, j := range js {
		lastJ[jkey{j.Judge, j.Model, datasets.NormalizeID(j.ClipID)}] = int32(i)
	}
	n := len(ix.Judges)
	ix.judged, ix.cell, ix.jlabel, ix.jrow = make([][]bool, n), make([][]uint8, n), make([][]uint16, n), make([][]int32, n)
	for j, jn := range ix.Judges {
		ix.judged[j] = make([]bool, len(ix.Models))
		for m, mn := range ix.Models {
			ix.judged[j][m] = judged(mn, jn)
		}
		cells, labs, rows := make([]uint8, len(preds)), make([]uint16, len(preds)), make([]int32, len(preds))
		for i := range preds {
			p := &preds[i]
			r := ix.info[i]
			ji, ok := lastJ[jkey{jn, p.Model, datasets.NormalizeID(p.ClipID)}]
			rows[i] = -1
			emotion, jerr := "", false
			if ok {
				rows[i] = ji
				emotion, jerr = js[ji].Emotion, js[ji].Error != ""
				labs[i] = ix.emotions.id(emotion)
				if emotion == "" {
					// An errored judgment may carry no emotion: still a judgment, shown as such.
					labs[i] = ix.emotions.id(datasets.Unknown)
				}
			}
			if r.flags&flagScored != 0 && ix.judged[j][r.model] {
				cells[i] = cellCode(metrics.QuarterCellOf(protocol, labels, p.Label, p.Pred, p.PredQuarter, emotion, jerr))
			}
		}
		ix.cell[j], ix.jlabel[j], ix.jrow[j] = cells, labs, rows
	}
	return ix
}

// Len is the number of predictions rows.
func (ix *Index) Len() int { return len(ix.preds) }

// Row returns predictions row i.
func (ix *Index) Row(i int32) *predictions.Prediction { return &ix.preds[i] }

// judgeIndex is the position of a judge, or -1.
func (ix *Index) judgeIndex(name string) int { return slices.Index(ix.Judges, name) }

// Judgment returns judge j's judgment of row i, or nil.
func (ix *Index) Judgment(j int, i int32) *judges.Judgment {
	if k := ix.jrow[j][i]; k >= 0 {
		return &ix.judgment[k]
	}
	return nil
}

// Cell is judge j's quarter cell of row i ("" when the judge's table does not count it).
func (ix *Index) Cell(j int, i int32) string { return cellNames[ix.cell[j][i]] }

// Scored says whether the summary counts row i.
func (ix *Index) Scored(i int32) bool { return ix.info[i].flags&flagScored != 0 }

// Values lists the distinct values of the variant, label (truth and prediction), parse status
// and judge-emotion columns, for the filter form.
func (ix *Index) Values() (variants, labels, statuses, emotions []string) {
	sorted := func(d *dict, skip string) []string {
		var out []string
		for _, n := range d.names {
			if n != skip {
				out = append(out, n)
			}
		}
		return out
	}
	return sorted(ix.variants, "\x00"), sorted(ix.labels, "\x00"), sorted(ix.statuses, "\x00"), sorted(ix.emotions, "")
}

// ClipRows lists the rows of a clip (any spelling of its id) in file order.
func (ix *Index) ClipRows(id string) []int32 { return ix.byClip[datasets.NormalizeID(id)] }
