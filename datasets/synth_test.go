package datasets

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
)

func TestSynthMatchesOfficialCounts(t *testing.T) {
	for _, ds := range []string{"dfew", "mafw"} {
		for _, seed := range []int64{1} {
			s, err := Synth(SynthOptions{Dataset: ds, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			off, _ := OfficialCounts(ds)
			in := Inspect(s)
			if !slices.Contains(findingCodes(in), "reference_match") || in.Errors() > 0 {
				t.Errorf("%s seed %d: findings %+v", ds, seed, in.Findings)
			}
			// Checked here directly too, not only through Inspect.
			for _, fc := range in.Folds {
				want := off.Folds[fc.Fold-1]
				if fc.Train.Total != want.Train || fc.Test.Total != want.Test {
					t.Errorf("%s fold %d: %d/%d, want %d/%d", ds, fc.Fold, fc.Train.Total, fc.Test.Total, want.Train, want.Test)
				}
			}
			for i, l := range s.Labels.Labels {
				if got := in.Folds[4].Test.PerClass[l]; got != off.TestPerClass[5][i] {
					t.Errorf("%s fold 5 test %s: %d, want %d", ds, l, got, off.TestPerClass[5][i])
				}
				if off.AllPerClass != nil && in.Totals.Test.PerClass[l] != off.AllPerClass[i] {
					t.Errorf("%s all %s: %d, want %d", ds, l, in.Totals.Test.PerClass[l], off.AllPerClass[i])
				}
			}
			if in.Clips != off.Clips {
				t.Errorf("%s: %d clips, want %d", ds, in.Clips, off.Clips)
			}
			for _, c := range s.Clips[:50] {
				if len(c.ClipID) != 5 || strings.Trim(c.ClipID, "0123456789") != "" {
					t.Errorf("%s clip id %q does not look real", ds, c.ClipID)
				}
			}
		}
	}
}

func TestSynthDeterministic(t *testing.T) {
	encode := func(o SynthOptions) []byte {
		s, err := Synth(o)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := EncodeSplit(&b, s); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	o := SynthOptions{Dataset: "mafw", Seed: 5, Folds: []int32{2}, MediaRoot: "/data/mafw",
		Features: map[string]FeatureSpec{"video": {Dim: 2, Informativeness: 1}, "audio": {Dim: 1, Informativeness: 0.5}}}
	a, b := encode(o), encode(o)
	if !bytes.Equal(a, b) {
		t.Error("the same seed gave different bytes")
	}
	o.Seed = 6
	if bytes.Equal(a, encode(o)) {
		t.Error("another seed gave the same bytes")
	}
}

func TestSynthFoldSelectionKeepsClips(t *testing.T) {
	all, err := Synth(SynthOptions{Dataset: "dfew", Seed: 2, Features: map[string]FeatureSpec{"video": {Dim: 3, Informativeness: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	five, err := Synth(SynthOptions{Dataset: "dfew", Seed: 2, Folds: []int32{5}, Features: map[string]FeatureSpec{"video": {Dim: 3, Informativeness: 1}}})
	if err != nil {
		t.Fatal(err)
	}
	want := all.Select([]int32{5}, "")
	if len(five.Clips) != len(want) {
		t.Fatalf("%d rows, want %d", len(five.Clips), len(want))
	}
	for i := range want {
		a, b := want[i], five.Clips[i]
		if a.ClipID != b.ClipID || a.Label != b.Label || a.Split != b.Split || !slices.Equal(a.Features["video"], b.Features["video"]) {
			t.Fatalf("row %d: %+v vs %+v", i, a, b)
		}
	}
	if got := five.Clips[0].VideoPath; got != "clip/"+five.Clips[0].ClipID+".mp4" {
		t.Errorf("video_path %q", got)
	}
}

// separation is the mean distance between class centroids relative to the noise (≈0 for an
// uninformative modality).
func separation(s *Split, modality string) float64 {
	dim := len(s.Clips[0].Features[modality])
	sums := map[string][]float64{}
	counts := map[string]int{}
	for _, c := range s.Select([]int32{5}, Test) {
		if sums[c.Label] == nil {
			sums[c.Label] = make([]float64, dim)
		}
		for d, v := range c.Features[modality] {
			sums[c.Label][d] += float64(v)
		}
		counts[c.Label]++
	}
	var centroids [][]float64
	for l, sum := range sums {
		for d := range sum {
			sum[d] /= float64(counts[l])
		}
		centroids = append(centroids, sum)
	}
	total, pairs := 0.0, 0
	for i := range centroids {
		for j := i + 1; j < len(centroids); j++ {
			d2 := 0.0
			for d := range centroids[i] {
				diff := centroids[i][d] - centroids[j][d]
				d2 += diff * diff
			}
			total += math.Sqrt(d2 / float64(dim))
			pairs++
		}
	}
	return total / float64(pairs)
}

func TestSynthFeatures(t *testing.T) {
	s, err := Synth(SynthOptions{Dataset: "dfew", Seed: 4, Folds: []int32{5},
		Features: map[string]FeatureSpec{"video": {Dim: 32, Informativeness: 1}, "audio": {Dim: 16, Informativeness: 0}}})
	if err != nil {
		t.Fatal(err)
	}
	video, audio := separation(s, "video"), separation(s, "audio")
	if video < 0.8 || audio > 0.3 {
		t.Errorf("class separation: video %.2f (want ≈1.4), audio %.2f (want ≈0)", video, audio)
	}

	// Modality importance differs between clips: some clips carry the class mostly in video,
	// others mostly in audio.
	s, err = Synth(SynthOptions{Dataset: "dfew", Seed: 4, Folds: []int32{5},
		Features: map[string]FeatureSpec{"video": {Dim: 64, Informativeness: 2}, "audio": {Dim: 64, Informativeness: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	videoLed, audioLed := 0, 0
	for _, c := range s.Select([]int32{5}, Test) {
		// With unit noise, the mean square of a vector is 1 + (signal scale)².
		v, a := meanSquare(c.Features["video"]), meanSquare(c.Features["audio"])
		switch {
		case v > 2*a:
			videoLed++
		case a > 2*v:
			audioLed++
		}
	}
	if videoLed < 100 || audioLed < 100 {
		t.Errorf("%d clips led by video, %d by audio; want many of each", videoLed, audioLed)
	}
}

func meanSquare(v []float32) float64 {
	s := 0.0
	for _, x := range v {
		s += float64(x) * float64(x)
	}
	return s / float64(len(v))
}

func TestSynthErrors(t *testing.T) {
	tests := []struct {
		name string
		opts SynthOptions
		want string
	}{
		{"dataset", SynthOptions{Dataset: "ferplus"}, "dfew and mafw"},
		{"fold", SynthOptions{Dataset: "dfew", Folds: []int32{6}}, "fold 6"},
		{"fold twice", SynthOptions{Dataset: "dfew", Folds: []int32{5, 5}}, "listed twice"},
		{"dim", SynthOptions{Dataset: "dfew", Features: map[string]FeatureSpec{"video": {Dim: 0}}}, "dimension 0"},
		{"informativeness", SynthOptions{Dataset: "dfew", Features: map[string]FeatureSpec{"video": {Dim: 2, Informativeness: math.NaN()}}}, "informativeness"},
		{"modality", SynthOptions{Dataset: "dfew", Features: map[string]FeatureSpec{"vid eo": {Dim: 2}}}, "modality name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Synth(tt.opts); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
}

func TestApportion(t *testing.T) {
	tests := []struct {
		weights []int
		total   int
		want    []int
	}{
		{[]int{1, 1, 1}, 2, []int{1, 1, 0}},
		{[]int{5, 3, 2}, 10, []int{5, 3, 2}},
		{[]int{1956, 1516, 2136, 1739, 1176, 116, 722}, 2341, []int{489, 379, 534, 435, 294, 29, 181}},
		{[]int{2, 1}, 9, []int{6, 3}},
	}
	for _, tt := range tests {
		if got := apportion(tt.weights, tt.total); !slices.Equal(got, tt.want) {
			t.Errorf("apportion(%v, %d) = %v, want %v", tt.weights, tt.total, got, tt.want)
		}
	}
}
