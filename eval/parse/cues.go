package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Cue is the first modality an explanation draws on.
type Cue uint8

const (
	CueNone   Cue = iota // the explanation names no visual or audio cue
	CueVisual            // the first cue word is visual (face, smile, gaze, …)
	CueAudio             // the first cue word is audio (voice, tone, sobbing, …)
)

func (c Cue) String() string {
	switch c {
	case CueVisual:
		return "visual"
	case CueAudio:
		return "audio"
	}
	return "none"
}

// Cue vocabularies: words that point at what the model saw or heard. Words used both ways
// ("crying", "shaking") are left out, so a cue is counted only where the modality is clear.
var cueWords = func() map[string]Cue {
	m := map[string]Cue{}
	for _, w := range strings.Fields(`face faces facial expression expressions eye eyes eyed
		eyebrow eyebrows brow brows forehead mouth lips lip smile smiles smiling smiled grin grins
		grinning frown frowns frowning frowned gaze gazes gazing glance glances glancing stare stares
		staring gesture gestures gesturing posture body tears tearful teary look looks looking looked
		grimace grimaces grimacing scowl scowls scowling squint squinting nod nods nodding blink
		blinks blinking cheek cheeks jaw fist fists clenched hand hands arm arms shoulder shoulders
		visual visually appearance`) {
		m[w] = CueVisual
	}
	for _, w := range strings.Fields(`voice voices vocal tone tones speech speak speaks speaking spoke
		spoken pitch volume audio sound sounds say says said saying shout shouts shouting shouted yell
		yells yelling yelled scream screams screaming screamed sob sobs sobbing laugh laughs laughing
		laughed laughter sigh sighs sighing sighed whisper whispers whispering loud loudly intonation
		utterance exclaims exclaimed exclaiming groan groans groaning muttering mumbling hear heard
		hearing acoustic dialogue`) {
		m[w] = CueAudio
	}
	return m
}()

// FirstCue returns the modality of the first cue word in an explanation, for the
// visual-initiation rate of outputs without description tags. Apply it to the reasoning text
// (parse.Output.Think, or the raw output when there is none) while streaming and keep the
// result in Sample.Cue.
func FirstCue(text string) Cue {
	for len(text) > 0 {
		i := strings.IndexFunc(text, isWordRune)
		if i < 0 {
			return CueNone
		}
		text = text[i:]
		j := strings.IndexFunc(text, func(r rune) bool { return !isWordRune(r) })
		if j < 0 {
			j = len(text)
		}
		if c, ok := cueWords[lowerASCIIWord(text[:j])]; ok {
			return c
		}
		text = text[j:]
	}
	return CueNone
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) }

// lowerASCIIWord lower-cases a word; words with non-ASCII letters are not in the vocabulary,
// so they need no exact folding.
func lowerASCIIWord(w string) string {
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf {
			return ""
		} else if 'A' <= c && c <= 'Z' {
			return strings.ToLower(w)
		}
	}
	return w
}
