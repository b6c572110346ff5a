package lexicon

import "math/bits"

// Weights of the rules; doc.go explains them.
const (
	negWindow      = 4    // words between a negator and the emotion word it negates
	localWindow    = 2    // words between a modifier ("very", "slightly") and its emotion word
	postNegGap     = 3    // verbs and adverbs between an emotion word and "not"/"absent" after it
	negatedNeutral = 0.5  // a negated emotion word is this much evidence for neutral, times its strength
	joinedLater    = 0.75 // an emotion named after another one it is joined to ("anger or fear")
	qualified      = 0.3  // a behaviour word whose emotion a neighbouring word overrides ("nervous laugh")
	beforeContrast = 0.6  // what precedes "but", "however"
	afterContrast  = 1.4  // what follows them
	concessiveW    = 0.6  // the clause "although"/"despite" opens
	mainClauseW    = 1.4  // the main clause after a leading concessive clause, or before a trailing one
	beforeInfer    = 0.6  // evidence named before "suggests"/"the emotion is" in the same sentence
	quotedW        = 0.3  // an emotion word inside quoted speech: the character's words, not the verdict
	othersW        = 0.3  // a sentence about someone else's emotion ("that emotion belongs to them")
	minLocal       = 0.1
	maxLocal       = 2.0
	// A sentence with more contrast, concessive or conclusion cues than real text has ("angry
	// but angry but …") stops reweighting what came before after maxRetro of them, and its
	// multipliers stop at maxSentence, so time stays linear and weights finite.
	maxRetro    = 8
	maxSentence = 4.0
)

// unit is a word or a phrase of a sentence with its meaning, or a clause boundary.
type unit struct {
	entry  int32 // emotion entry, or -1
	cue    int32 // cue, or -1
	clause bool
	quoted bool // inside quoted speech
}

// narrationOnly are the cue flags that act only in the explanation's own words: inside quoted
// speech "but", "therefore", "at first" or "I can't tell" are the character's, and must not
// reweight the explanation's evidence or end it.
const narrationOnly = fContrast | fConcessive | fWhile | fRather | fConclusion | fOther | fEarly | fLate |
	fUndecided | fOthers

// hit is one emotion word of a sentence with its weight so far (strength not yet applied).
type hit struct {
	entry   int32 // -1: a negated "emotion"/"expression", evidence for neutral
	w       float64
	negated bool
	chain   int32 // the first hit of the list of joined emotion words this one belongs to
	primary int   // label
}

// nearBits returns the bits of the words a phrase with a gap can continue with after toks[i-1]:
// toks[i:i+1+maxGap], up to a clause boundary.
func nearBits(toks []token, i int) uint64 {
	var b uint64
	for k := i; k < len(toks) && k <= i+maxGap && toks[k].kind == tokWord; k++ {
		b |= toks[k].bits
	}
	return b
}

// longestPhrase returns the length and id of the longest phrase starting at toks[i], or -1.
func (lx *lexicon) longestPhrase(toks []token, i int) (bestN int, best int32) {
	best = -1
	if i+1 >= len(toks) || toks[i+1].kind != tokWord {
		return 0, -1
	}
	next, nextBits := &toks[i+1].ids, toks[i+1].bits
	near := uint64(0) // nearBits(toks, i+1), computed when needed
	for _, id := range toks[i].ids {
		if id < 0 {
			break
		}
		m := lx.candMask[id]
		if m.second&nextBits == 0 {
			if m.third == 0 {
				continue
			}
			if near == 0 {
				near = nearBits(toks, i+1)
			}
			if m.third&near == 0 {
				continue
			}
		}
		cands := lx.cands[lx.candOff[id]:lx.candOff[id+1]]
		for k := 0; k < len(cands) && cands[k].second == gapElem; k++ {
			if c := cands[k]; thirdWithin(toks, i+1, c.third) {
				bestN, best = better(lx, toks, i, 1, c.phrase, bestN, best)
			}
		}
		if m.second&nextBits == 0 {
			continue
		}
		for _, sid := range next {
			if sid < 0 {
				break
			}
			for _, c := range candidatesWith(cands, sid) {
				if c.pair { // better's rule for a match of length 2
					if 2 > bestN || 2 == bestN && c.phrase < best {
						bestN, best = 2, c.phrase
					}
					continue
				}
				bestN, best = better(lx, toks, i, 2, c.phrase, bestN, best) // id, then sid
			}
		}
	}
	return bestN, best
}

// better matches phrase p at toks[i], whose first known elements are known to match, and keeps
// it if it is longer than the best so far.
func better(lx *lexicon, toks []token, i, known int, p int32, bestN int, best int32) (int, int32) {
	if n := matchPhrase(lx.phrases[p].elems[known:], toks, i+known) - i; n > bestN || n == bestN && n > 0 && p < best {
		return n, p
	}
	return bestN, best
}

// thirdWithin reports whether a word among toks[from:from+maxGap+1] matches pattern id.
func thirdWithin(toks []token, from int, id int32) bool {
	for k := from; k < len(toks) && k <= from+maxGap; k++ {
		t := &toks[k]
		if t.kind != tokWord {
			return false
		}
		if t.ids[0] == id || t.ids[1] == id || t.ids[2] == id {
			return true
		}
	}
	return false
}

// matchPhrase returns the end of the longest match of elems at toks[i:], or -1.
func matchPhrase(elems []int32, toks []token, i int) int {
	for k, e := range elems {
		if e == gapElem {
			best := -1
			for skip := 0; skip <= maxGap; skip++ {
				if skip > 0 && (i+skip-1 >= len(toks) || toks[i+skip-1].kind != tokWord) {
					break
				}
				if r := matchPhrase(elems[k+1:], toks, i+skip); r > best {
					best = r
				}
			}
			return best
		}
		if i >= len(toks) || toks[i].kind != tokWord {
			return -1
		}
		if ids := &toks[i].ids; ids[0] != e && ids[1] != e && ids[2] != e {
			return -1
		}
		i++
	}
	return i
}

// sentenceState is the left-to-right state of scoring one sentence.
type sentenceState struct {
	lx   *lexicon
	hits []hit

	negTTL          int // > 0: a negator is waiting for its emotion word
	local           float64
	localTTL        int
	hedge, phase    float64 // clause multipliers
	other           float64
	concessive      float64
	concOpen        bool
	concInitial     bool
	main, contrast  float64 // sentence multipliers
	words           int
	retros          int // reweightings of earlier hits so far
	tier            uint8
	contrastAtStart bool
	// undetermined: the sentence says an emotion cannot be determined (a strong cue, or a weak
	// one, "unclear", in a sentence about the emotion: generic or voided); voiding: its emotion
	// words count for nothing from the clause of that cue (from the last contrast, for a strong
	// cue) to the next contrast, or to the end of the concessive clause it is in (voidConc).
	// clauseHit0 and contrastHit0 are the first hits of the current clause and of the part after
	// the last contrast.
	undetermined bool
	weakUndet    bool
	generic      bool // an "emotion"/"feeling"/"expression" word, or a conclusion cue
	voided       bool // some emotion word was voided
	voiding      bool
	voidConc     bool
	clauseHit0   int
	contrastHit0 int
	others       float64 // sentence multiplier: someone else's emotion
	dominant     bool

	// What lies between the last hit and the current unit.
	last       int
	gapUnits   int
	gapClean   bool // only determiners, connectors, modifiers
	gapJoin    bool // a connector or a comma
	gapPrep    bool // with/in/of/from
	gapAux     int
	gapAuxOnly bool // only verbs and modifiers, no boundary
}

// sentenceFacts are what score tells about a sentence besides its scores.
type sentenceFacts struct {
	tier            uint8 // conclusion tier
	contrastAtStart bool  // it opens with a contrast ("However, …")
	hits            bool  // it has an emotion word that counts
	undetermined    bool  // it says an emotion cannot be determined
	dominant        bool  // it says which emotion dominates ("mainly anger")
	named           int   // how many emotion labels (not neutral) its emotion words name first
}

// score reads a sentence's tokens into units, matching the longest phrase at each word (the
// first phrase in table order on ties), and scores them into scores (one per label).
func (lx *lexicon) score(toks []token, sc *scratch, scores []float64) sentenceFacts {
	st := sentenceState{lx: lx, hits: sc.hits[:0], local: 1, hedge: 1, phase: 1, other: 1, concessive: 1,
		main: 1, contrast: 1, last: -1, others: 1}
	plain := 0 // words without meaning read since the last unit, stepped over together
	for i := 0; i < len(toks); {
		t := &toks[i]
		u, n := unit{entry: -1, cue: -1, clause: true}, 1
		if t.kind == tokWord {
			u = unit{entry: t.entry, cue: t.cue, quoted: t.quoted}
			if t.starts && i+1 < len(toks) && (t.second&toks[i+1].bits != 0 || t.third != 0 && t.third&nearBits(toks, i+1) != 0) {
				if m, p := lx.longestPhrase(toks, i); p >= 0 {
					u, n = unit{entry: lx.phrases[p].entry, cue: lx.phrases[p].cue, quoted: t.quoted}, m
				}
			}
			if u.entry < 0 && u.cue < 0 {
				plain++
				i++
				continue
			}
		}
		if plain > 0 {
			st.plainWords(plain)
			plain = 0
		}
		st.step(u, i+n < len(toks) && toks[i+n].kind == tokClause)
		i += n
	}
	if plain > 0 {
		st.plainWords(plain)
	}
	counted := false
	var named uint64 // labels < 64 named first by a counted, affirmed emotion word
	for _, h := range st.hits {
		if h.w == 0 {
			continue // voided: "whether he is angry cannot be determined"
		}
		counted = true
		if h.entry >= 0 && !h.negated && h.primary != lx.neutral && h.primary >= 0 && h.primary < 64 {
			named |= 1 << uint(h.primary)
		}
		if h.entry < 0 {
			if lx.neutral >= 0 {
				scores[lx.neutral] += h.w
			}
			continue
		}
		e := &lx.entries[h.entry]
		if h.negated {
			if e.neutral == 0 && lx.neutral >= 0 {
				scores[lx.neutral] += negatedNeutral * h.w * e.strength
			}
			continue
		}
		for _, lw := range e.weights {
			scores[lw.label] += h.w * lw.w
		}
	}
	sc.hits = st.hits
	undetermined := st.undetermined || st.weakUndet && (st.generic || st.voided)
	return sentenceFacts{tier: st.tier, contrastAtStart: st.contrastAtStart, hits: counted,
		undetermined: undetermined, dominant: st.dominant, named: bits.OnesCount64(named)}
}

// step moves the sentence state over a unit (not a word without meaning: plainWords does those);
// beforeClause says whether a clause boundary follows it.
func (st *sentenceState) step(u unit, beforeClause bool) {
	if u.clause {
		st.negTTL, st.local, st.localTTL = 0, 1, 0
		st.hedge, st.phase, st.other = 1, 1, 1
		st.clauseHit0 = len(st.hits)
		if st.concOpen {
			if st.voidConc {
				st.voiding, st.voidConc = false, false
			}
			st.concOpen, st.concessive = false, 1
			if st.concInitial {
				st.main = min(st.main*mainClauseW, maxSentence)
			}
		}
		st.gapUnits++
		st.gapJoin, st.gapAuxOnly = true, false
		return
	}
	st.words++
	if u.entry >= 0 {
		st.addHit(u.entry)
		if u.quoted {
			st.hits[st.last].w *= quotedW
		}
		return
	}
	var c cue
	if u.cue >= 0 {
		c = st.lx.cues[u.cue]
	}
	f := c.flags
	if u.quoted {
		f &^= narrationOnly
	}
	if f&fUndecided != 0 {
		st.undeterminedAt(f&fGeneric != 0)
	}
	if f&fDominant != 0 {
		st.dominant = true
	}
	if f&fOthers != 0 {
		st.reweight(othersW)
		st.others = othersW
	}
	if f&(fGeneric|fConclusion) != 0 {
		st.generic = true // the sentence is about the emotion: "emotion", "the emotion is"
	}
	if f&fGeneric != 0 && st.negTTL > 0 {
		st.addHit(-1) // "no emotion", "without any expression"
		return
	}
	if f&(fPostNeg|fPostNegAux) != 0 && st.postNegate(f) {
		st.noteGap(f)
		return
	}
	if f&fNeg != 0 {
		st.negTTL = negWindow + 1
	} else if st.negTTL > 0 {
		st.negTTL--
	}
	if f&(fBlocker|fAnd|fBreaker) != 0 {
		st.negTTL = 0
	}
	if f&fLocal != 0 {
		st.local = min(max(st.local*c.mult, minLocal), maxLocal)
		st.localTTL = localWindow + 1
	} else if st.localTTL > 0 {
		st.localTTL--
		if st.localTTL == 0 {
			st.local = 1
		}
	}
	if f&fBreaker != 0 {
		st.local, st.localTTL = 1, 0
	}
	if f&fHedge != 0 {
		st.hedge = min(st.hedge, c.mult)
	}
	if f&fOther != 0 {
		st.other = c.mult
	}
	if f&(fEarly|fLate) != 0 {
		st.phase = c.mult
	}
	switch {
	case f&fContrast != 0 || f&fRather != 0 && (st.words == 1 || beforeClause):
		st.contrastAt()
	case f&fRather != 0:
		st.local, st.localTTL = 0.8, localWindow+1
	case f&fConcessive != 0 || f&fWhile != 0 && st.words == 1:
		st.concessiveAt()
	case f&fWhile != 0:
		st.negTTL, st.local, st.localTTL = 0, 1, 0
	}
	if f&fConclusion != 0 {
		st.tier = max(st.tier, c.tier)
		st.reweight(beforeInfer)
		st.local, st.localTTL = 1, 0
	}
	st.noteGap(f)
}

// plainWords is step for n words without meaning: they only move the windows on.
func (st *sentenceState) plainWords(n int) {
	st.words += n
	st.negTTL = max(st.negTTL-n, 0)
	if st.localTTL > 0 {
		if st.localTTL = max(st.localTTL-n, 0); st.localTTL == 0 {
			st.local = 1
		}
	}
	st.gapUnits += n
	st.gapClean, st.gapAuxOnly = false, false
}

// undeterminedAt voids the emotion words of the current clause (of the sentence since its last
// contrast, for a strong cue such as "cannot be determined") and of the rest of the sentence up to
// a contrast: "whether she is happy or sad cannot be determined", "the visual cue suggests
// happiness and the audio sadness; the emotion could be either", "the emotion cannot be
// determined; it could be anger or sadness".
func (st *sentenceState) undeterminedAt(strong bool) {
	from := st.clauseHit0
	if strong {
		from, st.undetermined = st.contrastHit0, true
	} else {
		st.weakUndet = true
	}
	st.voiding, st.voidConc = true, st.concOpen
	for i := from; i < len(st.hits); i++ {
		st.voided = st.voided || st.hits[i].w != 0
		st.hits[i].w = 0
	}
}

func (st *sentenceState) contrastAt() {
	st.voiding, st.voidConc = false, false
	st.clauseHit0, st.contrastHit0 = len(st.hits), len(st.hits)
	st.reweight(beforeContrast)
	st.contrast = min(st.contrast*afterContrast, maxSentence)
	st.contrastAtStart = st.contrastAtStart || st.words == 1
	st.negTTL, st.local, st.localTTL = 0, 1, 0
	st.hedge, st.phase, st.other = 1, 1, 1
	st.gapClean = false
}

func (st *sentenceState) concessiveAt() {
	if len(st.hits) > 0 {
		st.reweight(mainClauseW)
		st.concInitial = false
	} else {
		st.concInitial = true
	}
	st.concOpen, st.concessive = true, concessiveW
	st.negTTL, st.local, st.localTTL = 0, 1, 0
	st.gapClean = false
}

// reweight multiplies the weight of every emotion word so far in the sentence by f.
func (st *sentenceState) reweight(f float64) {
	if len(st.hits) == 0 {
		return
	}
	if st.retros++; st.retros > maxRetro {
		return
	}
	for i := range st.hits {
		st.hits[i].w *= f
	}
}

// postNegate negates the last emotion word when only verbs and adverbs stand between it and
// a negator after it: "anger is not present", "his smile disappears".
func (st *sentenceState) postNegate(f cueFlags) bool {
	if st.last < 0 || !st.gapAuxOnly || st.gapUnits > postNegGap {
		return false
	}
	if f&fPostNeg == 0 && st.gapAux == 0 {
		return false
	}
	st.hits[st.last].negated = true
	return true
}

func (st *sentenceState) noteGap(f cueFlags) {
	st.gapUnits++
	if f&(fGap|fConnector|fPrep|fLocal|fHedge|fAnd) == 0 {
		st.gapClean = false
	}
	if f&fConnector != 0 {
		st.gapJoin = true
	}
	if f&fPrep != 0 {
		st.gapPrep = true
	}
	if f&fAux != 0 {
		st.gapAux++
	}
	if f&(fAux|fLocal|fHedge) == 0 {
		st.gapAuxOnly = false
	}
}

// addHit records an emotion word (entry -1: neutral evidence from a negated generic word).
func (st *sentenceState) addHit(entryID int32) {
	lx := st.lx
	var e *entry
	primary := lx.neutral
	if entryID >= 0 {
		e = &lx.entries[entryID]
		primary = e.primary
	}
	negated := false
	if st.negTTL > 0 {
		negated = entryID >= 0
		st.negTTL = 0
	}
	w := 1.0
	if st.localTTL > 0 {
		w *= st.local
	}
	st.local, st.localTTL = 1, 0
	w *= st.hedge * st.phase * st.other * st.concessive * st.main * st.contrast * st.others
	if st.voiding {
		w, st.voided = 0, true
	}
	chain := int32(len(st.hits))
	if st.last >= 0 && st.gapClean && st.gapUnits > 0 {
		prev := &st.hits[st.last]
		var pe *entry
		if prev.entry >= 0 {
			pe = &lx.entries[prev.entry]
		}
		switch {
		case st.gapPrep && pe != nil && pe.qualifiable && e != nil && e.primary != pe.primary &&
			e.weightOn(pe.primary) < 0.2:
			prev.w *= qualified // "shouting with excitement"
		case st.gapJoin:
			chain = prev.chain
			head := &st.hits[chain]
			if head.negated && entryID >= 0 {
				negated = true
			}
			if !negated && head.primary != primary {
				w *= joinedLater
			}
		}
	}
	if st.last >= 0 && st.gapUnits == 0 && e != nil && e.qualifiable {
		if prev := &st.hits[st.last]; prev.entry >= 0 {
			pe := &lx.entries[prev.entry]
			if pe.primary != e.primary && pe.weightOn(e.primary) < 0.2 {
				w *= qualified // "nervous laugh"
			}
		}
	}
	st.hits = append(st.hits, hit{entry: entryID, w: w, negated: negated, chain: chain, primary: primary})
	st.last = len(st.hits) - 1
	st.gapUnits, st.gapAux = 0, 0
	st.gapClean, st.gapJoin, st.gapPrep, st.gapAuxOnly = true, false, false, true
}
