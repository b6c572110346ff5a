package view

import (
	"math"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// CohenKappa is Cohen's κ of two raters' labels of the same items (a[i] and b[i] label item i):
// (p_o − p_e) / (1 − p_e), with p_e from each rater's own label shares. It is NaN without items,
// or when chance agreement is already 1 (both raters gave one and the same label throughout:
// agreement beyond chance is undefined, not perfect).
func CohenKappa(a, b []string) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return math.NaN()
	}
	n := float64(len(a))
	ca, cb := map[string]float64{}, map[string]float64{}
	agree := 0.0
	for i := range a {
		ca[a[i]]++
		cb[b[i]]++
		if a[i] == b[i] {
			agree++
		}
	}
	po := agree / n
	pe := 0.0
	for l, x := range ca {
		pe += (x / n) * (cb[l] / n)
	}
	if pe >= 1 {
		return math.NaN()
	}
	return (po - pe) / (1 - pe)
}

// Agreement is two raters' agreement on the items both labelled.
type Agreement struct {
	A, B string
	// N is the number of items both labelled; Agree the share with the same label.
	N     int
	Agree float64
	Kappa float64 // NaN when undefined
}

// pairKey is an item of human labels: a model's explanation of a clip.
type pairKey struct{ model, clip string }

// AnnotatorAgreement gives Cohen's κ for every pair of annotators over the items both answered
// (NoEmotion is a category like any label), pairs in name order.
func AnnotatorAgreement(rows []HumanRow) []Agreement {
	by := map[string]map[pairKey]string{}
	for _, r := range rows {
		if by[r.Annotator] == nil {
			by[r.Annotator] = map[pairKey]string{}
		}
		by[r.Annotator][pairKey{r.Model, datasets.NormalizeID(r.ClipID)}] = r.Emotion
	}
	names := make([]string, 0, len(by))
	for n := range by {
		names = append(names, n)
	}
	slices.Sort(names)
	var out []Agreement
	for i, a := range names {
		for _, b := range names[i+1:] {
			out = append(out, agreementOf(a, b, by[a], by[b]))
		}
	}
	return out
}

func agreementOf(a, b string, la, lb map[pairKey]string) Agreement {
	keys := make([]pairKey, 0, len(la))
	for k := range la {
		if _, ok := lb[k]; ok {
			keys = append(keys, k)
		}
	}
	// Sorted so that the float sums, and so κ, are the same on every call.
	slices.SortFunc(keys, func(x, y pairKey) int {
		if c := strings.Compare(x.model, y.model); c != 0 {
			return c
		}
		return strings.Compare(x.clip, y.clip)
	})
	xa, xb := make([]string, len(keys)), make([]string, len(keys))
	agree := 0
	for i, k := range keys {
		xa[i], xb[i] = la[k], lb[k]
		if xa[i] == xb[i] {
			agree++
		}
	}
	ag := Agreement{A: a, B: b, N: len(keys), Kappa: CohenKappa(xa, xb)}
	if len(keys) > 0 {
		ag.Agree = float64(agree) / float64(len(keys))
	}
	return ag
}
