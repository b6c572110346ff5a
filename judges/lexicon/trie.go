package lexicon

import (
	"math/bits"
	"sort"
	"strings"
)

// The compiled lexicon looks a word up in two ways. A word that is a pattern itself is found in
// a hash table, which gives its whole lookup result (its prefixes included), precomputed. The
// rest can match only prefix patterns, and most cannot match any (a bitset over hashes of their
// first three and four letters says so); those that can walk a compact trie to their deepest
// node, which names the prefixes on its path. Most nodes have one child, kept in the node
// itself; a node with more children has a dense row of them, so the trie stays small enough for
// the cache (the build trie's 64-byte nodes did not).

type cnode struct {
	exact int32 // pattern id of the word ending here, or -1
	stem  int32 // pattern id of the prefix ending here, or -1
	// child is the only child (slot single) or, when single is noSingle, the dense row of the
	// children (-1 for a leaf).
	child  int32
	single uint8
	// pair indexes ctrie.pairs: the two longest prefix patterns on the path to this node
	pair uint16
}

// noSingle differs from every alphaIndex value, 0xff (not a letter) included.
const noSingle = 0xfe

type ctrie struct {
	nodes []cnode
	rows  [][alphabet]uint16
	// stems has a hashed bit (stemBit) for each three-letter prefix pattern and for the first
	// four letters of each longer one; a word whose first three and four letters have no bit set
	// can only match exactly.
	stems  []uint64
	always bool // a prefix pattern shorter than three letters: always walk
	slots  []slot
	words  []string   // pattern id → the exact word ("" for prefixes)
	exact  [][3]int32 // pattern id → the lookup result of its exact word
	// pairs lists the distinct pairs of the longest and second longest prefix patterns on a
	// path from the root (-1: none), [-1 -1] first: what a word that is not a pattern matches.
	pairs [][2]int32
}

// slot is an open-addressing hash table slot of an exact word: its key (wordKey, for words of
// up to 8 bytes; 0 for longer ones), its hash and its pattern id (-1: empty).
type slot struct {
	key  uint64
	hash uint32
	id   int32
}

// stemLog is the log2 of the number of bits in ctrie.stems: with a few hundred prefix patterns,
// a word is walked needlessly about 3% of the time.
const stemLog = 14

// stemBit hashes the key of a word's first three or four letters (wordKey) to a bit of stems.
func stemBit(k uint64) uint64 { return (k * 0x9e3779b97f4a7c15) >> (64 - stemLog) }

// wordKey packs a word of up to 8 bytes into a uint64, its first byte lowest. No word contains a
// zero byte, so the key of a short word identifies it; the scanner loads it with one read.
func wordKey[S string | []byte](w S) uint64 {
	var k uint64
	for i := min(len(w), 8) - 1; i >= 0; i-- {
		k = k<<8 | uint64(w[i])
	}
	return k
}

// hashKey is the hash of a word of n bytes whose first (up to) 8 bytes have key first and whose
// last 8 bytes have key last (unused when n <= 8).
func hashKey(first, last uint64, n int) uint32 {
	x := first
	if n > 8 {
		x ^= bits.RotateLeft64(last, 29) ^ uint64(n)
	}
	return uint32((x * 0x9e3779b97f4a7c15) >> 32)
}

// hashWord is hashKey of a whole word.
func hashWord[S string | []byte](w S) uint32 {
	if len(w) <= 8 {
		return hashKey(wordKey(w), 0, len(w))
	}
	return hashKey(wordKey(w[:8]), wordKey(w[len(w)-8:]), len(w))
}

// index builds stems and the exact-word table from the patterns (pattern text → id); the trie
// must be frozen.
func (t *ctrie) index(patterns map[string]int32) {
	t.stems = make([]uint64, (1<<stemLog)/64)
	t.words = make([]string, len(patterns))
	t.exact = make([][3]int32, len(patterns))
	exactWords := 0
	for p := range patterns {
		if !strings.HasSuffix(p, "*") {
			exactWords++
		}
	}
	size := 64
	for size < 2*exactWords {
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
			b := stemBit(wordKey(word[:min(len(word), 4)]))
			t.stems[b>>6] |= 1 << (b & 63)
			continue
		}
		t.words[id] = word
		p := t.pairs[t.nodes[deepest(t, word)].pair] // the word's own node: its prefixes
		t.exact[id] = [3]int32{id, p[0], p[1]}
		h := hashWord(word)
		sl := slot{hash: h, id: id}
		if len(word) <= 8 {
			sl.key = wordKey(word)
		}
		i := int(h) & (size - 1)
		for t.slots[i].id >= 0 {
			i = (i + 1) & (size - 1)
		}
		t.slots[i] = sl
	}
}

// lookup returns the patterns a lower-case word with hash h (hashWord) matches: the exact word
// first, then the two longest prefixes, longest first; -1 pads.
func lookup[S string | []byte](t *ctrie, w S, h uint32) [3]int32 {
	if id := exactWord(t, w, h); id >= 0 {
		return t.exact[id]
	}
	return prefixes(t, w, wordKey(w))
}

// prefixes is lookup for a word that is not a pattern itself (key: wordKey(w)): the two longest
// prefix patterns.
func prefixes[S string | []byte](t *ctrie, w S, key uint64) [3]int32 {
	p := t.pairs[prefixPair(t, w, key)]
	return [3]int32{p[0], p[1], -1}
}

// prefixPair returns the index in t.pairs of the prefix patterns of a word that is not a pattern
// itself (key: wordKey(w)).
func prefixPair[S string | []byte](t *ctrie, w S, key uint64) uint16 {
	if !t.always && !t.mayHavePrefix(key, len(w)) {
		return 0
	}
	return t.nodes[deepest(t, w)].pair
}

// deepest returns the deepest node on w's path through the trie.
func deepest[S string | []byte](t *ctrie, w S) int32 {
	nodes, rows := t.nodes, t.rows
	n := int32(0)
	for i := 0; i < len(w); i++ {
		c := alphaIndex[w[i]]
		nd := &nodes[n]
		switch {
		case c == nd.single:
			n = nd.child
		case nd.single == noSingle && nd.child >= 0 && c < alphabet:
			next := int32(rows[nd.child][c])
			if next == 0 {
				return n
			}
			n = next
		default:
			return n
		}
	}
	return n
}

// mayHavePrefix reports whether a word of n bytes whose wordKey is key can match a prefix
// pattern of three letters or more; false is certain, true needs a walk.
func (t *ctrie) mayHavePrefix(key uint64, n int) bool {
	if n < 3 {
		return false
	}
	b := stemBit(key & 0xffffff)
	if t.stems[b>>6]&(1<<(b&63)) != 0 {
		return true
	}
	if n == 3 {
		return false
	}
	b = stemBit(key & 0xffffffff)
	return t.stems[b>>6]&(1<<(b&63)) != 0
}

// exactWord returns the pattern id of the exact word w with hash h, or -1.
func exactWord[S string | []byte](t *ctrie, w S, h uint32) int32 {
	if len(w) == 0 {
		return -1
	}
	if len(w) <= 8 {
		return exactKey(t, wordKey(w), h)
	}
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.id < 0 {
			return -1
		}
		if sl.hash == h && sl.key == 0 && t.words[sl.id] == string(w) {
			return sl.id
		}
	}
}

// exactKey returns the pattern id of the exact word of up to 8 bytes with key k and hash h, or
// -1. The key identifies the word, so only the probe sequence needs the hash.
func exactKey(t *ctrie, k uint64, h uint32) int32 {
	mask := len(t.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		sl := &t.slots[i]
		if sl.key == k {
			return sl.id
		}
		if sl.id < 0 {
			return -1
		}
	}
}

// freezeTrie converts the build trie; node indexes are kept, so 0 stays the root.
func freezeTrie(nodes []trieNode) ctrie {
	t := ctrie{nodes: make([]cnode, len(nodes))}
	// A child comes after its parent in nodes, so one pass gives every node its pair.
	pairs := make([][2]int32, len(nodes))
	pairs[0] = [2]int32{-1, -1}
	index := map[[2]int32]uint16{}
	for i := range nodes {
		for _, next := range nodes[i].next {
			if next != 0 {
				pairs[next] = pairs[i]
				if s := nodes[next].stem; s >= 0 {
					pairs[next] = [2]int32{s, pairs[i][0]}
				}
			}
		}
	}
	for i := range nodes {
		nd := &nodes[i]
		p, ok := index[pairs[i]]
		if !ok {
			p = uint16(len(t.pairs))
			index[pairs[i]] = p
			t.pairs = append(t.pairs, pairs[i])
		}
		cn := cnode{exact: nd.exact, stem: nd.stem, child: -1, single: noSingle, pair: p}
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

// candidate is a phrase that starts with a given pattern, with its second element kept inline
// so that candidates are found by the next word without touching the phrases.
type candidate struct {
	second int32 // pattern id, or gapElem
	third  int32 // after a gap: the element after it, checked before the phrase is matched
	phrase int32
	pair   bool // the phrase is its first two elements: found once the second matches
}

// freezePhrases lays the phrases out by first pattern: the candidates of pattern p are
// cands[candOff[p]:candOff[p+1]], sorted by second element (gaps first), then by phrase.
func (lx *lexicon) freezePhrases() {
	lx.candOff = make([]int32, len(lx.patPhrases)+1)
	lx.cands = lx.cands[:0]
	for p, list := range lx.patPhrases {
		lx.candOff[p] = int32(len(lx.cands))
		for _, pid := range list {
			elems := lx.phrases[pid].elems
			c := candidate{second: elems[1], third: -1, phrase: pid, pair: len(elems) == 2}
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
