package metrics

// PaperFigures are the recognition percentages as the authors' script computes them for printing
// ("{x:.3f}"). Their floating-point expressions differ from 100·WAR or 100·mean(recall) in the
// last bits, which can change a printed digit at a rounding tie; printing these reproduces the
// authors' digits exactly. (Quarter shares need nothing of the kind: their "{v/total:.2%}"
// multiplies the share by 100, which is what 100·Reliability.TT gives.)
type PaperFigures struct {
	WAR float64 // (correct / N) · 100
	UAR float64 // mean of the recall percentages, summed in label order
	// Recall holds each class's correct·100 / support, in label order (0 for no support).
	Recall []float64
}

// PaperFigures computes the authors' percentages from the model's counts.
func (m *ModelSummary) PaperFigures(labels []string) PaperFigures {
	f := PaperFigures{Recall: make([]float64, len(labels))}
	if m.N > 0 {
		f.WAR = float64(m.Correct) / float64(m.N) * 100
	}
	var sum float64
	for i, l := range labels {
		cs := m.PerClass[l]
		if cs.Support == 0 {
			continue // printed as correct·100/(support+1) = 0; adds 0 to the UAR sum
		}
		f.Recall[i] = float64(cs.Correct*100) / float64(cs.Support)
		sum += float64(cs.Correct) / float64(cs.Support) * 100
	}
	if len(labels) > 0 {
		f.UAR = sum / float64(len(labels))
	}
	return f
}
