package plot

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Readable words for the identifiers of categories in a summary. Figures draw these, never the
// identifiers; an identifier that is not listed is shown with its underscores as spaces and a
// capital first letter (humanize).
var (
	orderWords = map[string]string{
		"vision_first": "Vision first",
		"audio_first":  "Audio first",
		"no_desc":      "No description tags",
	}
	miWords = map[string]string{
		"vision":     "Vision-important clips",
		"audio":      "Audio-important clips",
		"multimodal": "Multimodal clips",
	}
)

// miNote explains the MI classes; figures that group by MI carry it in their caption.
const miNote = "MI (modality importance) of a clip: vision-important when only the video-only run " +
	"is right, audio-important when only the audio-only run is, else multimodal."

// readable is the word for identifier id, or id humanized.
func readable(id string, words map[string]string) string {
	if w, ok := words[id]; ok {
		return w
	}
	return humanize(id)
}

// humanize cleans an identifier for display: underscores become spaces and the first letter is
// upper case ("some_order" → "Some order").
func humanize(id string) string {
	s := label(strings.ReplaceAll(id, "_", " "), maxNameRunes)
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
