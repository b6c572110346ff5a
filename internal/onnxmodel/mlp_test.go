package onnxmodel

import (
	"context"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// TestMLPEqualsGoComputation runs a small MLP in ONNX Runtime and compares it with the same
// network computed in Go from the same seeded weights.
func TestMLPEqualsGoComputation(t *testing.T) {
	rt := onnxtest.Runtime(t)
	spec := MLPSpec{Inputs: []Input{{"video", 5}, {"audio", 3}}, Hidden: []int{6, 4}, Classes: 3, Softmax: true, Seed: 9}
	if got, want := spec.Params(), int64(8*6+6+6*4+4+4*3+3); got != want {
		t.Errorf("Params %d, want %d", got, want)
	}
	data := spec.Build()
	ins, outs, err := rt.ModelInfo(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := ortenv.Describe(ins) + " → " + ortenv.Describe(outs); got != "video [? 5] float, audio [? 3] float → probs [? 3] float" {
		t.Errorf("inputs and outputs: %s", got)
	}
	s, err := rt.NewSession("mlp", data, []string{"video", "audio"}, []string{"probs"}, ortenv.SessionConfig{Device: ortenv.CPUDevice(), Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Destroy()
	const rows = 4
	r := rand.New(rand.NewPCG(1, 1))
	x := make([]float32, rows*8) // each row: 5 video then 3 audio values
	for i := range x {
		x[i] = float32(r.NormFloat64())
	}
	video, _ := ort.NewEmptyTensor[float32](ort.NewShape(rows, 5))
	audio, _ := ort.NewEmptyTensor[float32](ort.NewShape(rows, 3))
	probs, _ := ort.NewEmptyTensor[float32](ort.NewShape(rows, 3))
	defer video.Destroy()
	defer audio.Destroy()
	defer probs.Destroy()
	for i := range rows {
		copy(video.GetData()[i*5:], x[i*8:i*8+5])
		copy(audio.GetData()[i*3:], x[i*8+5:i*8+8])
	}
	opts, release, err := ortenv.CancelOnDone(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	if err := s.RunWithOptions([]ort.Value{video, audio}, []ort.Value{probs}, opts); err != nil {
		t.Fatal(err)
	}
	want := spec.goForward(x, rows)
	for i, g := range probs.GetData() {
		if math.Abs(float64(g)-want[i]) > 1e-5 {
			t.Fatalf("value %d: ONNX Runtime %v, Go %v", i, g, want[i])
		}
	}
}

// goForward computes the MLP in float64 with the weights Build writes (same generator, same
// order).
func (s MLPSpec) goForward(x []float32, rows int) []float64 {
	r := rand.New(rand.NewPCG(s.Seed, s.Seed^0x51afd6c0))
	width := 0
	for _, in := range s.Inputs {
		width += in.Dim
	}
	act := make([]float64, len(x))
	for i, v := range x {
		act[i] = float64(v)
	}
	layers := append(append([]int(nil), s.Hidden...), s.Classes)
	for l, h := range layers {
		w := floats(randomNormal(r, width*h, math.Sqrt(2/float64(width))))
		b := floats(randomNormal(r, h, 0.01))
		next := make([]float64, rows*h)
		for i := range rows {
			for j := range h {
				sum := b[j]
				for k := range width {
					sum += act[i*width+k] * w[k*h+j]
				}
				if l < len(layers)-1 {
					sum = math.Max(sum, 0)
				}
				next[i*h+j] = sum
			}
		}
		act, width = next, h
	}
	if s.Softmax {
		for i := range rows {
			row := act[i*width : (i+1)*width]
			hi := math.Inf(-1)
			for _, v := range row {
				hi = math.Max(hi, v)
			}
			var sum float64
			for j, v := range row {
				row[j] = math.Exp(v - hi)
				sum += row[j]
			}
			for j := range row {
				row[j] /= sum
			}
		}
	}
	return act
}

func floats(raw []byte) []float64 {
	out := make([]float64, len(raw)/4)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])))
	}
	return out
}
