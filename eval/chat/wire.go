package chat

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/emoeval/emoeval/internal/redact"
)

// The JSON forms of the OpenAI chat-completions API, as vLLM, SGLang and llama.cpp accept them.

type wireRequest struct {
	Model       string        `json:"model"`
	Messages    []wireMessage `json:"messages"`
	Temperature *float64      `json:"temperature,omitempty"`
	TopP        *float64      `json:"top_p,omitempty"`
	MaxTokens   int           `json:"max_tokens,omitempty"`
	Seed        *int64        `json:"seed,omitempty"`
}

type wireMessage struct {
	Role string `json:"role"`
	// Content is a string, or an array of parts: a string or []wirePart when encoding, the raw
	// JSON when decoding.
	Content any `json:"content"`
}

type wirePart struct {
	Type       string          `json:"type"`
	Text       *string         `json:"text,omitempty"`
	VideoURL   *wireURL        `json:"video_url,omitempty"`
	AudioURL   *wireURL        `json:"audio_url,omitempty"`
	InputAudio *wireInputAudio `json:"input_audio,omitempty"`
}

type wireURL struct {
	URL string `json:"url"`
}

type wireInputAudio struct {
	Data   string `json:"data"`
	Format string `json:"format"`
}

// MarshalRequest encodes a request as the JSON body of POST /chat/completions. A message made of
// one text part is sent as a plain string, which every server accepts; others as a part array.
func MarshalRequest(req Request) ([]byte, error) {
	w := wireRequest{Model: req.Model, Temperature: req.Temperature, TopP: req.TopP,
		MaxTokens: req.MaxTokens, Seed: req.Seed, Messages: make([]wireMessage, len(req.Messages))}
	if req.Model == "" {
		return nil, fmt.Errorf("request has no model name")
	}
	if len(req.Messages) == 0 {
		return nil, fmt.Errorf("request has no messages")
	}
	for i, m := range req.Messages {
		content, err := marshalContent(m.Content)
		if err != nil {
			return nil, fmt.Errorf("message %d: %w", i+1, err)
		}
		w.Messages[i] = wireMessage{Role: m.Role, Content: content}
	}
	return json.Marshal(w)
}

func marshalContent(parts []Part) (any, error) {
	if len(parts) == 1 && parts[0].Type == PartText {
		return parts[0].Text, nil
	}
	ws := make([]wirePart, len(parts))
	for i, p := range parts {
		w := wirePart{Type: p.Type}
		switch p.Type {
		case PartText:
			w.Text = &p.Text
		case PartVideoURL:
			w.VideoURL = &wireURL{URL: p.URL}
		case PartAudioURL:
			w.AudioURL = &wireURL{URL: p.URL}
		case PartInputAudio:
			w.InputAudio = &wireInputAudio{Data: p.Data, Format: p.Format}
		default:
			return nil, fmt.Errorf("content part %d: unknown type %q (use text, video_url, audio_url or input_audio)", i+1, p.Type)
		}
		ws[i] = w
	}
	return ws, nil
}

// UnmarshalRequest decodes a chat-completions request body (the server side: the simulated server
// reads requests with it). Content may be a string or a part array.
func UnmarshalRequest(data []byte) (Request, error) {
	var w wireRequest
	if err := json.Unmarshal(data, &w); err != nil {
		return Request{}, fmt.Errorf("request body is not valid JSON: %w", err)
	}
	req := Request{Model: w.Model, Temperature: w.Temperature, TopP: w.TopP, MaxTokens: w.MaxTokens,
		Seed: w.Seed, Messages: make([]Message, len(w.Messages))}
	for i, m := range w.Messages {
		parts, err := unmarshalContent(m.Content)
		if err != nil {
			return Request{}, fmt.Errorf("message %d: %w", i+1, err)
		}
		req.Messages[i] = Message{Role: m.Role, Content: parts}
	}
	return req, nil
}

// unmarshalContent reads a decoded content value: a string, null or an array of parts.
func unmarshalContent(v any) ([]Part, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return []Part{TextPart(v)}, nil
	case []any:
		parts := make([]Part, len(v))
		for i, e := range v {
			m, _ := e.(map[string]any)
			typ, _ := m["type"].(string)
			p := Part{Type: typ}
			field, _ := m[typ].(map[string]any)
			ok := false
			switch typ {
			case PartText:
				p.Text, ok = m["text"].(string)
			case PartVideoURL, PartAudioURL:
				p.URL, ok = field["url"].(string)
			case PartInputAudio:
				var okf bool
				p.Data, ok = field["data"].(string)
				p.Format, okf = field["format"].(string)
				ok = ok && okf
			}
			if !ok {
				return nil, fmt.Errorf("content part %d: type %q without its field", i+1, typ)
			}
			parts[i] = p
		}
		return parts, nil
	}
	return nil, fmt.Errorf("content is neither a string nor an array of parts")
}

type wireResponse struct {
	Choices []struct {
		Message struct {
			Content          any     `json:"content"`
			ReasoningContent *string `json:"reasoning_content"`
			Reasoning        *string `json:"reasoning"`
		} `json:"message"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens     int `json:"prompt_tokens"`
		CompletionTokens int `json:"completion_tokens"`
	} `json:"usage"`
	Error json.RawMessage `json:"error"`
}

// DecodeResponse reads a chat-completions response body: the first choice's text, its finish
// reason and the token usage. A body that is not an answer is an *Error whose Retryable says
// whether another attempt may help: an invalid or truncated body, no choices, a generation the
// server aborted (finish_reason "abort" or "error"), or an error object whose code, type or
// status says 429, 5xx, overloaded or timeout are retryable; other error objects are not.
func DecodeResponse(body []byte) (Response, error) {
	r, err := decodeResponse(body, 0)
	if err != nil {
		return Response{}, err
	}
	return r, nil
}

// decodeResponse is DecodeResponse cutting the answer's text and reasoning to limit bytes each
// (0: no limit; Truncated says whether either was cut, here or by readBody) and removing the
// secrets from the server's message in its errors.
func decodeResponse(body []byte, limit int, secrets ...string) (Response, *Error) {
	var w wireResponse
	if err := json.Unmarshal(body, &w); err != nil {
		return Response{}, newError(Transient, 0, "invalid JSON", fmt.Sprintf("response is not valid JSON (%d bytes): %v", len(body), err))
	}
	if len(w.Error) > 0 && string(w.Error) != "null" {
		codes := errorCodes(body)
		msg := "response carries an error: " + serverMessage(body, secrets...)
		if quotaExhausted(codes) {
			msg += " (" + quotaHint + ")"
		}
		class := Permanent
		if transientCodes(codes) {
			class = Transient
		}
		return Response{}, newError(class, 0, "error object "+strings.Join(codes, " "), msg)
	}
	if len(w.Choices) == 0 {
		return Response{}, newError(Transient, 0, "no choices", "response has no choices")
	}
	c := w.Choices[0]
	text, err := contentText(c.Message.Content)
	if err != nil {
		return Response{}, newError(Transient, 0, "bad content", err.Error())
	}
	r := Response{Text: text}
	switch {
	case c.Message.ReasoningContent != nil:
		r.Reasoning = *c.Message.ReasoningContent
	case c.Message.Reasoning != nil:
		r.Reasoning = *c.Message.Reasoning
	}
	var cutText, cutReasoning bool
	r.Text, cutText = bound(r.Text, limit)
	r.Reasoning, cutReasoning = bound(r.Reasoning, limit)
	r.Truncated = cutText || cutReasoning
	if c.FinishReason != nil {
		r.FinishReason = *c.FinishReason
	}
	if aborted(r.FinishReason) {
		// vLLM's "abort": the engine dropped the request mid-generation. The text is a fragment,
		// not the model's answer: it must be neither cached nor scored.
		return Response{}, newError(Transient, 0, "aborted generation", fmt.Sprintf(
			"the server ended the generation with finish_reason %q after %d characters: an aborted generation, not an answer", r.FinishReason, len(r.Text)))
	}
	if w.Usage != nil {
		r.PromptTokens, r.CompletionTokens = w.Usage.PromptTokens, w.Usage.CompletionTokens
	}
	return r, nil
}

// aborted reports whether a finish reason says the generation failed rather than ended.
func aborted(finishReason string) bool {
	return strings.EqualFold(finishReason, "abort") || strings.EqualFold(finishReason, "error")
}

// contentText reads a decoded message content: a string, null (an empty reply) or an array of
// text parts.
func contentText(v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case []any:
		var b strings.Builder
		for _, e := range v {
			m, _ := e.(map[string]any)
			if t, _ := m["type"].(string); t == PartText {
				s, _ := m["text"].(string)
				b.WriteString(s)
			}
		}
		return b.String(), nil
	}
	return "", fmt.Errorf("message content is neither a string nor an array of parts")
}

// serverMessage extracts a human-readable message from an error body: OpenAI's
// {"error":{"message":…}}, {"error":"…"}, FastAPI's {"detail":…}, {"message":…}, or the start of
// the body itself. The secrets and every credential form redact.Text knows are removed, then
// control characters, and the result is kept short; in that order, so that no cut leaves part of
// a key behind.
func serverMessage(body []byte, secrets ...string) string {
	var m struct {
		Error   json.RawMessage `json:"error"`
		Detail  json.RawMessage `json:"detail"`
		Message string          `json:"message"`
	}
	msg := ""
	if json.Unmarshal(body, &m) == nil {
		var inner struct {
			Message string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(m.Error, &inner) == nil && inner.Message != "":
			msg = inner.Message
		case json.Unmarshal(m.Error, &s) == nil && s != "":
			msg = s
		case json.Unmarshal(m.Detail, &s) == nil && s != "":
			msg = s
		case len(m.Detail) > 0 && string(m.Detail) != "null":
			msg = string(m.Detail)
		case m.Message != "":
			msg = m.Message
		}
	}
	if msg == "" {
		msg = string(body)
	}
	msg = strings.ReplaceAll(msg, truncMark, "…")
	return shorten(redact.Text(redact.Values(msg, secrets...)), 300)
}

// shorten removes control characters and cuts s to at most n runes.
func shorten(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
