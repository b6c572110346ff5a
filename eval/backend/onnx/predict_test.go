package onnx

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

func TestPredictIntoEqualsPredict(t *testing.T) {
	tm := newTinyModel(3)
	cfg := baseConfig(t, tm.onnx(true, 0))
	cfg.BatchSize = 4
	m := open(t, cfg)
	clips := makeClips(10, 5) // two full batches and a short one
	for _, ablate := range []string{"", "video", "audio"} {
		want, err := m.PredictClips(context.Background(), clips, ablate)
		if err != nil {
			t.Fatal(err)
		}
		dst := make([]float32, len(clips)*m.Classes())
		for i := range dst {
			dst[i] = float32(math.NaN()) // every value must be written
		}
		if err := m.PredictInto(context.Background(), clips, ablate, dst, nil); err != nil {
			t.Fatal(err)
		}
		for i := range clips {
			for j, w := range want[i] {
				if g := dst[i*m.Classes()+j]; g != w {
					t.Fatalf("ablate %q clip %d class %d: PredictInto %v, Predict %v", ablate, i, j, g, w)
				}
			}
		}
		assertProbs(t, tm, clips, want, ablate)
	}
}

func TestPredictIntoChecksDst(t *testing.T) {
	m := open(t, baseConfig(t, newTinyModel(1).onnx(true, 0)))
	err := m.PredictInto(context.Background(), makeClips(2, 1), "", make([]float32, 13), nil)
	if err == nil || !strings.Contains(err.Error(), "dst has 13 values, 2 clips × 7 classes need 14") {
		t.Errorf("got %v", err)
	}
}

func TestIsProbs(t *testing.T) {
	inf, nan := float32(math.Inf(1)), float32(math.NaN())
	negZero := float32(math.Copysign(0, -1))
	cases := []struct {
		row  []float32
		want bool
	}{
		{[]float32{0.25, 0.25, 0.5}, true},
		{[]float32{1, 0, 0, 0, 0, 0, 0}, true},
		{[]float32{0.5, 0.5005}, true},            // within 1e-3
		{[]float32{0.5, 0.502}, false},            // sums to 1.002
		{[]float32{0.3, 0.3, 0.3}, false},         // sums to 0.9
		{[]float32{1.5, -0.5}, false},             // sums to 1, but not in [0, 1]
		{[]float32{negZero, 1}, true},             // -0 is 0
		{[]float32{0.25, negZero, 0.75}, true},    // -0 is 0
		{[]float32{-1e-30, 1}, false},             // the smallest negatives are still negative
		{[]float32{-1e-45, 1}, false},             // a negative subnormal too
		{[]float32{nan, 1}, false},                // NaN
		{[]float32{0, 0, 0, 0, 0, 0, inf}, false}, // Inf
		{nil, false}, // an empty row sums to 0
	}
	for _, tc := range cases {
		if got := isProbs(tc.row); got != tc.want {
			t.Errorf("isProbs(%v) = %v, want %v", tc.row, got, tc.want)
		}
	}
}

// A distribution holding -0 is kept as it is under output_kind auto (not softmaxed), and accepted
// under output_kind probs.
func TestToProbsNegativeZero(t *testing.T) {
	negZero := float32(math.Copysign(0, -1))
	for _, kind := range []string{OutputAuto, OutputProbs} {
		m := &Model{name: "m", kind: kind, classes: 3}
		row := []float32{negZero, 0.25, 0.75}
		if err := m.toProbs(row, []datasets.Clip{{ClipID: "00001"}}); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if row[0] != 0 || row[1] != 0.25 || row[2] != 0.75 {
			t.Errorf("%s: row became %v", kind, row)
		}
	}
}
