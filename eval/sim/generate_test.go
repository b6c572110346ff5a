package sim

import (
	"math"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
)

func TestBanksCoverLabelsAndAreDistinct(t *testing.T) {
	for _, ls := range []*datasets.LabelSet{datasets.DFEW(), datasets.MAFW()} {
		for _, l := range ls.Labels {
			b, ok := banks[concept(l)]
			if !ok {
				t.Fatalf("%s label %q has no phrase bank", ls.Name, l)
			}
			for name, n := range map[string]int{"face": len(b.face), "body": len(b.body), "voice": len(b.voice),
				"quote": len(b.quote), "infer": len(b.infer), "minor": len(b.minor)} {
				if n < 2 {
					t.Errorf("bank %s has %d %s fragments, want at least 2", concept(l), n, name)
				}
			}
			if _, ok := confusable[concept(l)]; !ok {
				t.Errorf("no confusable list for %s", concept(l))
			}
			if _, ok := classDifficulty[concept(l)]; !ok {
				t.Errorf("no class difficulty for %s", concept(l))
			}
		}
	}
	// The judge finds emotions by fragments: none may occur inside another emotion's fragment,
	// nor inside any frame.
	type owned struct{ text, concept string }
	var all []owned
	for c, b := range banks {
		for _, g := range [][]string{b.face, b.body, b.voice, b.quote, b.infer, b.minor} {
			for _, f := range g {
				all = append(all, owned{f, c})
			}
		}
	}
	seen := map[string]string{}
	for _, a := range all {
		if c, ok := seen[a.text]; ok {
			t.Errorf("fragment %q appears twice (%s, %s)", a.text, c, a.concept)
		}
		seen[a.text] = a.concept
		for _, b := range all {
			if a.concept != b.concept && strings.Contains(b.text, a.text) {
				t.Errorf("fragment %q of %s occurs inside %q of %s", a.text, a.concept, b.text, b.concept)
			}
		}
	}
	var frames []string
	for _, fs := range [][]string{visualOpen, visualMore, bodyFrames, voiceFrames, quoteFrames, hedgeFrames,
		mixedFrames, concludeAV, concludeVideo, concludeAudio, audioOpen, leadVision, leadAudio, scenes} {
		frames = append(frames, fs...)
	}
	for _, p := range people {
		frames = append(frames, p.noun)
	}
	for _, f := range frames {
		for _, a := range all {
			if strings.Contains(f, a.text) {
				t.Errorf("frame %q contains fragment %q of %s", f, a.text, a.concept)
			}
		}
	}
}

// outcome is one simulated answer, read back the way the pipeline reads it.
type outcome struct {
	label, pred, explain, judged string
	raw                          string
	parsed                       parse.Output
}

func runAll(t *testing.T, s *Server, model, variant string, limit int) []outcome {
	t.Helper()
	m := s.models[model]
	p := parse.NewParser(s.labels, parse.ProtocolMigr)
	var out []outcome
	for i := range min(limit, len(s.cfg.Split.Clips)) {
		c := &s.cfg.Split.Clips[i]
		d := s.decide(m, c, variant, 0)
		raw, _ := s.finish(m, c.ClipID, s.compose(m, c, variant, 0, 0.3, d), 0)
		o := p.Parse(raw)
		judged := concept(o.Reason)
		if o.Reason != "" {
			judged = s.supported(o.Reason)
		}
		out = append(out, outcome{label: c.Label, pred: d.pred, explain: d.explain, judged: judged, raw: raw, parsed: o})
	}
	return out
}

func TestRealism(t *testing.T) {
	for _, tc := range []struct {
		name   string
		labels *datasets.LabelSet
		counts []int
	}{{"dfew", datasets.DFEW(), dfewFold5}, {"mafw", datasets.MAFW(), mafwFold5}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newTestServer(t, Config{Split: testSplit(tc.labels, tc.counts), Seed: 7})
			for _, m := range s.cfg.Models {
				outs := runAll(t, s, m.Name, predictions.VariantAV, 1<<30)
				n := float64(len(outs))
				var correct, tf, parsedOK, judgedRight, withDesc, unknown float64
				distinct := map[string]bool{}
				preds := map[string]bool{}
				for _, o := range outs {
					distinct[o.parsed.Think] = true
					preds[o.pred] = true
					if o.parsed.Pred == o.label {
						correct++
						if concept(o.explain) != concept(o.label) {
							tf++
						}
					}
					if o.parsed.Pred == datasets.Unknown {
						unknown++
					}
					if o.parsed.Status == parse.StatusOK {
						parsedOK++
					}
					if o.parsed.Reason != "" && o.judged == concept(o.explain) {
						judgedRight++
					}
					if o.parsed.Order != parse.OrderNoDesc {
						withDesc++
					}
				}
				war := correct / n
				t.Logf("%s: WAR %.3f, TF|correct %.3f, unknown %.0f, parse ok %.0f, lookup right %.0f, distinct %d of %.0f",
					m.Name, war, tf/correct, unknown, parsedOK, judgedRight, len(distinct), n)
				// Unknown answers (truncations, synonyms the authors' rules miss) cost a little accuracy.
				if math.Abs(war-m.Accuracy) > 0.04 {
					t.Errorf("%s: WAR %.3f, profile accuracy %.2f", m.Name, war, m.Accuracy)
				}
				if got := tf / correct; math.Abs(got-m.Inconsistency) > 0.03 {
					t.Errorf("%s: TF among correct %.3f, profile %.2f", m.Name, got, m.Inconsistency)
				}
				if float64(len(distinct)) < 0.97*n {
					t.Errorf("%s: only %d distinct reasonings in %d outputs", m.Name, len(distinct), len(outs))
				}
				if len(preds) != len(tc.labels.Labels) {
					t.Errorf("%s: predicted %d of %d labels", m.Name, len(preds), len(tc.labels.Labels))
				}
				if parsedOK < 0.95*n {
					t.Errorf("%s: only %.0f of %.0f outputs parse ok", m.Name, parsedOK, n)
				}
				// The simulation's own lookup recovers the supported emotion of nearly every
				// complete reasoning (the rest are truncated mid-way).
				if judgedRight < 0.97*n {
					t.Errorf("%s: lookup recovered %.0f of %.0f explanation emotions", m.Name, judgedRight, n)
				}
				if wantDesc := m.Style == StyleMIGR; (withDesc > 0.99*n) != wantDesc || (withDesc == 0) == wantDesc {
					t.Errorf("%s: %.0f of %.0f outputs with description tags", m.Name, withDesc, n)
				}
			}
		})
	}
}

func TestRecallVariesByClass(t *testing.T) {
	s := newTestServer(t, Config{Seed: 3})
	m := s.models["r1-omni-sim"]
	hit, total := map[string]float64{}, map[string]float64{}
	for i := range s.cfg.Split.Clips {
		c := &s.cfg.Split.Clips[i]
		total[c.Label]++
		if s.decide(m, c, predictions.VariantAV, 0).pred == c.Label {
			hit[c.Label]++
		}
	}
	if hit["happy"]/total["happy"] <= hit["disgust"]/total["disgust"]+0.2 {
		t.Errorf("recall happy %.2f, disgust %.2f: want rare classes clearly harder", hit["happy"]/total["happy"], hit["disgust"]/total["disgust"])
	}
}

func TestModalityImportance(t *testing.T) {
	s := newTestServer(t, Config{Seed: 11})
	m := s.models["r1-omni-sim"]
	counts := map[string]map[string]int{} // dominant → MI from correctness flags
	acc := map[string]float64{}
	for i := range s.cfg.Split.Clips {
		c := &s.cfg.Split.Clips[i]
		ok := map[string]bool{}
		for _, v := range []string{predictions.VariantAV, predictions.VariantVideo, predictions.VariantAudio} {
			ok[v] = s.decide(m, c, v, 0).pred == c.Label
			if ok[v] {
				acc[v]++
			}
		}
		mi := DominantMultimodal
		switch {
		case ok[predictions.VariantVideo] && !ok[predictions.VariantAudio]:
			mi = DominantVision
		case ok[predictions.VariantAudio] && !ok[predictions.VariantVideo]:
			mi = DominantAudio
		}
		dom := s.Dominant(c.ClipID)
		if counts[dom] == nil {
			counts[dom] = map[string]int{}
		}
		counts[dom][mi]++
	}
	if !(acc[predictions.VariantAV] > acc[predictions.VariantVideo] && acc[predictions.VariantVideo] > acc[predictions.VariantAudio]) {
		t.Errorf("correct answers av %v, video %v, audio %v: want av > video > audio", acc[predictions.VariantAV], acc[predictions.VariantVideo], acc[predictions.VariantAudio])
	}
	if counts[DominantVision][DominantVision] <= counts[DominantVision][DominantAudio] ||
		counts[DominantAudio][DominantAudio] <= counts[DominantAudio][DominantVision] {
		t.Errorf("MI from variants does not follow the dominant modality: %v", counts)
	}
}

func TestOrderPolicy(t *testing.T) {
	s := newTestServer(t, Config{Seed: 5})
	m := s.models["migr-sim"]
	p := parse.NewParser(s.labels, parse.ProtocolMigr)
	for i := range s.cfg.Split.Clips[:300] {
		c := &s.cfg.Split.Clips[i]
		raw := s.compose(m, c, predictions.VariantAV, 0, 0.3, s.decide(m, c, predictions.VariantAV, 0))
		order := p.Parse(raw).Order
		switch s.Dominant(c.ClipID) {
		case DominantVision:
			if order != parse.OrderVisionFirst {
				t.Fatalf("clip %s dominated by vision, order %s:\n%s", c.ClipID, order, raw)
			}
		case DominantAudio:
			if order != parse.OrderAudioFirst {
				t.Fatalf("clip %s dominated by audio, order %s:\n%s", c.ClipID, order, raw)
			}
		}
	}
}

func TestSingleModalityWording(t *testing.T) {
	s := newTestServer(t, Config{Seed: 2})
	for _, m := range s.cfg.Models {
		for i := range s.cfg.Split.Clips[:200] {
			c := &s.cfg.Split.Clips[i]
			video := s.compose(&m, c, predictions.VariantVideo, 0, 0.3, s.decide(&m, c, predictions.VariantVideo, 0))
			audio := s.compose(&m, c, predictions.VariantAudio, 0, 0.3, s.decide(&m, c, predictions.VariantAudio, 0))
			think := func(raw string) string { return parse.NewParser(s.labels, parse.ProtocolMigr).Parse(raw).Think }
			for _, v := range voiceFrames {
				if prefix, _, _ := strings.Cut(v, "{"); prefix != "" && strings.Contains(think(video), prefix) {
					t.Fatalf("%s video-only reasoning mentions audio (%q):\n%s", m.Name, prefix, video)
				}
			}
			if strings.Contains(think(audio), "In the video") || strings.Contains(think(audio), "close-up") {
				t.Fatalf("%s audio-only reasoning mentions video:\n%s", m.Name, audio)
			}
		}
	}
}

func TestDeterministicAndTemperatureOnlyChangesWording(t *testing.T) {
	a := newTestServer(t, Config{Seed: 1})
	b := newTestServer(t, Config{Seed: 1})
	other := newTestServer(t, Config{Seed: 2})
	m := a.models["r1-omni-sim"]
	sameOther, wordingDiffers := 0, 0
	for i := range a.cfg.Split.Clips[:200] {
		c := &a.cfg.Split.Clips[i]
		da, db := a.decide(m, c, predictions.VariantAV, 0), b.decide(m, c, predictions.VariantAV, 0)
		ra, rb := a.compose(m, c, predictions.VariantAV, 0, 0.3, da), b.compose(m, c, predictions.VariantAV, 0, 0.3, db)
		if da != db || ra != rb {
			t.Fatalf("clip %s: two servers with one seed differ", c.ClipID)
		}
		if other.compose(m, c, predictions.VariantAV, 0, 0.3, other.decide(m, c, predictions.VariantAV, 0)) == ra {
			sameOther++
		}
		hot := a.compose(m, c, predictions.VariantAV, 0, 1.0, da)
		p := parse.NewParser(a.labels, parse.ProtocolMigr)
		if p.Parse(hot).Pred != p.Parse(ra).Pred {
			t.Fatalf("clip %s: temperature changed the answer", c.ClipID)
		}
		if hot != ra {
			wordingDiffers++
		}
	}
	if sameOther > 2 {
		t.Errorf("%d of 200 outputs identical under another seed", sameOther)
	}
	if wordingDiffers < 190 {
		t.Errorf("temperature changed the wording of only %d of 200 outputs", wordingDiffers)
	}
}

func TestSamplesMostlyAgree(t *testing.T) {
	s := newTestServer(t, Config{Seed: 4})
	m := s.models["r1-omni-sim"]
	agree, same := 0, 0
	clips := s.cfg.Split.Clips[:500]
	for i := range clips {
		d0, d1 := s.decide(m, &clips[i], predictions.VariantAV, 0), s.decide(m, &clips[i], predictions.VariantAV, 1)
		if (d0.pred == clips[i].Label) == (d1.pred == clips[i].Label) {
			agree++
		}
		if s.compose(m, &clips[i], predictions.VariantAV, 0, 0.3, d0) == s.compose(m, &clips[i], predictions.VariantAV, 1, 0.3, d1) {
			same++
		}
	}
	if agree < 400 || agree == 500 {
		t.Errorf("samples 0 and 1 agree on correctness for %d of 500 clips: want most, not all", agree)
	}
	if same > 0 {
		t.Errorf("%d samples worded identically", same)
	}
}

func TestFinish(t *testing.T) {
	s := newTestServer(t, Config{Seed: 1, Models: []ModelProfile{
		{Name: "cut", Style: StyleR1Omni, Accuracy: 0.5, Truncation: 1},
		{Name: "end", Style: StyleR1Omni, Accuracy: 0.5, ImEnd: 1},
		{Name: "syn", Style: StyleR1Omni, Accuracy: 1, Synonyms: 1},
	}})
	p := parse.NewParser(s.labels, parse.ProtocolMigr)
	statuses := map[parse.Status]int{}
	for i := range s.cfg.Split.Clips[:200] {
		c := &s.cfg.Split.Clips[i]
		for _, name := range []string{"cut", "end", "syn"} {
			m := s.models[name]
			raw, reason := s.finish(m, c.ClipID, s.compose(m, c, predictions.VariantAV, 0, 0.3, s.decide(m, c, predictions.VariantAV, 0)), 0)
			switch name {
			case "cut":
				statuses[p.Parse(raw).Status]++
				if reason != "length" || strings.HasSuffix(raw, "</answer>") {
					t.Fatalf("truncation profile gave %q:\n%s", reason, raw)
				}
			case "end":
				if !strings.HasSuffix(raw, "</answer><|im_end|>") || reason != "stop" {
					t.Fatalf("im_end profile gave:\n%s", raw)
				}
			case "syn":
				if syn, ok := answerSynonyms[c.Label]; ok && !strings.Contains(raw, "<answer>"+syn+"</answer>") {
					t.Fatalf("synonym profile, label %s, gave:\n%s", c.Label, raw)
				}
			}
		}
	}
	if statuses[parse.StatusUnclosedAnswer] < 50 || statuses[parse.StatusNoAnswer] < 50 {
		t.Errorf("truncations: %v, want both kinds", statuses)
	}

	// max_tokens cuts at a word boundary.
	m := s.models["end"]
	c := &s.cfg.Split.Clips[0]
	raw, reason := s.finish(m, c.ClipID, s.compose(m, c, predictions.VariantAV, 0, 0.3, s.decide(m, c, predictions.VariantAV, 0)), 20)
	if reason != "length" || tokens(raw) > 20 || strings.HasSuffix(raw, " ") {
		t.Errorf("max_tokens 20: %q %q", reason, raw)
	}
}

func TestCustomLabelSet(t *testing.T) {
	ls, err := datasets.ParseLabelSet("custom.yaml", []byte("name: mood\nlabels: [calm, tense, joyful]\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := newTestServer(t, Config{Split: testSplit(ls, []int{50, 50, 50}), Seed: 1})
	for _, o := range runAll(t, s, "r1-omni-sim", predictions.VariantAV, 1<<30) {
		if o.parsed.Reason != "" && o.judged != o.explain {
			t.Fatalf("custom label %s judged %s:\n%s", o.explain, o.judged, o.raw)
		}
	}
}
