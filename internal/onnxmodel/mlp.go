package onnxmodel

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
)

// MLPSpec describes a multi-layer perceptron over several feature inputs, with seeded random
// weights: the inputs are concatenated, each hidden layer is MatMul + bias + Relu, the last layer
// gives the logits, and Softmax follows when set. It stands in for a real fusion model where size
// matters (GPU checks, thread measurements): 1024+512 inputs with Hidden [8704, 8704] have 89M
// parameters, 357 MB of weights.
type MLPSpec struct {
	Inputs  []Input
	Hidden  []int
	Classes int
	Softmax bool
	// Seed makes the weights; the same spec always gives the same bytes.
	Seed uint64
	// Batch fixes the batch dimension; 0 makes it dynamic (dim_param "N").
	Batch int
}

// Params is the number of weights and biases.
func (s MLPSpec) Params() int64 {
	var n int64
	in := int64(0)
	for _, x := range s.Inputs {
		in += int64(x.Dim)
	}
	for _, h := range append(append([]int(nil), s.Hidden...), s.Classes) {
		n += in*int64(h) + int64(h)
		in = int64(h)
	}
	return n
}

// Build serialises the MLP; its output is "probs" with Softmax, else "logits". Weights are
// normal with variance 2/fan-in (He initialisation), so that activations neither vanish nor
// explode through the Relu layers and the classes' probabilities differ. It panics on an
// inconsistent spec.
func (s MLPSpec) Build() []byte {
	if len(s.Inputs) == 0 || s.Classes < 1 {
		panic(fmt.Sprintf("onnxmodel: inconsistent MLP spec: %d inputs, %d classes", len(s.Inputs), s.Classes))
	}
	r := rand.New(rand.NewPCG(s.Seed, s.Seed^0x51afd6c0))
	g := &graph{name: "mlp"}
	width := 0
	var names []string
	for _, in := range s.Inputs {
		if in.Dim < 1 {
			panic(fmt.Sprintf("onnxmodel: MLP input %q has %d features", in.Name, in.Dim))
		}
		g.input(in.Name, dataFloat, batchDim(s.Batch), fixed(in.Dim))
		names = append(names, in.Name)
		width += in.Dim
	}
	x := names[0]
	if len(names) > 1 {
		x = "concat"
		g.node("Concat", names, []string{x}, attr{"axis", 1})
	}
	layers := append(append([]int(nil), s.Hidden...), s.Classes)
	out := "logits"
	if s.Softmax {
		out = "probs"
	}
	for l, h := range layers {
		if h < 1 {
			panic(fmt.Sprintf("onnxmodel: MLP layer %d has %d units", l, h))
		}
		w, b := fmt.Sprintf("W%d", l), fmt.Sprintf("B%d", l)
		g.rawFloats(w, randomNormal(r, width*h, math.Sqrt(2/float64(width))), int64(width), int64(h))
		g.rawFloats(b, randomNormal(r, h, 0.01), int64(h))
		mm, sum := fmt.Sprintf("mm%d", l), fmt.Sprintf("h%d", l)
		last := l == len(layers)-1
		if last {
			sum = "logits"
		}
		g.node("MatMul", []string{x, w}, []string{mm})
		g.node("Add", []string{mm, b}, []string{sum})
		x = sum
		if !last {
			x = fmt.Sprintf("relu%d", l)
			g.node("Relu", []string{sum}, []string{x})
		}
		width = h
	}
	if s.Softmax {
		g.node("Softmax", []string{"logits"}, []string{out}, attr{"axis", -1})
	}
	g.output(out, dataFloat, batchDim(s.Batch), fixed(s.Classes))
	return g.model()
}

// randomNormal returns n normal float32 values of standard deviation sd, little-endian, as an
// initializer's raw data: written straight to bytes, so that 89M weights need no []float32 too.
func randomNormal(r *rand.Rand, n int, sd float64) []byte {
	raw := make([]byte, 4*n)
	for i := 0; i < n; i++ {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(float32(r.NormFloat64()*sd)))
	}
	return raw
}

// rawFloats adds a float initializer whose little-endian data is already in raw.
func (g *graph) rawFloats(name string, raw []byte, dims ...int64) {
	g.inits = append(g.inits, tensor(name, dataFloat, raw, dims))
}
