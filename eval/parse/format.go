package parse

import "regexp"

// Format says which of the authors' format-reward patterns an output matches.
type Format uint8

const (
	// FormatVision: <vis_desc>…</vis_desc> <aud_desc>…</aud_desc> <think>…</think> <answer>…</answer>.
	FormatVision Format = 1 << iota
	// FormatAudio: the same with the <aud_desc> block first.
	FormatAudio
)

// pyS is Python's \s on str patterns (the characters str.isspace accepts). Go's \s lacks \v,
// U+001C–U+001F, U+0085 and the Unicode spaces.
const pyS = `[\t\n\v\f\r\x1c-\x1f \x{85}\p{Z}]`

var (
	formatVisionRE = regexp.MustCompile(`(?s)^` + pyS + `*<vis_desc>.*?</vis_desc>` + pyS + `*<aud_desc>.*?</aud_desc>` + pyS + `*<think>.*?</think>` + pyS + `*<answer>.*?</answer>` + pyS + `*$`)
	formatAudioRE  = regexp.MustCompile(`(?s)^` + pyS + `*<aud_desc>.*?</aud_desc>` + pyS + `*<vis_desc>.*?</vis_desc>` + pyS + `*<think>.*?</think>` + pyS + `*<answer>.*?</answer>` + pyS + `*$`)
)

// MatchFormat tests a raw output against the two format-reward patterns of docs/reference.md §5
// (re.DOTALL, anchored at both ends). Apply it while streaming and keep the result in
// Sample.Format.
func MatchFormat(raw string) Format {
	var f Format
	if formatVisionRE.MatchString(raw) {
		f |= FormatVision
	}
	if formatAudioRE.MatchString(raw) {
		f |= FormatAudio
	}
	return f
}
