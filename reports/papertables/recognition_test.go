package papertables

import (
	"fmt"
	"testing"

	"github.com/emoeval/emoeval/metrics"
)

// TestAuthorsDigits: under migr the recognition and per-class tables print WAR, UAR and recall
// with the authors' expressions (correct·100/support; the sum of recall·100 over K), which at
// these counts print another last digit than 100·rate does; under robust they print 100·rate.
func TestAuthorsDigits(t *testing.T) {
	labels := []string{"happy", "sad", "neutral", "angry", "surprise", "disgust", "fear"}
	// Only happy has samples: a is right on 189 of 320, b on 23 of 320.
	onlyHappy := func(correct int) [][]int {
		m := make([][]int, len(labels))
		for i := range m {
			m[i] = make([]int, len(labels)+1)
		}
		m[0][0], m[0][1] = correct, 320-correct
		return m
	}
	s := &metrics.Summary{Dataset: "dfew", Labels: labels, ModelOrder: []string{"a", "b"},
		Models: map[string]*metrics.ModelSummary{"a": recognition(labels, onlyHappy(189)), "b": recognition(labels, onlyHappy(23))}}

	// The case must tell the expressions apart (evaluated at run time: Go folds constants exactly).
	c189, c23, s320, k, hundred := 189.0, 23.0, 320.0, 7.0, 100.0
	authorsUAR, rateUAR := fmt.Sprintf("%.3f", c189/s320*hundred/k), fmt.Sprintf("%.3f", hundred*(c189/s320/k))
	authorsRecall, rateRecall := fmt.Sprintf("%.3f", c23*hundred/s320), fmt.Sprintf("%.3f", hundred*(c23/s320))
	if authorsUAR != "8.437" || rateUAR != "8.438" || authorsRecall != "7.188" || rateRecall != "7.187" {
		t.Fatalf("the case no longer separates the expressions: UAR %s/%s, recall %s/%s", authorsUAR, rateUAR, authorsRecall, rateRecall)
	}

	for _, tc := range []struct {
		protocol, uarA, recallB string
	}{
		{"migr", authorsUAR, authorsRecall},
		{"robust", rateUAR, rateRecall},
	} {
		t.Run(tc.protocol, func(t *testing.T) {
			s.Protocol = tc.protocol
			rec := Recognition(s, Options{})
			if got := rec.Rows[0].Cells[3].Text; got != tc.uarA {
				t.Errorf("recognition UAR of a = %s, want %s", got, tc.uarA)
			}
			if got := rec.Rows[0].Cells[2].Text; got != "59.062" {
				t.Errorf("recognition WAR of a = %s, want 59.062", got)
			}
			pc := PerClass(s)
			happy, uar := pc.Rows[0], pc.Rows[len(pc.Rows)-1]
			if happy.Cells[0].Text != "happy" || uar.Cells[0].Text != "UAR (mean)" {
				t.Fatalf("unexpected rows %q, %q", happy.Cells[0].Text, uar.Cells[0].Text)
			}
			if got := happy.Cells[3].Text; got != tc.recallB {
				t.Errorf("per-class recall of b = %s, want %s", got, tc.recallB)
			}
			if got := uar.Cells[2].Text; got != tc.uarA {
				t.Errorf("per-class UAR of a = %s, want %s", got, tc.uarA)
			}
		})
	}
}

// TestRecognitionExtraNote: under migr, outputs for clips outside the split are named in a note
// (they are in N but not in Unknown).
func TestRecognitionExtraNote(t *testing.T) {
	s := dfewSummary()
	s.Models["migr"].Extra = 3
	want := "Outputs for clips outside the split (in N as wrong, in no class and not in Unknown): migr 3."
	found := false
	for _, n := range Recognition(s, Options{}).Notes {
		found = found || n == want
	}
	if !found {
		t.Errorf("notes lack %q", want)
	}
	s.Protocol = "robust"
	for _, n := range Recognition(s, Options{}).Notes {
		if n == want {
			t.Error("robust does not score outputs outside the split, yet the note is there")
		}
	}
}
