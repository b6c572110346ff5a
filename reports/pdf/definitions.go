package pdf

// definitions lists, for the reader of the report, what every metric means and how it is
// computed (docs/reference.md §3–5 and docs/reference.md §3).
var definitions = [][2]string{
	{"WAR", "Weighted average recall: correct predictions divided by all scored samples, i.e. accuracy. " +
		"A prediction outside the label set (unknown) counts as wrong and stays in the denominator."},
	{"UAR", "Unweighted average recall: the mean over classes of each class's recall (correct predictions " +
		"of the class divided by its samples). Every class weighs the same, however rare; under the migr " +
		"protocol a class without test samples contributes 0."},
	{"Macro-F1", "The mean over classes of F1 = 2·precision·recall / (precision + recall), where precision " +
		"is the share of the class's predictions that are right; F1 is 0 when both are 0."},
	{"Confusion matrix", "Rows are true classes, columns predicted classes plus unknown. The heat maps " +
		"show each row as percentages of that true class's samples."},
	{"TT, TF, FT, FF", "The quarter table. Each sample gets two marks: is the prediction correct, and is " +
		"the explanation correct, meaning the emotion the judge reads in the explanation is the ground " +
		"truth. TT: both; TF: correct prediction, inconsistent explanation; FT: wrong prediction, " +
		"explanation names the truth; FF: neither. Each is a share of all samples; an answer that cannot " +
		"be parsed counts as FF."},
	{"TF over correct", "TF / (TT + TF): among correct predictions, the share whose explanation supports " +
		"another emotion. The published 18.10% → 7.37% may use this normalisation or the share of all " +
		"samples; the report gives both."},
	{"EPC", "Explanation–prediction consistency: the share of samples whose predicted emotion equals the " +
		"emotion the judge reads in the explanation, whether or not either is right."},
	{"EEA", "Explanation emotion accuracy: TT + FT, the share of explanations whose emotion is the ground truth."},
	{"Fallback", "Under the faithful migr protocol, a judge reply that is not exactly a label word, or a " +
		"failed judge call, is silently read as neutral. The fallback rate is the share of replies this " +
		"happened to. The robust protocol counts such replies as unknown (inconsistent) instead."},
	{"MI", "Modality importance of a clip, from three runs of a base model (video only, audio only, video " +
		"and audio): vision when only the video run is correct, audio when only the audio run is correct, " +
		"multimodal otherwise. It can also come from ablating an ONNX model's inputs, or from a file."},
	{"Order", "Which description an output gives first: vision_first (<vis_desc> before <aud_desc>), " +
		"audio_first, or no_desc (no description tags)."},
	{"MI-aligned", "Among clips whose MI is vision or audio, the share of outputs whose first description " +
		"is that modality's."},
	{"Format reward", "The training reward of the MIGR authors, averaged over outputs: with MI vision, 1 if " +
		"the whole output is <vis_desc>…</vis_desc> <aud_desc>…</aud_desc> <think>…</think> <answer>…</answer> " +
		"(white space between blocks allowed), " +
		"else 0; with MI audio the same with the audio description first; with MI multimodal 0.5 if either " +
		"order matches, else −1. Clips without MI count as multimodal."},
	{"Visual initiation", "Among outputs without description tags, the share whose explanation mentions a " +
		"visual cue before an audio cue (over outputs that mention either)."},
	{"Grounding, drift", "A sentence-level judge names the emotion of each explanation sentence. Grounding " +
		"is the share of emotion-bearing sentences whose emotion is the ground truth. The drift curve " +
		"gives that share by relative position of the sentence in the explanation (0 = first, 1 = last), " +
		"beside the share that agrees with the model's own answer: a falling grounded curve is reasoning " +
		"drift away from the evidence."},
	{"Cohen's κ", "Agreement of two judges on the same explanations beyond chance: κ = (pₒ − pₑ) / (1 − pₑ), " +
		"where pₒ is the share of explanations they label alike and pₑ the share expected from each " +
		"judge's label frequencies alone. 1 is perfect agreement, 0 chance level."},
	{"Bootstrap interval", "Clips are resampled with replacement, the metric recomputed on each resample, " +
		"and the interval is the α/2 and 1 − α/2 percentiles of the resampled values. The resampling is " +
		"seeded, so every machine gives the same interval."},
	{"Paired comparison", "Two models on their common clips: the difference of a metric with a paired " +
		"bootstrap interval (the same clips resampled for both)."},
	{"McNemar test", "An exact test of whether two models differ on a paired yes/no outcome (correct " +
		"prediction, or TF): with b clips where only the first model has the outcome and c where only the " +
		"second has it, p = min(1, 2·P[X ≤ min(b, c)]) for X ~ Binomial(b + c, ½)."},
}

// definitions prints the metric glossary as a two-column list.
func (d *doc) definitions() error {
	d.section("Definitions")
	f := d.f
	const termW = 34.0
	textW := d.contentWidth() - termW
	for _, def := range definitions {
		d.use(sans, "", bodySize)
		lines := d.lines(def[1], textW-2*f.GetCellMargin())
		h := float64(len(lines)) * bodyLine
		d.ensure(h + 2)
		y := f.GetY()
		d.use(sans, "B", bodySize)
		d.text(accent)
		f.SetXY(marginX, y)
		f.MultiCell(termW-2, bodyLine, def[0], "", "L", false)
		d.use(sans, "", bodySize)
		d.text(ink)
		for i, l := range lines {
			f.SetXY(marginX+termW, y+float64(i)*bodyLine)
			f.CellFormat(textW, bodyLine, l, "", 0, "L", false, 0, "")
		}
		f.SetXY(marginX, y+h+2.2)
	}
	return nil
}
