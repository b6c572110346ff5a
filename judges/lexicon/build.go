package lexicon

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// alphabet is the trie's: a–z and the apostrophe; alphaIndex maps a byte to its slot, or 0xff.
const alphabet = 27

var alphaIndex = func() (t [256]uint8) {
	for i := range t {
		t[i] = 0xff
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = uint8(c - 'a')
	}
	t['\''] = 26
	return t
}()

// trieNode is one node of the byte trie over token patterns. Children are uint16 indexes (0 =
// none; the root is never a child), which keeps a node in one cache line.
type trieNode struct {
	next  [alphabet]uint16
	exact int32 // pattern id of the word ending here, or -1
	stem  int32 // pattern id of the prefix pattern ending here, or -1
}

// gapElem in a phrase skips up to maxGap words.
const (
	gapElem = -2
	maxGap  = 2
)

type phrase struct {
	elems []int32 // pattern ids, or gapElem
	entry int32   // emotion entry, or -1
	cue   int32   // cue, or -1
}

type labelWeight struct {
	label int
	w     float64
}

// entry is an emotion term compiled to the label set.
type entry struct {
	weights     []labelWeight // by label; concepts no label stands for are left out
	strength    float64       // the sum of the concept weights
	primary     int           // the label with the largest weight (the first on ties), or -1
	neutral     float64       // the weight on the neutral label
	qualifiable bool
}

func (e *entry) weightOn(label int) float64 {
	for _, lw := range e.weights {
		if lw.label == label {
			return lw.w
		}
	}
	return 0
}

type cue struct {
	flags cueFlags
	mult  float64
	tier  uint8
}

// lexicon is the compiled, read-only lexicon of one Judge.
type lexicon struct {
	labels  []string
	neutral int // the label that stands for neutral, or -1
	trie    ctrie
	// Per pattern id: the single-word meaning (entry or cue, -1 if none) and the phrases it
	// starts (cands[candOff[id]:candOff[id+1]]).
	patEntry  []int32
	patCue    []int32
	candOff   []int32
	cands     []candidate
	candMask  []phraseMask
	patStarts []bool // the pattern begins a phrase
	// wordTok holds, for the pattern id of each exact word, the token the word reads as;
	// pairTok, for each of trie.pairs, the token of a word that matches those prefixes only.
	wordTok []token
	pairTok []token
	phrases []phrase
	entries []entry
	cues    []cue
	// akin[a*n+b]: labels a and b name shades of one feeling (akinLabels); cues for two labels
	// that are not close conflict.
	akin []bool

	// Build state, dropped by freeze.
	nodes       []trieNode
	patPhrases  [][]int32
	patternByID map[string]int32
}

// compile builds the lexicon for a label set. The tables are the package's own, so an error
// here is a bug in them; tests build every built-in label set.
func compile(labels *datasets.LabelSet) (*lexicon, error) {
	lx, err := build(labels)
	if err != nil {
		return nil, err
	}
	lx.freeze()
	return lx, nil
}

// build parses the tables into the build trie and phrase lists.
func build(labels *datasets.LabelSet) (*lexicon, error) {
	lx := &lexicon{
		labels:      append([]string(nil), labels.Labels...),
		nodes:       []trieNode{newNode()},
		patternByID: map[string]int32{},
	}
	conceptLabel := mapConcepts(labels)
	lx.neutral = conceptLabel[neutral]
	lx.akin = akinLabels(labels)
	for _, row := range emotionTerms {
		e, err := parseWeights(row.weights, conceptLabel)
		if err != nil {
			return nil, err
		}
		id := int32(len(lx.entries))
		lx.entries = append(lx.entries, e)
		if err := lx.addTerms(row.terms, id, -1); err != nil {
			return nil, err
		}
	}
	for _, row := range cueRows {
		id := int32(len(lx.cues))
		lx.cues = append(lx.cues, cue{flags: row.flags, mult: row.mult, tier: row.tier})
		if err := lx.addTerms(row.terms, -1, id); err != nil {
			return nil, err
		}
	}
	if err := lx.addLabelWords(labels, conceptLabel); err != nil {
		return nil, err
	}
	return lx, nil
}

// freeze lays the lexicon out for lookups and drops the build state.
func (lx *lexicon) freeze() {
	lx.trie = freezeTrie(lx.nodes)
	lx.trie.index(lx.patternByID)
	lx.freezePhrases()
	lx.wordTok = make([]token, len(lx.trie.words))
	for id, w := range lx.trie.words {
		if w != "" {
			lx.wordTok[id] = lx.tokenOf(lx.trie.exact[id])
		}
	}
	lx.pairTok = make([]token, len(lx.trie.pairs))
	for i, p := range lx.trie.pairs {
		lx.pairTok[i] = lx.tokenOf([3]int32{p[0], p[1], -1})
	}
	lx.nodes, lx.patPhrases, lx.patternByID = nil, nil, nil
}

// tokenOf makes the word token of a lookup result.
func (lx *lexicon) tokenOf(ids [3]int32) token {
	t := token{ids: ids, entry: -1, cue: -1, kind: tokWord, bits: idBits(ids)}
	for _, id := range ids {
		if id < 0 {
			break
		}
		t.starts = t.starts || lx.patStarts[id]
		t.second |= lx.candMask[id].second
		t.third |= lx.candMask[id].third
		if t.entry < 0 && t.cue < 0 {
			t.entry, t.cue = lx.patEntry[id], lx.patCue[id]
		}
	}
	return t
}

func newNode() trieNode { return trieNode{exact: -1, stem: -1} }

// parseWeights reads "ang .7 dsp .3 !q" into an entry over the label set.
func parseWeights(spec string, conceptLabel [numConcepts]int) (entry, error) {
	e := entry{primary: -1}
	f := strings.Fields(spec)
	var conceptW [numConcepts]float64
	for i := 0; i < len(f); i++ {
		if f[i] == flagQualifiable {
			e.qualifiable = true
			continue
		}
		c := -1
		for j, code := range conceptCodes {
			if code == f[i] {
				c = j
			}
		}
		if c < 0 || i+1 >= len(f) {
			return e, fmt.Errorf("lexicon: weights %q: bad concept %q", spec, f[i])
		}
		w, err := strconv.ParseFloat(f[i+1], 64)
		if err != nil || w <= 0 || w > 1 {
			return e, fmt.Errorf("lexicon: weights %q: bad weight %q", spec, f[i+1])
		}
		conceptW[c] += w
		i++
	}
	byLabel := map[int]float64{}
	for c, w := range conceptW {
		e.strength += w
		if l := conceptLabel[c]; l >= 0 && w > 0 {
			byLabel[l] += w
		}
	}
	if e.strength == 0 {
		return e, fmt.Errorf("lexicon: weights %q: no concept", spec)
	}
	e.weights = sortedWeights(byLabel)
	e.finish(conceptLabel[neutral])
	return e, nil
}

func sortedWeights(byLabel map[int]float64) []labelWeight {
	out := make([]labelWeight, 0, len(byLabel))
	for l, w := range byLabel {
		out = append(out, labelWeight{l, w})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].label < out[j].label })
	return out
}

func (e *entry) finish(neutralLabel int) {
	best := 0.0
	e.primary, e.neutral = -1, 0
	for _, lw := range e.weights {
		if lw.w > best {
			best, e.primary = lw.w, lw.label
		}
		if lw.label == neutralLabel {
			e.neutral = lw.w
		}
	}
}

// addTerms adds comma-separated terms with one meaning: an emotion entry or a cue.
func (lx *lexicon) addTerms(terms string, entryID, cueID int32) error {
	for _, term := range strings.Split(terms, ",") {
		words := strings.Fields(term)
		if len(words) == 0 {
			return fmt.Errorf("lexicon: empty term in %q", terms)
		}
		elems := make([]int32, len(words))
		for i, w := range words {
			if w == "_" {
				if i == 0 || i == len(words)-1 {
					return fmt.Errorf("lexicon: term %q: a gap must be inside a phrase", term)
				}
				elems[i] = gapElem
				continue
			}
			id, err := lx.pattern(w)
			if err != nil {
				return fmt.Errorf("lexicon: term %q: %w", term, err)
			}
			elems[i] = id
		}
		if len(elems) == 1 {
			id := elems[0]
			if lx.patEntry[id] >= 0 || lx.patCue[id] >= 0 {
				return fmt.Errorf("lexicon: term %q is listed twice", term)
			}
			lx.patEntry[id], lx.patCue[id] = entryID, cueID
			continue
		}
		for _, pid := range lx.patPhrases[elems[0]] {
			if equalElems(lx.phrases[pid].elems, elems) {
				return fmt.Errorf("lexicon: phrase %q is listed twice", term)
			}
		}
		pid := int32(len(lx.phrases))
		lx.phrases = append(lx.phrases, phrase{elems: elems, entry: entryID, cue: cueID})
		lx.patPhrases[elems[0]] = append(lx.patPhrases[elems[0]], pid)
	}
	return nil
}

func equalElems(a, b []int32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// pattern returns the id of a token pattern ("word" or "prefix*"), adding it to the trie.
func (lx *lexicon) pattern(p string) (int32, error) {
	if id, ok := lx.patternByID[p]; ok {
		return id, nil
	}
	word, stem := strings.CutSuffix(p, "*")
	if word == "" || word == "cannot" || strings.HasSuffix(word, "n't") {
		return 0, fmt.Errorf("pattern %q cannot match a token (write \"can not\", \"does not\")", p)
	}
	n := 0
	for i := 0; i < len(word); i++ {
		c := alphaIndex[word[i]]
		if c == 0xff {
			return 0, fmt.Errorf("pattern %q: byte %q is not in a–z or '", p, word[i])
		}
		next := int(lx.nodes[n].next[c])
		if next == 0 {
			next = len(lx.nodes)
			if next > 0xffff {
				return 0, fmt.Errorf("pattern %q: trie is full", p)
			}
			lx.nodes = append(lx.nodes, newNode())
			lx.nodes[n].next[c] = uint16(next)
		}
		n = next
	}
	id := int32(len(lx.patEntry))
	if stem {
		lx.nodes[n].stem = id
	} else {
		lx.nodes[n].exact = id
	}
	lx.patternByID[p] = id
	lx.patEntry = append(lx.patEntry, -1)
	lx.patCue = append(lx.patCue, -1)
	lx.patPhrases = append(lx.patPhrases, nil)
	return id, nil
}

// addLabelWords makes a label that stands for no concept recognisable by its own name and its
// synonyms: each becomes a term with full weight on that label, replacing any meaning the
// lexicon gave the same words.
func (lx *lexicon) addLabelWords(labels *datasets.LabelSet, conceptLabel [numConcepts]int) error {
	claimed := map[int]bool{}
	for _, l := range conceptLabel {
		claimed[l] = true
	}
	words := map[int][]string{}
	for i, l := range labels.Labels {
		if !claimed[i] {
			words[i] = append(words[i], l)
		}
	}
	syn := make([]string, 0, len(labels.Synonyms))
	for w := range labels.Synonyms {
		syn = append(syn, w)
	}
	sort.Strings(syn)
	for _, w := range syn {
		if i := labels.Index(labels.Synonyms[w]); i >= 0 && !claimed[i] {
			words[i] = append(words[i], w)
		}
	}
	for i := range labels.Labels {
		for _, w := range words[i] {
			toks := wordsOf(w)
			if len(toks) == 0 {
				continue
			}
			e := entry{weights: []labelWeight{{i, 1}}, strength: 1}
			e.finish(lx.neutral)
			id := int32(len(lx.entries))
			lx.entries = append(lx.entries, e)
			if err := lx.setTerm(toks, id); err != nil {
				return fmt.Errorf("label %q: %w", labels.Labels[i], err)
			}
		}
	}
	return nil
}

// setTerm adds or replaces the emotion meaning of a term given as tokens.
func (lx *lexicon) setTerm(toks []string, entryID int32) error {
	elems := make([]int32, len(toks))
	for i, t := range toks {
		id, err := lx.pattern(t)
		if err != nil {
			return err
		}
		elems[i] = id
	}
	if len(elems) == 1 {
		lx.patEntry[elems[0]], lx.patCue[elems[0]] = entryID, -1
		return nil
	}
	for _, pid := range lx.patPhrases[elems[0]] {
		if equalElems(lx.phrases[pid].elems, elems) {
			lx.phrases[pid].entry, lx.phrases[pid].cue = entryID, -1
			return nil
		}
	}
	pid := int32(len(lx.phrases))
	lx.phrases = append(lx.phrases, phrase{elems: elems, entry: entryID, cue: -1})
	lx.patPhrases[elems[0]] = append(lx.patPhrases[elems[0]], pid)
	return nil
}

// wordsOf splits a label or synonym into the tokens the scanner would produce for it. Words
// with letters outside a–z are left out: the lexicon cannot match them.
func wordsOf(s string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r == '\'' || r >= 0x80)
	}) {
		ascii := true
		for i := 0; i < len(f); i++ {
			ascii = ascii && alphaIndex[f[i]] != 0xff
		}
		if !ascii {
			continue
		}
		first, second := splitWord([]byte(f))
		if len(first) > 0 {
			out = append(out, string(first))
		}
		if second != nil {
			out = append(out, string(second))
		}
	}
	return out
}
