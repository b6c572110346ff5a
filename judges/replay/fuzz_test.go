package replay

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

func FuzzERVJSON(f *testing.F) {
	for _, s := range []string{
		`[{"12583": {"gpt_response": "angry", "reason": "He shouts."}}]`,
		"[\n {\"1\": {\"gpt_response\": null}, \"2\": {\"gpt_response\": \"Sad.\"}},\n {}\n]",
		`[{"1": "sad"}]`,
		`{"1": {"gpt_response": "sad"}}`,
		`[{"1": {"gpt_response": "sad"}}] x`,
		"[\n{\"1\": {\"gpt_resp",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readERVJSON("f.json", bytes.NewReader(data))
		if err != nil {
			var ie *inputerr.Error
			if !inputerr.Is(err) {
				t.Fatalf("not an input error: %v", err)
			}
			if errors.As(err, &ie) && ie.Line < 0 {
				t.Fatalf("line %d", ie.Line)
			}
			return
		}
		if !json.Valid(data) {
			t.Fatalf("accepted invalid JSON")
		}
		// The same file decoded whole: a list of objects whose values hold gpt_response.
		var whole []map[string]map[string]any
		if err := json.Unmarshal(data, &whole); err != nil {
			t.Fatalf("accepted a file that is not a list of objects of objects: %v", err)
		}
		keys := 0
		for _, m := range whole {
			keys += len(m)
		}
		if len(got) < keys || len(got) == 0 { // duplicate keys in one object count once in a map
			t.Fatalf("%d replies from %d keys", len(got), keys)
		}
		for _, r := range got {
			if r.ClipID == "" || r.Line < 1 {
				t.Fatalf("reply %+v", r)
			}
		}
	})
}

func FuzzJSONL(f *testing.F) {
	for _, s := range []string{
		`{"clip_id": "1", "emotion": "sad"}` + "\n" + `{"clip_id": 2, "reply": "Angry."}`,
		"\n\r\n{\"clip_id\": \"x\", \"emotion\": null}",
		`{"clip_id": "1"}`,
		`[1]`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := readJSONL("f.jsonl", bytes.NewReader(data))
		if err != nil {
			if !inputerr.Is(err) {
				t.Fatalf("not an input error: %v", err)
			}
			return
		}
		n := 0
		for _, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.TrimSpace(line)) > 0 {
				n++
			}
		}
		if n != len(got) {
			t.Fatalf("%d replies from %d lines", len(got), n)
		}
	})
}
