package lexicon

import (
	"sort"
	"strings"
)

// The compiled lexicon looks a word up in two ways. Most words can match no prefix pattern
// (bitsets over their first three and four letters say so) and are looked up whole in a hash
// table. The rest walk a compact trie: most nodes have one child, kept in the node itself; a
// node with more children has a dense row of them, so the trie stays small enough for the
// cache (the build trie's 64-byte nodes did not).

type cnode struct {
	exact int32 // pattern id of the word ending here, or -1
	stem  int32 // pattern id of the prefix ending here, or -1
	// child is the only child (slot single) or, when single is noSingle, the dense row of the
	// children (-1 for a leaf).
	child  int32
	single uint8
}

// noSingle differs from every alphaIndex value, 0xff (not a letter) included.
const noSingle = 0xfe

type ctrie struct {
	nodes []cnode
	rows  [][alphabet]uint16
	// stem3 has a bit for each three-letter prefix pattern, stem4 a hashed bit for the first
	// four letters of each longer one; a word with neither bit set can only match exactly.
	stem3  []uint64
	stem4  []uint64
	always bool // a prefix pattern shorter than three letters: always walk
	slots  []slot
	words  []string // pattern id → the exact word ("" for prefixes)
}

// slot is an open-addressing hash table slot: the hash of an exact word and its pattern id
// (-1: empty).
type slot struct {
	hash uint32
	id   int32
}

const (
	code3Size = alphabet * alphabet * alphabet
	stem4Bits = 1 << 14
)

// code4Bit hashes the first four letters of a word to a bit of stem4.
func code4Bit[S string | []byte](w S) uint32 {
	c := uint32(code3(w))*alphabet + uint32(alphaIndex[w[3]])
	return (c * 2654435761) >> (32 - 14)
}

// hashWord is 32-bit FNV-1a; plainWord computes it inline while it reads a word.
const (
	hashSeed  = 2166136261
	hashPrime = 16777619
)

func hashWord[S string | []byte](w S) uint32 {
	h := uint32(hashSeed)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint32(w[i])) * hashPrime
	}
	return h
}

// index builds stem3 and the exact-word table from the patterns (pattern text → id).
func (t *ctrie) index(patterns map[string]int32) {
	t.stem3 = make([]uint64, (code3Size+63)/64)
	t.stem4 = make([]uint64, stem4Bits/64)
	t.words = make([]string, len(patterns))
	size := 64
	for size < 4*len(patterns) {
		size *= 2
	}
	t.slots = make([]slot, size)
	for i := range t.slots {
		t.slots[i].id = -1
	}
	for p, id := range patterns {
		word, stem := strings.CutSuffix(p, "*")
		if stem {
			if len(word) < 3 {
				t.always = true
				continue
			}
			if len(word) == 3 {
				c := code3(word)
				t.stem3[c>>6] |= 1 << (c & 63)
			} else {
				b := code4Bit(word)
				t.stem4[b>>6] |= 1 << (b & 63)
			}
			continue
		}
		t.words[id] = word
		h := hashWord([]byte(word))
		i := int(h) & (size - 1)
		for t.slots[i].id >= 0 {
			i = (i + 1) & (size - 1)
		}
		t.slots[i] = slot{hash: h, id: id}
	}
}

// code3 numbers the first three letters of a word (all in the alphabet).
func code3[S string | []byte](w S) int {
	return int(alphaIndex[w[0]])*alphabet*alphabet + int(alphaIndex[w[1]])*alphabet + int(alphaIndex[w[2]])
}

// lookup returns the patterns a lower-case word with hash h (hashWord) matches: the exact word
// first, then the two longest prefixes, longest first; -1 pads.
func lookup[S string | []byte](t *ctrie, w S, h uint32) [3]int32 {
	if !t.always {
		if len(w) < 3 {
			return exact(t, w, h)
		}
		if alphaIndex[w[0]]|alphaIndex[w[1]]|alphaIndex[w[2]] == 0xff {
			return noIDs // no pattern has these bytes
		}
		if c := code3(w); t.stem3[c>>6]&(1<<(c&63)) == 0 {
			if len(w) == 3 || alphaIndex[w[3]] == 0xff {
				return exact(t, w, h)
			}
			if b := code4Bit(w); t.stem4[b>>6]&(1<<(b&63)) == 0 {
				return exact(t, w, h)
			}
		}
	}
	return walk(t, w)
}

func exact[S string | []byte](t *ctrie, w S, h uint32) [3]int32 {
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		sl := t.slots[i]
		if sl.id < 0 {
			return noIDs
		}
		if sl.hash == h && t.words[sl.id] == string(w) {
			return [3]int32{sl.id, -1, -1}
		}
	}
}

// freezeTrie converts the build trie; node indexes are kept, so 0 stays the root.
func freezeTrie(nodes []trieNode) ctrie {
	t := ctrie{nodes: make([]cnode, len(nodes))}
	for i := range nodes {
		nd := &nodes[i]
		cn := cnode{exact: nd.exact, stem: nd.stem, child: -1, single: noSingle}
		count, last := 0, 0
		for c, next := range nd.next {
			if next != 0 {
				count, last = count+1, c
			}
		}
		switch {
		case count == 1:
			cn.single, cn.child = uint8(last), int32(nd.next[last])
		case count > 1:
			cn.child = int32(len(t.rows))
			t.rows = append(t.rows, nd.next)
		}
		t.nodes[i] = cn
	}
	return t
}

// walk walks the trie once and returns the patterns a word matches.
func walk[S string | []byte](t *ctrie, w S) [3]int32 {
	nodes, rows := t.nodes, t.rows
	n := int32(0)
	long, short := int32(-1), int32(-1) // the longest two prefixes so far
	whole := true
	for i := 0; i < len(w); i++ {
		c := alphaIndex[w[i]]
		nd := &nodes[n]
		if c == nd.single {
			n = nd.child
		} else if nd.single == noSingle && nd.child >= 0 && c < alphabet {
			if n = int32(rows[nd.child][c]); n == 0 {
				whole = false
				break
			}
		} else {
			whole = false
			break
		}
		if s := nodes[n].stem; s >= 0 {
			long, short = s, long
		}
	}
	ids := noIDs
	k := 0
	if whole {
		if e := nodes[n].exact; e >= 0 {
			ids[0], k = e, 1
		}
	}
	if long >= 0 {
		ids[k] = long
		if short >= 0 {
			ids[k+1] = short
		}
	}
	return ids
}

// candidate is a phrase that starts with a given pattern, with its second element kept inline
// so that candidates are found by the next word without touching the phrases.
type candidate struct {
	second int32 // pattern id, or gapElem
	third  int32 // after a gap: the element after it, checked before the phrase is matched
	phrase int32
}

// freezePhrases lays the phrases out by first pattern: the candidates of pattern p are
// cands[candOff[p]:candOff[p+1]], sorted by second element (gaps first), then by phrase.
func (lx *lexicon) freezePhrases() {
	lx.candOff = make([]int32, len(lx.patPhrases)+1)
	lx.cands = lx.cands[:0]
	for p, list := range lx.patPhrases {
		lx.candOff[p] = int32(len(lx.cands))
		for _, pid := range list {
			c := candidate{second: lx.phrases[pid].elems[1], third: -1, phrase: pid}
			if c.second == gapElem {
				c.third = lx.phrases[pid].elems[2]
			}
			lx.cands = append(lx.cands, c)
		}
		c := lx.cands[lx.candOff[p]:]
		sort.Slice(c, func(i, j int) bool {
			if c[i].second != c[j].second {
				return c[i].second < c[j].second
			}
			return c[i].phrase < c[j].phrase
		})
	}
	lx.candOff[len(lx.patPhrases)] = int32(len(lx.cands))
	lx.candMask = make([]phraseMask, len(lx.patPhrases))
	lx.patStarts = make([]bool, len(lx.patPhrases))
	for p := range lx.patPhrases {
		lx.patStarts[p] = len(lx.patPhrases[p]) > 0
		m := &lx.candMask[p]
		for _, c := range lx.cands[lx.candOff[p]:lx.candOff[p+1]] {
			if c.second == gapElem {
				m.third |= idBit(c.third)
			} else {
				m.second |= idBit(c.second)
			}
		}
	}
}

// phraseMask holds, for a first pattern, the idBits of its phrases' second elements and of
// the elements after a leading gap: a word whose neighbours have none of these starts no phrase.
type phraseMask struct{ second, third uint64 }

// candidatesWith returns the run of cands whose second element is second.
func candidatesWith(cands []candidate, second int32) []candidate {
	lo, hi := 0, len(cands)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if cands[m].second < second {
			lo = m + 1
		} else {
			hi = m
		}
	}
	hi = lo
	for hi < len(cands) && cands[hi].second == second {
		hi++
	}
	return cands[lo:hi]
}
