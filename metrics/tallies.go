package metrics

import (
	"math"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

// Every headline metric is a function of per-sample categorical outcomes, so it is a function of
// counts of outcome cells: the (truth, prediction) matrix, each judge's quarter cell, and the
// MI-alignment cell. tallies hold those counts by stratum, the sample's true class (stratum 0:
// outside the split), because the bootstrap redraws each stratum with its size fixed.
type tallies struct {
	k int
	// rec is the (k+1)×(k+1) count matrix: row stratum, column the prediction (column k:
	// unknown).
	rec []int64
	// judge[j] is the (k+1)×nCells matrix of judge j's quarter cells by stratum.
	judge [][]int64
	// mi is the (k+1)×nMICells matrix of MI-alignment cells by stratum.
	mi []int64
}

// Quarter cells. A sample in TT always has prediction = explanation and one in TF or FT never
// does, so five cells carry the quarter table and EPC together.
const (
	cellTT = iota
	cellTF
	cellFT
	cellFFAgree // both wrong, prediction = explanation
	cellFF
	nCells
)

// MI-alignment cells.
const (
	miIneligible = iota // MI multimodal, no MI, or no output
	miAligned           // the first description is the MI modality
	miMisaligned
	nMICells
)

func newTallies(k, judges int) *tallies {
	t := &tallies{k: k, rec: make([]int64, (k+1)*(k+1)), judge: make([][]int64, judges), mi: make([]int64, (k+1)*nMICells)}
	for j := range t.judge {
		t.judge[j] = make([]int64, (k+1)*nCells)
	}
	return t
}

func (t *tallies) reset() {
	clear(t.rec)
	for _, j := range t.judge {
		clear(j)
	}
	clear(t.mi)
}

// stratum is a sample's bootstrap stratum: its true class + 1, or 0 outside the split.
func stratum(truth int8) int { return int(truth) + 1 }

func recCode(k int, truth, pred int8) int { return stratum(truth)*(k+1) + int(pred) }

// cell is a sample's quarter cell under a judge.
func (b *Builder) cell(r rec, jr *judgeRun) uint8 {
	j := jr.judgment(r.clip)
	return cellOf(b.opts.Protocol, int8(b.k), r.truth, r.pred, r.qpred, j.emotion, j.flags&jPresent != 0, j.flags&jErr != 0)
}

// cellOf is the quarter cell of a sample with label indexes (k: unknown; truth < 0: no label)
// and its judgment (emotion < 0: no reply).
func cellOf(protocol parse.Protocol, k, truth, pred, qpred, emotion int8, present, judgeErr bool) uint8 {
	if protocol == parse.ProtocolMigr {
		// The authors' consistency script: an answer it cannot read, a missing or unusable judge
		// reply, or a clip without a label raises, and the sample goes to FF.
		if truth < 0 || qpred == k || !present || emotion < 0 || emotion == k {
			return cellFF
		}
		return quarterCell(qpred == truth, emotion == truth, qpred == emotion)
	}
	judged := present && !judgeErr && emotion >= 0 && emotion < k
	predOK := pred != k && pred == truth
	return quarterCell(predOK, judged && emotion == truth, pred != k && judged && pred == emotion)
}

// QuarterCellOf is a sample's quarter cell ("TT", "TF", "FT" or "FF") by exactly the rules of the
// summary's quarter table, from its labels as predictions.parquet and judgments.parquet hold them
// (emotion "" when the judge gave no reply). Reports and the run viewer ask it instead of
// deriving cells themselves.
func QuarterCellOf(protocol parse.Protocol, labels *datasets.LabelSet, truth, pred, predQuarter, emotion string, judgeErr bool) string {
	k := int8(labels.Len())
	idx := func(s string) int8 {
		if i := labels.Index(s); i >= 0 {
			return int8(i)
		}
		return k // unknown, or not a label
	}
	t := idx(truth)
	if labels.Index(truth) < 0 {
		t = -1
	}
	e := int8(-1)
	if emotion != "" {
		e = idx(emotion)
	}
	if predQuarter == "" {
		predQuarter = pred
	}
	switch cellOf(protocol, k, t, idx(pred), idx(predQuarter), e, emotion != "" || judgeErr, judgeErr) {
	case cellTT:
		return "TT"
	case cellTF:
		return "TF"
	case cellFT:
		return "FT"
	}
	return "FF"
}

func quarterCell(predOK, explOK, agree bool) uint8 {
	switch {
	case predOK && explOK:
		return cellTT
	case predOK:
		return cellTF
	case explOK:
		return cellFT
	case agree:
		return cellFFAgree
	}
	return cellFF
}

// miCell is a sample's MI-alignment cell; mi is its clip's MI class.
func miCell(r rec, mi modality.Class, descTags bool) uint8 {
	if !r.output() || !descTags {
		return miIneligible
	}
	switch {
	case mi == modality.Vision && r.order == orderVisionFirst, mi == modality.Audio && r.order == orderAudioFirst:
		return miAligned
	case mi == modality.Vision || mi == modality.Audio:
		return miMisaligned
	}
	return miIneligible
}

// add counts one sample of stratum st.
func (t *tallies) add(st, rc int, cells []uint8, mc uint8) {
	t.rec[rc]++
	for j, c := range cells {
		t.judge[j][st*nCells+int(c)]++
	}
	t.mi[st*nMICells+int(mc)]++
}

// pooledQuarter sums a judge's quarter cells over the strata.
func pooledQuarter(stratified []int64) (sum [nCells]int64) {
	for st := 0; st < len(stratified); st += nCells {
		for c, x := range stratified[st : st+nCells] {
			sum[c] += x
		}
	}
	return sum
}

// pooledMI sums the MI-alignment cells over the strata.
func pooledMI(stratified []int64) (sum [nMICells]int64) {
	for st := 0; st < len(stratified); st += nMICells {
		for c, x := range stratified[st : st+nMICells] {
			sum[c] += x
		}
	}
	return sum
}

// headlineKeys names the headline metrics in the order evaluator.headline writes them.
func headlineKeys(judges []string) []string {
	keys := []string{"war", "uar", "macro_f1"}
	for _, j := range judges {
		for _, m := range quarterKeys {
			keys = append(keys, j+"."+m)
		}
	}
	return append(keys, "mi_aligned")
}

var quarterKeys = []string{"tt", "tf", "ft", "ff", "tf_given_correct", "epc", "eea"}

// evaluator computes headline metrics from tallies without allocating.
type evaluator struct {
	k         int
	predicted []int64
}

func newEvaluator(k int) *evaluator {
	return &evaluator{k: k, predicted: make([]int64, k)}
}

// headline writes the values named by headlineKeys into dst. A ratio with nothing to count is
// undefined, NaN, rather than 0: tf_given_correct without correct predictions, mi_aligned
// without clips whose MI is vision or audio. (Every other denominator is a stratum size or N,
// fixed under the stratified bootstrap.)
func (e *evaluator) headline(t *tallies, dst []float64) {
	dst[0], dst[1], dst[2] = e.recognition(t.rec)
	i := 3
	for _, c := range t.judge {
		q := quarterOf(pooledQuarter(c))
		tfGivenCorrect := definedRatio(q.counts.TF, q.counts.TT+q.counts.TF)
		copy(dst[i:], []float64{q.tt, q.tf, q.ft, q.ff, tfGivenCorrect, q.epc, q.eea})
		i += len(quarterKeys)
	}
	mi := pooledMI(t.mi)
	dst[i] = definedRatio(mi[miAligned], mi[miAligned]+mi[miMisaligned])
}

// definedRatio is a/b, NaN when b is 0.
func definedRatio[T int | int64](a, b T) float64 {
	if b == 0 {
		return math.NaN()
	}
	return float64(a) / float64(b)
}

// recognition returns WAR, UAR and macro-F1 of a count matrix. A class's support is its whole
// row, unknown answers included (docs/reference.md §2: an unknown prediction stays in its true class's
// recall denominator).
func (e *evaluator) recognition(cm []int64) (war, uar, macroF1 float64) {
	k, w := e.k, e.k+1
	clear(e.predicted)
	var n, correct int64
	for _, c := range cm[:w] { // outside the split: in N, never correct
		n += c
	}
	for t := 0; t < k; t++ {
		row := cm[(t+1)*w : (t+2)*w]
		for p, c := range row[:k] {
			e.predicted[p] += c
		}
		n += row[k]
		for _, c := range row[:k] {
			n += c
		}
		correct += row[t]
	}
	for t := 0; t < k; t++ {
		row := cm[(t+1)*w : (t+2)*w]
		var support int64
		for _, c := range row {
			support += c
		}
		recall := ratio(row[t], support)
		precision := ratio(row[t], e.predicted[t])
		uar += recall
		macroF1 += f1(precision, recall)
	}
	return ratio(correct, n), uar / float64(k), macroF1 / float64(k)
}

func f1(precision, recall float64) float64 {
	if precision+recall == 0 {
		return 0
	}
	return 2 * precision * recall / (precision + recall)
}

func ratio(a, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// quarter is the quarter table of one set of cells.
type quarter struct {
	n                                        int64
	tt, tf, ft, ff, tfGivenCorrect, epc, eea float64
	counts                                   QuarterCounts
}

func quarterOf(c [nCells]int64) quarter {
	n := c[cellTT] + c[cellTF] + c[cellFT] + c[cellFFAgree] + c[cellFF]
	ff := c[cellFFAgree] + c[cellFF]
	epc := c[cellTT] + c[cellFFAgree]
	return quarter{
		n:              n,
		tt:             ratio(c[cellTT], n),
		tf:             ratio(c[cellTF], n),
		ft:             ratio(c[cellFT], n),
		ff:             ratio(ff, n),
		tfGivenCorrect: ratio(c[cellTF], c[cellTT]+c[cellTF]),
		epc:            ratio(epc, n),
		eea:            ratio(c[cellTT]+c[cellFT], n),
		counts:         QuarterCounts{TT: int(c[cellTT]), TF: int(c[cellTF]), FT: int(c[cellFT]), FF: int(ff), EPC: int(epc)},
	}
}
