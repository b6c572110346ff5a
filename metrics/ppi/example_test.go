package ppi_test

import (
	"fmt"

	"github.com/emoeval/emoeval/metrics/ppi"
)

// Example corrects one model's TF rate. The judge put 40 explanations of correct predictions
// in its TT cell (stratum 0) and 10 in its TF cell (stratum 1); humans read 10 of the first and
// 5 of the second. They find 2 of the 10 "TT" explanations inconsistent, and 1 of the 5 "TF"
// explanations consistent after all. The strata are the judge's cells, so its verdict is
// constant within each and the correction is the stratified human estimate (λ = 0).
func Example() {
	var samples []ppi.Sample
	add := func(stratum int, judge string, human *string) {
		samples = append(samples, ppi.Sample{Stratum: stratum, Truth: "happy", Pred: "happy", Judge: judge, Human: human})
	}
	label := func(s string) *string { return &s }
	for i := range 40 {
		switch {
		case i < 2:
			add(0, "happy", label("sad"))
		case i < 10:
			add(0, "happy", label("happy"))
		default:
			add(0, "happy", nil)
		}
	}
	for i := range 10 {
		switch {
		case i < 1:
			add(1, "neutral", label("happy"))
		case i < 5:
			add(1, "neutral", label("none")) // the explanation supports no emotion
		default:
			add(1, "neutral", nil)
		}
	}
	res, err := ppi.Estimate(samples, ppi.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	tf := res.Corrected[ppi.KeyTF]
	fmt.Printf("judge TF %.1f%%, corrected %.1f%% [%.1f%%, %.1f%%] from %d human labels\n",
		100*res.Raw[ppi.KeyTF], 100*tf.Value, 100*tf.CI[0], 100*tf.CI[1], res.NHuman)
	// Output:
	// judge TF 20.0%, corrected 32.0% [12.1%, 51.9%] from 15 human labels
}
