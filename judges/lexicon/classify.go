package lexicon

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sentence and explanation weights; doc.go explains them.
const (
	// minEvidence is the least score that names an emotion; below it a sentence names none and an
	// explanation is neutral.
	minEvidence = 0.25
	// lastConclusion multiplies the last concluding sentence that names an emotion, or, when no
	// sentence concludes, the last sentence that names one.
	lastConclusion = 1.5
	// beforeContrastSentence multiplies a sentence followed by one that opens with "However".
	beforeContrastSentence = 0.7
	// namesEmotion is the least score of a sentence that names its emotion rather than hints at
	// it: a final plain sentence that does is the explanation's verdict.
	namesEmotion = 0.8
	// The cues conflict, and the judge abstains, when the verdict (the sentence that weighs most)
	// names at least conflictNamed emotions without saying which dominates, and in it and in the
	// whole explanation alike the strongest label not akin to the leading one has at least
	// conflictRatio of the leader's score: "Possible emotions: amusement, irritation, surprise,
	// embarrassment." Two emotions ("surprise or dissatisfaction", "anger mixed with sadness")
	// are a verdict: the first named leads. Both chosen on the development set.
	conflictNamed = 3
	conflictRatio = 0.5
)

// tierWeight is the weight of a sentence by its strongest concluding cue: none, an inference
// verb ("suggests", "the emotion …"), or a conclusion ("Therefore", "we can infer", "the emotion is").
var tierWeight = [4]float64{1, 1, 2, 3}

// Result is the lexicon's reading of one explanation.
type Result struct {
	// Emotion is a label of the judge's label set: the label with the highest score, or
	// datasets.Unknown when the judge abstains.
	Emotion string
	// Abstained is set when the judge names no emotion: no label reaches the minimum evidence,
	// the explanation ends by saying the emotion cannot be determined, or its cues conflict.
	Abstained bool
	// Scores holds each label's weighted evidence over the whole explanation (labels with none
	// left out).
	Scores    map[string]float64
	Sentences []SentenceResult
}

// SentenceResult is the reading of one sentence.
type SentenceResult struct {
	Text string
	// Emotion is the label the sentence supports on its own, or "" when it names no emotion.
	Emotion string
	// Scores holds the sentence's evidence per label before sentence weighting.
	Scores map[string]float64
	// Weight is the sentence's weight in the explanation: more for a concluding sentence, 0 for
	// one without emotion words.
	Weight float64
}

// scratch holds one classification's buffers, reused through the Judge's pool.
type scratch struct {
	word    []byte
	toks    []token
	sents   []sentence
	hits    []hit
	scores  []float64 // len(sents) × labels
	weights []float64 // per sentence
	tiers   []uint8   // per sentence: its conclusion tier
	settled []bool    // per sentence: it names fewer than conflictNamed emotions, or says which dominates
	best    []int     // per sentence: pick of its scores
	total   []float64 // per label
	order   []int
	trace   []byte
	abstain abstention
	// invalidUTF8: scan met a byte that is not valid UTF-8. Every other non-ASCII byte it
	// steps over as part of a valid character, and sentences start and end at character
	// boundaries, so without one every sentence's text is valid as it is.
	invalidUTF8 bool
}

// classify reads text into sc.sents, sc.scores, sc.weights and sc.total and returns the label
// index of the explanation's emotion, or -1 when the judge abstains (sc.abstain says why).
func (lx *lexicon) classify(text string, sc *scratch) int {
	lx.scan(text, sc)
	n := len(lx.labels)
	sc.scores = resize(sc.scores, len(sc.sents)*n)
	sc.weights = resize(sc.weights, len(sc.sents))
	sc.tiers, sc.best, sc.settled = sc.tiers[:0], sc.best[:0], sc.settled[:0]
	sc.total = resize(sc.total, n)
	lastInfer, lastAny := -1, -1
	// undecided: the last sentence that names an emotion or says none can be determined says
	// the latter ("Based on the available information, the emotion cannot be determined.")
	undecided := false
	for i, s := range sc.sents {
		scores := sc.scores[i*n : (i+1)*n]
		f := lx.score(sc.toks[s.tok0:s.tok1], sc, scores)
		sc.tiers = append(sc.tiers, f.tier)
		sc.settled = append(sc.settled, f.dominant || f.named < conflictNamed)
		sc.weights[i] = tierWeight[f.tier]
		if f.contrastAtStart && i > 0 {
			sc.weights[i-1] *= beforeContrastSentence
		}
		b := -1 // no evidence: all scores are 0
		if f.hits {
			b = pick(scores, lx.neutral)
		} else {
			sc.weights[i] = 0
		}
		sc.best = append(sc.best, b)
		switch {
		case b >= 0:
			undecided = false
			lastAny = i
			if f.tier >= 2 {
				lastInfer = i
			}
		case f.undetermined:
			undecided = true
		}
	}
	// An explanation that ends on a plain sentence naming an emotion, after no conclusion (at
	// most an inference such as "which might suggest anger"), ends on its verdict: "She seems
	// worn out and powerless.", "She's angry."
	if lastAny > lastInfer && (lastInfer < 0 || sc.tiers[lastInfer] < 3) &&
		sc.scores[lastAny*n+sc.best[lastAny]] >= namesEmotion {
		sc.weights[lastAny] = tierWeight[3]
		lastInfer = lastAny
	}
	verdict := lastAny
	if lastInfer >= 0 {
		verdict = lastInfer
	}
	if verdict >= 0 {
		sc.weights[verdict] *= lastConclusion
	}
	for i := range sc.sents {
		w := sc.weights[i]
		if w == 0 {
			continue
		}
		for l, v := range sc.scores[i*n : (i+1)*n] {
			sc.total[l] += w * v
		}
	}
	best := pick(sc.total, lx.neutral)
	switch {
	case undecided:
		sc.abstain = abstainUndetermined
	case best < 0:
		sc.abstain = abstainNoEvidence
	case verdict >= 0 && !sc.settled[verdict] && lx.conflicts(sc.scores[verdict*n:(verdict+1)*n]) &&
		lx.conflicts(sc.total):
		sc.abstain = abstainConflict
	default:
		sc.abstain = abstainNone
		return best
	}
	return -1
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// pick returns the label with the highest score of at least minEvidence, or -1. Ties go to the
// emotion before neutral, then to the earlier label in the label set's order.
func pick(scores []float64, neutralLabel int) int {
	best := -1
	for l, v := range scores {
		if v < minEvidence {
			continue
		}
		if best < 0 || v > scores[best] || v == scores[best] && best == neutralLabel {
			best = l
		}
	}
	return best
}

// conflicts reports whether two emotions that are not akin lead the scores: the strongest emotion
// label, and another, not akin to it, with at least conflictRatio of its score. Neutral is not an
// emotion here: "not sad; she is furious" does not conflict.
func (lx *lexicon) conflicts(scores []float64) bool {
	n := len(scores)
	b := -1
	for l, v := range scores {
		if l != lx.neutral && v > 0 && (b < 0 || v > scores[b]) {
			b = l
		}
	}
	if b < 0 {
		return false
	}
	akin := lx.akin[b*n : (b+1)*n]
	for l, v := range scores {
		if l != b && l != lx.neutral && !akin[l] && v >= conflictRatio*scores[b] {
			return true
		}
	}
	return false
}

// abstention says why the judge named no emotion.
type abstention uint8

const (
	abstainNone         abstention = iota
	abstainNoEvidence              // no emotion word reaches minEvidence
	abstainUndetermined            // the explanation ends by saying the emotion cannot be determined
	abstainConflict                // its verdict and its evidence both weigh emotions that conflict
)

var abstentionText = [...]string{
	abstainNoEvidence:   "abstained: no emotional evidence",
	abstainUndetermined: "abstained: the explanation says the emotion cannot be determined",
	abstainConflict:     "abstained: conflicting cues",
}

// emotionOf turns classify's result into a label: unknown when the judge abstains.
func (lx *lexicon) emotionOf(best int) string {
	if best >= 0 {
		return lx.labels[best]
	}
	return unknownLabel
}

// trace writes the explanation's leading scores, "anger=3.5 fear=1", into sc.trace.
func (lx *lexicon) trace(sc *scratch) []byte {
	const maxShown = 4
	sc.order = sc.order[:0]
	for l, v := range sc.total {
		if v > 0 {
			sc.order = append(sc.order, l)
		}
	}
	// Insertion sort: few labels, stable, no allocation.
	o := sc.order
	for i := 1; i < len(o); i++ {
		for j := i; j > 0 && sc.total[o[j]] > sc.total[o[j-1]]; j-- {
			o[j], o[j-1] = o[j-1], o[j]
		}
	}
	b := sc.trace[:0]
	if sc.abstain != abstainNone {
		b = append(b, abstentionText[sc.abstain]...)
		if len(o) > 0 {
			b = append(b, ';', ' ')
		}
	}
	for i, l := range o {
		if i == maxShown {
			break
		}
		if i > 0 {
			b = append(b, ' ')
		}
		b = append(b, lx.labels[l]...)
		b = append(b, '=')
		b = appendRound2(b, sc.total[l])
	}
	sc.trace = b
	return b
}

// appendRound2 appends round2(v) for v > 0 as strconv.AppendFloat(b, round2(v), 'f', -1, 64)
// would. Below 2^40 hundredths it writes the digits itself: there round2(v) is the double
// nearest to k/100 for an integer k, and no shorter decimal than k/100's reads as that double.
func appendRound2(b []byte, v float64) []byte {
	x := v*100 + 0.5
	if !(x >= 0 && x < 1<<40) {
		return strconv.AppendFloat(b, round2(v), 'f', -1, 64)
	}
	k := int64(x)
	if k == 0 {
		k = 1 // round2's 0.01 for a positive v
	}
	b = strconv.AppendInt(b, k/100, 10)
	switch f := k % 100; {
	case f == 0:
	case f%10 == 0:
		b = append(b, '.', byte('0'+f/10))
	default:
		b = append(b, '.', byte('0'+f/10), byte('0'+f%10))
	}
	return b
}

func round2(v float64) float64 {
	r := float64(int64(v*100+0.5)) / 100
	if r == 0 && v > 0 {
		return 0.01
	}
	return r
}

// result builds the exported Result from a classification in sc.
func (lx *lexicon) result(text string, best int, sc *scratch) Result {
	n := len(lx.labels)
	r := Result{Emotion: lx.emotionOf(best), Abstained: best < 0, Scores: scoreMap(lx.labels, sc.total)}
	if len(sc.sents) > 0 {
		r.Sentences = make([]SentenceResult, len(sc.sents))
	}
	for i, s := range sc.sents {
		scores := sc.scores[i*n : (i+1)*n]
		sr := SentenceResult{Text: sc.sentenceText(text, s),
			Scores: scoreMap(lx.labels, scores), Weight: sc.weights[i]}
		if b := sc.best[i]; b >= 0 {
			sr.Emotion = lx.labels[b]
		}
		r.Sentences[i] = sr
	}
	return r
}

func scoreMap(labels []string, scores []float64) map[string]float64 {
	var m map[string]float64
	for l, v := range scores {
		if v > 0 {
			if m == nil {
				m = make(map[string]float64, 4)
			}
			m[labels[l]] = v
		}
	}
	return m
}

// sentenceText is a sentence's text with invalid UTF-8 replaced by U+FFFD.
func (sc *scratch) sentenceText(text string, s sentence) string {
	if t := text[s.b0:s.b1]; !sc.invalidUTF8 || utf8.ValidString(t) {
		return t
	}
	return strings.ToValidUTF8(text[s.b0:s.b1], "\uFFFD")
}
