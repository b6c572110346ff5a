package safeyaml

import "testing"

func TestUnmarshalRecoversDecoderPanics(t *testing.T) {
	var v struct {
		Labels []string `yaml:"labels"`
	}
	// This document makes go-yaml v1.19.2 dereference a nil pointer.
	if err := Unmarshal([]byte("name: 0\nlabels: !00000000000000000 0000000000"), &v); err == nil {
		t.Error("no error for a document the decoder cannot read")
	}
	if err := Unmarshal([]byte("labels: [a, b]"), &v); err != nil || len(v.Labels) != 2 {
		t.Errorf("a good document: %v %v", err, v)
	}
}
