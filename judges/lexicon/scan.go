package lexicon

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokKind uint8

const (
	tokWord   tokKind = iota
	tokClause         // a clause boundary: , ; : ( ) – — …
)

// token is a word (the patterns it matches: the exact word first, then prefixes, longest first;
// -1 pads) or a clause boundary.
type token struct {
	ids  [3]int32
	bits uint64 // idBit of each id: a quick test whether a phrase can continue here
	kind tokKind
	// starts: some id begins a phrase whose next element the following words may match
	starts bool
}

func idBit(id int32) uint64 { return 1 << (uint32(id) & 63) }

func idBits(ids [3]int32) uint64 {
	if ids[0] < 0 {
		return 0
	}
	b := idBit(ids[0])
	if ids[1] >= 0 {
		b |= idBit(ids[1])
		if ids[2] >= 0 {
			b |= idBit(ids[2])
		}
	}
	return b
}

var noIDs = [3]int32{-1, -1, -1}

// sentence is a span of tokens and the bytes of the text they came from.
type sentence struct {
	tok0, tok1 int
	b0, b1     int
}

// Byte classes of the scanner.
const (
	clsSpace uint8 = iota
	clsSep         // punctuation that only separates words: quotes, * # = …
	clsWord        // ASCII letters and digits
	clsApos
	clsDot
	clsEnd // ! ?
	clsClause
	clsNewline
	clsSlash // "anger/frustration" reads as "anger or frustration"
	clsAmp
	clsLT
	clsGT
	clsHyphen
	clsHigh // a byte of a multi-byte UTF-8 sequence (or invalid)
)

var byteClass = func() (t [256]uint8) {
	for i := range t {
		t[i] = clsSep
	}
	for i := 0x80; i < 0x100; i++ {
		t[i] = clsHigh
	}
	for _, c := range " \t\r\v\f" {
		t[c] = clsSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = clsWord, clsWord
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clsWord
	}
	for _, c := range ",;:()[]{}" {
		t[c] = clsClause
	}
	t['\''], t['.'], t['!'], t['?'], t['\n'] = clsApos, clsDot, clsEnd, clsEnd, clsNewline
	t['/'], t['&'], t['<'], t['>'], t['-'] = clsSlash, clsAmp, clsLT, clsGT, clsHyphen
	return t
}()

// abbreviations end with a dot that does not end a sentence.
var abbreviations = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "vs": true,
	"prof": true, "jr": true, "sr": true, "approx": true}

// negContractions are contractions written without an apostrophe, split like "doesn't".
var negContractions = func() map[string][]byte {
	m := map[string][]byte{}
	for w, base := range map[string]string{"dont": "do", "doesnt": "does", "didnt": "did", "isnt": "is",
		"wasnt": "was", "arent": "are", "werent": "were", "cant": "can", "couldnt": "could", "wouldnt": "would",
		"shouldnt": "should", "wont": "will", "hasnt": "has", "havent": "have", "hadnt": "had", "aint": "is",
		"mustnt": "must", "neednt": "need"} {
		m[w] = []byte(base)
	}
	return m
}()

var (
	wordNot   = []byte("not")
	wordCan   = []byte("can")
	wordWill  = []byte("will")
	wordIs    = []byte("is")
	wordShall = []byte("shall")
	wordOr    = []byte("or")
	wordAnd   = []byte("and")
)

// splitWord normalises a lower-case word: it drops a possessive "'s", and splits a negative
// contraction into its verb and "not" (second result; nil otherwise).
func splitWord(w []byte) (first, second []byte) {
	if n := len(w); n >= 2 && w[n-2] == '\'' && w[n-1] == 's' {
		w = w[:n-2]
	} else if n >= 1 && w[n-1] == '\'' {
		w = w[:n-1]
	}
	n := len(w)
	switch {
	case n >= 4 && w[n-3] == 'n' && w[n-2] == '\'' && w[n-1] == 't':
		base := w[:n-3]
		switch string(base) {
		case "ca":
			base = wordCan
		case "wo":
			return wordWill, wordNot
		case "ai":
			return wordIs, wordNot
		case "sha":
			return wordShall, wordNot
		}
		return base, wordNot
	case string(w) == "cannot":
		return wordCan, wordNot
	case n >= 4 && w[n-2] == 'n' && w[n-1] == 't':
		if base, ok := negContractions[string(w)]; ok {
			return base, wordNot
		}
	}
	return w, nil
}

// scan splits text into tokens and sentences in one pass over its bytes. Sentences end at
// . ! ? and their full-width forms, at a newline, and at a markup tag such as <think>; a dot
// inside a number, after a single letter (e.g.) or after a title (Dr.) does not end one.
func (lx *lexicon) scan(text string, sc *scratch) {
	sc.toks, sc.sents, sc.word = sc.toks[:0], sc.sents[:0], sc.word[:0]
	s := &scanState{lx: lx, sc: sc, start: -1}
	n := len(text)
	for i := 0; i < n; {
		b := text[i]
		cls := byteClass[b]
		if cls == clsSpace {
			s.flush()
			i++
			continue
		}
		if s.start < 0 && cls != clsNewline && cls != clsEnd && cls != clsDot {
			s.start = i
		}
		switch cls {
		case clsWord:
			if len(sc.word) == 0 {
				if j, ok := s.plainWord(text, i); ok {
					i = j
					continue
				}
			}
			i = s.readWord(text, i)
		case clsApos:
			if len(sc.word) > 0 && i+1 < n && byteClass[text[i+1]] == clsWord {
				sc.word = append(sc.word, '\'')
				s.apos = true
			} else {
				s.flush()
			}
			i++
		case clsDot:
			if len(sc.word) > 0 && isDigit(text[i-1]) && i+1 < n && isDigit(text[i+1]) {
				sc.word = append(sc.word, '.')
				i++
				continue
			}
			abbrev := len(sc.word) == 1 || abbreviations[string(sc.word)]
			s.flush()
			j := i
			for j < n && text[j] == '.' {
				j++
			}
			switch {
			case j-i >= 2:
				s.clause()
			case !abbrev:
				j = skipClosers(text, j)
				s.end(text, j)
			}
			i = j
		case clsEnd:
			j := i
			for j < n && (text[j] == '!' || text[j] == '?' || text[j] == '.') {
				j++
			}
			j = skipClosers(text, j)
			s.end(text, j)
			i = j
		case clsClause:
			s.clause()
			i++
		case clsNewline:
			s.end(text, i)
			i++
		case clsSlash:
			s.flush()
			s.emit(wordOr)
			i++
		case clsAmp:
			s.flush()
			s.emit(wordAnd)
			i++
		case clsLT:
			if j := tagEnd(text, i); j > 0 {
				s.end(text, i)
				i = j
				continue
			}
			s.flush()
			i++
		case clsGT:
			if i > 0 && (text[i-1] == '-' || text[i-1] == '=') {
				s.clause() // "->", "=>"
			} else {
				s.flush()
			}
			i++
		case clsHyphen:
			if i+1 < n && text[i+1] == '-' || i > 0 && i+1 < n && text[i-1] == ' ' && text[i+1] == ' ' {
				s.clause()
			} else {
				s.flush()
			}
			i++
		case clsHigh:
			i += s.high(text, i)
		default:
			s.flush()
			i++
		}
	}
	s.end(text, n)
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// skipClosers returns the index after closing quotes and brackets at j, which belong to the
// sentence that just ended: "… my birthday!' Although …".
func skipClosers(text string, j int) int {
	for j < len(text) {
		switch {
		case text[j] == '"' || text[j] == '\'' || text[j] == ')' || text[j] == ']':
			j++
		case strings.HasPrefix(text[j:], "\u2019") || strings.HasPrefix(text[j:], "\u201d"):
			j += 3
		case strings.HasPrefix(text[j:], "\u00bb"):
			j += 2
		default:
			return j
		}
	}
	return j
}

// tagEnd returns the index after a markup tag starting at i (<think>, </answer>, <|im_end|>), or 0.
func tagEnd(text string, i int) int {
	for j := i + 1; j < len(text) && j <= i+32; j++ {
		c := text[j]
		switch {
		case c == '>':
			if j > i+1 {
				return j + 1
			}
			return 0
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_', c == '/', c == '|':
		default:
			return 0
		}
	}
	return 0
}

type scanState struct {
	lx    *lexicon
	sc    *scratch
	tok0  int // first token of the current sentence
	start int // first byte of the current sentence, or -1
	words bool
	apos  bool // the pending word has an apostrophe
}

// lower maps ASCII upper case to lower case and every other byte to itself.
var lower = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c + 'a' - 'A')
	}
	return t
}()

// readWord appends the run of ASCII letters and digits at i, lower-cased, to the pending word
// and returns the index after it. Apostrophes inside a word and the end of the word are the
// main loop's: it ends the word at the next separator.
func (s *scanState) readWord(text string, i int) int {
	w := s.sc.word
	for ; i < len(text); i++ {
		c := text[i]
		if byteClass[c] != clsWord {
			break
		}
		w = append(w, lower[c])
	}
	s.sc.word = w
	return i
}

// plainWord handles the common word: lower-case ASCII letters or digits ended by a space or
// punctuation that cannot continue it, needing no normalisation. It looks the word up in
// place and returns the index after it; ok is false when the word needs readWord.
func (s *scanState) plainWord(text string, i int) (int, bool) {
	j := i
	h := uint32(hashSeed)
	for ; j < len(text); j++ {
		c := text[j]
		if !plainByte[c] {
			break
		}
		h = (h ^ uint32(c)) * hashPrime
	}
	if j == i || j < len(text) && byteClass[text[j]] != clsSpace && !plainEnd[text[j]] {
		return i, false
	}
	w := text[i:j]
	if n := len(w); n >= 4 && w[n-1] == 't' && w[n-2] == 'n' || w == "cannot" {
		return i, false
	}
	s.add(lookup(&s.lx.trie, w, h))
	return j, true
}

// plainByte: lower-case letters and digits; plainEnd: punctuation after which a word is
// complete (not an apostrophe, a dot or a multi-byte character, which may continue it).
var plainByte, plainEnd = func() (w, e [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		w[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		w[c] = true
	}
	for _, c := range ",;:!?()[]{}\"/&<>-\n" {
		e[c] = true
	}
	return w, e
}()

// flush ends the pending word.
func (s *scanState) flush() {
	w := s.sc.word
	if len(w) == 0 {
		return
	}
	s.sc.word = w[:0]
	n := len(w)
	if !s.apos && !(n >= 4 && w[n-1] == 't' && w[n-2] == 'n') && !(n == 6 && string(w) == "cannot") {
		s.emit(w)
		return
	}
	s.apos = false
	first, second := splitWord(w)
	if len(first) > 0 {
		s.emit(first)
	}
	if second != nil {
		s.emit(second)
	}
}

func (s *scanState) emit(w []byte) { s.add(lookup(&s.lx.trie, w, hashWord(w))) }

func (s *scanState) add(ids [3]int32) {
	s.words = true
	if ids[0] < 0 {
		s.sc.toks = append(s.sc.toks, token{ids: noIDs, kind: tokWord})
		return
	}
	st := s.lx.patStarts
	s.sc.toks = append(s.sc.toks, token{ids: ids, bits: idBits(ids), kind: tokWord,
		starts: st[ids[0]] || ids[1] >= 0 && (st[ids[1]] || ids[2] >= 0 && st[ids[2]])})
}

func (s *scanState) clause() {
	s.flush()
	if t := s.sc.toks; len(t) > s.tok0 && t[len(t)-1].kind == tokClause {
		return
	}
	s.sc.toks = append(s.sc.toks, token{ids: noIDs, kind: tokClause})
}

// end closes the current sentence at byte end (exclusive); a sentence without words is dropped.
func (s *scanState) end(text string, end int) {
	s.flush()
	if s.words && s.start >= 0 {
		for end > s.start && isSpace(text[end-1]) {
			end--
		}
		s.sc.sents = append(s.sc.sents, sentence{tok0: s.tok0, tok1: len(s.sc.toks), b0: s.start, b1: end})
		s.tok0 = len(s.sc.toks)
	} else {
		s.sc.toks = s.sc.toks[:s.tok0]
	}
	s.start, s.words = -1, false
}

func isSpace(b byte) bool { return byteClass[b] == clsSpace || b == '\n' }

// high handles a non-ASCII character and returns its length in bytes.
func (s *scanState) high(text string, i int) int {
	r, size := utf8.DecodeRuneInString(text[i:])
	switch {
	case r == utf8.RuneError:
		s.flush()
	case r == '\u2019' || r == '\u2018' || r == '\u02bc':
		if len(s.sc.word) > 0 && i+size < len(text) && byteClass[text[i+size]] == clsWord {
			s.sc.word = append(s.sc.word, '\'')
			s.apos = true
		} else {
			s.flush()
		}
	case r == '。' || r == '！' || r == '？':
		j := skipClosers(text, i+size)
		s.end(text, j)
		return j - i
	case r == '，' || r == '；' || r == '：' || r == '、' || r == '—' || r == '–' || r == '…' ||
		r == '→' || r == '⇒' || r == '（' || r == '）':
		s.clause()
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
		s.sc.word = append(s.sc.word, text[i:i+size]...)
	default:
		s.flush()
	}
	return size
}
