package variant

import "testing"

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    Variant
		wantErr bool
	}{
		{"av", AV, false}, {"Video", Video, false}, {" AUDIO ", Audio, false},
		{"", "", true}, {"va", "", true}, {"video+audio", "", true},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("Parse(%q) = %q, %v", tt.in, got, err)
		}
	}
}

func TestSeesAndWithheld(t *testing.T) {
	tests := []struct {
		v            Variant
		video, audio bool
		withheld     string
		scored       string
	}{
		{AV, true, true, "", "m"},
		{Video, true, false, "audio", "m@video"},
		{Audio, false, true, "video", "m@audio"},
	}
	for _, tt := range tests {
		v, a := tt.v.Sees()
		if v != tt.video || a != tt.audio || tt.v.Withheld() != tt.withheld || tt.v.ScoredName("m") != tt.scored {
			t.Errorf("%s: sees %v %v, withholds %q, scored as %q", tt.v, v, a, tt.v.Withheld(), tt.v.ScoredName("m"))
		}
	}
}
