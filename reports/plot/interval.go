package plot

import (
	"math"

	"github.com/emoeval/emoeval/metrics"
)

// level is the confidence level of the summary's intervals (1 − Statistics.Alpha; 0.95 when
// alpha is unset or out of range). Intervals computed here (Wilson) use the same level, so that
// whiskers of one report mean the same thing.
func level(s *metrics.Summary) float64 {
	a := s.Statistics.Alpha
	if a <= 0 || a >= 1 || math.IsNaN(a) {
		a = 0.05
	}
	return 1 - a
}

// zScore is the two-sided standard-normal quantile of confidence level lvl (1.96 for 0.95).
func zScore(lvl float64) float64 { return math.Sqrt2 * math.Erfinv(lvl) }

// wilson is the Wilson score interval of k successes in n trials at normal quantile z, as
// fractions; NaNs when n <= 0 or k is outside [0, n].
func wilson(k, n int, z float64) (lo, hi float64) {
	if n <= 0 || k < 0 || k > n {
		return math.NaN(), math.NaN()
	}
	nf := float64(n)
	p := float64(k) / nf
	z2 := z * z
	denom := 1 + z2/nf
	centre := (p + z2/(2*nf)) / denom
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf)) / denom
	return math.Max(0, centre-half), math.Min(1, centre+half)
}

// wilsonPct is wilson in percent.
func wilsonPct(k, n int, z float64) [2]float64 {
	lo, hi := wilson(k, n, z)
	return [2]float64{lo * 100, hi * 100}
}

// countOf recovers the count behind a share of n (the summary stores shares of known
// denominators, which are exact ratios); -1 when share is not a finite value in [0, 1].
func countOf(share float64, n int) int {
	if math.IsNaN(share) || share < 0 || share > 1 || n < 0 {
		return -1
	}
	return int(math.Round(share * float64(n)))
}

// pctOrNaN is a fraction in percent, NaN when it is not finite (undefined: drawn as n/a, never
// as 0).
func pctOrNaN(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return math.NaN()
	}
	return v * 100
}
