package plot

import (
	"math"
	"slices"

	"github.com/emoeval/emoeval/metrics"
)

// JudgeAgreement draws Cohen's kappa between every pair of judges (and human labels, when the
// summary compares with them) as a heat map. Pooled entries (Model "") are used; when a pair has
// none, its per-model confusion matrices are summed and kappa computed from the sum.
func JudgeAgreement(s *metrics.Summary) (*Figure, error) {
	var names []string
	for _, j := range s.Judges {
		names = appendNew(names, j)
	}
	for _, a := range s.Agreement {
		names = appendNew(names, a.A)
		names = appendNew(names, a.B)
	}
	kappa := map[[2]string]float64{}
	pooled := map[[2]string][][]int{}
	for _, a := range s.Agreement {
		key := pairKey(a.A, a.B)
		if a.Model == "" {
			kappa[key] = a.Kappa
			continue
		}
		if sum, ok := addMatrix(pooled[key], a.Matrix); ok {
			pooled[key] = sum
		}
	}
	for key, m := range pooled {
		if _, ok := kappa[key]; !ok {
			kappa[key] = kappaOf(m)
		}
	}
	if len(kappa) == 0 {
		return nil, ErrNoData
	}
	var used []string
	for _, n := range names {
		for key := range kappa {
			if key[0] == n || key[1] == n {
				used = appendNew(used, n)
			}
		}
	}
	n := len(used)
	z := make([][]float64, n)
	cells := make([][]string, n)
	for r := range used {
		z[r] = make([]float64, n)
		cells[r] = make([]string, n)
		for c := range used {
			k, ok := kappa[pairKey(used[r], used[c])]
			switch {
			case r == c:
				z[r][c], cells[r][c] = 1, "1"
			case !ok:
				z[r][c], cells[r][c] = math.NaN(), "n/a"
			default:
				z[r][c], cells[r][c] = finite(k), formatFloat(finite(k), 2)
			}
		}
	}
	disp := displayNames(used)
	p, err := heatMap(z, 0, 1, cells, disp, disp, "", "")
	if err != nil {
		return nil, err
	}
	side := 2.4 + 0.6*float64(n)
	return &Figure{
		Name: "judge-agreement", Title: "Judge agreement (Cohen's κ)", Plot: p, Synthetic: s.Synthetic,
		Width: inches(min(6.5, side+1.6)), Height: inches(min(6.5, side)),
	}, nil
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

// kappaOf is Cohen's kappa of a square agreement matrix; 0 when it is undefined.
func kappaOf(m [][]int) float64 {
	total := 0.0
	rows := make([]float64, len(m))
	cols := make([]float64, len(m))
	diag := 0.0
	for i := range m {
		for j, n := range m[i] {
			v := float64(n)
			total += v
			rows[i] += v
			cols[j] += v
			if i == j {
				diag += v
			}
		}
	}
	if total == 0 {
		return 0
	}
	pe := 0.0
	for i := range rows {
		pe += rows[i] * cols[i] / (total * total)
	}
	if pe >= 1 {
		return 0
	}
	return (diag/total - pe) / (1 - pe)
}
