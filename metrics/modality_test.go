package metrics

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

func TestFormatReward(t *testing.T) {
	cases := []struct {
		mi   modality.Class
		f    parse.Format
		want float64
	}{
		{modality.Vision, parse.FormatVision, 1}, {modality.Vision, parse.FormatAudio, 0}, {modality.Vision, 0, 0},
		{modality.Audio, parse.FormatAudio, 1}, {modality.Audio, parse.FormatVision, 0},
		{modality.Multimodal, parse.FormatVision, 0.5}, {modality.Multimodal, parse.FormatAudio, 0.5}, {modality.Multimodal, 0, -1},
		{modality.None, parse.FormatVision, 0.5}, {modality.None, 0, -1},
	}
	for _, tc := range cases {
		if got := FormatReward(tc.mi, tc.f); got != tc.want {
			t.Errorf("FormatReward(%v, %v) = %v, want %v", tc.mi, tc.f, got, tc.want)
		}
	}
}

func TestModality(t *testing.T) {
	ls := datasets.DFEW()
	split := splitOf("happy", "happy", "happy", "happy", "happy", "happy")
	ss := []Sample{
		{ClipID: "1", Pred: "happy", Order: "vision_first", Format: parse.FormatVision}, // MI vision: aligned, reward 1
		{ClipID: "2", Pred: "happy", Order: "audio_first", Format: parse.FormatAudio},   // MI vision: misaligned, reward 0
		{ClipID: "3", Pred: "happy", Order: "audio_first", Format: parse.FormatAudio},   // MI audio: aligned, reward 1
		{ClipID: "4", Pred: "happy", Order: "no_desc", Cue: parse.CueVisual},            // MI multimodal: reward −1
		{ClipID: "5", Pred: "happy", Order: "no_desc", Cue: parse.CueAudio},             // no MI entry: multimodal, −1
		// clip 6 is missing: not an output.
	}
	mi := modality.NewTable("file")
	mi.Set("1", modality.Vision)
	mi.Set("02", modality.Vision)
	mi.Set("3", modality.Audio)
	mi.Set("4", modality.Multimodal)
	mi.Set("6", modality.Audio)
	s, err := Build(Input{Clips: split, Models: []ModelInput{{Name: "m", Samples: ss}}, MI: mi},
		Options{Labels: ls, Protocol: parse.ProtocolRobust})
	if err != nil {
		t.Fatal(err)
	}
	m := s.Models["m"].Modality
	want := &Modality{
		DescriptionTags: true,
		Order:           map[string]float64{"vision_first": 0.2, "audio_first": 0.4, "no_desc": 0.4},
		FormatReward:    ptr((1 + 0 + 1 - 1 - 1) / 5.0),
		MIAligned:       ptr(2.0 / 3),
		MISource:        "file",
		MI:              map[string]float64{"vision": 0.4, "audio": 0.2, "multimodal": 0.4},
		MIOrder: map[string]map[string]int{
			"vision":     {"vision_first": 1, "audio_first": 1, "no_desc": 0},
			"audio":      {"vision_first": 0, "audio_first": 1, "no_desc": 0},
			"multimodal": {"vision_first": 0, "audio_first": 0, "no_desc": 2},
		},
		VisualInitiation:  ptr(0.5),
		VisualInitiationN: 2,
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("modality\n got %+v\nwant %+v", m, want)
	}
	// Without an MI table every clip counts as multimodal and no MI distribution is reported.
	s, err = Build(Input{Clips: split, Models: []ModelInput{{Name: "m", Samples: ss}}},
		Options{Labels: ls, Protocol: parse.ProtocolRobust})
	if err != nil {
		t.Fatal(err)
	}
	m = s.Models["m"].Modality
	if m.MI != nil || m.MISource != "" || m.MIAligned != nil || m.FormatReward == nil || !near(*m.FormatReward, (0.5+0.5+0.5-1-1)/5) {
		t.Errorf("without MI: %+v", m)
	}
}

func ptr(v float64) *float64 { return &v }

func TestDrift(t *testing.T) {
	ls := datasets.DFEW()
	ss := samples("1:happy 2:sad")
	j := map[string]map[string]JudgeOutcome{"c": {
		// Truth happy, answer happy; five sentences, one per bin.
		"1": {Emotion: "happy", SentenceLabels: []string{"happy", "", "sad", "happy", "sad"}},
		// Truth sad, answer sad; two sentences at 0.25 and 0.75: bins 1 and 3.
		"2": {Emotion: "sad", SentenceLabels: []string{"sad", "neutral"}},
	}}
	s, err := Build(Input{Clips: splitOf("happy", "sad"), Models: []ModelInput{{Name: "m", Samples: ss, Judgments: j}}},
		Options{Labels: ls, Protocol: parse.ProtocolRobust})
	if err != nil {
		t.Fatal(err)
	}
	d := s.Models["m"].Drift["c"]
	// Bin 1 holds clip 1's sentence without emotion (not counted) and clip 2's "sad"; bin 3
	// clip 1's "happy" and clip 2's "neutral".
	want := &Drift{
		Bins:        []float64{0.1, 0.3, 0.5, 0.7, 0.9},
		Grounded:    []float64{1, 1, 0, 0.5, 0},
		AgreeAnswer: []float64{1, 1, 0, 0.5, 0},
		Sentences:   []int{1, 1, 1, 2, 1},
		Grounding:   3.0 / 6,
	}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("drift\n got %+v\nwant %+v", d, want)
	}
	if _, ok := s.Models["m"].Drift["other"]; ok {
		t.Error("a judge without sentence labels has no drift curve")
	}
}

// TestUndefinedModalityRates: a rate with nothing to count (0/0) is absent from summary.json,
// not 0, and has no interval, fold mean or paired comparison.
func TestUndefinedModalityRates(t *testing.T) {
	clips := []datasets.Clip{
		{ClipID: "1", Fold: 1, Label: "happy"}, {ClipID: "2", Fold: 1, Label: "sad"},
		{ClipID: "3", Fold: 2, Label: "happy"}, {ClipID: "4", Fold: 2, Label: "sad"},
	}
	described := outputs("1:happy:v 2:sad:a 3:sad:v 4:sad:a") // no output without descriptions
	cases := []struct {
		name   string
		mi     map[string]modality.Class
		a      []Sample
		absent []string // JSON keys
	}{
		{"no MI", nil, described, []string{`"mi_aligned"`, `"visual_initiation":`}},
		{"only multimodal MI", map[string]modality.Class{"1": modality.Multimodal, "2": modality.Multimodal, "3": modality.Multimodal, "4": modality.Multimodal}, described,
			[]string{`"mi_aligned"`, `"visual_initiation":`}},
		{"vision MI only on a missing clip", map[string]modality.Class{"4": modality.Vision}, outputs("1:happy:v 2:sad 3:happy"),
			[]string{`"mi_aligned"`}},
		{"no outputs", map[string]modality.Class{"1": modality.Vision}, nil,
			[]string{`"mi_aligned"`, `"visual_initiation":`, `"format_reward"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Input{Clips: clips, Models: []ModelInput{{Name: "a", Samples: tc.a}, {Name: "c", Samples: tc.a}}}
			if tc.mi != nil {
				in.MI = modality.NewTable("file")
				for clip, c := range tc.mi {
					in.MI.Set(clip, c)
				}
			}
			s, err := Build(in, Options{Labels: datasets.DFEW(), Protocol: parse.ProtocolRobust, Bootstrap: 200, Seed: 1,
				Folds: []int32{1, 2}, FoldAggregation: FoldsMean})
			if err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range tc.absent {
				if bytes.Contains(out, []byte(key)) {
					t.Errorf("summary has %s:\n%s", key, out)
				}
			}
			// The keys that are defined are there: the absence above is not an empty summary's.
			for _, key := range []string{`"visual_initiation_n":0`, `"fold_mean":{"macro_f1"`, `"ci":{"macro_f1"`, `"metric":"war"`} {
				if !bytes.Contains(out, []byte(key)) {
					t.Errorf("summary lacks %s:\n%s", key, out)
				}
			}
			m := s.Models["a"].Modality
			if m.MIAligned != nil || (tc.a == nil) != (m.FormatReward == nil) || m.VisualInitiation != nil {
				t.Errorf("modality %+v", m)
			}
			if tc.a == nil && len(m.Order) != 0 {
				t.Errorf("order shares %v without outputs", m.Order)
			}
		})
	}
}

// Meaningful or absent: a model whose outputs carry no description tags (an R1-Omni-style model,
// a classifier) has no order, format reward or MI alignment — not "No description 100%", "−1"
// and "0%" — and a comparison with a model that has them compares none of them.
func TestNoDescriptionTagsMeansNoOrderMetrics(t *testing.T) {
	clips := splitOf("happy", "sad", "happy", "sad")
	plain := outputs("1:happy 2:sad 3:sad 4:sad")
	described := outputs("1:happy:v 2:sad:a 3:happy:v 4:sad:a")
	mi := modality.NewTable("file")
	for _, id := range []string{"1", "2", "3", "4"} {
		mi.Set(id, modality.Vision)
	}
	for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		s, err := Build(Input{Clips: clips, MI: mi, Models: []ModelInput{{Name: "r1", Samples: plain}, {Name: "migr", Samples: described}}},
			Options{Labels: datasets.DFEW(), Protocol: proto, Bootstrap: 200, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		r1, migr := s.Models["r1"].Modality, s.Models["migr"].Modality
		if r1.DescriptionTags || r1.Order != nil || r1.FormatReward != nil || r1.MIAligned != nil {
			t.Errorf("%s: a model without description tags has order metrics: %+v", proto, r1)
		}
		if _, ok := s.Models["r1"].CI["mi_aligned"]; ok {
			t.Errorf("%s: an interval for an undefined mi_aligned", proto)
		}
		if !migr.DescriptionTags || migr.MIAligned == nil || *migr.MIAligned != 0.5 {
			t.Errorf("%s: described model: %+v", proto, migr)
		}
		for _, c := range s.Comparisons {
			if c.Metric == "mi_aligned" || c.Metric == "format_reward" {
				t.Errorf("%s: %s compared although the baseline has no description tags: %+v", proto, c.Metric, c)
			}
		}
	}
}

// A failed call is not a wrong answer: under either protocol it is counted in Failed and left
// out of every count, rate, interval and paired comparison.
func TestFailedSamplesAreNotWrongAnswers(t *testing.T) {
	clips := splitOf("happy", "sad", "happy", "sad")
	ok := outputs("1:happy 2:sad 3:happy 4:sad")
	failing := outputs("1:happy 2:sad")
	for _, id := range []string{"3", "4"} {
		failing = append(failing, Sample{ClipID: id, Pred: "unknown", QuarterPred: "unknown", Status: "error", Error: true})
	}
	for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		s, err := Build(Input{Clips: clips, Models: []ModelInput{{Name: "base", Samples: ok}, {Name: "broken", Samples: failing}}},
			Options{Labels: datasets.DFEW(), Protocol: proto, Bootstrap: 200, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		m := s.Models["broken"]
		if m.Failed != 2 || m.N != 2 || m.WAR != 1 || m.Missing != 0 || m.Unknown != 0 {
			t.Errorf("%s: failed %d n %d war %v missing %d unknown %d; want 2 failed, 2 scored, WAR 1", proto, m.Failed, m.N, m.WAR, m.Missing, m.Unknown)
		}
		for _, c := range s.Comparisons {
			if c.Metric == "war" && (c.N != 2 || c.Delta != 0) {
				t.Errorf("%s: the paired comparison counts failed calls: %+v", proto, c)
			}
		}
	}
}
