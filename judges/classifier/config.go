// Package classifier is the classifier judge: a text emotion classifier in ONNX (e.g. a
// GoEmotions model like the MIGR authors' verifier) with its HuggingFace tokenizer.json. It
// splits an explanation into sentences, classifies each, keeps labels by the authors' rule
// (docs/reference.md §5) and names the emotion the explanation supports.
package classifier

import (
	"fmt"
	"sort"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// Activations turn the model's output into per-class probabilities.
const (
	// Sigmoid is the authors' rule: GoEmotions is multi-label, one sigmoid per class.
	Sigmoid = "sigmoid"
	Softmax = "softmax"
	// None: the model already outputs probabilities.
	None = "none"
)

// Defaults.
const (
	DefaultThreshold = 0.1
	DefaultTopK      = 2
	DefaultMaxLen    = 128
)

// Batch sizes by device, for a Config without BatchSize: sentences per model run. On the CPU 32
// sentences (sorted by length, so little padding) keep a run's activations in cache; a GPU
// needs larger batches to be busy (the feature backend measured 147k rows/s at 64 and 560k at
// 1024 on an H200), and 256 sentences of up to 128 tokens keep a BERT-base run near 1 GB.
const (
	DefaultBatchCPU  = 32
	DefaultBatchCUDA = 256
)

// Config describes a classifier judge.
type Config struct {
	Name string
	// ModelPath is the .onnx file; ONNX, when set, holds the model bytes instead (tests).
	ModelPath string
	ONNX      []byte
	// TokenizerPath is the model's HuggingFace tokenizer.json.
	TokenizerPath string
	// LabelMap maps a model output index to a canonical label of Labels; nil means
	// DefaultLabelMap(Labels), the GoEmotions mapping of docs/reference.md §5.
	LabelMap map[int]string
	// Threshold (default 0.1): a sentence keeps the classes with a probability above it, else its
	// most probable class; TopK (default 2) caps how many it keeps.
	Threshold float64
	TopK      int
	// MaxLen caps the tokens per sentence, special tokens included (default 128).
	MaxLen int
	// BatchSize is the sentences per model run; 0 chooses by the device the judge ends up on:
	// DefaultBatchCPU (32) on the CPU, DefaultBatchCUDA (256) on CUDA. A model with a fixed batch
	// dimension uses that.
	BatchSize int
	// Activation is sigmoid (default), softmax or none.
	Activation string
	// Labels is the label set judgments are in (required).
	Labels *datasets.LabelSet
	// Input is recorded in each Judgment (think, think+desc or full): which text the caller sent.
	Input string
	// Device is cpu, cuda:N or auto; the zero value is auto: CUDA device 0 when ONNX Runtime's
	// CUDA provider can be used, else the CPU (Info().Fallback says why).
	Device ortenv.Device
	// Threads is ONNX Runtime's intra-op threads; 0 is what the machine offers
	// (ortenv.DefaultThreads).
	Threads int
	// TF32 turns TensorFloat-32 matrix products on CUDA on or off; nil keeps ONNX Runtime's
	// default (on).
	TF32 *bool
	// Runtime is the loaded ONNX Runtime; nil loads it from $ONNXRUNTIME_SHARED_LIBRARY_PATH.
	Runtime *ortenv.Runtime
}

// goEmotionsMap is docs/reference.md §5: GoEmotions output index → emotion word.
func goEmotionsMap() map[int]string {
	return map[int]string{
		17: "happiness", 2: "anger", 11: "disgust", 14: "fear", 25: "sadness", 26: "surprise",
		27: "neutral", 19: "anxiety", 16: "helplessness", 9: "disappointment", 10: "contempt",
	}
}

// DefaultLabelMap maps GoEmotions output indices to labels of the given set: each emotion word of
// docs/reference.md §5 is kept when it is a label of the set or a synonym of one (DFEW: happiness →
// happy, anger → angry, sadness → sad); words the set cannot express (DFEW has no anxiety) are
// left out.
func DefaultLabelMap(labels *datasets.LabelSet) map[int]string {
	out := map[int]string{}
	for idx, word := range goEmotionsMap() {
		switch {
		case labels.Contains(word):
			out[idx] = word
		case labels.Contains(labels.Synonyms[word]):
			out[idx] = labels.Synonyms[word]
		}
	}
	return out
}

// withDefaults checks the fields that need no model or tokenizer and fills in defaults.
func (c Config) withDefaults() (Config, error) {
	bad := func(key, format string, args ...any) error {
		return &inputerr.Error{Key: key, Msg: fmt.Sprintf("judge %q: ", c.Name) + fmt.Sprintf(format, args...)}
	}
	if c.ModelPath == "" && len(c.ONNX) == 0 {
		return c, bad("path", "no ONNX model file given")
	}
	if c.TokenizerPath == "" {
		return c, bad("tokenizer", "no tokenizer.json given (the HuggingFace tokenizer file that comes with the model)")
	}
	if c.Labels == nil || c.Labels.Len() == 0 {
		return c, bad("labels", "no label set given")
	}
	if c.LabelMap == nil {
		c.LabelMap = DefaultLabelMap(c.Labels)
	}
	labelMap := make(map[int]string, len(c.LabelMap))
	for _, idx := range sortedIndices(c.LabelMap) {
		l := strings.ToLower(strings.TrimSpace(c.LabelMap[idx]))
		if idx < 0 {
			return c, bad("label_map", "index %d: output indices start at 0", idx)
		}
		if !c.Labels.Contains(l) {
			return c, bad("label_map", "index %d maps to %q, which is not a label of %s (%s)", idx, c.LabelMap[idx], c.Labels.Name, strings.Join(c.Labels.Labels, ", "))
		}
		labelMap[idx] = l
	}
	c.LabelMap = labelMap
	if c.Threshold < 0 || c.Threshold >= 1 {
		return c, bad("threshold", "%v: must be in [0, 1)", c.Threshold)
	}
	if c.Threshold == 0 {
		c.Threshold = DefaultThreshold
	}
	for key, v := range map[string]*int{"top_k": &c.TopK, "max_len": &c.MaxLen, "batch_size": &c.BatchSize} {
		if *v < 0 {
			return c, bad(key, "%d: must be at least 1", *v)
		}
	}
	if c.TopK == 0 {
		c.TopK = DefaultTopK
	}
	if c.MaxLen == 0 {
		c.MaxLen = DefaultMaxLen
	}
	if c.MaxLen < 3 {
		return c, bad("max_len", "%d: too short to hold a word between special tokens", c.MaxLen)
	}
	switch c.Activation {
	case "":
		c.Activation = Sigmoid
	case Sigmoid, Softmax, None:
	default:
		return c, bad("activation", "%q: use sigmoid, softmax or none", c.Activation)
	}
	if c.Threads < 0 {
		return c, bad("threads", "%d: must be at least 1, or 0 for what the machine offers", c.Threads)
	}
	return c, nil
}

func sortedIndices(m map[int]string) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}
