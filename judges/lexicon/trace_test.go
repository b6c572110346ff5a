package lexicon

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

// TestAppendRound2 checks the hand-written formatting of trace scores against strconv's on
// values around every kind of boundary and on random ones.
func TestAppendRound2(t *testing.T) {
	values := []float64{1e-300, 0.001, 0.004999, 0.005, 0.00500001, 0.01, 0.015, 0.1, 0.125, 0.995, 1, 1.005,
		2.675, 3.5, 10, 99.995, 100, 12345.675, 1 << 30, 1<<40/100 - 1, 1 << 40 / 100, 1<<40/100 + 1, 1e15, 1e300,
		math.MaxFloat64, math.Inf(1)}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		values = append(values, r.Float64()*math.Pow(10, float64(r.IntN(14)-3)))
	}
	for k := int64(0); k < 100000; k++ {
		v := float64(k) / 100
		values = append(values, v, math.Nextafter(v, 0), math.Nextafter(v, math.Inf(1)), v+0.005, v-0.005)
	}
	for _, v := range values {
		if !(v > 0) {
			continue
		}
		want := string(strconv.AppendFloat(nil, round2(v), 'f', -1, 64))
		if got := string(appendRound2(nil, v)); got != want {
			t.Fatalf("appendRound2(%v) = %s, want %s", v, got, want)
		}
	}
}
