package replay

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
)

const fixtures = "../../testdata/results/"

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// dfewFold5 returns the clip ids and labels of testdata/dfew/single_testset_5.csv.
func dfewFold5(t *testing.T) (ids []string, labels map[string]string) {
	t.Helper()
	f, err := os.Open("../../testdata/dfew/single_testset_5.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	ls := datasets.DFEW()
	labels = map[string]string{}
	for _, r := range rows[1:] {
		var id int32
		fmt.Sscan(r[1], &id)
		l, _ := ls.ByID(id)
		ids = append(ids, r[0])
		labels[r[0]] = l
	}
	return ids, labels
}

func TestReadERVJSONFixture(t *testing.T) {
	replies, err := ReadReplies(fixtures+"gpt_r1omni_dfew5.json", FormatERVJSON)
	if err != nil {
		t.Fatal(err)
	}
	if len(replies) != 30 {
		t.Fatalf("%d replies", len(replies))
	}
	first, third := replies[0], replies[2]
	if first != (Reply{ClipID: "147", Text: "disgust", ReplyRaw: "disgust", Line: 3}) || third.ClipID != "00417" || third.Line != 15 {
		t.Errorf("first %+v third %+v", first, third)
	}
}

func TestReadERVJSON(t *testing.T) {
	got, err := readERVJSON("r.json", strings.NewReader(`[{"12583": {"gpt_response": "angry", "reason": "He shouts."}},
 {"7": {"gpt_response": null}, "8": {"gpt_response": "Sad.", "extra": 1}},
 {}]`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Reply{{ClipID: "12583", Text: "angry", ReplyRaw: "angry", Line: 1}, {ClipID: "7", Text: "", Line: 2},
		{ClipID: "8", Text: "Sad.", ReplyRaw: "Sad.", Line: 2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestReadERVJSONErrors(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		msg        string
	}{
		{"empty", "", 0, "empty file"},
		{"empty list", "[]", 0, "the list is empty"},
		{"an object at the top", `{"1": {"gpt_response": "sad"}}`, 1, "want a JSON list of one-key objects"},
		{"element not an object", "[\n\"sad\"]", 2, "list element 1 is not an object"},
		{"value not an object", "[\n{\"1\": \"sad\"}]", 2, `clip "1": want an object`},
		{"no gpt_response", "[{\"1\": {\"gpt_response\": \"sad\"}},\n{\"2\": {\"reason\": \"x\"}}]", 2, `clip "2": no gpt_response`},
		{"gpt_response a number", "[{\"2\": {\"gpt_response\": 3}}]", 1, "must be a string"},
		{"empty id", `[{"": {"gpt_response": "sad"}}]`, 1, "empty clip id"},
		{"syntax error", "[\n{\"1\": {\"gpt_response\": \"sad\"}},\n{\"2\" {}}]", 3, "expected colon after object key"},
		{"cut short", "[\n{\"1\": {\"gpt_response\": \"sad\"}},\n{\"2\": {\"gpt_resp", 3, "ends too early"},
		{"trailing data", `[{"1": {"gpt_response": "sad"}}] [`, 1, "data after the JSON list"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readERVJSON("r.json", strings.NewReader(tt.text))
			var ie *inputerr.Error
			if !errors.As(err, &ie) || ie.File != "r.json" || ie.Line != tt.line || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v; want line %d and %q", err, tt.line, tt.msg)
			}
		})
	}
}

func TestReadJSONL(t *testing.T) {
	got, err := readJSONL("r.jsonl", strings.NewReader(`{"clip_id": "00012", "emotion": "sad"}`+"\r\n\n"+
		`{"clip_id": 13, "reply": "Angry."}`+"\n"+`{"clip_id": "14", "emotion": null, "reply": "x"}`))
	if err != nil {
		t.Fatal(err)
	}
	want := []Reply{{ClipID: "00012", Text: "sad", ReplyRaw: "sad", Line: 1}, {ClipID: "13", Text: "Angry.", ReplyRaw: "Angry.", Line: 3},
		{ClipID: "14", Text: "", Line: 4}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	for text, msg := range map[string]string{
		"":                               "empty file",
		"\n \n":                          "only blank lines",
		`{"clip_id": "1"}`:               "no emotion (or reply)",
		`{"emotion": "sad"}`:             "no clip_id",
		`{"clip_id": "1", "emotion": 2}`: "emotion must be a string",
		"{\"clip_id\": \"1\",\n":         "bad JSON",
		`["1", "sad"]`:                   "not a JSON object",
		"{\"clip_id\": \"1\", \"emotion\": \"\xff\"}": "not valid UTF-8",
	} {
		_, err := readJSONL("r.jsonl", strings.NewReader(text))
		if !inputerr.Is(err) || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: err = %v; want %q", text, err, msg)
		}
	}
}

type emotionRow struct {
	ClipID  string `parquet:"clip_id"`
	Emotion string `parquet:"emotion"`
}

type replyRow struct {
	ClipID string `parquet:"clip_id"`
	Reply  string `parquet:"reply"`
}

func writeParquet[T any](t *testing.T, path string, rows []T) {
	t.Helper()
	if err := parquet.WriteFile(path, rows); err != nil {
		t.Fatal(err)
	}
}

func writeJudgments(t *testing.T, path string, rows []judges.Judgment) {
	t.Helper()
	w, err := judges.NewWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(rows...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestReadParquet(t *testing.T) {
	dir := t.TempDir()
	emo := filepath.Join(dir, "emo.parquet")
	writeParquet(t, emo, []emotionRow{{"1", "sad"}, {"00002", "Angry"}})
	rep := filepath.Join(dir, "rep.parquet")
	writeParquet(t, rep, []replyRow{{"1", "fear"}})
	jud := filepath.Join(dir, "judgments.parquet")
	writeJudgments(t, jud, []judges.Judgment{{Judge: "gpt", Model: "migr", ClipID: "1", Input: "think+desc", Emotion: "neutral", ReplyRaw: "Calm"}})
	for path, want := range map[string][]Reply{
		emo: {{ClipID: "1", Text: "sad", ReplyRaw: "sad", Line: 1}, {ClipID: "00002", Text: "Angry", ReplyRaw: "Angry", Line: 2}},
		rep: {{ClipID: "1", Text: "fear", ReplyRaw: "fear", Line: 1}},
		jud: {{ClipID: "1", Text: "neutral", ReplyRaw: "Calm", Judge: "gpt", Model: "migr", Input: "think+desc", Line: 1}},
	} {
		got, err := ReadReplies(path, FormatParquet)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %+v, %v; want %+v", filepath.Base(path), got, err, want)
		}
	}
	bad := filepath.Join(dir, "bad.parquet")
	writeParquet(t, bad, []struct {
		ClipID string `parquet:"clip_id"`
		Label  string `parquet:"label"`
	}{{"1", "sad"}})
	emptyID := filepath.Join(dir, "emptyid.parquet")
	writeParquet(t, emptyID, []emotionRow{{"1", "sad"}, {"", "sad"}})
	notParquet := writeFile(t, "x.parquet", `[{"1": {"gpt_response": "sad"}}]`)
	for path, msg := range map[string]string{
		bad:        "need clip_id and emotion",
		emptyID:    "row 2: empty clip_id",
		notParquet: "not a readable Parquet file",
	} {
		if _, err := ReadReplies(path, FormatParquet); !inputerr.Is(err) || !strings.Contains(err.Error(), msg) {
			t.Errorf("%s: err = %v; want %q", filepath.Base(path), err, msg)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for arg, want := range map[string]string{
		"gpt.json": FormatERVJSON, "gpt.jsonl": FormatJSONL, "j.parquet": FormatParquet, "replies.txt:jsonl": FormatJSONL,
		"gpt.JSON": FormatERVJSON,
	} {
		if _, f, err := FormatOf(arg); err != nil || f != want {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", arg, f, err, want)
		}
	}
	if _, _, err := FormatOf("replies.txt"); !inputerr.Is(err) {
		t.Errorf("FormatOf(replies.txt): %v", err)
	}
	if _, err := ReadReplies("x", "csv"); err == nil || inputerr.Is(err) {
		t.Errorf("unknown format: %v", err)
	}
}

func items(model string, ids ...string) []judges.Item {
	out := make([]judges.Item, len(ids))
	for i, id := range ids {
		out[i] = judges.Item{Model: model, ClipID: id}
	}
	return out
}

func TestJudgeMigrAgainstFixture(t *testing.T) {
	ids, _ := dfewFold5(t)
	j, err := New("gpt", fixtures+"gpt_r1omni_dfew5.json", FormatERVJSON, datasets.DFEW(), parse.ProtocolMigr, "")
	if err != nil {
		t.Fatal(err)
	}
	if j.Name() != "gpt" || j.Len() != 30 {
		t.Errorf("name %q, %d replies", j.Name(), j.Len())
	}
	if u := j.Unmatched(ids); len(u) != 0 {
		t.Errorf("replies for clips outside the split: %v", u)
	}
	got, err := j.Judge(context.Background(), items("r1-omni", "417", "4036", "11950", "571", "99999"))
	if err != nil {
		t.Fatal(err)
	}
	want := []judges.Judgment{
		{Judge: "gpt", Model: "r1-omni", ClipID: "417", Input: "think", Emotion: "happy", ReplyRaw: "happy"}, // "00417" in the file
		{Judge: "gpt", Model: "r1-omni", ClipID: "4036", Input: "think", Emotion: "angry", ReplyRaw: "Angry"},
		{Judge: "gpt", Model: "r1-omni", ClipID: "11950", Input: "think", Emotion: "unknown", ReplyRaw: "None"},
		{Judge: "gpt", Model: "r1-omni", ClipID: "571", Input: "think", Emotion: "neutral", ReplyRaw: "neutral"},
		{Judge: "gpt", Model: "r1-omni", ClipID: "99999", Input: "think", Emotion: "unknown",
			Error: "no reply for clip 99999 in " + fixtures + "gpt_r1omni_dfew5.json"},
	}
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestJudgeRobust(t *testing.T) {
	path := writeFile(t, "r.jsonl", `{"clip_id": "1", "emotion": "Angry."}`+"\n"+`{"clip_id": "2", "emotion": "None"}`+"\n"+
		`{"clip_id": "3", "emotion": "sadness"}`+"\n")
	j, err := New("llm", path, FormatJSONL, datasets.DFEW(), parse.ProtocolRobust, "m")
	if err != nil {
		t.Fatal(err)
	}
	got, err := j.Judge(context.Background(), items("m", "1", "2", "3"))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct{ emotion, norm string }{{"angry", "case,punct"}, {"unknown", "case"}, {"sad", "synonym"}} {
		if got[i].Emotion != want.emotion || got[i].Normalized != want.norm || got[i].Fallback || got[i].Error != "" {
			t.Errorf("item %d: %+v; want %s %q", i, got[i], want.emotion, want.norm)
		}
	}
	// Under migr the same replies follow the consistency script's rules.
	j, _ = New("llm", path, FormatJSONL, datasets.DFEW(), parse.ProtocolMigr, "")
	got, _ = j.Judge(context.Background(), items("m", "1", "2", "3"))
	if got[0].Emotion != "unknown" || got[1].Emotion != "unknown" || got[2].Emotion != "sad" || got[0].Normalized != "" {
		t.Errorf("migr: %+v", got)
	}
}

func TestJudgeSelectsJudgeAndModel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "judgments.parquet")
	writeJudgments(t, path, []judges.Judgment{
		{Judge: "gpt", Model: "migr", ClipID: "1", Emotion: "sad", ReplyRaw: "sad"},
		{Judge: "gpt", Model: "r1-omni", ClipID: "1", Emotion: "happy", ReplyRaw: "happy"},
		{Judge: "lexicon", Model: "migr", ClipID: "1", Emotion: "fear", ReplyRaw: "fear"},
		{Judge: "lexicon", Model: "r1-omni", ClipID: "1", Emotion: "angry", ReplyRaw: "angry"},
	})
	tests := []struct {
		judge, model, want, err string
	}{
		{"gpt", "migr", "sad", ""},
		{"lexicon", "r1-omni", "angry", ""},
		{"gpt", "", "", "several models (migr, r1-omni): name the model"},
		{"classifier", "migr", "", "several judges (gpt, lexicon), none called \"classifier\""},
		{"gpt", "erv", "", `no replies for model "erv" (the file has: migr, r1-omni)`},
	}
	for _, tt := range tests {
		j, err := New(tt.judge, path, FormatParquet, datasets.DFEW(), parse.ProtocolMigr, tt.model)
		if tt.err != "" {
			if !inputerr.Is(err) || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s/%s: err = %v; want %q", tt.judge, tt.model, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got, _ := j.Judge(context.Background(), items(tt.model, "1"))
		if got[0].Emotion != tt.want || got[0].ReplyRaw != tt.want {
			t.Errorf("%s/%s: %+v; want %s", tt.judge, tt.model, got[0], tt.want)
		}
	}
}

// The authors' consistency script reads the judge replies into a Python dict, so under migr the
// last reply for a clip wins; robust refuses the file, naming both lines.
func TestJudgeDuplicates(t *testing.T) {
	text := "[{\"147\": {\"gpt_response\": \"sad\"}},\n{\"151\": {\"gpt_response\": \"angry\"}},\n" +
		"{\"00147\": {\"gpt_response\": \"disgust\"}},\n{\"151\": {\"gpt_response\": \"fear\"}},\n{\"151\": {\"gpt_response\": \"angry\"}}]"
	path := writeFile(t, "dup.json", text)
	j, err := New("gpt", path, FormatERVJSON, datasets.DFEW(), parse.ProtocolMigr, "")
	if err != nil {
		t.Fatal(err)
	}
	if j.Duplicates() != 3 || j.Len() != 2 {
		t.Errorf("%d duplicates, %d replies; want 3 and 2", j.Duplicates(), j.Len())
	}
	got, _ := j.Judge(context.Background(), items("m", "147", "151"))
	if got[0].Emotion != "disgust" || got[0].ReplyRaw != "disgust" || got[1].Emotion != "angry" {
		t.Errorf("the last reply does not win: %+v", got)
	}
	if u := j.Unmatched([]string{"12"}); fmt.Sprint(u) != "[147 151]" {
		t.Errorf("Unmatched lists a clip more than once: %v", u)
	}

	_, err = New("gpt", path, FormatERVJSON, datasets.DFEW(), parse.ProtocolRobust, "")
	var ie *inputerr.Error
	if !errors.As(err, &ie) || ie.Line != 3 || !strings.Contains(err.Error(), `a second reply for clip "00147" (the first is at line 1)`) {
		t.Errorf("robust duplicate: %v", err)
	}
	jud := filepath.Join(t.TempDir(), "judgments.parquet")
	writeJudgments(t, jud, []judges.Judgment{{Judge: "gpt", Model: "m", ClipID: "1", Emotion: "sad"},
		{Judge: "gpt", Model: "m", ClipID: "2", Emotion: "sad"}, {Judge: "gpt", Model: "m", ClipID: "001", Emotion: "fear"}})
	_, err = New("gpt", jud, FormatParquet, datasets.DFEW(), parse.ProtocolRobust, "m")
	if !errors.As(err, &ie) || ie.Row != 3 || !strings.Contains(err.Error(), `a second reply for clip "001" (the first is at row 1)`) {
		t.Errorf("robust duplicate in Parquet: %v", err)
	}
	j, err = New("gpt", jud, FormatParquet, datasets.DFEW(), parse.ProtocolMigr, "m")
	if err != nil || j.Duplicates() != 1 {
		t.Fatalf("migr: %v", err)
	}
	if got, _ := j.Judge(context.Background(), items("m", "1")); got[0].Emotion != "fear" {
		t.Errorf("migr, Parquet: %+v", got[0])
	}
}

func TestJudgeReportsUnmatched(t *testing.T) {
	path := writeFile(t, "extra.json", `[{"147": {"gpt_response": "sad"}}, {"0099": {"gpt_response": "sad"}}, {"abc": {"gpt_response": "x"}}]`)
	j, err := New("gpt", path, FormatERVJSON, datasets.DFEW(), parse.ProtocolMigr, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := j.Unmatched([]string{"00147", "12"}); fmt.Sprint(got) != "[0099 abc]" {
		t.Errorf("Unmatched = %v", got)
	}
	if j.Duplicates() != 0 {
		t.Errorf("%d duplicates", j.Duplicates())
	}
}

// Replaying an emoeval judgments.parquet keeps what the original judgment recorded: the raw
// reply, the migr fallback to neutral, the error of a failed call and the robust normalisations.
func TestJudgeReplaysJudgmentsParquet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "judgments.parquet")
	writeJudgments(t, path, []judges.Judgment{
		{Judge: "gpt", Model: "m", ClipID: "00147", Input: "think", Emotion: "disgust", ReplyRaw: "disgust"},
		{Judge: "gpt", Model: "m", ClipID: "00151", Input: "think", Emotion: "neutral", Fallback: true, ReplyRaw: "Angry"},
		{Judge: "gpt", Model: "m", ClipID: "00417", Input: "think+desc", Emotion: "neutral", Fallback: true, ReplyRaw: "None", Error: "timeout"},
		{Judge: "gpt", Model: "m", ClipID: "00571", Input: "think", Emotion: "angry", ReplyRaw: "Angry.", Normalized: "case,punct"},
		{Judge: "gpt", Model: "m", ClipID: "01011", Input: "think", Emotion: "unknown", Error: "HTTP 500"},
	})
	want := []judges.Judgment{
		{Judge: "gpt", Model: "m", ClipID: "147", Input: "think", Emotion: "disgust", ReplyRaw: "disgust"},
		{Judge: "gpt", Model: "m", ClipID: "151", Input: "think", Emotion: "neutral", Fallback: true, ReplyRaw: "Angry"},
		{Judge: "gpt", Model: "m", ClipID: "417", Input: "think+desc", Emotion: "neutral", Fallback: true, ReplyRaw: "None", Error: "timeout"},
		{Judge: "gpt", Model: "m", ClipID: "571", Input: "think", Emotion: "angry", ReplyRaw: "Angry.", Normalized: "case,punct"},
		{Judge: "gpt", Model: "m", ClipID: "1011", Input: "think", Emotion: "unknown", Error: "HTTP 500"},
	}
	for _, proto := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		j, err := New("gpt", path, FormatParquet, datasets.DFEW(), proto, "m")
		if err != nil {
			t.Fatal(err)
		}
		got, err := j.Judge(context.Background(), items("m", "147", "151", "417", "571", "1011"))
		if err != nil || fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", want) {
			t.Errorf("%s:\n got  %+v\n want %+v", proto, got, want)
		}
	}
	// A clip_id + emotion file from another tool: nothing kept beyond the emotion; robust adds
	// its own normalisations to any the file records.
	other := filepath.Join(t.TempDir(), "other.parquet")
	writeParquet(t, other, []struct {
		ClipID     string `parquet:"clip_id"`
		Emotion    string `parquet:"emotion"`
		Normalized string `parquet:"normalized"`
	}{{"1", "Sadness", "synonym"}, {"2", "Angry", ""}})
	j, err := New("x", other, FormatParquet, datasets.DFEW(), parse.ProtocolRobust, "")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := j.Judge(context.Background(), items("m", "1", "2"))
	if got[0].Emotion != "sad" || got[0].Normalized != "case,synonym" || got[0].ReplyRaw != "Sadness" || got[0].Fallback || got[0].Error != "" ||
		got[1].Emotion != "angry" || got[1].Normalized != "case" || got[1].ReplyRaw != "Angry" {
		t.Errorf("other tool's file: %+v", got)
	}
}

func TestJudgeCancelled(t *testing.T) {
	j, err := New("gpt", fixtures+"gpt_migr_dfew5.json", FormatERVJSON, datasets.DFEW(), parse.ProtocolMigr, "")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.Judge(ctx, items("m", "147")); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v", err)
	}
}
