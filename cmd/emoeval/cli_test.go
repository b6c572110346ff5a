package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/judges"
)

var update = flag.Bool("update", false, "rewrite golden files")

// repo is the repository root, where the shared fixtures live.
const repo = "../.."

// importFixture imports the DFEW fixture split files into a split file.
func importFixture(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "dfew.parquet")
	r := runCLI(t, nil, "datasets", "import", "dfew", "--labels", filepath.Join(repo, "testdata/dfew"), "--media-root", "/data/DFEW", "-o", out)
	if r.code != 0 {
		t.Fatalf("import: exit %d: %s", r.code, r.stderr)
	}
	return out
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		writeFile(t, p, got)
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, got)
	}
}

func TestDatasetsCommands(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	r := runCLI(t, nil, "datasets", "inspect", split)
	if r.code != 0 || !strings.Contains(r.stdout, "fold") {
		t.Fatalf("inspect: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, "datasets", "inspect", split, "--json")
	var in struct {
		Dataset string `json:"dataset"`
		Clips   int    `json:"clips"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &in); err != nil || in.Dataset != "dfew" || in.Clips != 150 {
		t.Fatalf("inspect --json: %v %+v\n%s", err, in, r.stdout)
	}
	synth := filepath.Join(dir, "synth.parquet")
	r = runCLI(t, nil, "datasets", "synth", "--dataset", "mafw", "--folds", "5", "--seed", "4", "-o", synth)
	if r.code != 0 {
		t.Fatalf("synth: exit %d: %s", r.code, r.stderr)
	}
	r = runCLI(t, nil, "datasets", "inspect", synth)
	if r.code != 0 || !strings.Contains(strings.ToLower(r.stdout), "synthetic") {
		t.Fatalf("inspect of a synthetic split does not say so: exit %d\n%s", r.code, r.stdout)
	}
}

func TestScoreReproducesTheAuthorsTables(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	r := runCLI(t, nil, "score", "--split", split, "--fold", "5",
		"--model", "r1-omni="+filepath.Join(res, "r1omni_dfew5.txt"),
		"--model", "migr="+filepath.Join(res, "migr_dfew5.txt"),
		"--judgments", "gpt/r1-omni="+filepath.Join(res, "gpt_r1omni_dfew5.json"),
		"--judgments", "gpt/migr="+filepath.Join(res, "gpt_migr_dfew5.json"),
		"--bootstrap", "0", "--reference=false", "--format", "md")
	if r.code != 0 {
		t.Fatalf("score: exit %d: %s", r.code, r.stderr)
	}
	golden(t, "score_dfew5.md.golden", r.stdout)
}

func TestScoreBadInput(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	notInSplit := filepath.Join(dir, "extra.txt")
	writeFile(t, notInSplit, "147|<answer>disgust</answer>\n99999|<think>x</think>\n<answer>sad</answer>\n")
	empty := filepath.Join(dir, "empty.txt")
	writeFile(t, empty, "")
	notParquet := filepath.Join(dir, "split-bad.parquet")
	writeFile(t, notParquet, "video_name,label\n1,2\n")
	truncated := filepath.Join(dir, "split-trunc.parquet")
	data, err := os.ReadFile(split)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, truncated, string(data[:len(data)/2]))
	model := "m=" + filepath.Join(res, "r1omni_dfew5.txt")

	cases := []struct {
		name string
		args []string
		want []string
	}{
		{"clip not in the split", []string{"score", "--split", split, "--model", "m=" + notInSplit}, []string{"extra.txt:2", `"99999"`, "not in the test set of fold 5"}},
		{"empty model file", []string{"score", "--split", split, "--model", "m=" + empty}, []string{"empty.txt"}},
		{"split not parquet", []string{"score", "--split", notParquet, "--model", model}, []string{"split-bad.parquet"}},
		{"split truncated", []string{"score", "--split", truncated, "--model", model}, []string{"split-trunc.parquet"}},
		{"missing fold", []string{"score", "--split", split, "--fold", "7", "--model", model}, []string{"no fold 7"}},
		{"unknown format", []string{"score", "--split", split, "--model", "m=" + filepath.Join(res, "r1omni_dfew5.txt") + ":yaml"}, []string{`unknown format "yaml"`}},
		{"judgments for a missing model", []string{"score", "--split", split, "--model", model, "--judgments", "nobody=" + filepath.Join(res, "gpt_r1omni_dfew5.json")}, []string{`model "nobody"`}},
		{"unknown flag", []string{"score", "--splt", split}, []string{"unknown flag"}},
		{"no split flag", []string{"score", "--model", model}, []string{"split"}},
		{"bad protocol", []string{"score", "--split", split, "--model", model, "--protocol", "lenient"}, []string{`"lenient"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, "out-"+strings.ReplaceAll(tc.name, " ", "-"))
			r := runCLI(t, nil, append(tc.args, "--out", out)...)
			if r.code != exitBadInput {
				t.Fatalf("exit %d, want 2\nstderr: %s", r.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, r.stderr)
				}
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine") {
				t.Errorf("a panic reached the user:\n%s", r.stderr)
			}
			for _, f := range []string{"predictions.parquet", "summary.json", "manifest.json", "report"} {
				if _, err := os.Stat(filepath.Join(out, f)); err == nil {
					t.Errorf("%s was written despite the error", f)
				}
			}
		})
	}
}

func TestScoreOutReportCompare(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	runs := map[string]string{}
	for _, m := range []struct{ name, file, replies string }{
		{"r1-omni", "r1omni_dfew5.txt", "gpt_r1omni_dfew5.json"},
		{"migr", "migr_dfew5.txt", "gpt_migr_dfew5.json"},
	} {
		out := filepath.Join(dir, "run-"+m.name)
		r := runCLI(t, nil, "score", "--split", split, "--model", m.name+"="+filepath.Join(res, m.file),
			"--judgments", "gpt/"+m.name+"="+filepath.Join(res, m.replies), "--judge", "lexicon",
			"--bootstrap", "200", "--out", out, "--formats", "md,csv,png", "--format", "none")
		if r.code != 0 {
			t.Fatalf("score %s: exit %d: %s", m.name, r.code, r.stderr)
		}
		for _, f := range []string{"predictions.parquet", "judgments.parquet", "summary.json", "manifest.json", "report/tables/recognition.md", "report/figures"} {
			if _, err := os.Stat(filepath.Join(out, f)); err != nil {
				t.Errorf("score --out did not write %s", f)
			}
		}
		runs[m.name] = out
	}

	// report renders again from the files alone.
	r := runCLI(t, nil, "report", runs["migr"], "--formats", "txt,pdf")
	if r.code != 0 {
		t.Fatalf("report: exit %d: %s", r.code, r.stderr)
	}
	if _, err := os.Stat(filepath.Join(runs["migr"], "report", "report.pdf")); err != nil {
		t.Error("report did not write report.pdf")
	}

	// compare: a passing gate, a failing gate, a gate that cannot be evaluated.
	junit := filepath.Join(dir, "gates.xml")
	summary := filepath.Join(dir, "step-summary.md")
	env := map[string]string{"GITHUB_STEP_SUMMARY": summary}
	r = runCLI(t, env, "compare", runs["r1-omni"], runs["migr"], "--gate", "war:max-drop=100pp", "--junit", junit, "--bootstrap", "200")
	if r.code != 0 {
		t.Fatalf("compare with a lenient gate: exit %d: %s\n%s", r.code, r.stderr, r.stdout)
	}
	if b, err := os.ReadFile(summary); err != nil || !strings.Contains(string(b), "war") {
		t.Errorf("$GITHUB_STEP_SUMMARY not appended: %v", err)
	}
	if b, err := os.ReadFile(junit); err != nil || !strings.Contains(string(b), "<testcase") {
		t.Errorf("JUnit not written: %v", err)
	}
	r = runCLI(t, nil, "compare", runs["r1-omni"], runs["migr"], "--gate", "war:min=1", "--bootstrap", "200")
	if r.code != exitGateFailed {
		t.Fatalf("compare with an impossible gate: exit %d, want 1: %s", r.code, r.stderr)
	}
	r = runCLI(t, nil, "compare", runs["r1-omni"], runs["migr"], "--gate", "nojudge.tf:max-rise=0", "--bootstrap", "200")
	if r.code != exitBadInput {
		t.Fatalf("compare with a gate on a missing judge: exit %d, want 2: %s", r.code, r.stderr)
	}
	r = runCLI(t, nil, "compare", runs["r1-omni"], filepath.Join(dir, "nowhere"))
	if r.code != exitBadInput {
		t.Fatalf("compare with a missing run: exit %d, want 2", r.code)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"score", "--bootstrap", "many"}, {"report"}, {"compare", "one"}} {
		if r := runCLI(t, nil, args...); r.code != exitBadInput {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	if r := runCLI(t, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "emoeval ") {
		t.Errorf("version: %d %q", r.code, r.stdout)
	}
	for _, c := range []string{"score", "run", "report", "compare", "merge", "sim", "demo", "datasets", "version"} {
		if r := runCLI(t, nil, c, "--help"); r.code != 0 || !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%s --help: exit %d", c, r.code)
		}
	}
}

func TestScoreJudgeAgreementWithHumanLabels(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	human := filepath.Join(dir, "human.jsonl")
	writeFile(t, human, `{"clip_id": "147", "emotion": "disgust"}
{"clip_id": "00151", "emotion": "Angry"}
{"clip_id": "417", "emotion": "happiness"}
`)
	r := runCLI(t, nil, "score", "--split", split, "--model", "r1-omni="+filepath.Join(res, "r1omni_dfew5.txt"),
		"--judgments", "gpt/r1-omni="+filepath.Join(res, "gpt_r1omni_dfew5.json"), "--judge", "lexicon",
		"--human", "r1-omni="+human, "--bootstrap", "0", "--format", "txt")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "human:r1-omni") {
		t.Errorf("the agreement table does not compare the judges with the human labels:\n%s", r.stdout)
	}
	bad := filepath.Join(dir, "bad-human.jsonl")
	writeFile(t, bad, `{"clip_id": "147", "emotion": "disgust"}
{"clip_id": "151", "emotion": "grumpy"}
`)
	r = runCLI(t, nil, "score", "--split", split, "--model", "r1-omni="+filepath.Join(res, "r1omni_dfew5.txt"), "--judge", "lexicon", "--human", bad)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "bad-human.jsonl:2") || !strings.Contains(r.stderr, `"grumpy"`) {
		t.Errorf("a human label outside the label set: exit %d: %s", r.code, r.stderr)
	}
}

func TestScoreWithClassifierJudge(t *testing.T) {
	onnxtest.Runtime(t)
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	// A bag-of-words GoEmotions-style model (28 sigmoid outputs) over a tiny vocabulary:
	// anger words raise index 2, sadness words index 25, joy words index 17.
	words := map[string]int{"shouts": 2, "rage": 2, "tears": 25, "softly": 25, "laughs": 17, "grins": 17}
	var vocab []string
	for w := range words {
		vocab = append(vocab, w)
	}
	sort.Strings(vocab)
	emb := make([]float32, (4+len(vocab))*28)
	for i, w := range vocab {
		emb[(4+i)*28+words[w]] = 6
	}
	bias := make([]float32, 28)
	for i := range bias {
		bias[i] = -5
	}
	model := filepath.Join(dir, "goemo.onnx")
	writeFile(t, model, string(onnxmodel.TextSpec{Vocab: 4 + len(vocab), Classes: 28, Emb: emb, B: bias}.Build()))
	tok := filepath.Join(dir, "tokenizer.json")
	writeFile(t, tok, string(onnxmodel.BertTokenizerJSON(vocab)))
	cfg := filepath.Join(dir, "judges.yaml")
	writeFile(t, cfg, "judges:\n  - {name: goemo, kind: classifier, path: goemo.onnx, tokenizer: tokenizer.json}\n")
	r := runCLI(t, nil, "score", "--split", split, "--model", "r1-omni="+filepath.Join(res, "r1omni_dfew5.txt"),
		"--judge", "classifier", "--judge-config", cfg, "--bootstrap", "0", "--format", "txt")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "Prediction × explanation under judge goemo") {
		t.Errorf("no quarter table for the classifier judge:\n%s", r.stdout)
	}
	out := filepath.Join(dir, "run")
	r = runCLI(t, nil, "score", "--split", split, "--model", "r1-omni="+filepath.Join(res, "r1omni_dfew5.txt"),
		"--judge", "classifier", "--judge-config", cfg, "--bootstrap", "0", "--out", out, "--formats", "md", "--format", "none")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	js, err := judges.ReadJudgments(filepath.Join(out, "judgments.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	labelled := 0
	for _, j := range js {
		if len(j.Sentences) != len(j.SentenceLabels) {
			t.Fatalf("clip %s: %d sentences, %d labels", j.ClipID, len(j.Sentences), len(j.SentenceLabels))
		}
		for _, l := range j.SentenceLabels {
			if l != "" {
				labelled++
			}
		}
	}
	if labelled == 0 {
		t.Error("the classifier labelled no sentence")
	}
	s := readSummaryJSON(t, out)
	if _, ok := s["models"].(map[string]any)["r1-omni"].(map[string]any)["drift"].(map[string]any)["goemo"]; !ok {
		t.Error("no drift curve from the classifier's sentence labels")
	}
}

func TestScoreRefusesAnMITableOfOtherClips(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	mi := filepath.Join(dir, "mi.csv")
	writeFile(t, mi, "sample_id,video,audio,video_audio\n147.0,1,0,1\n151.0,0,1,1\n")
	r := runCLI(t, nil, "score", "--split", split, "--model", "m="+filepath.Join(res, "migr_dfew5.txt"), "--mi", mi)
	if r.code != exitBadInput || !strings.Contains(r.stderr, "none of its 2 clips") {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	writeFile(t, mi, "sample_id,video,audio,video_audio\n147,1,0,1\n151,0,1,1\n")
	if r := runCLI(t, nil, "score", "--split", split, "--model", "m="+filepath.Join(res, "migr_dfew5.txt"), "--mi", mi, "--bootstrap", "0"); r.code != 0 {
		t.Fatalf("a matching MI table: exit %d: %s", r.code, r.stderr)
	}
}

// Usage errors exit 2 everywhere, command groups included, and say what to type instead.
func TestUsageMessagesNameTheFix(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"datasets", "inpsect", "x"}, `unknown command "inpsect" for "emoeval datasets": did you mean inspect?`},
		{[]string{"scroe"}, "did you mean score?"},
		{[]string{"datasets"}, "emoeval datasets needs a command"},
		{[]string{}, "emoeval needs a command"},
		{[]string{"report"}, "report takes 1 argument(s), got 0; usage: emoeval report RUN_DIR"},
		{[]string{"datasets", "synth", "--dataset", "dfew"}, "missing --out (split file to write)"},
		{[]string{"score", "--splt", "x"}, "unknown flag: --splt (did you mean --split?)"},
		{[]string{"run", "-c", "x.yaml", "--format", "tx"}, `--format "tx": use txt, md or none (did you mean txt?)`},
	}
	for _, tt := range tests {
		r := runCLI(t, nil, tt.args...)
		if r.code != exitBadInput || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("emoeval %s: exit %d, want 2 with %q:\n%s", strings.Join(tt.args, " "), r.code, tt.want, r.stderr)
		}
	}
	if r := runCLI(t, nil, "--version"); r.code != 0 || !strings.HasPrefix(r.stdout, "emoeval ") {
		t.Errorf("--version: exit %d: %q", r.code, r.stdout)
	}
}

// A byte-order mark is accepted in every text input: outputs (JSONL, id-pipe), judge replies
// (the authors' JSON, JSONL) and the configuration.
func TestByteOrderMarksAreAccepted(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	const mark = "\xef\xbb\xbf"
	res := filepath.Join(repo, "testdata/results")
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(res, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	writeFile(t, filepath.Join(dir, "migr.txt"), mark+read("migr_dfew5.txt"))
	writeFile(t, filepath.Join(dir, "gpt.json"), mark+read("gpt_migr_dfew5.json"))
	writeFile(t, filepath.Join(dir, "out.jsonl"), mark+`{"clip_id": "147", "output": "<answer>disgust</answer>"}`+"\n")
	r := runCLI(t, nil, "score", "--split", split, "--model", "migr="+filepath.Join(dir, "migr.txt"),
		"--judgments", "gpt/migr="+filepath.Join(dir, "gpt.json"), "--bootstrap", "0", "--format", "md", "--no-reference")
	want := runCLI(t, nil, "score", "--split", split, "--model", "migr="+filepath.Join(res, "migr_dfew5.txt"),
		"--judgments", "gpt/migr="+filepath.Join(res, "gpt_migr_dfew5.json"), "--bootstrap", "0", "--format", "md", "--no-reference")
	if r.code != 0 || r.stdout != want.stdout {
		t.Errorf("with byte-order marks: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runCLI(t, nil, "score", "--split", split, "--model", "m="+filepath.Join(dir, "out.jsonl"), "--bootstrap", "0", "--format", "none"); r.code != 0 {
		t.Errorf("JSONL with a byte-order mark: exit %d: %s", r.code, r.stderr)
	}
}

// Human labels on a subset of the explanations correct the judge's rates: summary.json has the
// corrected rates with intervals beside the human-only ones, and the report a judge-validity
// table.
func TestHumanLabelsCorrectTheJudge(t *testing.T) {
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	// A person labelled every other clip of the migr outputs (here: the clip's true label for
	// most, "none" for a few).
	var b strings.Builder
	for i, id := range []string{"147", "151", "417", "571", "1011", "1220", "1390", "1602", "1700", "1930", "2188", "2401"} {
		label := "none"
		if i%4 != 3 {
			label = "sad"
		}
		fmt.Fprintf(&b, `{"clip_id": %q, "emotion": %q}`+"\n", id, label)
	}
	human := filepath.Join(dir, "human.jsonl")
	writeFile(t, human, b.String())
	out := filepath.Join(dir, "run")
	r := runCLI(t, nil, "score", "--split", split, "--model", "migr="+filepath.Join(res, "migr_dfew5.txt"),
		"--judgments", "gpt/migr="+filepath.Join(res, "gpt_migr_dfew5.json"), "--human", "migr="+human,
		"--bootstrap", "0", "--out", out, "--formats", "md", "--format", "none")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	s := readSummaryJSON(t, out)
	corr, ok := s["models"].(map[string]any)["migr"].(map[string]any)["reliability"].(map[string]any)["gpt"].(map[string]any)["corrected"].(map[string]any)
	if !ok {
		t.Fatalf("no corrected rates in summary.json")
	}
	if corr["n_human"].(float64) == 0 || corr["ci"].(map[string]any)["tf"] == nil || corr["human_only"].(map[string]any)["tf"] == nil {
		t.Errorf("corrected rates: %v", corr)
	}
	md, err := os.ReadFile(filepath.Join(out, "report", "tables", "judge-validity.md"))
	if err != nil || !strings.Contains(string(md), "TF corrected") {
		t.Errorf("no judge-validity table: %v\n%s", err, md)
	}
}
