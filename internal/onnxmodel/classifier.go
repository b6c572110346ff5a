package onnxmodel

import (
	"fmt"
	"math/rand/v2"
)

// Input is one float input of a Classifier: a [batch, Dim] tensor.
type Input struct {
	Name string
	Dim  int
}

// ClassifierSpec describes a linear classifier over several inputs:
// logits = Σ_i x_i·W_i + B, followed by Softmax over the classes when Softmax is set.
type ClassifierSpec struct {
	Inputs  []Input
	Classes int
	// W[i] is Inputs[i].Dim × Classes, row-major.
	W [][]float32
	// B has Classes values.
	B       []float32
	Softmax bool
	// Batch fixes the batch dimension; 0 makes it dynamic (dim_param "N").
	Batch int
	// Output names the output; default "probs" with Softmax, else "logits".
	Output string
}

// Classifier returns the ONNX bytes of a linear classifier with a dynamic batch dimension.
func Classifier(inputs []Input, classes int, w [][]float32, b []float32, softmax bool) []byte {
	return ClassifierSpec{Inputs: inputs, Classes: classes, W: w, B: b, Softmax: softmax}.Build()
}

// RandomWeights returns seeded weights for a classifier, small enough that logits stay near 0.
func RandomWeights(inputs []Input, classes int, seed uint64) (w [][]float32, b []float32) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for _, in := range inputs {
		m := make([]float32, in.Dim*classes)
		for j := range m {
			m[j] = float32(r.NormFloat64()) * 0.1
		}
		w = append(w, m)
	}
	b = make([]float32, classes)
	for j := range b {
		b[j] = float32(r.NormFloat64()) * 0.1
	}
	return w, b
}

// Build serialises the classifier. It panics on an inconsistent spec: that is a bug in the test
// that wrote it.
func (s ClassifierSpec) Build() []byte {
	if len(s.Inputs) == 0 || s.Classes < 1 || len(s.W) != len(s.Inputs) || len(s.B) != s.Classes {
		panic(fmt.Sprintf("onnxtest: inconsistent classifier spec: %d inputs, %d weight matrices, %d classes, %d biases",
			len(s.Inputs), len(s.W), s.Classes, len(s.B)))
	}
	out := s.Output
	if out == "" {
		out = "logits"
		if s.Softmax {
			out = "probs"
		}
	}
	g := &graph{name: "classifier"}
	var acc string
	for i, in := range s.Inputs {
		if len(s.W[i]) != in.Dim*s.Classes {
			panic(fmt.Sprintf("onnxtest: input %q: weights have %d values, want %d×%d", in.Name, len(s.W[i]), in.Dim, s.Classes))
		}
		g.input(in.Name, dataFloat, batchDim(s.Batch), fixed(in.Dim))
		w := fmt.Sprintf("W%d", i)
		g.floats(w, s.W[i], int64(in.Dim), int64(s.Classes))
		mm := fmt.Sprintf("mm%d", i)
		g.node("MatMul", []string{in.Name, w}, []string{mm})
		if acc == "" {
			acc = mm
			continue
		}
		sum := fmt.Sprintf("sum%d", i)
		g.node("Add", []string{acc, mm}, []string{sum})
		acc = sum
	}
	g.floats("B", s.B, int64(s.Classes))
	logits := out
	if s.Softmax {
		logits = "logits"
	}
	g.node("Add", []string{acc, "B"}, []string{logits})
	if s.Softmax {
		g.node("Softmax", []string{logits}, []string{out}, attr{"axis", -1})
	}
	g.output(out, dataFloat, batchDim(s.Batch), fixed(s.Classes))
	return g.model()
}
