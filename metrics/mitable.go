package metrics

import "github.com/emoeval/emoeval/eval/modality"

// MIFromVariants derives MI from two runs added to the builder, the video-only and the
// audio-only one, with the authors' rule on each clip's correctness (the last output of a clip
// counts). Clips that lack an output of either run or a label get no entry.
func (b *Builder) MIFromVariants(videoModel, audioModel string) (*modality.Table, error) {
	video, err := b.model(videoModel)
	if err != nil {
		return nil, err
	}
	audio, err := b.model(audioModel)
	if err != nil {
		return nil, err
	}
	t := modality.NewTable("variants")
	for id, c := range b.clipIdx {
		vr, ok1 := lastRec(video, c)
		ar, ok2 := lastRec(audio, c)
		if !ok1 || !ok2 || vr.truth < 0 || ar.truth < 0 {
			continue
		}
		t.Set(id, modality.FromFlags(vr.pred == vr.truth, ar.pred == ar.truth))
	}
	return t, nil
}

// lastRec is a clip's last output under a model; a failed call is no output.
func lastRec(m *modelRun, clip int32) (rec, bool) {
	if int(clip) >= len(m.last) || m.last[clip] == 0 {
		return rec{}, false
	}
	r := m.recs[m.last[clip]-1]
	return r, r.flags&flagError == 0
}
