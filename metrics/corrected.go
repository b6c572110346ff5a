package metrics

import (
	"errors"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/metrics/ppi"
)

// Strata of judge-corrected rates.
const (
	// StrataJudgeCell: the human sample is taken as drawn at random within each of the judge's
	// quarter cells (as `emoeval view --annotate` draws it); "… of JUDGE" when the sample was
	// drawn within another judge's cells.
	StrataJudgeCell = "judge quarter cell"
	// StrataNone: some judge cell has no human label, so the human sample is taken as drawn at
	// random from all samples.
	StrataNone = "none"
)

// Corrected are a model's explanation rates under a judge, corrected with human labels on a
// sample of its explanations (prediction-powered inference, metrics/ppi), beside the classical
// estimate from the human labels alone. The explanation counts as correct when it supports the
// true emotion, as the human reads it; the judge's quirks (the migr fallback) do not enter.
type Corrected struct {
	NHuman int    `json:"n_human"`
	Human  string `json:"human"` // which human labels
	Strata string `json:"strata"`
	CorrectedRates
	HumanOnly CorrectedRates `json:"human_only"`
	// EffectiveN is how many human labels the human-only estimate of TF would need for the
	// corrected estimate's precision.
	EffectiveN float64 `json:"effective_n"`
}

// CorrectedRates are rates with their intervals, keyed as the raw quarter cells.
type CorrectedRates struct {
	TT             float64               `json:"tt"`
	TF             float64               `json:"tf"`
	FT             float64               `json:"ft"`
	FF             float64               `json:"ff"`
	TFGivenCorrect *float64              `json:"tf_given_correct,omitempty"` // nil without correct predictions
	EPC            float64               `json:"epc"`
	EEA            float64               `json:"eea"`
	CI             map[string][2]float64 `json:"ci"`
}

func ratesOf(m map[string]ppi.Interval) CorrectedRates {
	r := CorrectedRates{CI: map[string][2]float64{}}
	for k, iv := range m {
		r.CI[k] = iv.CI
	}
	r.TT, r.TF, r.FT, r.FF = m[ppi.KeyTT].Value, m[ppi.KeyTF].Value, m[ppi.KeyFT].Value, m[ppi.KeyFF].Value
	r.EPC, r.EEA = m[ppi.KeyEPC].Value, m[ppi.KeyEEA].Value
	if iv, ok := m[ppi.KeyTFGivenCorrect]; ok {
		v := iv.Value
		r.TFGivenCorrect = &v
	}
	return r
}

// humanFor is the first set of human labels that covers a model.
func (b *Builder) humanFor(model string) *HumanLabels {
	for i := range b.human {
		if h := &b.human[i]; h.Model == "" || h.Model == model {
			return h
		}
	}
	return nil
}

// corrected estimates a model's rates under judge j with the human labels that cover it; nil
// when none of its scored samples has one.
func (b *Builder) corrected(v *view, j int) *Corrected {
	h := b.humanFor(v.run.name)
	if h == nil {
		return nil
	}
	byClip := make(map[int32]string, len(h.Labels))
	for id, l := range h.Labels {
		if c, ok := b.clipIdx[datasets.NormalizeID(id)]; ok {
			byClip[c] = l
		}
	}
	name := func(i int8) string {
		if i < 0 || int(i) >= b.k {
			return datasets.Unknown
		}
		return b.opts.Labels.Labels[i]
	}
	jr := v.run.judged[j]
	// The strata are the cells the sample was drawn within: a sample drawn at unequal rates per
	// cell of one judge is representative only within those cells.
	strata, sj := StrataJudgeCell, jr
	if h.StratifiedBy != "" && h.StratifiedBy != b.judges[j] {
		if i := b.judgeN[h.StratifiedBy]; i < len(v.run.judged) && v.run.judged[i] != nil {
			strata, sj = StrataJudgeCell+" of "+h.StratifiedBy, v.run.judged[i]
		} else {
			return nil // the sampling judge did not judge this model: no unbiased correction
		}
	}
	var samples []ppi.Sample
	for _, r := range v.recs {
		if r.truth < 0 {
			continue
		}
		pred := r.pred
		if b.opts.Protocol == parse.ProtocolMigr {
			pred = r.qpred // the prediction the quarter table reads
		}
		o := jr.judgment(r.clip)
		s := ppi.Sample{Stratum: int(b.cell(r, sj)), Truth: name(r.truth), Pred: name(pred), Judge: name(o.emotion)}
		if l, ok := byClip[r.clip]; ok {
			s.Human = &l
		}
		samples = append(samples, s)
	}
	res, err := ppi.Estimate(samples, ppi.Options{Alpha: b.opts.Alpha})
	if errors.Is(err, ppi.ErrUnlabelledStratum) && h.StratifiedBy == "" {
		for i := range samples {
			samples[i].Stratum = 0
		}
		strata = StrataNone
		res, err = ppi.Estimate(samples, ppi.Options{Alpha: b.opts.Alpha})
	}
	if err != nil {
		return nil // no human label among the model's samples
	}
	return &Corrected{NHuman: res.NHuman, Human: h.Name, Strata: strata, CorrectedRates: ratesOf(res.Corrected),
		HumanOnly: ratesOf(res.HumanOnly), EffectiveN: res.EffectiveN[ppi.KeyTF]}
}
