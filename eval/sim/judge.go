package sim

import (
	"strings"
)

// fragment is one phrase of a bank, found again in an explanation.
type fragment struct {
	text    string
	concept string
	weight  float64
}

// Fragment weights: cues count once, named emotions twice, passing traces of another emotion
// little; any fragment in the closing sentence counts three times more.
const (
	weightCue   = 1
	weightInfer = 2
	weightMinor = 0.5
	lastBoost   = 3
)

// buildIndex lists the fragments of every bank in use, by their first two words.
func (s *Server) buildIndex() {
	s.index = map[string][]fragment{}
	seen := map[string]bool{}
	add := func(c string, b bank) {
		if seen[c] {
			return
		}
		seen[c] = true
		put := func(texts []string, w float64) {
			for _, t := range texts {
				k := leadWords(t)
				s.index[k] = append(s.index[k], fragment{t, c, w})
			}
		}
		put(b.face, weightCue)
		put(b.body, weightCue)
		put(b.voice, weightCue)
		put(b.quote, weightCue)
		put(b.infer, weightInfer)
		put(b.minor, weightMinor)
	}
	for c, b := range banks {
		add(c, b)
	}
	for _, l := range s.labels.Labels {
		add(concept(l), s.bankOf(l))
	}
}

// leadWords returns the first two space-separated words of s.
func leadWords(s string) string {
	i := strings.IndexByte(s, ' ')
	if i < 0 {
		return s
	}
	if j := strings.IndexByte(s[i+1:], ' '); j >= 0 {
		return s[:i+1+j]
	}
	return s
}

// bankOf returns the phrase bank of a label.
func (s *Server) bankOf(label string) bank {
	if b, ok := banks[concept(label)]; ok {
		return b
	}
	return genericBank(label)
}

// supported returns the concept an explanation supports by looking up the simulation's own
// fragments, or "" when it holds none.
func (s *Server) supported(reason string) string {
	last := 0 // where the closing sentence starts
	if i := strings.LastIndex(strings.TrimRight(reason, ". "), ". "); i >= 0 {
		last = i + 2
	}
	score := map[string]float64{}
	// Fragments start at word starts: look each word start up by its first two words.
	for i := 0; i < len(reason); i++ {
		if i > 0 && reason[i-1] != ' ' {
			continue
		}
		for _, f := range s.index[leadWords(reason[i:])] {
			if !strings.HasPrefix(reason[i:], f.text) {
				continue
			}
			w := f.weight
			if i >= last {
				w *= lastBoost
			}
			score[f.concept] += w
		}
	}
	best, bestScore := "", 0.0
	for c, v := range score {
		if v > bestScore || (v == bestScore && c < best) {
			best, bestScore = c, v
		}
	}
	return best
}

// judgeReply answers a migr-judge prompt: the offered label whose concept the reason supports,
// read correctly with the profile's accuracy, and now and then written sloppily.
func (s *Server) judgeReply(labels []string, reason string) string {
	j := s.cfg.Judge
	c := s.supported(reason)
	reply := ""
	for _, l := range labels {
		if concept(l) == c {
			reply = l
			break
		}
	}
	if reply == "" {
		reply = labels[0]
		for _, l := range labels {
			if l == "neutral" {
				reply = l
			}
		}
	}
	r := s.draw("judge", j.Name, reason)
	if r.Float64() >= j.Accuracy && len(labels) > 1 {
		other := labels[r.IntN(len(labels)-1)]
		if other == reply {
			other = labels[len(labels)-1]
		}
		reply = other
	}
	if r.Float64() < j.Sloppy {
		if r.IntN(2) == 0 {
			reply = upperFirst(reply)
		} else {
			reply += "."
		}
	}
	return reply
}
