package plot

import (
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot/palette"

	"github.com/emoeval/emoeval/metrics"
)

// agreementNote is the agreement figure's caption.
// It avoids "κ", which standalone PDF figures spell "kappa", wider than the line was measured.
const agreementNote = "Cohen's kappa of the emotions two raters give the same explanations: 1 = full " +
	"agreement, 0 = chance level, below 0 = worse. n: explanations both labelled. n/a (grey): not compared."

// pairKappa is the agreement of one pair of raters: kappa over n items.
type pairKappa struct {
	kappa float64
	n     int
}

// JudgeAgreement draws Cohen's kappa between every pair of judges (and human labels, when the
// summary compares with them) as a heat map with a colour scale (0 to 1, or −1 to 1 when a kappa
// is negative), each cell showing kappa and its number of items. Pooled entries (Model "") are
// used; a pair compared on one model only uses that model's entry; otherwise its per-model
// matrices are summed and kappa computed from the sum as metrics computes pooled kappa. Pairs
// never compared, or compared on no items, are "n/a".
func JudgeAgreement(s *metrics.Summary) (*Figure, error) {
	d := agreementData(s)
	if len(d.raters) == 0 {
		return nil, ErrNoData
	}
	pal, ticks, err := kappaScale(d.lo)
	if err != nil {
		return nil, err
	}
	disp := displayNames(d.raters)
	p, err := heatMap(d.z, d.lo, 1, pal, d.cells, disp, disp, "", "")
	if err != nil {
		return nil, err
	}
	side := 2.4 + 0.6*float64(len(d.raters))
	return withExtras(&Figure{
		Name: "judge-agreement", Title: "Judge agreement (Cohen's κ)", Plot: p, Synthetic: s.Synthetic,
		Scale: &ColorScale{Label: "κ", Min: d.lo, Max: 1, Colors: pal.Colors(), Ticks: ticks},
		Note:  agreementNote,
		Width: inches(min(6.5, side+2.4)), Height: inches(min(6.5, side)),
	}), nil
}

// agreement is the data of the agreement heat map.
type agreement struct {
	raters []string    // rows and columns, in order
	z      [][]float64 // kappa; NaN where the pair was not compared
	cells  [][]string  // kappa and n, or "n/a"
	lo     float64     // the scale's low end: 0, or −1 when a kappa is negative
}

// agreementData builds the agreement heat map's matrix: raters in the summary's judge order,
// then in order of appearance; only raters in at least one compared pair.
func agreementData(s *metrics.Summary) agreement {
	kappa := agreementPairs(s)
	if len(kappa) == 0 {
		return agreement{}
	}
	var names []string
	for _, j := range s.Judges {
		names = appendNew(names, j)
	}
	for _, a := range s.Agreement {
		names = appendNew(names, a.A)
		names = appendNew(names, a.B)
	}
	var d agreement
	for _, n := range names {
		for key := range kappa {
			if key[0] == n || key[1] == n {
				d.raters = appendNew(d.raters, n)
			}
		}
	}
	for _, k := range kappa {
		if k.kappa < 0 {
			d.lo = -1
		}
	}
	n := len(d.raters)
	d.z = make([][]float64, n)
	d.cells = make([][]string, n)
	for r := range d.raters {
		d.z[r] = make([]float64, n)
		d.cells[r] = make([]string, n)
		for c := range d.raters {
			k, ok := kappa[pairKey(d.raters[r], d.raters[c])]
			switch {
			case r == c:
				d.z[r][c], d.cells[r][c] = 1, "1"
			case !ok:
				d.z[r][c], d.cells[r][c] = math.NaN(), notAvailable
			default:
				d.z[r][c], d.cells[r][c] = k.kappa, formatFloat(k.kappa, 2)+"\nn="+strconv.Itoa(k.n)
			}
		}
	}
	return d
}

// kappaScale is the palette and labelled values of a kappa scale from lo (0 or −1) to 1.
func kappaScale(lo float64) (palette.Palette, []float64, error) {
	if lo < 0 {
		pal, err := divergingPalette()
		return pal, []float64{-1, -0.5, 0, 0.5, 1}, err
	}
	pal, err := bluesPalette()
	return pal, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}, err
}

// agreementPairs is the kappa of every pair of raters the summary compares on at least one item.
func agreementPairs(s *metrics.Summary) map[[2]string]pairKappa {
	type entries struct {
		pooled    *metrics.Agreement
		perModel  []metrics.Agreement
		sum       [][]int
		sumBroken bool
	}
	byPair := map[[2]string]*entries{}
	var keys [][2]string
	for i, a := range s.Agreement {
		key := pairKey(a.A, a.B)
		e := byPair[key]
		if e == nil {
			e = &entries{}
			byPair[key] = e
			keys = append(keys, key)
		}
		if a.Model == "" {
			e.pooled = &s.Agreement[i]
			continue
		}
		e.perModel = append(e.perModel, a)
		sum, ok := addMatrix(e.sum, a.Matrix)
		e.sum, e.sumBroken = sum, e.sumBroken || !ok
	}
	out := map[[2]string]pairKappa{}
	for _, key := range keys {
		e := byPair[key]
		var k pairKappa
		switch {
		case e.pooled != nil:
			k = pairKappa{e.pooled.Kappa, e.pooled.N}
		case len(e.perModel) == 1:
			k = pairKappa{e.perModel[0].Kappa, e.perModel[0].N}
		case !e.sumBroken:
			k = kappaOf(e.sum)
		default:
			continue
		}
		if k.n <= 0 || math.IsNaN(k.kappa) || math.IsInf(k.kappa, 0) {
			continue // compared on no items: undefined, not 0
		}
		out[key] = k
	}
	return out
}

func pairKey(a, b string) [2]string {
	if a > b {
		a, b = b, a
	}
	return [2]string{a, b}
}

// addMatrix adds b to a (a nil = empty); ok is false when the shapes differ or b is empty.
func addMatrix(a, b [][]int) ([][]int, bool) {
	if len(b) == 0 || slices.ContainsFunc(b, func(row []int) bool { return len(row) != len(b) }) {
		return a, false
	}
	if a == nil {
		a = make([][]int, len(b))
		for i := range a {
			a[i] = make([]int, len(b))
		}
	}
	if len(a) != len(b) {
		return a, false
	}
	for i := range b {
		for j := range b[i] {
			a[i][j] += max(b[i][j], 0)
		}
	}
	return a, true
}

// kappaOf is Cohen's kappa of a square agreement matrix and its number of items, computed by
// metrics.Kappa (so a pooled kappa drawn here equals the one metrics reports).
func kappaOf(m [][]int) pairKappa {
	w := len(m)
	cm := make([]int64, 0, w*w)
	for _, row := range m {
		for _, v := range row {
			cm = append(cm, int64(v))
		}
	}
	kappa, _, n := metrics.Kappa(cm, w)
	return pairKappa{kappa, int(n)}
}
