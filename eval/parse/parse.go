// Package parse reads a reasoning model's raw output: the description, reasoning and answer
// tags, the answer's canonical label under a protocol, and the order of the description tags.
//
// Under ProtocolMigr the answer is extracted exactly as the MIGR authors' scripts do it
// (docs/reference.md §2), quirks included; under ProtocolRobust it is normalised and every
// normalisation is reported.
package parse

import (
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// Protocol selects the answer-extraction and judge-reply rules.
type Protocol string

const (
	// ProtocolMigr reproduces the authors' released scripts exactly.
	ProtocolMigr Protocol = "migr"
	// ProtocolRobust normalises answers, lets the last complete answer win and never falls back silently.
	ProtocolRobust Protocol = "robust"
)

// ParseProtocol checks a protocol name.
func ParseProtocol(s string) (Protocol, error) {
	switch Protocol(s) {
	case ProtocolMigr, ProtocolRobust:
		return Protocol(s), nil
	}
	return "", fmt.Errorf("unknown protocol %q: use migr or robust", s)
}

// UnmarshalText parses a protocol from configuration.
func (p *Protocol) UnmarshalText(b []byte) error {
	v, err := ParseProtocol(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// MarshalText writes the protocol's name.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p), nil }

// Status says how an output was parsed (the parse_status column).
type Status string

const (
	StatusOK             Status = "ok"              // a complete answer naming a label
	StatusNoAnswer       Status = "no_answer"       // no <answer> tag
	StatusUnclosedAnswer Status = "unclosed_answer" // <answer> without </answer>, label recognised
	StatusUnknownLabel   Status = "unknown_label"   // an answer that is not a label
	StatusEmpty          Status = "empty"           // blank output
	StatusError          Status = "error"           // no output: the model call failed
)

// Order is the order of the description tags (the order column).
type Order string

const (
	OrderVisionFirst Order = "vision_first"
	OrderAudioFirst  Order = "audio_first"
	OrderNoDesc      Order = "no_desc"
)

// Normalisation kinds reported under ProtocolRobust.
const (
	NormCase       = "case"        // the answer differed from the label only in letter case or spacing
	NormPunct      = "punct"       // punctuation or a chat end marker was removed
	NormSynonym    = "synonym"     // a synonym was mapped to its label ("sadness" → sad)
	NormExtracted  = "extracted"   // the one label named inside a longer answer was taken
	NormLastAnswer = "last_answer" // several complete answers; the last one was taken
	NormBareAnswer = "bare_answer" // no answer tag; the whole output was a label word
	NormUnclosed   = "unclosed"    // a missing </answer> was tolerated
)

// Output is the parsed form of one raw model output.
type Output struct {
	VisDesc string
	AudDesc string
	// Think is the reasoning text, read leniently: a missing </think> ends at the next tag.
	Think string
	// Reason is the text the authors' judge is sent for input "think": under migr the text between
	// the first <think> and the next </think> (empty when either is missing); under robust Think.
	Reason string
	// AnswerRaw is the answer text before label normalisation.
	AnswerRaw string
	// Pred is the canonical label, or datasets.Unknown.
	Pred   string
	Status Status
	Order  Order
	// QuarterPred is the prediction as the authors' consistency script reads it (rule 1 on the text
	// before the output's first '|'), or datasets.Unknown when that script would fail on the
	// sample; under robust it equals Pred.
	QuarterPred string
	// Normalized lists the normalisations applied under robust, comma-separated ("" for none).
	Normalized string
}

// Parser parses outputs for one label set under one protocol. The zero value is not usable.
type Parser struct {
	Labels   *datasets.LabelSet
	Protocol Protocol
}

// NewParser returns a parser for a label set and protocol.
func NewParser(labels *datasets.LabelSet, p Protocol) *Parser {
	return &Parser{Labels: labels, Protocol: p}
}

// Parse parses one raw output (the text after "<id>|" for the authors' files).
func (p *Parser) Parse(raw string) Output {
	var o Output
	o.VisDesc = lenientTag(raw, "<vis_desc>", "</vis_desc>")
	o.AudDesc = lenientTag(raw, "<aud_desc>", "</aud_desc>")
	o.Think = lenientTag(raw, "<think>", "</think>")
	o.Order = DescOrder(raw)
	if p.Protocol == ProtocolMigr {
		p.parseMigr(raw, &o)
	} else {
		p.parseRobust(raw, &o)
	}
	return o
}

// DescOrder says which description tag comes first.
func DescOrder(raw string) Order {
	v := strings.Index(raw, "<vis_desc>")
	a := strings.Index(raw, "<aud_desc>")
	switch {
	case v < 0 && a < 0:
		return OrderNoDesc
	case a < 0 || (v >= 0 && v < a):
		return OrderVisionFirst
	default:
		return OrderAudioFirst
	}
}

// lenientTag returns the text of the first open…closing pair, stripped. A missing closing tag
// ends the text at the next known tag or the end of the output.
func lenientTag(raw, open, closing string) string {
	i := strings.Index(raw, open)
	if i < 0 {
		return ""
	}
	rest := raw[i+len(open):]
	if j := strings.Index(rest, closing); j >= 0 {
		return strings.TrimSpace(rest[:j])
	}
	end := len(rest)
	for _, t := range knownTags {
		if k := strings.Index(rest[:end], t); k >= 0 {
			end = k
		}
	}
	return strings.TrimSpace(rest[:end])
}

var knownTags = []string{"<vis_desc>", "<aud_desc>", "<think>", "<answer>", "</vis_desc>", "</aud_desc>", "</think>", "</answer>", "<|im_end|>"}
