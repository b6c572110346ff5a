package metrics

// drift is sentence grounding by relative position under judge j, or nil when the judge gave no
// sentence labels for this model. Sentence i of n sits at relative position (i+0.5)/n, which
// falls into one of DriftBins equal-width bins; only sentences that name a label of the set
// (emotion-bearing sentences) are counted.
func (b *Builder) drift(v *view, j int) *Drift {
	jr := v.run.judged[j]
	if len(jr.sent) == 0 {
		return nil
	}
	bins := b.opts.DriftBins
	d := &Drift{
		Bins:        make([]float64, bins),
		Grounded:    make([]float64, bins),
		AgreeAnswer: make([]float64, bins),
		Sentences:   make([]int, bins),
	}
	grounded := make([]int64, bins)
	agree := make([]int64, bins)
	var totalGrounded, total int64
	for _, r := range v.recs {
		o := jr.judgment(r.clip)
		if o.flags&jPresent == 0 || o.sentLen == 0 {
			continue
		}
		n := int(o.sentLen)
		for i, label := range jr.sent[o.sentOff : int(o.sentOff)+n] {
			if label < 0 {
				continue
			}
			bin := min((2*i+1)*bins/(2*n), bins-1) // ⌊(i+0.5)/n · bins⌋ in integers
			d.Sentences[bin]++
			total++
			if label == r.truth {
				grounded[bin]++
				totalGrounded++
			}
			if label == r.pred {
				agree[bin]++
			}
		}
	}
	for i := range d.Bins {
		d.Bins[i] = (float64(i) + 0.5) / float64(bins)
		d.Grounded[i] = ratio(grounded[i], int64(d.Sentences[i]))
		d.AgreeAnswer[i] = ratio(agree[i], int64(d.Sentences[i]))
	}
	d.Grounding = ratio(totalGrounded, total)
	return d
}
