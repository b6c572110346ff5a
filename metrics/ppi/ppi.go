// Package ppi corrects judge-based explanation rates (the TT/TF/FT/FF quarter cells, TF over
// correct predictions, EPC and EEA) with a stratified sample of human labels, and gives
// confidence intervals that stay valid however wrong the judge is: prediction-powered inference
// (Angelopoulos et al., Science 2023) with PPI++ power tuning (Angelopoulos, Duchi & Zrnic 2023),
// as applied to automatic evaluators by Boyeau et al. (2024, "AutoEval done right") and to
// stratified human samples by Fisch et al. (2024, StratPPI).
//
// # Target and design
//
// Each sample is one model explanation of one clip. The judge's emotion Ĵ is known for every
// sample; the human label H (the emotion the explanation supports, or none) only for the human
// sample, which was drawn by simple random sampling without replacement within strata (for
// example model × the judge's quarter cell) at known, possibly unequal, rates. For each rate key
// the per-sample value is f(truth, pred, emotion): Y = f(·, ·, H) and Ŷ = f(·, ·, Ĵ), both 0/1.
// The target is the finite-population mean θ = (1/N) Σ Y over all N samples passed in: the rate
// the evaluated set would show if every explanation were labelled by a human. Intervals are
// conditional on the evaluated clips (design-based); they do not add the sampling of clips from
// a wider population of clips.
//
// # Estimator
//
// In stratum h (N_h samples, n_h labelled, weight W_h = N_h/N, sampling fraction f_h = n_h/N_h)
// the PPI difference estimator with tuning parameter λ is
//
//	θ̂_h(λ) = λ·mean_{all N_h}(Ŷ) + mean_{labelled n_h}(Y − λŶ)
//
// and θ̂(λ) = Σ_h W_h θ̂_h(λ). For a fixed λ it is exactly unbiased under the design, and its
// variance is (Cochran 1977, §5.3 and §7.2, difference estimator under stratified SRSWOR)
//
//	V(λ) = Σ_h W_h² (1 − f_h)/n_h · S²_h(Y − λŶ),  S²_h(Y − λŶ) = S²_h(Y) − 2λ S_h(Y,Ŷ) + λ² S²_h(Ŷ).
//
// The finite population correction 1 − f_h is kept because the target is the mean over the
// samples passed in; a fully labelled stratum therefore contributes no variance, and labelling
// everything gives the exact rate with a zero-width interval. λ = 0 is the classical stratified
// estimator from the human labels alone (HumanOnly); λ = 1 is plain PPI.
//
// # Variance estimation
//
// S²_h(Y), S_h(Y,Ŷ) and S²_h(Ŷ) are estimated from the labelled units of the stratum, with two
// refinements over the plain sample (co)variances:
//
//   - Values known without a label are used as known. The truth and prediction alone fix some
//     values (TT and TF are 0 when the prediction is wrong, FT and FF are 0 when it is right, EPC
//     is 0 when the prediction is unknown); there Y = Ŷ. A stratum where every sample is so fixed
//     (e.g. FT in a judge-TT cell) has an exact mean and no variance.
//   - Among the other labelled units, P(Y = 1 | Ŷ = v) is smoothed to the Jeffreys posterior mean
//     q̃_v = (k_v + ½)/(n_v + 1). The moments are those of the resulting 2×2 distribution of
//     (Y, Ŷ), times n_h/(n_h − 1). Without this, a stratum whose labels show no disagreement
//     with the judge (or no variation in Y) reports zero variance; with a good judge and a rare
//     cell (FT ≈ 3%) the plain plug-in intervals covered only 57% of the time in simulation,
//     the smoothed ones 99%. The smoothing is negligible once each judge verdict level holds a
//     few dozen labels, and conservative below that. The point estimate is not smoothed.
//
// # Power tuning
//
// λ is chosen per key, globally (one λ for all strata), to minimise the estimated V(λ):
//
//	λ* = Σ_h a_h S_h(Y,Ŷ) / Σ_h a_h S²_h(Ŷ),  a_h = W_h² (1 − f_h)/n_h,
//
// clipped to [0, 1] (0 when the judge's verdicts do not vary within any stratum). Because the
// estimated variance is a quadratic in λ and 0 lies in [0, 1], the corrected interval is never
// wider than the human-only one. λ is tuned on the same labels as the estimate, without
// cross-fitting; PPI++ shows the effect is asymptotically negligible, and the coverage test
// checks it at n ≈ 300. One global λ rather than one per stratum: strata in this design are
// small (often 10–50 labels), where a per-stratum ratio of covariances is noisy and its plug-in
// variance optimistic in every stratum at once; the global λ pools all the labels. In exchange
// it cannot exploit a judge that is good in one stratum and poor in another.
//
// Judge information already used by the design is not counted twice: when the strata include
// the judge's quarter cell, Ŷ for tt, tf, ft, ff and eea is constant within each stratum, the
// difference term vanishes, and the corrected estimate equals the stratified human-only one
// (which is then itself the judge-corrected, confusion-matrix estimate). The judge still helps
// epc within the cells where prediction and judge emotion both miss the truth, and any key
// whenever the strata do not include the judge's cell.
//
// # Ratio key
//
// tf_given_correct = TF / C, where C = (TT + TF) is the share of correct predictions. C does not
// depend on the explanation label and is known exactly from all N samples, so the ratio's
// estimate, standard error and interval are those of TF divided by the constant C. When no
// prediction is correct the key is left out of every map.
//
// # Small strata
//
// A stratum with samples but no human label makes the error ErrUnlabelledStratum: its rate is
// not identified from human labels, and borrowing the judge there would bring back the bias this
// package removes; merge it with a neighbouring stratum or label at least two of its samples. A
// stratum with fewer than two labels whose value is not fixed by truth and prediction (and
// samples left unlabelled) has no usable variance estimate; it is given the largest variance
// compatible with what is known, S²(Y − λŶ) ≤ (S_Y + λS_Ŷ)² with S_Y at most that of a 0/1
// variable split in half (N_h/(4(N_h − 1))) and S_Ŷ known exactly from all N_h judge verdicts:
// conservative, and it pushes λ towards 0.
//
// # Intervals
//
// Normal (Wald) intervals θ̂ ± z_{1−α/2}·√V̂, as in PPI and PPI++. Point estimates and interval
// ends are clipped into [0, 1]. Human labels missing for some of the drawn units are treated as
// missing at random within their stratum.
package ppi

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
)

// Rate keys of the maps in Result.
const (
	KeyTT             = "tt"               // prediction correct, explanation correct
	KeyTF             = "tf"               // prediction correct, explanation incorrect
	KeyFT             = "ft"               // prediction incorrect, explanation correct
	KeyFF             = "ff"               // prediction incorrect, explanation incorrect
	KeyTFGivenCorrect = "tf_given_correct" // TF / (TT + TF)
	KeyEPC            = "epc"              // explanation emotion equals the prediction
	KeyEEA            = "eea"              // explanation emotion equals the truth (TT + FT)
)

// Keys lists the rate keys in report order.
func Keys() []string {
	return []string{KeyTT, KeyTF, KeyFT, KeyFF, KeyTFGivenCorrect, KeyEPC, KeyEEA}
}

// Errors returned by Estimate; test with errors.Is.
var (
	ErrNoSamples         = errors.New("ppi: no samples")
	ErrNoHumanLabels     = errors.New("ppi: no human labels")
	ErrUnlabelledStratum = errors.New("ppi: stratum without human labels")
	ErrOptions           = errors.New("ppi: invalid options")
)

// Sample is one explanation.
type Sample struct {
	// Stratum is the id of the stratum the human sample was drawn in (e.g. model × judge quarter
	// cell). Every sample of a stratum must have had the same chance to be labelled.
	Stratum int
	// Truth and Pred are canonical labels; "unknown" (or "") never matches anything.
	Truth, Pred string
	// Judge is the emotion the judge says the explanation supports ("unknown" when it abstained
	// or failed).
	Judge string
	// Human is the human label, nil when the sample was not labelled. "", "none" and "unknown"
	// (as any other non-label such as "cannot tell") mean the explanation supports no label and
	// equal neither the truth nor the prediction.
	Human *string
}

// Options tune Estimate. The zero value is the default.
type Options struct {
	// Alpha is the miscoverage of the intervals: 0.05 (the default when 0) gives 95% intervals.
	Alpha float64
	// FixedLambda, when set, replaces power tuning for every key: 0 reproduces the human-only
	// estimate, 1 is plain PPI. It must lie in [0, 1].
	FixedLambda *float64
}

// Interval is a point estimate with its standard error and (1 − α) confidence interval.
type Interval struct {
	Value float64    `json:"value"`
	SE    float64    `json:"se"`
	CI    [2]float64 `json:"ci"`
}

// Result holds, per rate key, the judge-corrected and human-only estimates and the raw judge
// rate. All rates are shares of all N samples except tf_given_correct.
type Result struct {
	N      int     `json:"n"`       // samples
	NHuman int     `json:"n_human"` // samples with a human label
	Strata int     `json:"strata"`
	Alpha  float64 `json:"alpha"`
	// Correct is the share of correct predictions (TT + TF), known exactly.
	Correct float64 `json:"correct"`
	// Corrected is the power-tuned PPI estimate.
	Corrected map[string]Interval `json:"corrected"`
	// HumanOnly is the classical stratified estimate from the human labels alone (λ = 0).
	HumanOnly map[string]Interval `json:"human_only"`
	// Raw is the judge-only rate over all samples.
	Raw map[string]float64 `json:"raw"`
	// Lambda is the tuning parameter used per key (0: the judge adds nothing beyond the strata).
	Lambda map[string]float64 `json:"lambda"`
	// EffectiveN is NHuman × V(human-only) / V(corrected): how many human labels the human-only
	// estimate would need for the corrected precision, at the same sampling fractions. It is
	// NHuman when both variances are 0 and N when only the corrected one is.
	EffectiveN map[string]float64 `json:"effective_n"`
}

// base keys, the per-sample 0/1 functions; tf_given_correct is derived from tf.
const (
	kTT = iota
	kTF
	kFT
	kFF
	kEPC
	kEEA
	nBase
)

func baseKey(k int) string {
	return [nBase]string{KeyTT, KeyTF, KeyFT, KeyFF, KeyEPC, KeyEEA}[k]
}

// isLabel reports whether s names an emotion, as opposed to "no label".
func isLabel(s string) bool {
	s = strings.TrimSpace(s)
	return s != "" && !strings.EqualFold(s, "none") && !strings.EqualFold(s, "unknown")
}

// same reports whether a and b name the same emotion.
func same(a, b string) bool {
	if a == b {
		return isLabel(a)
	}
	return isLabel(a) && isLabel(b) && strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

// row is a sample's truth and prediction, against which an explanation emotion is scored.
type row struct {
	truth, pred           string
	correct               bool // the prediction is the truth
	truthLabel, predLabel bool // truth and prediction name emotions
}

func newRow(truth, pred string) row {
	return row{truth: truth, pred: pred, correct: same(pred, truth), truthLabel: isLabel(truth), predLabel: isLabel(pred)}
}

// flags gives the 0/1 value of every base key from: prediction correct, explanation emotion
// equal to the truth, explanation emotion equal to the prediction.
func flags(c, e, p bool) (v [nBase]int64) {
	b := func(x bool) int64 {
		if x {
			return 1
		}
		return 0
	}
	v[kTT] = b(c && e)
	v[kTF] = b(c && !e)
	v[kFT] = b(!c && e)
	v[kFF] = b(!c && !e)
	v[kEPC] = b(p)
	v[kEEA] = b(e)
	return v
}

// values scores an explanation that supports emotion.
func (r row) values(emotion string) [nBase]int64 {
	return flags(r.correct, same(emotion, r.truth), same(emotion, r.pred))
}

// determined reports, per key, whether the value is the same whatever the explanation says (as
// TT when the prediction is wrong), and that value. An emotion can only equal the truth, equal
// the prediction, or neither, so three cases decide it.
func (r row) determined() (det [nBase]bool, value [nBase]int64) {
	none := flags(r.correct, false, false)
	asTruth := flags(r.correct, r.truthLabel, r.correct)
	asPred := flags(r.correct, r.correct, r.predLabel)
	for k := range nBase {
		det[k] = none[k] == asTruth[k] && none[k] == asPred[k]
	}
	return det, none
}

// values returns the 0/1 value of every base key for an explanation supporting emotion, and
// whether the prediction is correct.
func values(truth, pred, emotion string) ([nBase]int64, bool) {
	r := newRow(truth, pred)
	return r.values(emotion), r.correct
}

// stratum holds integer sums, so the result does not depend on the order of the samples.
// Products that feed sums are wrapped in float64() so that no compiler fuses them into FMA
// instructions: the same input gives the same bits on every architecture.
type stratum struct {
	id      int
	pop, n  int64        // N_h, n_h
	popHat  [nBase]int64 // Σ over all N_h of Ŷ
	free    [nBase]int64 // samples whose Y depends on the explanation
	detSum  [nBase]int64 // Σ of Y over the others, where it is known without a label
	labDet  [nBase]int64 // labelled samples whose Y is determined
	labDet1 [nBase]int64 // … with value 1
	y, yh   [nBase]int64 // Σ over the labelled of Y and Ŷ
	yyh     [nBase]int64 // Σ over the labelled of Y·Ŷ
}

// moments are a stratum's ingredients of V(λ) for one key.
type moments struct {
	w, a          float64 // W_h and W_h²(1 − f_h)/n_h
	meanY, meanYh float64 // labelled means of Y and Ŷ
	popMeanYh     float64 // mean of Ŷ over all N_h
	syy, syh, shh float64 // S²(Y), S(Y,Ŷ), S²(Ŷ)
}

func (s *stratum) moments(k int, total int64) moments {
	N, n := s.pop, s.n
	m := moments{
		w:         float64(N) / float64(total),
		meanY:     float64(s.y[k]) / float64(n),
		meanYh:    float64(s.yh[k]) / float64(n),
		popMeanYh: float64(s.popHat[k]) / float64(N),
	}
	fpc := 1 - float64(n)/float64(N)
	m.a = float64(float64(m.w*m.w)*fpc) / float64(n)
	// Labelled samples split into those whose Y is known anyway (then Y = Ŷ = that value) and
	// the free ones, whose Y only the human label gives.
	d1 := s.labDet1[k]       // determined, Y = Ŷ = 1
	nF := n - s.labDet[k]    // free
	n1F := s.yh[k] - d1      // free with Ŷ = 1
	y1F := s.yyh[k] - d1     // … and Y = 1
	y0F := s.y[k] - d1 - y1F // free with Ŷ = 0 and Y = 1
	switch {
	case s.free[k] == 0:
		// Y is known for every sample of the stratum (e.g. TT where every prediction is
		// wrong): the stratum mean is exact and the judge term is dropped.
		m.a, m.meanY, m.meanYh = 0, float64(s.detSum[k])/float64(N), m.popMeanYh
	case n == N:
		m.a = 0 // census: no sampling error, moments irrelevant
	case nF >= 2:
		// Smoothed moments: among free labelled samples with Ŷ = v, P(Y = 1) is smoothed to
		// q̃_v = (count + ½)/(count of Ŷ = v + 1) (the Jeffreys posterior mean), so a sample
		// without any disagreement still shows some variance; the determined samples enter as
		// observed. The moments are those of the resulting 2×2 distribution of (Y, Ŷ), times
		// n/(n − 1) like the usual S².
		q1 := (float64(y1F) + 0.5) / float64(n1F+1)
		q0 := (float64(y0F) + 0.5) / float64(nF-n1F+1)
		p11 := (float64(d1) + float64(float64(n1F)*q1)) / float64(n) // Y = 1, Ŷ = 1
		p01 := float64(float64(nF-n1F)*q0) / float64(n)              // Y = 1, Ŷ = 0
		pY := p11 + p01
		pYh := float64(s.yh[k]) / float64(n)
		g := float64(n) / float64(n-1)
		m.syy = float64(pY*(1-pY)) * g
		m.syh = (p11 - float64(pY*pYh)) * g
		m.shh = float64(pYh*(1-pYh)) * g
	default:
		// Fewer than two free labels: no usable variance estimate. Conservative bound
		// S²(Y − λŶ) ≤ (S_Y + λS_Ŷ)², see the package comment.
		sy := math.Sqrt(float64(N) / float64(4*(N-1)))
		sh := math.Sqrt(float64(N*s.popHat[k]-s.popHat[k]*s.popHat[k]) / float64(N*(N-1)))
		m.syy, m.shh, m.syh = sy*sy, sh*sh, -float64(sy*sh)
	}
	return m
}

// combine returns θ̂(λ) and V̂(λ) over the strata.
func combine(ms []moments, lambda float64) (est, variance float64) {
	for _, m := range ms {
		est += float64(m.w * (float64(lambda*m.popMeanYh) + m.meanY - float64(lambda*m.meanYh)))
		s2 := m.syy - float64(2*lambda*m.syh) + float64(float64(lambda*lambda)*m.shh)
		variance += float64(m.a * s2)
	}
	return est, max(variance, 0)
}

// tune returns the λ in [0, 1] minimising V̂(λ).
func tune(ms []moments) float64 {
	var num, den float64
	for _, m := range ms {
		num += float64(m.a * m.syh)
		den += float64(m.a * m.shh)
	}
	if !(den > 0) {
		return 0
	}
	return min(max(num/den, 0), 1)
}

// Estimate computes the raw, human-only and judge-corrected rates.
func Estimate(samples []Sample, opts Options) (*Result, error) {
	alpha := opts.Alpha
	if alpha == 0 {
		alpha = 0.05
	}
	if !(alpha > 0 && alpha < 1) {
		return nil, fmt.Errorf("%w: alpha %v not in (0, 1)", ErrOptions, opts.Alpha)
	}
	if l := opts.FixedLambda; l != nil && !(*l >= 0 && *l <= 1) {
		return nil, fmt.Errorf("%w: fixed lambda %v not in [0, 1]", ErrOptions, *l)
	}
	if len(samples) == 0 {
		return nil, ErrNoSamples
	}

	index := map[int]int{}
	var strata []*stratum
	var raw [nBase]int64
	var correct, nHuman int64
	var st *stratum
	for i := range samples {
		s := &samples[i]
		if st == nil || st.id != s.Stratum { // samples usually come grouped
			j, ok := index[s.Stratum]
			if !ok {
				j = len(strata)
				index[s.Stratum] = j
				strata = append(strata, &stratum{id: s.Stratum})
			}
			st = strata[j]
		}
		st.pop++
		r := newRow(s.Truth, s.Pred)
		if r.correct {
			correct++
		}
		vh := r.values(s.Judge)
		det, dv := r.determined()
		for k := range nBase {
			st.popHat[k] += vh[k]
			raw[k] += vh[k]
			if det[k] {
				st.detSum[k] += dv[k]
			} else {
				st.free[k]++
			}
		}
		if s.Human == nil {
			continue
		}
		nHuman++
		st.n++
		vy := r.values(*s.Human)
		for k := range nBase {
			if det[k] {
				st.labDet[k]++
				st.labDet1[k] += dv[k]
			}
			st.y[k] += vy[k]
			st.yh[k] += vh[k]
			st.yyh[k] += vy[k] * vh[k]
		}
	}
	if nHuman == 0 {
		return nil, ErrNoHumanLabels
	}
	slices.SortFunc(strata, func(a, b *stratum) int { return cmp.Compare(a.id, b.id) })
	var empty []int
	for _, st := range strata {
		if st.n == 0 {
			empty = append(empty, st.id)
		}
	}
	if len(empty) > 0 {
		return nil, fmt.Errorf("%w: strata %v (merge them or label at least two samples in each)", ErrUnlabelledStratum, empty)
	}

	total := int64(len(samples))
	z := math.Sqrt2 * math.Erfinv(1-alpha)
	res := &Result{
		N: len(samples), NHuman: int(nHuman), Strata: len(strata), Alpha: alpha,
		Correct:    float64(correct) / float64(total),
		Corrected:  map[string]Interval{},
		HumanOnly:  map[string]Interval{},
		Raw:        map[string]float64{},
		Lambda:     map[string]float64{},
		EffectiveN: map[string]float64{},
	}
	interval := func(est, variance, scale float64) Interval {
		est, se := est/scale, math.Sqrt(variance)/scale
		return Interval{Value: clip01(est), SE: se,
			CI: [2]float64{clip01(est - float64(z*se)), clip01(est + float64(z*se))}}
	}
	ms := make([]moments, len(strata))
	for k := range nBase {
		for i, st := range strata {
			ms[i] = st.moments(k, total)
		}
		lambda := tune(ms)
		if opts.FixedLambda != nil {
			lambda = *opts.FixedLambda
		}
		e0, v0 := combine(ms, 0)
		e1, v1 := combine(ms, lambda)
		effN := float64(nHuman)
		switch {
		case v1 > 0:
			effN = float64(nHuman) * v0 / v1
		case v0 > 0:
			effN = float64(total)
		}
		keys := []string{baseKey(k)}
		scales := []float64{1}
		if k == kTF && correct > 0 {
			keys = append(keys, KeyTFGivenCorrect)
			scales = append(scales, res.Correct)
		}
		for i, key := range keys {
			res.Corrected[key] = interval(e1, v1, scales[i])
			res.HumanOnly[key] = interval(e0, v0, scales[i])
			res.Raw[key] = float64(raw[k]) / float64(total) / scales[i]
			res.Lambda[key] = lambda
			res.EffectiveN[key] = effN
		}
	}
	return res, nil
}

func clip01(x float64) float64 { return min(max(x, 0), 1) }
