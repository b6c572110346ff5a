package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

const key = "sk-proj-Zq8XvYw3secretKEY42"

func TestURL(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"http://gpu-1:8000/v1", "http://gpu-1:8000/v1"},
		{"http://user:hunter2@gpu-1:8000/v1", "http://user:[REDACTED]@gpu-1:8000/v1"},
		{"https://" + key + "@api.example.com/v1", "https://[REDACTED]@api.example.com/v1"},
		{"https://h/v1?api_key=abc&deployment=gpt-4o-mini-2024-07-18", "https://h/v1?api_key=[REDACTED]&deployment=gpt-4o-mini-2024-07-18"},
		{"https://h/v1?API-KEY=abc&Token=t&access_token=a&auth=x&sig=s&Signature=z&secret=q&password=p&x-api-key=k&apikey=y&key=w",
			"https://h/v1?API-KEY=[REDACTED]&Token=[REDACTED]&access_token=[REDACTED]&auth=[REDACTED]&sig=[REDACTED]&Signature=[REDACTED]&secret=[REDACTED]&password=[REDACTED]&x-api-key=[REDACTED]&apikey=[REDACTED]&key=[REDACTED]"},
		{"https://h/v1?max_tokens=5&prompt_tokens=2&model=R1-Omni-7B", "https://h/v1?max_tokens=5&prompt_tokens=2&model=R1-Omni-7B"},
		{"https://h/v1?k=" + key, "https://h/v1?k=[REDACTED]"},
		{"https://h/" + key + "/v1", "https://h/[REDACTED]/v1"},
		{"https://h/v1#access_token=abc&state=1", "https://h/v1#access_token=[REDACTED]&state=1"},
		{"https://blob.core.windows.net/c/f.mp4?sv=2022-11-02&sig=AbC%2Bd%3D", "https://blob.core.windows.net/c/f.mp4?sv=2022-11-02&sig=[REDACTED]"},
		{"file:///data/dfew/clip/00001.mp4", "file:///data/dfew/clip/00001.mp4"},
		{"http://[::1]:8000/v1?token=t", "http://[::1]:8000/v1?token=[REDACTED]"},
		{"http://[" + key, "http://[[REDACTED]"}, // does not parse: redacted as text
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"bearer header", "bad credentials: Authorization: Bearer abc.def-123", "bad credentials: Authorization: Bearer [REDACTED]"},
		{"json header", `{"headers":{"authorization":"Bearer opaque-token-value"}}`, `{"headers":{"authorization":"Bearer [REDACTED]"}}`},
		{"any scheme", "Authorization: ApiKey 12345678abcdef", "Authorization: ApiKey [REDACTED]"},
		{"bare bearer", "got Bearer eyJhbGciOiJIUzI1NiJ9x in the header", "got Bearer [REDACTED] in the header"},
		{"basic", "header Basic dXNlcjpodW50ZXIy was refused", "header Basic [REDACTED] was refused"},
		{"basic prose", "Basic authentication failed; Bearer token required", "Basic authentication failed; Bearer token required"},
		{"userinfo", "GET http://alice:hunter2@host:8000/v1/models failed", "GET http://alice:[REDACTED]@host:8000/v1/models failed"},
		{"token userinfo", "clone https://" + key + "@github.com/x", "clone https://[REDACTED]@github.com/x"},
		{"query", "POST /v1/chat/completions?api_key=TOKEN123&x=1 HTTP/1.1", "POST /v1/chat/completions?api_key=[REDACTED]&x=1 HTTP/1.1"},
		{"query in url", "http://h/v1?deployment=d&sig=abcdef", "http://h/v1?deployment=d&sig=[REDACTED]"},
		{"json key", `{"api_key": "abc", "model": "m"}`, `{"api_key": "[REDACTED]", "model": "m"}`},
		{"header x-api-key", "x-api-key: 0123456789abcdef0123", "x-api-key: [REDACTED]"},
		{"sk key", "invalid key " + key + ".", "invalid key [REDACTED]."},
		{"hf key", "token hf_abcdefghijklmnopqrstuvwxyz0123", "token [REDACTED]"},
		{"aws", "AKIAIOSFODNN7EXAMPLE was used", "[REDACTED] was used"},
		{"prose label", "unknown key: model", "unknown key: model"},
		{"counts", "max_tokens=4096 is more than prompt_tokens: 12", "max_tokens=4096 is more than prompt_tokens: 12"},
		{"plain", "HTTP 404 Not Found: check the endpoint", "HTTP 404 Not Found: check the endpoint"},
		{"url without credentials", "POST http://gpu-1:8000/v1/chat/completions: connection refused", "POST http://gpu-1:8000/v1/chat/completions: connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestValues(t *testing.T) {
	if got := Values("key k="+key+" and "+key, key, "", "ab"); got != "key k=[REDACTED] and [REDACTED]" {
		t.Errorf("Values = %q", got)
	}
}

func TestLooksLikeSecret(t *testing.T) {
	tests := []struct {
		s    string
		want bool
	}{
		{"VLLM_API_KEY", false},
		{"OPENAI_API_KEY", false},
		{"OPENAI_API_KEY_2024", false},
		{"my_key_var", false},
		{"HF_TOKEN", false},
		{"", false},
		{key, true},
		{"sk-short1", true},
		{"hf_abcdefghijklmnopqrstu", true},
		{"AKIAIOSFODNN7EXAMPLE", true},
		{"3f9a6c0e1b2d4f5a8c7e9d0b1a2c3e4f", true},       // hex
		{"Zq8XvYw3aB9cD0eF", true},                       // mixed case and digits
		{"dXNlcjpodW50ZXIyMTIzNDU2Nzg5MA==", true},       // base64
		{"eyJhbGciOi.eyJzdWIiOiIx.SflKxwRJSMeKKF", true}, // a JWT
		{"1234567890123456", true},
	}
	for _, tt := range tests {
		if got := LooksLikeSecret(tt.s); got != tt.want {
			t.Errorf("LooksLikeSecret(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
}

// Whatever surrounds them, a Bearer token, a Basic credential, a user:pass@ password, a query
// key and an sk- key never survive Text, and URL never keeps a URL's password.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "error: ", `{"error":{"message":"`, "http://h/v1?", "Authorization:", "\n", "é", "[REDACTED]"} {
		f.Add(s, "Zq8XvYw3secretKEY42")
	}
	f.Fuzz(func(t *testing.T, around, secret string) {
		// A credential of the shape servers issue: no separators, letters and digits.
		secret = strings.Map(func(r rune) rune {
			if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, secret)
		if len(secret) < 12 {
			return
		}
		secret = "Ab9" + secret // mixed case and digits: a key, not a word
		for _, form := range []string{
			"Authorization: Bearer " + secret,
			"authorization: Basic " + b64("user:"+secret),
			"http://user:" + secret + "@host:8000/v1",
			"/v1/chat/completions?api_key=" + secret,
			`"x-api-key": "` + secret + `"`,
			"sk-" + secret,
		} {
			layouts := []string{around + form, form + around, around + " " + form + " " + around}
			if strings.HasPrefix(form, "sk-") {
				// A bare key is recognised as a word of its own: "task-…" is no key.
				layouts = []string{around + " " + form, form + " " + around, around + "\n" + form + ": " + around}
			}
			for _, s := range layouts {
				if got := Text(s); strings.Contains(got, secret) && !strings.Contains(around, secret) {
					t.Fatalf("Text(%q) = %q keeps the secret", s, got)
				}
			}
		}
		u := "http://user:" + url.PathEscape(secret) + "@h/v1?" + url.QueryEscape(around) + "=1"
		if got := URL(u); strings.Contains(got, secret) && !strings.Contains(around, secret) {
			t.Fatalf("URL(%q) = %q keeps the password", u, got)
		}
		_ = LooksLikeSecret(around)
	})
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
