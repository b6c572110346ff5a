package metrics

import (
	"math"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/parse"
)

// outputs turns "clip:pred[:v|a]" entries into samples: pred "?" is unknown; v and a are the
// vision_first and audio_first orders (default no_desc).
func outputs(spec string) []Sample {
	var out []Sample
	for _, f := range strings.Fields(spec) {
		parts := strings.Split(f, ":")
		s := Sample{ClipID: parts[0], Pred: parts[1], Status: "ok", Order: "no_desc"}
		if s.Pred == "?" {
			s.Pred = datasets.Unknown
		}
		s.QuarterPred = s.Pred
		if len(parts) > 2 {
			s.Order = map[string]string{"v": "vision_first", "a": "audio_first"}[parts[2]]
		}
		out = append(out, s)
	}
	return out
}

// emotions turns "clip:emotion" entries into one judge's outcomes.
func emotions(spec string) map[string]map[string]JudgeOutcome {
	out := map[string]JudgeOutcome{}
	for _, f := range strings.Fields(spec) {
		clip, e, _ := strings.Cut(f, ":")
		out[clip] = JudgeOutcome{Emotion: e}
	}
	return map[string]map[string]JudgeOutcome{"j": out}
}

// headlineValue is a headline metric's estimate in a model summary; false when undefined.
func headlineValue(ms *ModelSummary, key string) (float64, bool) {
	switch key {
	case "war":
		return ms.WAR, true
	case "uar":
		return ms.UAR, true
	case "macro_f1":
		return ms.MacroF1, true
	case "mi_aligned":
		if ms.Modality.MIAligned == nil {
			return 0, false
		}
		return *ms.Modality.MIAligned, true
	}
	r := ms.Reliability["j"]
	return map[string]float64{"j.tt": r.TT, "j.tf": r.TF, "j.ft": r.FT, "j.ff": r.FF, "j.epc": r.EPC, "j.eea": r.EEA,
		"j.tf_given_correct": r.TFGivenCorrect}[key], key != "j.tf_given_correct" || r.Counts.TT+r.Counts.TF > 0
}

// TestIntervalsContainEstimates: on small and degenerate runs, every bootstrap interval holds
// its estimate, every defined headline metric has one and no undefined metric does, and every
// paired interval holds its difference.
func TestIntervalsContainEstimates(t *testing.T) {
	dfew := datasets.DFEW().Labels
	cases := []struct {
		name     string
		proto    parse.Protocol
		labels   []string
		a, c     string // outputs
		ja, jc   string // judge emotions
		mi       string // clip:vision|audio|multimodal
		exactUAR float64
	}{
		{
			// The reviewer's case: resampling all clips together gave UAR 1 the interval [0.43, 0.86].
			name: "one correct clip per class", proto: parse.ProtocolMigr, labels: dfew,
			a:  "1:happy:v 2:sad:a 3:neutral:a 4:angry 5:surprise:v 6:disgust 7:fear",
			c:  "1:happy:v 2:happy:v 3:neutral:v 4:angry 5:fear 6:disgust 7:fear",
			ja: "1:happy 2:sad 3:sad 4:angry 5:happy 6:disgust 7:fear",
			jc: "1:happy 2:happy 3:neutral 4:sad 5:fear 6:disgust 7:fear",
			mi: "1:vision 2:vision 3:audio", exactUAR: 1,
		},
		{
			name: "a class with zero correct", proto: parse.ProtocolRobust,
			labels: []string{"happy", "happy", "happy", "happy", "sad", "sad", "sad", "fear", "fear", "fear", "angry", "angry", "neutral"},
			a:      "1:happy:v 2:happy 3:happy:a 4:sad 5:sad 6:sad:v 7:? 8:happy 9:sad:a 10:angry 11:angry 12:fear 13:neutral",
			c:      "1:happy 2:happy 3:happy 4:happy 5:sad 6:? 7:sad 8:fear:v 9:happy 10:fear:a 11:angry 12:angry 13:sad",
			ja:     "1:happy 2:sad 3:happy 4:sad 5:sad 6:happy 7:sad 8:happy 9:fear 10:angry 11:angry 12:fear 13:neutral",
			jc:     "1:happy 2:happy 3:sad 4:happy 5:sad 7:sad 8:fear 9:happy 10:fear 11:happy 12:angry 13:sad",
			mi:     "1:vision 3:audio 9:audio 10:vision",
		},
		{
			name: "outputs outside the split and duplicates", proto: parse.ProtocolMigr,
			labels: []string{"happy", "happy", "sad", "sad", "sad", "angry"},
			a:      "1:happy 2:happy 3:sad 3:sad 4:happy 5:sad 6:? 98:happy 99:sad",
			c:      "1:sad 2:happy 3:sad 4:sad 5:sad 6:angry 98:angry",
			ja:     "1:happy 2:sad 3:sad 4:happy 5:sad 6:angry 98:happy",
			jc:     "1:sad 2:happy 3:happy 4:sad 5:sad 6:angry",
		},
		{
			name: "one correct prediction, a missing clip", proto: parse.ProtocolRobust,
			labels: []string{"happy", "happy", "happy", "sad", "sad", "sad", "sad"},
			a:      "1:happy:v 2:sad 3:sad 4:happy 5:happy:a 6:?",
			c:      "1:sad 2:sad 3:happy 4:sad 5:sad 6:sad 7:happy",
			ja:     "1:sad 2:sad 3:sad 4:happy",
			jc:     "1:sad 2:sad 3:happy 4:sad 5:happy 6:sad 7:happy",
			mi:     "1:vision 5:vision 7:audio",
		},
		{
			name: "no correct prediction", proto: parse.ProtocolRobust,
			labels: []string{"happy", "happy", "sad", "sad", "angry"},
			a:      "1:sad 2:sad 3:happy 4:? 5:happy",
			c:      "1:sad 2:happy 3:sad 4:happy 5:angry",
			ja:     "1:happy 2:sad 3:sad 4:sad 5:happy",
			jc:     "1:happy 2:sad 3:sad 4:sad 5:sad",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			mi := modality.NewTable("file")
			for _, f := range strings.Fields(tc.mi) {
				clip, class, _ := strings.Cut(f, ":")
				mi.Set(clip, map[string]modality.Class{"vision": modality.Vision, "audio": modality.Audio, "multimodal": modality.Multimodal}[class])
			}
			in := Input{Clips: splitOf(tc.labels...), MI: mi, Models: []ModelInput{
				{Name: "a", Samples: outputs(tc.a), Judgments: emotions(tc.ja)},
				{Name: "c", Samples: outputs(tc.c), Judgments: emotions(tc.jc)},
			}}
			s, err := Build(in, Options{Labels: datasets.DFEW(), Protocol: tc.proto, Bootstrap: 2000, Seed: 1})
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"a", "c"} {
				ms := s.Models[name]
				for _, key := range headlineKeys([]string{"j"}) {
					v, defined := headlineValue(ms, key)
					ci, ok := ms.CI[key]
					switch {
					case ok != defined:
						t.Errorf("%s %s: defined %v, interval %v %v", name, key, defined, ci, ok)
					case ok && !(ci[0] <= v+1e-12 && v-1e-12 <= ci[1]):
						t.Errorf("%s %s: interval %v misses the estimate %v", name, key, ci, v)
					}
				}
			}
			if tc.exactUAR != 0 {
				if ci := s.Models["a"].CI["uar"]; ci != [2]float64{tc.exactUAR, tc.exactUAR} {
					t.Errorf("uar interval %v, want [%v, %v]", ci, tc.exactUAR, tc.exactUAR)
				}
			}
			var paired int
			for _, cmp := range s.Comparisons {
				if cmp.Test != ComparePairedBootstrap {
					continue
				}
				paired++
				if math.IsNaN(cmp.Base) || math.IsNaN(cmp.Cand) || !(cmp.CI[0] <= cmp.Delta+1e-12 && cmp.Delta-1e-12 <= cmp.CI[1]) {
					t.Errorf("%s: difference %v (%v − %v) outside its interval %v", cmp.Metric, cmp.Delta, cmp.Cand, cmp.Base, cmp.CI)
				}
			}
			if paired == 0 {
				t.Error("no paired comparison")
			}
		})
	}
}

// TestStratifiedBootstrapExact checks the resampling distribution against one worked out by
// hand. Split happy, happy, sad; the model is right on clips 1 and 3. Each class keeps its
// size, so the sad clip is in every resample and is right, and the happy class's correct count
// X is Binomial(2, 1/2): WAR = (X+1)/3 is 1/3, 2/3, 1 with probabilities 1/4, 1/2, 1/4, and UAR
// (seven DFEW classes, five without clips) = (X/2 + 1)/7. The 95% intervals are therefore
// [1/3, 1] and [1/7, 2/7]. Resampling the three clips together would give WAR 0 with
// probability 1/27 > 2.5%, and a lower bound of 0.
func TestStratifiedBootstrapExact(t *testing.T) {
	const reps = 40000
	b, err := NewBuilder(Options{Labels: datasets.DFEW(), Protocol: parse.ProtocolRobust, Bootstrap: reps, Seed: 1}, splitOf("happy", "happy", "sad"))
	if err != nil {
		t.Fatal(err)
	}
	if err := b.AddModel("m", "", "av"); err != nil {
		t.Fatal(err)
	}
	for _, s := range outputs("1:happy 2:sad 3:sad") {
		if err := b.AddSample("m", s); err != nil {
			t.Fatal(err)
		}
	}
	v := b.view(b.models[0])
	tl, _ := b.tallyAll(v, b.miByClip())
	values := b.bootstrapValues(tl, "exact")
	want := map[float64]float64{1.0 / 3: 0.25, 2.0 / 3: 0.5, 1: 0.25}
	got := map[float64]float64{}
	for _, x := range values[0] {
		got[x] += 1.0 / reps
	}
	for x, p := range want {
		// 5 standard errors of a share of 40,000 draws: at most 0.0125.
		if math.Abs(got[x]-p) > 5*math.Sqrt(p*(1-p)/reps) {
			t.Errorf("P(WAR = %.4f) = %.4f, want %.2f", x, got[x], p)
		}
	}
	if len(got) != len(want) {
		t.Errorf("WAR values %v, want only %v", got, want)
	}
	ms, err := b.Summary()
	if err != nil {
		t.Fatal(err)
	}
	ci := ms.Models["m"].CI
	if w := ci["war"]; !near(w[0], 1.0/3) || w[1] != 1 {
		t.Errorf("war interval %v, want [1/3, 1]", w)
	}
	if u := ci["uar"]; !near(u[0], 1.0/7) || !near(u[1], 2.0/7) {
		t.Errorf("uar interval %v, want [1/7, 2/7]", u)
	}
	if ms.Statistics.Resampling != ResamplingStratified {
		t.Errorf("statistics %+v do not say how they resampled", ms.Statistics)
	}
}
