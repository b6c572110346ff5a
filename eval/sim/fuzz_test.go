package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/prompts"
)

// FuzzHandler posts arbitrary bodies: every answer is a JSON completion or a JSON error.
func FuzzHandler(f *testing.F) {
	judge := prompts.Judge(datasets.DFEW(), "His voice has a loud, sharp tone.")
	for _, s := range []string{
		`{"model":"migr-sim","messages":[{"role":"user","content":[{"type":"video_url","video_url":{"url":"file:///d/clip/00001.mp4"}},{"type":"text","text":"x"}]}],"seed":2,"max_tokens":30}`,
		`{"model":"r1-omni-sim","messages":[{"role":"user","content":"clip_id: 7"}]}`,
		`{"model":"judge-sim","messages":[{"role":"user","content":` + strings.ReplaceAll(mustJSON(judge), "\n", `\n`) + `}]}`,
		`{"model":"r1-omni-sim","messages":[{"role":"user","content":[{"type":"audio_url","audio_url":{"url":"data:,"}}]}]}`,
		`{}`, `[`, ``,
	} {
		f.Add([]byte(s))
	}
	s := newTestServer(f, Config{Seed: 1, Split: testSplit(datasets.DFEW(), []int{2, 2, 2, 2, 2, 2, 2})})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/v1/chat/completions", strings.NewReader(string(body))))
		var v map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
			t.Fatalf("status %d, body not JSON: %q", rec.Code, rec.Body.String())
		}
		switch rec.Code {
		case 200:
			if _, ok := v["choices"]; !ok {
				t.Fatalf("200 without choices: %s", rec.Body.String())
			}
		case 400, 404:
			if _, ok := v["error"]; !ok {
				t.Fatalf("%d without error: %s", rec.Code, rec.Body.String())
			}
		default:
			t.Fatalf("status %d", rec.Code)
		}
	})
}

func mustJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func FuzzParseFaults(f *testing.F) {
	for _, s := range []string{"latency=50ms,429=0.1,retry-after=2s", "hang=1", "", "x", "500=0.5,500=0.7", "jitter=-1s"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		fl, err := ParseFaults(spec)
		if err != nil {
			return
		}
		for _, p := range []float64{fl.P429, fl.P500, fl.PMalformed, fl.PTruncated, fl.PReset, fl.PHang} {
			if !(p >= 0 && p <= 1) {
				t.Fatalf("accepted probability %v from %q", p, spec)
			}
		}
	})
}
