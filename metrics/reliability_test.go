package metrics

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
)

func TestReliability(t *testing.T) {
	ls := datasets.DFEW()
	// Ten clips; truth happy for all but clip 10 (sad).
	split := splitOf("happy", "happy", "happy", "happy", "happy", "happy", "happy", "happy", "happy", "sad")
	type smp struct{ pred, qpred string }
	ss := map[string]smp{
		"1":  {"happy", "happy"},     // judge happy: TT
		"2":  {"happy", "happy"},     // judge sad: TF
		"3":  {"sad", "sad"},         // judge happy: FT
		"4":  {"sad", "sad"},         // judge sad: FF, agree
		"5":  {"happy", "happy"},     // no judgment
		"6":  {"happy", "unknown"},   // migr: the consistency script cannot read the answer
		"7":  {"happy", "happy"},     // judge unknown
		"8":  {"happy", "happy"},     // judge error, reply mapped to neutral (migr fallback)
		"9":  {"unknown", "unknown"}, // judge happy
		"10": {"sad", "sad"},         // judge sad, fallback: TT
	}
	judged := map[string]JudgeOutcome{
		"1": {Emotion: "happy"}, "2": {Emotion: "sad"}, "3": {Emotion: "happy"}, "4": {Emotion: "sad"},
		"6": {Emotion: "happy"}, "7": {Emotion: "unknown", Normalized: "punct"}, "8": {Emotion: "neutral", Err: true, Fallback: true},
		"9": {Emotion: "happy"}, "10": {Emotion: "sad", Fallback: true},
	}
	var samplesList []Sample
	for i := 1; i <= 10; i++ {
		s := ss[itoa(i)]
		samplesList = append(samplesList, Sample{ClipID: itoa(i), Pred: s.pred, QuarterPred: s.qpred})
	}
	cases := []struct {
		proto  parse.Protocol
		counts QuarterCounts
	}{
		// migr: 5 (no reply), 6 (unreadable), 7 (unknown reply) and 9 (unknown answer) go to FF
		// without EPC; 8's neutral reply is read as given: happy ≠ neutral ≠ truth → TF.
		{parse.ProtocolMigr, QuarterCounts{TT: 2, TF: 2, FT: 1, FF: 5, EPC: 3}},
		// robust: pred is Pred. 5, 7, 8: correct answer, no usable judgment → TF; 6: TT; 9: FT.
		{parse.ProtocolRobust, QuarterCounts{TT: 3, TF: 4, FT: 2, FF: 1, EPC: 4}},
	}
	for _, tc := range cases {
		t.Run(string(tc.proto), func(t *testing.T) {
			s, err := Build(Input{Clips: split, Models: []ModelInput{{Name: "m", Samples: samplesList,
				Judgments: map[string]map[string]JudgeOutcome{"j": judged}}}},
				Options{Labels: ls, Protocol: tc.proto, Folds: []int32{5}})
			if err != nil {
				t.Fatal(err)
			}
			r := s.Models["m"].Reliability["j"]
			if r.Counts != tc.counts {
				t.Fatalf("counts %+v, want %+v", r.Counts, tc.counts)
			}
			c := tc.counts
			n := 10.0
			want := []float64{float64(c.TT) / n, float64(c.TF) / n, float64(c.FT) / n, float64(c.FF) / n,
				float64(c.TF) / float64(c.TT+c.TF), float64(c.EPC) / n, float64(c.TT+c.FT) / n}
			got := []float64{r.TT, r.TF, r.FT, r.FF, r.TFGivenCorrect, r.EPC, r.EEA}
			for i := range want {
				if !near(got[i], want[i]) {
					t.Errorf("%s = %v, want %v", quarterKeys[i], got[i], want[i])
				}
			}
			// Nine judged clips: two fallbacks, one error, one unknown emotion.
			if !near(r.Fallback, 2.0/9) || r.Errors != 1 || r.Unknown != 1 || r.N != 10 {
				t.Errorf("fallback %v errors %d unknown %d n %d", r.Fallback, r.Errors, r.Unknown, r.N)
			}
			if !reflect.DeepEqual(r.Normalizations, map[string]int{"punct": 1}) {
				t.Errorf("normalizations %v", r.Normalizations)
			}
		})
	}
}

// TestReliabilityDuplicates: under migr every record counts, and duplicates share the clip's
// judge reply; under robust the clip counts once.
func TestReliabilityDuplicates(t *testing.T) {
	ls := datasets.DFEW()
	ss := samples("1:happy 1:happy 2:sad")
	j := map[string]map[string]JudgeOutcome{"j": {"1": {Emotion: "sad"}, "2": {Emotion: "sad"}}}
	for _, tc := range []struct {
		proto parse.Protocol
		want  QuarterCounts
	}{
		{parse.ProtocolMigr, QuarterCounts{TT: 1, TF: 2, EPC: 1}},
		{parse.ProtocolRobust, QuarterCounts{TT: 1, TF: 1, EPC: 1}},
	} {
		s, err := Build(Input{Clips: splitOf("happy", "sad"), Models: []ModelInput{{Name: "m", Samples: ss, Judgments: j}}},
			Options{Labels: ls, Protocol: tc.proto})
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Models["m"].Reliability["j"].Counts; got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.proto, got, tc.want)
		}
	}
}

// QuarterCellOf, which reports and the viewer use per sample, agrees with the summary's quarter
// counts on random messy samples under both protocols.
func TestQuarterCellOfAgreesWithTheSummary(t *testing.T) {
	ls := datasets.DFEW()
	labels := append(slices.Clone(ls.Labels), "unknown")
	r := rand.New(rand.NewPCG(3, 4))
	pick := func() string { return labels[r.IntN(len(labels))] }
	var clips []datasets.Clip
	var samples []Sample
	judged := map[string]JudgeOutcome{}
	for i := range 400 {
		id := strconv.Itoa(i + 1)
		truth := ls.Labels[r.IntN(ls.Len())]
		clips = append(clips, datasets.Clip{ClipID: id, Fold: 5, Label: truth})
		samples = append(samples, Sample{ClipID: id, Pred: pick(), QuarterPred: pick(), Status: "ok"})
		switch r.IntN(5) {
		case 0: // no reply
		case 1:
			judged[id] = JudgeOutcome{Emotion: "unknown", Err: true}
		default:
			judged[id] = JudgeOutcome{Emotion: pick()}
		}
	}
	for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		s, err := Build(Input{Clips: clips, Models: []ModelInput{{Name: "m", Samples: samples, Judgments: map[string]map[string]JudgeOutcome{"j": judged}}}},
			Options{Labels: ls, Protocol: proto})
		if err != nil {
			t.Fatal(err)
		}
		var got QuarterCounts
		for i, sm := range samples {
			o := judged[sm.ClipID]
			switch QuarterCellOf(proto, ls, clips[i].Label, sm.Pred, sm.QuarterPred, o.Emotion, o.Err) {
			case "TT":
				got.TT++
			case "TF":
				got.TF++
			case "FT":
				got.FT++
			default:
				got.FF++
			}
		}
		want := s.Models["m"].Reliability["j"].Counts
		want.EPC = 0
		if got != want {
			t.Errorf("%s: cells %+v, summary %+v", proto, got, want)
		}
	}
}
