package metrics

import "github.com/emoeval/emoeval/eval/parse"

// view is the set of samples a model is scored on under the protocol.
type view struct {
	run  *modelRun
	recs []rec // migr: every output in the order added; robust: one per clip of the split
	// judges are the indexes of the judges that judged this model, in summary order.
	judges                     []int
	missing, duplicates, extra int
	// failed counts clips whose (last) model call failed; their records are not scored.
	failed int
	// descTags says whether any output carries description tags (<vis_desc>, <aud_desc>):
	// order-based metrics mean something only then.
	descTags bool
}

// view selects the scored samples. migr scores every output, duplicates and outputs for clips
// outside the split included, exactly as the authors' script reads a result file; robust scores
// one sample per clip of the split, the last output winning, and missing clips as unknown.
// Failed calls are no outputs under either protocol: they are counted, never scored.
func (b *Builder) view(m *modelRun) *view {
	v := b.selectRecs(m)
	kept := v.recs[:0:0]
	for _, r := range v.recs {
		if r.flags&flagError != 0 {
			v.failed++
			continue
		}
		if r.output() && r.order != orderNoDesc {
			v.descTags = true
		}
		kept = append(kept, r)
	}
	v.recs = kept
	return v
}

func (b *Builder) selectRecs(m *modelRun) *view {
	v := &view{run: m}
	for j, jr := range m.judged {
		if jr != nil {
			v.judges = append(v.judges, j)
		}
	}
	seen := make([]bool, len(b.clipTruth))
	for _, r := range m.recs {
		if seen[r.clip] {
			v.duplicates++
		}
		seen[r.clip] = true
		if r.truth < 0 {
			v.extra++
		}
	}
	for _, c := range b.split {
		if int(c) >= len(m.last) || m.last[c] == 0 {
			v.missing++
		}
	}
	if b.opts.Protocol == parse.ProtocolMigr {
		v.recs = m.recs
		return v
	}
	if b.split != nil {
		v.recs = make([]rec, 0, len(b.split))
		for _, c := range b.split {
			if int(c) < len(m.last) && m.last[c] > 0 {
				v.recs = append(v.recs, m.recs[m.last[c]-1])
				continue
			}
			k := int8(b.k)
			v.recs = append(v.recs, rec{clip: c, fold: b.clipFold[c], truth: b.clipTruth[c], pred: k, qpred: k, flags: flagMissing})
		}
		return v
	}
	// No split: one sample per clip in order of first appearance; samples without a truth are
	// not scored.
	done := make([]bool, len(b.clipTruth))
	for _, r := range m.recs {
		if done[r.clip] {
			continue
		}
		done[r.clip] = true
		if last := m.recs[m.last[r.clip]-1]; last.truth >= 0 {
			v.recs = append(v.recs, last)
		}
	}
	return v
}

// output reports whether a scored sample is an actual output (not a missing clip).
func (r rec) output() bool { return r.flags&flagMissing == 0 }
