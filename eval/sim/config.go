package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/emoeval/emoeval/datasets"
)

// Output styles.
const (
	StyleR1Omni = "r1-omni" // <think>…</think><answer>…</answer>
	StyleMIGR   = "migr"    // <vis_desc>/<aud_desc> in some order, then think and answer
)

// Order policies of the description tags (and of the first cues in the reasoning).
const (
	OrderRandom = "random" // vision first with probability VisionFirst (the default)
	OrderMI     = "mi"     // the clip's dominant modality first; VisionFirst for multimodal clips
)

// Config configures a simulated server.
type Config struct {
	// Split gives each clip's true label; requests name clips by their media URL's file name
	// (".../clip/00001.mp4" is clip 00001) or by a text part "clip_id: 00001".
	Split  *datasets.Split
	Seed   int64
	Models []ModelProfile
	Judge  JudgeProfile
	Faults Faults
}

// ModelProfile is one simulated model. Probabilities are in [0, 1].
type ModelProfile struct {
	Name  string
	Style string // StyleR1Omni or StyleMIGR
	// Accuracy is the expected WAR with both modalities. Recall varies by class (rare, subtle
	// classes lower) around it, and a single modality lowers it, less so for the clip's dominant one.
	Accuracy float64
	// Inconsistency is P(the reasoning supports another emotion | correct answer): the TF cell.
	Inconsistency float64
	// VisionFirst is P(vision cues first); OrderPolicy "mi" uses it only for multimodal clips.
	VisionFirst float64
	OrderPolicy string  // OrderRandom ("" too) or OrderMI
	Truncation  float64 // P(generation cut: no </answer>, or cut inside <think>)
	ImEnd       float64 // P(a trailing <|im_end|>)
	Synonyms    float64 // P(the answer written as a synonym: "sadness", "anger", "anxious", …)
}

// JudgeProfile is the simulated explanation judge, answering the migr-judge prompt.
type JudgeProfile struct {
	Name     string
	Accuracy float64 // P(naming the emotion the explanation supports)
	Sloppy   float64 // P(a reply like "Angry" or "angry." that the faithful protocol maps to neutral)
}

// Faults are injected per request, decided by the request's content and how often the same
// request has been seen, so a retried request meets a fresh draw and a rerun the same faults.
type Faults struct {
	Latency       time.Duration // added before every answer
	LatencyJitter time.Duration // plus a uniform [0, LatencyJitter)
	P429          float64       // 429 with Retry-After
	RetryAfter    time.Duration // the Retry-After sent with 429s (default 1s; fractions of seconds are sent as decimals)
	P500          float64       // 500 with an error body
	PMalformed    float64       // 200 with a body that is not JSON
	PTruncated    float64       // 200 whose body stops half-way (Content-Length promises more)
	PReset        float64       // the connection closed with a TCP reset, no response
	PHang         float64       // no answer until the client gives up
	// Pad adds this many bytes of filler to the think section of every model answer (judges'
	// replies stay short): a server that sends huge answers, for memory tests.
	Pad int64
}

// DefaultModels returns two profiles shaped after the paper: an R1-Omni-style baseline with
// about 18% correct-but-inconsistent answers and a MIGR-style model with about 7% that puts the
// dominant modality first.
func DefaultModels() []ModelProfile {
	return []ModelProfile{
		{Name: "r1-omni-sim", Style: StyleR1Omni, Accuracy: 0.66, Inconsistency: 0.18, VisionFirst: 0.9,
			Truncation: 0.01, ImEnd: 0.02, Synonyms: 0.05},
		{Name: "migr-sim", Style: StyleMIGR, Accuracy: 0.70, Inconsistency: 0.07, VisionFirst: 0.6,
			OrderPolicy: OrderMI, Truncation: 0.005, ImEnd: 0.01, Synonyms: 0.03},
	}
}

// DefaultJudge returns the default judge profile.
func DefaultJudge() JudgeProfile {
	return JudgeProfile{Name: "judge-sim", Accuracy: 0.95, Sloppy: 0.02}
}

func (c *Config) validate() error {
	if c.Split == nil || c.Split.Labels == nil || len(c.Split.Clips) == 0 || c.Split.Labels.Len() < 2 {
		return fmt.Errorf("sim: a split with clips and a label set of at least two labels is needed")
	}
	names := map[string]bool{}
	for i, m := range c.Models {
		if m.Name == "" {
			return fmt.Errorf("sim: model %d has no name", i+1)
		}
		if names[m.Name] {
			return fmt.Errorf("sim: model name %q appears twice", m.Name)
		}
		names[m.Name] = true
		if m.Style != StyleR1Omni && m.Style != StyleMIGR {
			return fmt.Errorf("sim: model %s: style %q: use %s or %s", m.Name, m.Style, StyleR1Omni, StyleMIGR)
		}
		if m.OrderPolicy != "" && m.OrderPolicy != OrderRandom && m.OrderPolicy != OrderMI {
			return fmt.Errorf("sim: model %s: order policy %q: use %s or %s", m.Name, m.OrderPolicy, OrderRandom, OrderMI)
		}
		for _, p := range []struct {
			name string
			v    float64
		}{{"accuracy", m.Accuracy}, {"inconsistency", m.Inconsistency}, {"vision_first", m.VisionFirst},
			{"truncation", m.Truncation}, {"im_end", m.ImEnd}, {"synonyms", m.Synonyms}} {
			if !(p.v >= 0 && p.v <= 1) {
				return fmt.Errorf("sim: model %s: %s = %v is not a probability in [0, 1]", m.Name, p.name, p.v)
			}
		}
	}
	if c.Judge.Name != "" {
		if names[c.Judge.Name] {
			return fmt.Errorf("sim: judge name %q is also a model's", c.Judge.Name)
		}
		if !(c.Judge.Accuracy >= 0 && c.Judge.Accuracy <= 1) || !(c.Judge.Sloppy >= 0 && c.Judge.Sloppy <= 1) {
			return fmt.Errorf("sim: judge %s: accuracy and sloppy must be probabilities in [0, 1]", c.Judge.Name)
		}
	}
	f := c.Faults
	sum := 0.0
	for _, p := range []float64{f.P429, f.P500, f.PMalformed, f.PTruncated, f.PReset, f.PHang} {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("sim: fault probability %v is not in [0, 1]", p)
		}
		sum += p
	}
	if sum > 1 {
		return fmt.Errorf("sim: fault probabilities add up to %v, more than 1", sum)
	}
	if f.Pad < 0 || f.Pad > 1<<30 {
		return fmt.Errorf("sim: pad %d is not a size from 0 to 1 GiB", f.Pad)
	}
	if f.Latency < 0 || f.LatencyJitter < 0 || f.RetryAfter < 0 {
		return fmt.Errorf("sim: fault durations must not be negative")
	}
	return nil
}

// parseSize reads a byte count: 65536, 64KiB, 64KB, 50MiB, 1GiB (KB and MB are read as KiB
// and MiB), at most 1 GiB.
func parseSize(v string) (int64, error) {
	num, mult := v, int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"KB", 1 << 10}, {"MiB", 1 << 20}, {"MB", 1 << 20}, {"GiB", 1 << 30}, {"GB", 1 << 30}} {
		if n, ok := strings.CutSuffix(v, u.suffix); ok {
			num, mult = n, u.mult
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 || n > (1<<30)/mult {
		return 0, fmt.Errorf("not a size from 0 to 1GiB (e.g. 65536, 64KiB, 50MiB)")
	}
	return n * mult, nil
}

// ParseFaults reads a fault specification (emoeval sim --faults), comma-separated key=value:
//
//	latency=50ms,jitter=10ms,429=0.05,retry-after=1s,500=0.02,malformed=0.01,truncated=0.01,reset=0.01,hang=0.001,pad=64KiB
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	if strings.TrimSpace(spec) == "" {
		return f, nil
	}
	for item := range strings.SplitSeq(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(item), "=")
		if !ok {
			return f, fmt.Errorf("faults %q: %q is not key=value", spec, item)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		var err error
		dur := func(d *time.Duration) { *d, err = time.ParseDuration(v) }
		prob := func(p *float64) {
			*p, err = strconv.ParseFloat(v, 64)
			if err == nil && !(*p >= 0 && *p <= 1) {
				err = fmt.Errorf("not a probability in [0, 1]")
			}
		}
		switch k {
		case "latency":
			dur(&f.Latency)
		case "jitter":
			dur(&f.LatencyJitter)
		case "retry-after":
			dur(&f.RetryAfter)
		case "429":
			prob(&f.P429)
		case "500":
			prob(&f.P500)
		case "malformed":
			prob(&f.PMalformed)
		case "truncated":
			prob(&f.PTruncated)
		case "reset":
			prob(&f.PReset)
		case "hang":
			prob(&f.PHang)
		case "pad":
			f.Pad, err = parseSize(v)
		default:
			return f, fmt.Errorf("faults %q: unknown key %q (use latency, jitter, retry-after, 429, 500, malformed, truncated, reset, hang, pad)", spec, k)
		}
		if err != nil {
			return f, fmt.Errorf("faults %q: %s=%s: %v", spec, k, v, err)
		}
	}
	return f, nil
}
