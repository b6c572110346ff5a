package lexicon

import (
	"sort"

	"github.com/emoeval/emoeval/datasets"
)

// concept is one of the core emotion concepts the lexicon is written over. A label set's labels
// claim concepts (see mapConcepts), so one lexicon serves DFEW, MAFW and custom sets.
type concept uint8

const (
	happiness concept = iota
	sadness
	neutral
	anger
	surprise
	disgust
	fear
	contempt
	anxiety
	helplessness
	disappointment
	numConcepts
)

// conceptCodes are the short names the lexicon tables use.
var conceptCodes = [numConcepts]string{
	happiness: "hap", sadness: "sad", neutral: "neu", anger: "ang", surprise: "sur", disgust: "dis",
	fear: "fea", contempt: "con", anxiety: "anx", helplessness: "hel", disappointment: "dsp",
}

// nameForms are the words by which a label (or a label set's synonym) names a concept. A custom
// label set's labels are matched against them; lexicon terms beyond these are not used for
// matching, so a label "tense" is not taken for anxiety.
var nameForms = [numConcepts][]string{
	happiness:      {"happiness", "happy", "joy", "joyful", "glad", "cheerful", "pleased", "delighted", "delight"},
	sadness:        {"sadness", "sad", "sorrow", "sorrowful", "unhappy", "grief", "unhappiness"},
	neutral:        {"neutral", "neutrality", "calm", "none", "no emotion"},
	anger:          {"anger", "angry", "mad", "furious", "rage", "irritated", "annoyed"},
	surprise:       {"surprise", "surprised", "astonished", "astonishment", "amazed", "amazement", "shocked"},
	disgust:        {"disgust", "disgusted", "revulsion"},
	fear:           {"fear", "fearful", "afraid", "scared", "frightened", "terrified"},
	contempt:       {"contempt", "contemptuous", "disdain", "scorn"},
	anxiety:        {"anxiety", "anxious", "nervous", "nervousness", "worried", "worry"},
	helplessness:   {"helplessness", "helpless", "powerless", "powerlessness"},
	disappointment: {"disappointment", "disappointed"},
}

// nearest lists, for a concept no label claims, the concepts whose labels stand in for it, best
// first. The first entries give the DFEW mapping: contempt→disgust, anxiety→fear,
// helplessness→sad, disappointment→sad.
var nearest = [numConcepts][]concept{
	contempt:       {disgust, anger},
	anxiety:        {fear, sadness},
	helplessness:   {sadness, disappointment},
	disappointment: {sadness, helplessness},
	disgust:        {contempt, anger},
	fear:           {anxiety, surprise},
	sadness:        {disappointment, helplessness},
	anger:          {contempt, disgust},
}

// akin lists, for each concept, the concepts an explanation may name beside it without
// contradicting it: shades of one feeling ("sadness or disappointment", "fear and anxiety",
// "anger and contempt", "surprise and joy"). Cues for two labels that are not close conflict.
var akin = [numConcepts][]concept{
	sadness:        {disappointment, helplessness},
	disappointment: {sadness, helplessness, anger},
	helplessness:   {sadness, disappointment, anxiety},
	fear:           {anxiety, surprise},
	anxiety:        {fear, helplessness},
	anger:          {contempt, disgust, disappointment},
	contempt:       {anger, disgust},
	disgust:        {contempt, anger},
	happiness:      {surprise},
	surprise:       {fear, happiness},
}

// closeLabels returns, for labels a and b, at [a*n+b], whether: the concepts they claim
// themselves (not those they stand in for) are close.
func akinLabels(labels *datasets.LabelSet) []bool {
	n := len(labels.Labels)
	direct := claimConcepts(labels)
	out := make([]bool, n*n)
	for c, l := range direct {
		if l < 0 {
			continue
		}
		for _, d := range akin[c] {
			if m := direct[d]; m >= 0 && m != l {
				out[l*n+m], out[m*n+l] = true, true
			}
		}
	}
	return out
}

// mapConcepts returns, for each concept, the index of the label that stands for it (or -1): a
// label claims the concept its name or one of its synonyms names (labels in order, then
// synonyms in sorted order; the first claim wins); an unclaimed concept takes the label of its
// nearest claimed concept; a concept with neither is dropped.
func mapConcepts(labels *datasets.LabelSet) [numConcepts]int {
	direct := claimConcepts(labels)
	out := direct
	for c := range out {
		if out[c] >= 0 {
			continue
		}
		for _, n := range nearest[c] {
			if direct[n] >= 0 {
				out[c] = direct[n]
				break
			}
		}
	}
	return out
}

// claimConcepts returns, for each concept, the label that claims it by name or synonym, or -1.
func claimConcepts(labels *datasets.LabelSet) [numConcepts]int {
	byName := map[string]concept{}
	for c, forms := range nameForms {
		for _, f := range forms {
			byName[f] = concept(c)
		}
	}
	var direct [numConcepts]int
	for i := range direct {
		direct[i] = -1
	}
	claim := func(word string, label int) {
		if c, ok := byName[word]; ok && direct[c] < 0 {
			direct[c] = label
		}
	}
	for i, l := range labels.Labels {
		claim(l, i)
	}
	syn := make([]string, 0, len(labels.Synonyms))
	for w := range labels.Synonyms {
		syn = append(syn, w)
	}
	sort.Strings(syn)
	for _, w := range syn {
		if i := labels.Index(labels.Synonyms[w]); i >= 0 {
			claim(w, i)
		}
	}
	return direct
}
