package metrics

import (
	"reflect"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

func classesOf(t *modality.Table) map[string]string {
	out := map[string]string{}
	for _, id := range t.Clips() {
		c, _ := t.Get(id)
		out[id] = c.String()
	}
	return out
}

func TestMIFromVariants(t *testing.T) {
	ls := datasets.DFEW()
	b, err := NewBuilder(Options{Labels: ls, Protocol: parse.ProtocolMigr}, splitOf("happy", "sad", "sad", "angry", "fear"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"video", "audio"} {
		if err := b.AddModel(m, "", m); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range samples("1:happy 2:happy 3:sad 4:sad 4:angry") {
		if err := b.AddSample("video", s); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range samples("1:sad 2:sad 3:sad 4:fear 5:fear") {
		if err := b.AddSample("audio", s); err != nil {
			t.Fatal(err)
		}
	}
	mt, err := b.MIFromVariants("video", "audio")
	if err != nil {
		t.Fatal(err)
	}
	// Clip 4: the last video output (angry) is right. Clip 5 lacks a video output.
	want := map[string]string{"1": "vision", "2": "audio", "3": "multimodal", "4": "vision"}
	if got := classesOf(mt); !reflect.DeepEqual(got, want) || mt.Source != "variants" {
		t.Errorf("MI %v (%s), want %v", got, mt.Source, want)
	}
	if _, err := b.MIFromVariants("video", "none"); err == nil {
		t.Error("an unknown model must be an error")
	}
}
