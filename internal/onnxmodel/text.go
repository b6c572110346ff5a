package onnxmodel

import "fmt"

// TextSpec describes a bag-of-words text classifier with the inputs of a BERT-style export:
// input_ids and attention_mask (and token_type_ids when TokenTypes is set), int64 [batch, seq].
// logits[c] = Σ_t attention_mask[t] · Emb[input_ids[t]][c] + B[c].
type TextSpec struct {
	Vocab   int
	Classes int
	// Emb is Vocab × Classes, row-major: each token's contribution to the logits.
	Emb []float32
	// B has Classes values.
	B []float32
	// TokenTypes adds a token_type_ids input; it is read but does not change the result.
	TokenTypes bool
	// SeqLen fixes the sequence dimension; 0 makes it dynamic (dim_param "L").
	SeqLen int
	// Batch fixes the batch dimension; 0 makes it dynamic (dim_param "N").
	Batch int
}

// Build serialises the text classifier; its output is "logits" [batch, Classes]. It panics on an
// inconsistent spec.
func (s TextSpec) Build() []byte {
	if s.Vocab < 1 || s.Classes < 1 || len(s.Emb) != s.Vocab*s.Classes || len(s.B) != s.Classes {
		panic(fmt.Sprintf("onnxtest: inconsistent text spec: vocab %d, classes %d, %d embedding values, %d biases",
			s.Vocab, s.Classes, len(s.Emb), len(s.B)))
	}
	seq := dynamic("L")
	if s.SeqLen > 0 {
		seq = fixed(s.SeqLen)
	}
	g := &graph{name: "text_classifier"}
	g.input("input_ids", dataInt64, batchDim(s.Batch), seq)
	g.input("attention_mask", dataInt64, batchDim(s.Batch), seq)
	g.floats("Emb", s.Emb, int64(s.Vocab), int64(s.Classes))
	g.floats("B", s.B, int64(s.Classes))
	g.int64s("last_axis", []int64{2}, 1)
	g.int64s("seq_axis", []int64{1}, 1)

	g.node("Gather", []string{"Emb", "input_ids"}, []string{"tok"}, attr{"axis", 0})
	g.node("Cast", []string{"attention_mask"}, []string{"maskf"}, attr{"to", dataFloat})
	g.node("Unsqueeze", []string{"maskf", "last_axis"}, []string{"mask3"})
	g.node("Mul", []string{"tok", "mask3"}, []string{"masked"})
	g.node("ReduceSum", []string{"masked", "seq_axis"}, []string{"bag"}, attr{"keepdims", 0})
	bag := "bag"
	if s.TokenTypes {
		// 0 · Σ token_type_ids keeps the input in the graph without changing the result.
		g.input("token_type_ids", dataInt64, batchDim(s.Batch), seq)
		g.floats("zero", []float32{0})
		g.node("Cast", []string{"token_type_ids"}, []string{"typesf"}, attr{"to", dataFloat})
		g.node("ReduceSum", []string{"typesf", "seq_axis"}, []string{"types_sum"}, attr{"keepdims", 1})
		g.node("Mul", []string{"types_sum", "zero"}, []string{"types_zero"})
		g.node("Add", []string{"bag", "types_zero"}, []string{"bag_types"})
		bag = "bag_types"
	}
	g.node("Add", []string{bag, "B"}, []string{"logits"})
	g.output("logits", dataFloat, batchDim(s.Batch), fixed(s.Classes))
	return g.model()
}
