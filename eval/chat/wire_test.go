package chat

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func ptr[T any](v T) *T { return &v }

func TestMarshalRequestVLLMForm(t *testing.T) {
	req := Request{Model: "R1-Omni-7B", Temperature: ptr(0.3), MaxTokens: 512, Seed: ptr(int64(7)), SampleIndex: 3,
		Messages: []Message{
			{Role: "system", Content: []Part{TextPart("be brief")}},
			{Role: "user", Content: []Part{VideoURLPart("file:///d/clip/00001.mp4"), AudioURLPart("file:///d/a/00001.wav"),
				{Type: PartInputAudio, Data: "UklGRg==", Format: "wav"}, TextPart("Which emotion?")}},
		}}
	got, err := MarshalRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"model":"R1-Omni-7B","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[` +
		`{"type":"video_url","video_url":{"url":"file:///d/clip/00001.mp4"}},` +
		`{"type":"audio_url","audio_url":{"url":"file:///d/a/00001.wav"}},` +
		`{"type":"input_audio","input_audio":{"data":"UklGRg==","format":"wav"}},` +
		`{"type":"text","text":"Which emotion?"}]}],"temperature":0.3,"max_tokens":512,"seed":7}`
	if string(got) != want {
		t.Fatalf("MarshalRequest =\n%s\nwant\n%s", got, want)
	}
	back, err := UnmarshalRequest(got)
	if err != nil {
		t.Fatal(err)
	}
	req.SampleIndex = 0 // never sent
	if !reflect.DeepEqual(back, req) {
		t.Fatalf("round trip:\n%+v\nwant\n%+v", back, req)
	}
}

func TestMarshalRequestErrors(t *testing.T) {
	for _, tt := range []struct {
		req  Request
		want string
	}{
		{Request{Messages: UserText("x")}, "no model"},
		{Request{Model: "m"}, "no messages"},
		{Request{Model: "m", Messages: []Message{{Role: "user", Content: []Part{{Type: "image"}, TextPart("x")}}}}, `unknown type "image"`},
	} {
		if _, err := MarshalRequest(tt.req); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("MarshalRequest(%+v) = %v, want %q", tt.req, err, tt.want)
		}
	}
}

func TestDecodeResponse(t *testing.T) {
	tests := []struct {
		name, body string
		want       Response
		err        string
		retry      bool // for errors: whether another attempt may help
	}{
		{"openai", `{"id":"x","choices":[{"index":0,"message":{"role":"assistant","content":"<answer>sad</answer>"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":5}}`,
			Response{Text: "<answer>sad</answer>", FinishReason: "stop", PromptTokens: 12, CompletionTokens: 5}, "", false},
		{"null content", `{"choices":[{"message":{"content":null},"finish_reason":"length"}]}`, Response{FinishReason: "length"}, "", false},
		// A generation cut at max_tokens is still the model's answer.
		{"length", `{"choices":[{"message":{"content":"<think>long"},"finish_reason":"length"}]}`, Response{Text: "<think>long", FinishReason: "length"}, "", false},
		{"part array", `{"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"other"},{"type":"text","text":"b"}]}}]}`, Response{Text: "ab"}, "", false},
		{"no choices", `{"choices":[]}`, Response{}, "no choices", true},
		{"error object without code", `{"error":{"message":"overloaded"}}`, Response{}, "overloaded", false},
		{"error string", `{"error":"model not loaded"}`, Response{}, "model not loaded", false},
		{"error code 400", `{"error":{"message":"maximum context length is 4096 tokens","code":400}}`, Response{}, "maximum context length", false},
		{"error code 503", `{"error":{"message":"busy","code":503}}`, Response{}, "busy", true},
		{"error code 429 text", `{"error":{"message":"slow down","code":"429"}}`, Response{}, "slow down", true},
		{"error type overloaded", `{"error":{"message":"busy","type":"Overloaded_Error"}}`, Response{}, "busy", true},
		{"error status timeout", `{"error":{"message":"slow","status":"DEADLINE_TIMEOUT"}}`, Response{}, "slow", true},
		{"error type server_error", `{"error":{"message":"oops","type":"server_error"}}`, Response{}, "oops", true},
		{"error quota", `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":503}}`, Response{}, "quota is exhausted", false},
		{"abort", `{"choices":[{"message":{"content":"<think>The face shows"},"finish_reason":"abort"}]}`, Response{}, `finish_reason "abort"`, true},
		{"error finish", `{"choices":[{"message":{"content":""},"finish_reason":"error"}]}`, Response{}, `finish_reason "error"`, true},
		{"truncated", `{"choices":[{"message":{"content":"<thi`, Response{}, "not valid JSON", true},
		{"bad content", `{"choices":[{"message":{"content":7}}]}`, Response{}, "neither a string", true},
		{"not json", `<html>502 Bad Gateway</html>`, Response{}, "not valid JSON", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeResponse([]byte(tt.body))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				if IsRetryable(err) != tt.retry {
					t.Errorf("retryable = %v, want %v", IsRetryable(err), tt.retry)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("DecodeResponse = %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

func FuzzDecodeResponse(f *testing.F) {
	for _, s := range []string{
		`{"choices":[{"message":{"content":"<think>x</think><answer>happy</answer>"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":2}}`,
		`{"choices":[{"message":{"content":[{"type":"text","text":"a"}]}}]}`,
		`{"choices":[{"message":{"content":null}}]}`,
		`{"error":"x"}`, `{"detail":[{"loc":["body"]}]}`, `{"choices":[`, `null`, `[]`, "\x00\xff",
		strings.Repeat("x", 290), strings.Repeat("é", 285) + "\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := DecodeResponse(body)
		if err != nil && r != (Response{}) {
			t.Fatalf("error %v with a non-zero response %+v", err, r)
		}
		msg := serverMessage(body, "")
		if len([]rune(msg)) > 301 || strings.ContainsAny(msg, "\n\r\x00") {
			t.Fatalf("serverMessage not cleaned: %q", msg)
		}
		// A server echoing the key after any text: wherever the cut falls, not even the key's
		// first 8 characters remain.
		if strings.Contains(string(body), secret[:8]) {
			return
		}
		echo, _ := json.Marshal(map[string]map[string]string{"error": {"message": string(body) + secret}})
		if msg := serverMessage(echo, secret); strings.Contains(msg, secret[:8]) {
			t.Fatalf("key prefix left in %q", msg)
		}
	})
}

func FuzzUnmarshalRequest(f *testing.F) {
	for _, s := range []string{
		`{"model":"m","messages":[{"role":"user","content":"hi"}]}`,
		`{"model":"m","messages":[{"role":"user","content":[{"type":"video_url","video_url":{"url":"file:///a/1.mp4"}},{"type":"text","text":"x"}]}],"seed":3}`,
		`{"model":"m","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"","format":"wav"}}]}]}`,
		`{"messages":[{"content":null}]}`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := UnmarshalRequest(body)
		if err != nil || req.Model == "" || len(req.Messages) == 0 {
			return
		}
		// What decodes re-encodes, and decodes to the same request.
		for _, m := range req.Messages {
			if len(m.Content) == 0 {
				return // a null content is accepted but not produced
			}
		}
		again, err := MarshalRequest(req)
		if err != nil {
			t.Fatalf("decoded request does not encode: %v", err)
		}
		back, err := UnmarshalRequest(again)
		if err != nil || !reflect.DeepEqual(back, req) {
			t.Fatalf("round trip: %+v, %v; want %+v", back, err, req)
		}
	})
}
