package lexicon

import (
	"encoding/binary"
	"math/bits"
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
// -1 pads) with what it means on its own, or a clause boundary. A word's token depends only on
// the word, so an exact word's token is computed once, when the lexicon is built.
type token struct {
	ids [3]int32
	// entry and cue are the meaning of the first id that has one (-1: none).
	entry, cue int32
	kind       tokKind
	// starts: some id begins a phrase whose next element the following words may match
	starts bool
	// quoted: the word is inside quoted speech (The subtitle says "I hate you"): the
	// character's words, not the explanation's (scanState.openQuote). It sits beside kind and
	// starts, where the token has room, so that a token stays 48 bytes.
	quoted bool
	bits   uint64 // idBit of each id: a quick test whether a phrase can continue here
	// second and third: the candMask of every id, or-ed: a phrase can start here only if the
	// next word's bits meet second, or third is not 0 (a phrase with a gap)
	second, third uint64
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
	clsQuote // '"'
	clsHigh  // a byte of a multi-byte UTF-8 sequence (or invalid)
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
	t['/'], t['&'], t['<'], t['>'], t['-'], t['"'] = clsSlash, clsAmp, clsLT, clsGT, clsHyphen, clsQuote
	return t
}()

// isAbbreviation reports whether a lower-case word ends with a dot that does not end a sentence.
func isAbbreviation(w []byte) bool {
	switch string(w) {
	case "mr", "mrs", "ms", "dr", "st", "vs", "prof", "jr", "sr", "approx":
		return true
	}
	return false
}

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
	sc.invalidUTF8 = false
	s := &scanState{lx: lx, sc: sc, start: -1}
	n := len(text)
	for i := 0; i < n; {
		b := text[i]
		cls := byteClass[b]
		if cls == clsSpace {
			if len(sc.word) > 0 {
				s.flush()
			}
			i++
			continue
		}
		if s.start < 0 && cls != clsNewline && cls != clsEnd && cls != clsDot {
			s.start = i
		}
		switch cls {
		case clsWord:
			if len(sc.word) == 0 {
				if j := s.plainWords(text, i); j > i {
					i = j
					continue
				}
			}
			i = s.readWord(text, i)
		case clsApos:
			switch {
			case len(sc.word) > 0 && i+1 < n && byteClass[text[i+1]] == clsWord:
				sc.word = append(sc.word, '\'')
				s.apos = true
			case len(sc.word) == 0 && i+1 < n && byteClass[text[i+1]] == clsWord && (i == 0 || opensQuote[text[i-1]]):
				s.openQuote(quoteSingle) // 'I can't …
			default:
				s.flush()
				if s.quote == quoteSingle {
					s.closeQuote()
				}
			}
			i++
		case clsDot:
			if len(sc.word) > 0 && isDigit(text[i-1]) && i+1 < n && isDigit(text[i+1]) {
				sc.word = append(sc.word, '.')
				i++
				continue
			}
			abbrev := s.dotAbbrev // the word plainWords completed at this dot
			s.dotAbbrev = false
			if len(sc.word) > 0 {
				abbrev = len(sc.word) == 1 || isAbbreviation(sc.word)
			}
			s.flush()
			j := i
			for j < n && text[j] == '.' {
				j++
			}
			switch {
			case j-i >= 2:
				s.clause()
			case !abbrev:
				k := skipClosers(text, j)
				s.closersEnd(text[j:k])
				j = k
				s.end(text, j)
			}
			i = j
		case clsEnd:
			j := i
			for j < n && (text[j] == '!' || text[j] == '?' || text[j] == '.') {
				j++
			}
			k := skipClosers(text, j)
			s.closersEnd(text[j:k])
			s.end(text, k)
			i = k
		case clsClause:
			s.clause()
			i++
		case clsNewline:
			s.end(text, i)
			s.quote = quoteNone // an unclosed quote ends with its line
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
				s.quote = quoteNone
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
		case clsQuote:
			s.flush()
			if s.quote == quoteNone {
				s.openQuote(quoteDouble)
			} else {
				s.closeQuote()
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
	// dotAbbrev: plainWords completed a word at a dot, and the word is an abbreviation (or one
	// letter), so the dot does not end the sentence
	dotAbbrev bool
	// quote is the kind of quotation the scanner is in (quoteNone outside); quoteTok0 is the first
	// token inside it and quoteWords the words read in it so far.
	quote      uint8
	quoteTok0  int
	quoteWords int
}

// Quotation kinds. A straight double quote opens or closes by turns; curly, guillemet and CJK
// quotes by their side; a single quote opens before a word after a space or a bracket
// ("says 'I …") and closes after a word ("… it!' Then", "… it', he").
const (
	quoteNone uint8 = iota
	quoteDouble
	quoteSingle
	quoteCurly
)

// maxQuoteWords closes a quotation that has run this long: a stray quote mark must not turn the
// rest of an explanation into quoted speech. Subtitles are far shorter.
const maxQuoteWords = 48

// opensQuote: the bytes after which a single quote opens a quotation.
var opensQuote = func() (t [256]bool) {
	for _, c := range " \t\n\r(:[{-" {
		t[c] = true
	}
	return t
}()

// openQuote starts quoted speech: a clause boundary, then words flagged quoted.
func (s *scanState) openQuote(kind uint8) {
	s.flush()
	if s.quote != quoteNone {
		return // nested quotes stay inside the outer one
	}
	s.clause()
	s.quote, s.quoteTok0, s.quoteWords = kind, len(s.sc.toks), 0
}

// closeQuote ends quoted speech with a clause boundary.
func (s *scanState) closeQuote() {
	s.flush()
	if s.quote == quoteNone {
		return
	}
	s.endQuote()
	s.clause()
}

// endQuote leaves quoted speech. A quotation of one or two words is a mention ("the word 'sad'",
// a quoted answer), not speech: its words lose the flag.
func (s *scanState) endQuote() {
	if s.quoteWords <= 2 {
		s.unquote()
	}
	s.quote = quoteNone
}

// unquote clears the quoted flag of the words of the current quotation.
func (s *scanState) unquote() {
	for k := min(s.quoteTok0, len(s.sc.toks)); k < len(s.sc.toks); k++ {
		s.sc.toks[k].quoted = false
	}
}

// closersEnd closes quoted speech whose closing mark skipClosers stepped over at a sentence end
// ("… my birthday!' Although"); the sentence ends there, so no clause boundary is needed.
func (s *scanState) closersEnd(closers string) {
	if s.quote == quoteNone || closers == "" {
		return
	}
	if strings.ContainsAny(closers, "\"'\u201d\u00bb\u2019") {
		s.flush()
		s.endQuote()
	}
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

// plainWords reads a run of plain words, each followed by a single space or by punctuation, and
// returns the index after it: at a byte that is not a word's, or at a word that needs readWord (i
// itself when the first one does). A plain word is ASCII letters or digits ended by a space or
// by punctuation that cannot continue it, needing no normalisation but lower-casing, and it is
// looked up in place. Eight bytes at a time: one load classifies them, finds the end of the word
// and, for a word of up to 8 bytes, gives its lower-cased key for the exact-word table.
func (s *scanState) plainWords(text string, i int) int {
	lx := s.lx
	for {
		var j int
		if len(text)-i < 8 {
			var ok bool
			if j, ok = s.plainTail(text, i); !ok {
				return i
			}
		} else {
			x := load64(text, i)
			letters, stop := classify8(x)
			if stop == 0 {
				var ok bool
				if j, ok = s.plainLong(text, i, x, letters); !ok {
					return i
				}
			} else {
				n := bits.TrailingZeros64(stop) >> 3 // 1..7: text[i] is a word byte
				j = i + n
				key := (x | letters>>2) & (uint64(1)<<(8*n) - 1) // 0x80>>2 is the case bit
				if n >= 4 && key>>(8*(n-2)) == 't'<<8|'n' || key == keyCannot {
					return i // "…n't" without an apostrophe, "cannot": split by flush
				}
				if !endsWord[text[j]] && !s.endsAtDot(text, j, key, n) {
					return i
				}
				t := &lx.trie
				if id := exactKey(t, key, hashKey(key, 0, n)); id >= 0 {
					s.push(&lx.wordTok[id])
				} else if !t.always && !t.mayHavePrefix(key, n) {
					s.push(&unknownWord) // prefixPair's answer, without the call
				} else {
					var buf [8]byte
					binary.LittleEndian.PutUint64(buf[:], key)
					s.push(&lx.pairTok[prefixPair(t, buf[:n], key)])
				}
			}
		}
		if j < len(text) && text[j] == ' ' {
			j++ // what scan does for a space when no word is pending
		}
		if i = j; i == len(text) || byteClass[text[i]] != clsWord {
			return i
		}
	}
}

// endsWord: the bytes after which a word is complete: spaces and punctuation that cannot
// continue it (not an apostrophe, a dot or a multi-byte character).
var endsWord = func() (e [256]bool) {
	for c := range e {
		e[c] = byteClass[c] == clsSpace || plainEnd[c]
	}
	return e
}()

// endsAtDot reports whether text[j] is a dot that ends the word before it (n bytes, lower-case
// key wordKey) rather than being a decimal point. It notes whether the word is an abbreviation,
// for the dot's case in scan.
func (s *scanState) endsAtDot(text string, j int, key uint64, n int) bool {
	if text[j] != '.' || isDigit(text[j-1]) && j+1 < len(text) && isDigit(text[j+1]) {
		return false
	}
	var w [8]byte // no abbreviation is longer
	binary.LittleEndian.PutUint64(w[:], key)
	s.dotAbbrev = n == 1 || n <= 8 && isAbbreviation(w[:n])
	return true
}

// plainLong reads a plain word of more than 8 bytes (x holds its first 8, letters their
// classify8) and returns the index after it; ok is false when it needs readWord.
func (s *scanState) plainLong(text string, i int, x, letters uint64) (int, bool) {
	j := i + 8
	upper := letters &^ (x << 2) // letters without the case bit
	for {
		if len(text)-j < 8 {
			return i, false
		}
		y := load64(text, j)
		ly, stop := classify8(y)
		if stop != 0 {
			n := bits.TrailingZeros64(stop) >> 3
			upper |= ly &^ (y << 2) & (uint64(1)<<(8*n) - 1)
			j += n
			break
		}
		upper |= ly &^ (y << 2)
		j += 8
	}
	if upper != 0 || text[j-1] == 't' && text[j-2] == 'n' || !endsWord[text[j]] && !s.endsAtDot(text, j, 0, j-i) {
		return i, false
	}
	w, t := text[i:j], &s.lx.trie
	if id := exactWord(t, w, hashKey(x, load64(text, j-8), len(w))); id >= 0 {
		s.push(&s.lx.wordTok[id])
	} else {
		s.push(&s.lx.pairTok[prefixPair(t, w, x)])
	}
	return j, true
}

// plainTail reads a plain word near the end of the text, byte by byte, lower-case words only.
func (s *scanState) plainTail(text string, i int) (int, bool) {
	j := i
	for j < len(text) && plainByte[text[j]] {
		j++
	}
	w := text[i:j]
	if n := len(w); n == 0 || n >= 4 && w[n-1] == 't' && w[n-2] == 'n' || w == "cannot" ||
		j < len(text) && !endsWord[text[j]] && !s.endsAtDot(text, j, wordKey(w), n) {
		return i, false
	}
	s.add(lookup(&s.lx.trie, w, hashWord(w)))
	return j, true
}

// keyCannot is wordKey("cannot").
const keyCannot = uint64('c') | uint64('a')<<8 | uint64('n')<<16 | uint64('n')<<24 | uint64('o')<<32 | uint64('t')<<40

const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// load64 reads text[i:i+8], text[i] lowest.
func load64(text string, i int) uint64 {
	b := text[i : i+8]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// classify8 marks (0x80) the bytes of x that are ASCII letters (letters) and those that are not
// letters or digits (stop). Adding to the 7-bit values carries into bit 7 exactly when a value
// reaches the bound, and never into the next byte; or-ing in the case bit folds upper case onto
// lower case.
func classify8(x uint64) (letters, stop uint64) {
	y := x &^ highBits
	z := y | 0x20*lowBits
	letters = (z + (0x80-'a')*lowBits) &^ (z + (0x80-'z'-1)*lowBits) &^ x & highBits
	digits := (y + (0x80-'0')*lowBits) &^ (y + (0x80-'9'-1)*lowBits)
	return letters, ^(letters|digits)&highBits | x&highBits
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

// add appends the word token of a lookup result.
// unknownWord is the token of a word the lexicon does not know.
var unknownWord = token{ids: noIDs, entry: -1, cue: -1, kind: tokWord}

func (s *scanState) add(ids [3]int32) {
	id := ids[0]
	switch {
	case id < 0:
		s.push(&unknownWord)
	case s.lx.trie.words[id] != "":
		s.push(&s.lx.wordTok[id]) // an exact word: its token is ready
	default:
		t := s.lx.tokenOf(ids)
		s.push(&t)
	}
}

func (s *scanState) push(t *token) {
	s.words = true
	s.sc.toks = append(s.sc.toks, *t)
	if s.quote != quoteNone {
		s.quoted()
	}
}

// quoted flags the word just pushed as quoted speech, and ends a quotation that has run too long.
func (s *scanState) quoted() {
	s.sc.toks[len(s.sc.toks)-1].quoted = true
	if s.quoteWords++; s.quoteWords > maxQuoteWords {
		s.unquote() // a stray mark: the words were never speech
		s.quote = quoteNone
	}
}

func (s *scanState) clause() {
	s.flush()
	if t := s.sc.toks; len(t) > s.tok0 && t[len(t)-1].kind == tokClause {
		return
	}
	s.sc.toks = append(s.sc.toks, token{ids: noIDs, entry: -1, cue: -1, kind: tokClause})
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
		if size == 1 {
			s.sc.invalidUTF8 = true
		}
		s.flush()
	case r == '\u2019' || r == '\u2018' || r == '\u02bc':
		switch {
		case len(s.sc.word) > 0 && i+size < len(text) && byteClass[text[i+size]] == clsWord:
			s.sc.word = append(s.sc.word, '\'')
			s.apos = true
		case r == '\u2018':
			s.openQuote(quoteSingle)
		default:
			s.flush()
			if s.quote == quoteSingle {
				s.closeQuote()
			}
		}
	case r == '\u201c' || r == '\u00ab' || r == '\u300c' || r == '\u300e':
		s.openQuote(quoteCurly)
	case r == '\u201d' || r == '\u00bb' || r == '\u300d' || r == '\u300f':
		s.closeQuote()
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
