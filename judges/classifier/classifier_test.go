package classifier

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
	"github.com/emoeval/emoeval/judges"
)

// GoEmotions indices used by the test model.
const (
	geAdmiration  = 0
	geAnger       = 2
	geAnnoyance   = 3
	geFear        = 14
	geJoy         = 17
	geNervousness = 19
	geSadness     = 25
	geNeutral     = 27
)

// testWords are the test vocabulary, with the logit each word adds to GoEmotions classes. Every
// class starts at a bias of -5 (sigmoid 0.0067, under the 0.1 threshold).
var testWords = []struct {
	word   string
	logits map[int]float32
}{
	{"she", nil}, {"he", nil}, {"the", nil}, {"is", nil}, {"at", nil}, {"her", nil}, {"a", nil}, {".", nil}, {",", nil},
	{"smiles", map[int]float32{geJoy: 4}},                                         // joy 0.269
	{"shouts", map[int]float32{geAnger: 4}},                                       // anger 0.269
	{"furious", map[int]float32{geAnger: 5}},                                      // anger 0.5
	{"tears", map[int]float32{geSadness: 4}},                                      // sadness 0.269
	{"trembles", map[int]float32{geFear: 4, geNervousness: 2.5}},                  // fear 0.269, nervousness 0.076 (< 0.1)
	{"overwhelmed", map[int]float32{geSadness: 6, geFear: 5, geNervousness: 4.5}}, // 0.731, 0.5, 0.378
	{"nervously", map[int]float32{geNervousness: 6}},                              // nervousness 0.731
	{"frowns", map[int]float32{geAnnoyance: 4}},                                   // annoyance: no DFEW or MAFW label
	{"quiet", map[int]float32{geNeutral: 4}},                                      // neutral 0.269
	{"slightly", map[int]float32{geAdmiration: 0.5}},                              // raises an unmapped class a little
}

func testModel(tokenTypes bool, seqLen, batch int) []byte {
	vocab := 4 + len(testWords)
	emb := make([]float32, vocab*28)
	for i, w := range testWords {
		for c, v := range w.logits {
			emb[(4+i)*28+c] = v
		}
	}
	bias := make([]float32, 28)
	for c := range bias {
		bias[c] = -5
	}
	return onnxmodel.TextSpec{Vocab: vocab, Classes: 28, Emb: emb, B: bias, TokenTypes: tokenTypes, SeqLen: seqLen, Batch: batch}.Build()
}

func writeTokenizer(t testing.TB) string {
	words := make([]string, len(testWords))
	for i, w := range testWords {
		words[i] = w.word
	}
	p := filepath.Join(t.TempDir(), "tokenizer.json")
	if err := os.WriteFile(p, onnxmodel.BertTokenizerJSON(words), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func testConfig(t testing.TB) Config {
	return Config{
		Name:          "goemo",
		ONNX:          testModel(false, 0, 0),
		TokenizerPath: writeTokenizer(t),
		Labels:        datasets.DFEW(),
		Input:         "think",
		Runtime:       onnxtest.Runtime(t),
		Device:        ortenv.CPUDevice(),
	}
}

func newJudge(t testing.TB, cfg Config) *Judge {
	t.Helper()
	j, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

type judged struct {
	emotion   string
	fallback  bool
	sentences []string
	labels    []string
	raw       string // checked when not ""
}

var judgeCases = []struct {
	name string
	text string
	want judged
}{
	{"majority", "She smiles at her. He shouts. She smiles.",
		judged{"happy", false, []string{"She smiles at her.", "He shouts.", "She smiles."}, []string{"happy", "angry", "happy"}, "[17:0.269] [2:0.269] [17:0.269]"}},
	{"tie broken by probability", "She smiles. He is furious.",
		judged{"angry", false, nil, []string{"happy", "angry"}, "[17:0.269] [2:0.500]"}},
	{"below threshold dropped", "She trembles.",
		judged{"fear", false, nil, []string{"fear"}, "[14:0.269]"}},
	{"top two of three", "She is overwhelmed.",
		judged{"sad", false, nil, []string{"sad"}, "[25:0.731 14:0.500]"}},
	{"second kept label counts", "She is overwhelmed. She trembles.",
		judged{"fear", false, nil, []string{"sad", "fear"}, ""}},
	{"argmax when nothing passes, unmapped", "She frowns slightly.",
		judged{"neutral", true, nil, []string{""}, "[3:0.269]"}},
	{"no emotion words", "The man is at the door.",
		judged{"neutral", true, nil, []string{""}, "[0:0.007]"}},
	{"neutral class", "She is quiet. He smiles.",
		judged{"happy", false, nil, []string{"neutral", "happy"}, ""}}, // equal counts and probabilities: label-set order
	{"equal tie", "Tears. He shouts.",
		judged{"sad", false, nil, []string{"sad", "angry"}, ""}},
	{"anxiety has no DFEW label", "He trembles nervously.",
		judged{"fear", false, nil, []string{"fear"}, "[19:0.971 14:0.269]"}},
	{"empty", "", judged{"neutral", true, nil, []string{}, ""}},
	{"abbreviation kept", "He is furious, e.g. at her. Tears.",
		judged{"angry", false, []string{"He is furious, e.g. at her.", "Tears."}, []string{"angry", "sad"}, ""}},
}

func runCases(t *testing.T, j *Judge) {
	t.Helper()
	items := make([]judges.Item, len(judgeCases))
	for i, c := range judgeCases {
		items[i] = judges.Item{Model: "m", ClipID: fmt.Sprint(i + 1), Text: c.text}
	}
	got, err := j.Judge(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(items) {
		t.Fatalf("%d judgments for %d items", len(got), len(items))
	}
	for i, c := range judgeCases {
		g := got[i]
		if g.Judge != "goemo" || g.Model != "m" || g.ClipID != fmt.Sprint(i+1) || g.Input != "think" || g.Error != "" {
			t.Errorf("%s: judgment header %+v", c.name, g)
		}
		if g.Emotion != c.want.emotion || g.Fallback != c.want.fallback {
			t.Errorf("%s: emotion %q fallback %v, want %q %v", c.name, g.Emotion, g.Fallback, c.want.emotion, c.want.fallback)
		}
		if c.want.sentences != nil && !reflect.DeepEqual(g.Sentences, c.want.sentences) {
			t.Errorf("%s: sentences %q, want %q", c.name, g.Sentences, c.want.sentences)
		}
		if !reflect.DeepEqual(g.SentenceLabels, c.want.labels) {
			t.Errorf("%s: sentence labels %q, want %q", c.name, g.SentenceLabels, c.want.labels)
		}
		if c.want.raw != "" && g.ReplyRaw != c.want.raw {
			t.Errorf("%s: reply %q, want %q", c.name, g.ReplyRaw, c.want.raw)
		}
	}
}

// TestJudgeSentenceLabels checks exact labels for every model shape and batching the judge supports.
func TestJudgeSentenceLabels(t *testing.T) {
	tests := []struct {
		name  string
		model []byte
		batch int
	}{
		{"dynamic", testModel(false, 0, 0), 0},
		{"batch of 1", testModel(false, 0, 0), 1},
		{"batch of 3", testModel(false, 0, 0), 3},
		{"token_type_ids input", testModel(true, 0, 0), 0},
		{"fixed sequence length", testModel(false, 16, 0), 0},
		{"fixed batch of 4", testModel(true, 0, 4), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.ONNX, cfg.BatchSize = tc.model, tc.batch
			runCases(t, newJudge(t, cfg))
		})
	}
}

func TestJudgeMAFW(t *testing.T) {
	cfg := testConfig(t)
	cfg.Labels = datasets.MAFW()
	j := newJudge(t, cfg)
	got, err := j.Judge(context.Background(), []judges.Item{
		{Text: "He trembles nervously. She is overwhelmed. He smiles."},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"anxiety", "sadness", "happiness"}
	if !reflect.DeepEqual(got[0].SentenceLabels, want) {
		t.Errorf("sentence labels %q, want %q", got[0].SentenceLabels, want)
	}
	// Kept: [anxiety fear] [sadness fear] [happiness]: fear is kept by two sentences.
	if got[0].Emotion != "fear" {
		t.Errorf("emotion %q, want fear (kept twice: trembles and overwhelmed)", got[0].Emotion)
	}
}

func TestJudgeOptions(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		text   string
		labels []string
		raw    string
	}{
		{"top 1", func(c *Config) { c.TopK = 1 }, "She is overwhelmed.", []string{"sad"}, "[25:0.731]"},
		{"higher threshold", func(c *Config) { c.Threshold = 0.6 }, "She is overwhelmed.", []string{"sad"}, "[25:0.731]"},
		{"custom label map", func(c *Config) { c.LabelMap = map[int]string{geAnnoyance: "angry"} }, "She frowns.", []string{"angry"}, "[3:0.269]"},
		{"softmax", func(c *Config) { c.Activation = Softmax }, "She is furious.", []string{"angry"}, ""},
		{"truncated before the word", func(c *Config) { c.MaxLen = 5 }, "The the the smiles.", []string{""}, ""},
		{"word within the limit", func(c *Config) { c.MaxLen = 5 }, "She smiles.", []string{"happy"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			tc.change(&cfg)
			got, err := newJudge(t, cfg).Judge(context.Background(), []judges.Item{{Text: tc.text}})
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[0].SentenceLabels, tc.labels) {
				t.Errorf("sentence labels %q, want %q", got[0].SentenceLabels, tc.labels)
			}
			if tc.raw != "" && got[0].ReplyRaw != tc.raw {
				t.Errorf("reply %q, want %q", got[0].ReplyRaw, tc.raw)
			}
		})
	}
}

func TestEncoderTruncationKeepsSep(t *testing.T) {
	enc, err := loadEncoder("test", writeTokenizer(t), 5)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := enc.encode("she smiles at her tears")
	if err != nil {
		t.Fatal(err)
	}
	// [CLS] she smiles at [SEP]: word ids are 4 + their index in testWords.
	want := []int64{onnxmodel.ClsID, 4, 13, 8, onnxmodel.SepID}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("ids %v, want %v", ids, want)
	}
}

func TestNewRejectsBadSetUps(t *testing.T) {
	dir := t.TempDir()
	badTok := filepath.Join(dir, "bad.json")
	os.WriteFile(badTok, []byte(`{"model": {"type": "WordPiece"}}`), 0o644)
	notJSON := filepath.Join(dir, "not.json")
	os.WriteFile(notJSON, []byte(`not json`), 0o644)
	floatIn := []onnxmodel.Input{{Name: "features", Dim: 4}}
	w, b := onnxmodel.RandomWeights(floatIn, 28, 1)
	tests := []struct {
		name   string
		change func(*Config)
		want   []string
	}{
		{"no tokenizer", func(c *Config) { c.TokenizerPath = "" }, []string{"no tokenizer.json given"}},
		{"missing tokenizer", func(c *Config) { c.TokenizerPath = filepath.Join(dir, "none.json") }, []string{"none.json", "no such file"}},
		{"tokenizer without vocab", func(c *Config) { c.TokenizerPath = badTok }, []string{"bad.json", "cannot load the tokenizer"}},
		{"tokenizer not JSON", func(c *Config) { c.TokenizerPath = notJSON }, []string{"not.json", "cannot load the tokenizer"}},
		{"not a text model", func(c *Config) { c.ONNX = onnxmodel.Classifier(floatIn, 28, w, b, false) },
			[]string{`input "features"`, "input_ids and attention_mask", "features [? 4] float"}},
		{"label map beyond the classes", func(c *Config) { c.LabelMap = map[int]string{30: "happy"} }, []string{"index 30 is beyond the model's 28 classes"}},
		{"label map to a non-label", func(c *Config) { c.LabelMap = map[int]string{17: "joy"} }, []string{`"joy", which is not a label of dfew`}},
		{"bad activation", func(c *Config) { c.Activation = "relu" }, []string{`"relu": use sigmoid, softmax or none`}},
		{"bad threshold", func(c *Config) { c.Threshold = 1.5 }, []string{"must be in [0, 1)"}},
		{"no labels", func(c *Config) { c.Labels = nil }, []string{"no label set"}},
		{"negative threads", func(c *Config) { c.Threads = -1 }, []string{"threads", "-1: must be at least 1, or 0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			tc.change(&cfg)
			j, err := New(context.Background(), cfg)
			if err == nil {
				j.Close()
				t.Fatal("New succeeded")
			}
			t.Log(err)
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if !inputerr.Is(err) {
				t.Errorf("not an input error: %v", err)
			}
		})
	}
}

func TestDefaultLabelMap(t *testing.T) {
	dfew := DefaultLabelMap(datasets.DFEW())
	want := map[int]string{17: "happy", 2: "angry", 11: "disgust", 14: "fear", 25: "sad", 26: "surprise", 27: "neutral"}
	if !reflect.DeepEqual(dfew, want) {
		t.Errorf("DFEW map %v, want %v", dfew, want)
	}
	if mafw := DefaultLabelMap(datasets.MAFW()); len(mafw) != 11 || mafw[19] != "anxiety" || mafw[16] != "helplessness" || mafw[10] != "contempt" || mafw[9] != "disappointment" {
		t.Errorf("MAFW map %v, want all 11 GoEmotions entries", mafw)
	}
}

func TestConcurrentJudge(t *testing.T) {
	cfg := testConfig(t)
	cfg.BatchSize = 2
	j := newJudge(t, cfg)
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := judgeCases[g]
			got, err := j.Judge(context.Background(), []judges.Item{{Text: c.text}, {Text: judgeCases[0].text}})
			if err != nil {
				t.Error(err)
				return
			}
			if got[0].Emotion != c.want.emotion || got[1].Emotion != judgeCases[0].want.emotion {
				t.Errorf("%s: emotions %q %q", c.name, got[0].Emotion, got[1].Emotion)
			}
		}()
	}
	wg.Wait()
}

func TestJudgeCancelled(t *testing.T) {
	j := newJudge(t, testConfig(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.Judge(ctx, []judges.Item{{Text: "She smiles."}}); err != context.Canceled {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// FuzzEncode checks that any text tokenises without a panic into ids of the vocabulary, framed by
// [CLS] … [SEP] and at most MaxLen long.
func FuzzEncode(f *testing.F) {
	for _, s := range []string{"", "She smiles.", "ÀÉÎ café 😀 \x00\xff", strings.Repeat("tears ", 50), "[CLS] [SEP] [PAD]"} {
		f.Add(s)
	}
	enc, err := loadEncoder("test", writeTokenizer(f), 16)
	if err != nil {
		f.Fatal(err)
	}
	vocab := int64(4 + len(testWords))
	f.Fuzz(func(t *testing.T, text string) {
		ids, err := enc.encode(text)
		if err != nil {
			return // reported per item; the point is that it is an error, not a panic
		}
		if len(ids) < 2 || len(ids) > 16 || ids[0] != onnxmodel.ClsID || ids[len(ids)-1] != onnxmodel.SepID {
			t.Fatalf("ids %v for %q", ids, text)
		}
		for _, id := range ids {
			if id < 0 || id >= vocab {
				t.Fatalf("id %d outside the vocabulary for %q", id, text)
			}
		}
	})
}

// TestInfo checks what the judge records about its session and the batch size it chose.
func TestInfo(t *testing.T) {
	tests := []struct {
		name           string
		device         ortenv.Device
		batch, threads int
		fixed          int // the model's own batch dimension
		wantBatch      int
		wantThreads    int
	}{
		{"defaults on the CPU", ortenv.CPUDevice(), 0, 0, 0, DefaultBatchCPU, ortenv.DefaultThreads()},
		{"batch and threads given", ortenv.CPUDevice(), 8, 1, 0, 8, 1},
		{"a fixed batch dimension wins", ortenv.CPUDevice(), 8, 2, 4, 4, 2},
		{"auto", ortenv.AutoDevice(), 0, 1, 0, DefaultBatchCPU, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			cfg.ONNX = testModel(false, 0, tc.fixed)
			cfg.Device, cfg.BatchSize, cfg.Threads = tc.device, tc.batch, tc.threads
			j := newJudge(t, cfg)
			info := j.Info()
			if _, cuda := info.Device.CUDA(); cuda {
				t.Skip("a CUDA device works here")
			}
			if info.Device != ortenv.CPUDevice() || info.Requested != tc.device || info.Threads != tc.wantThreads ||
				info.BatchSize != tc.wantBatch || info.ORTVersion != cfg.Runtime.Version() || info.TF32 {
				t.Errorf("info %+v: want the CPU, %d threads, batch %d", info, tc.wantThreads, tc.wantBatch)
			}
			if tc.device.IsAuto() != (info.Fallback != "") {
				t.Errorf("fallback %q for device %s", info.Fallback, tc.device)
			}
			// The judge works at that batch size.
			if _, err := j.Judge(context.Background(), []judges.Item{{ClipID: "1", Text: "She smiles. He shouts."}}); err != nil {
				t.Error(err)
			}
		})
	}
}
