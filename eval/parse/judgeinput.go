package parse

import (
	"fmt"
	"strings"
)

// Judge input modes: which part of an output a judge reads.
const (
	InputThink     = "think"      // the reasoning only (the authors' choice)
	InputThinkDesc = "think+desc" // the descriptions, then the reasoning
	InputFull      = "full"       // the whole output
)

// CheckInput validates a judge input mode.
func CheckInput(mode string) error {
	switch mode {
	case InputThink, InputThinkDesc, InputFull:
		return nil
	}
	return fmt.Errorf("unknown judge input %q: use think, think+desc or full", mode)
}

// JudgeText returns the text a judge reads for an output. Under migr, "think" is the authors'
// reason and "think+desc" their concatenation vis + " " + aud + " " + reason.
func (p *Parser) JudgeText(raw string, o Output, mode string) string {
	switch mode {
	case InputFull:
		return raw
	case InputThinkDesc:
		if p.Protocol == ProtocolMigr {
			seg := before(migrJoin(raw), "|")
			return migrDesc(seg, "vis_desc") + " " + migrDesc(seg, "aud_desc") + " " + o.Reason
		}
		var parts []string
		for _, s := range []string{o.VisDesc, o.AudDesc, o.Think} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, "\n")
	default:
		return o.Reason
	}
}
