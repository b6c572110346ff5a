package openai

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/prompts"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
)

// record is a chat.Client that keeps the last request and answers "ok".
type record struct{ last chat.Request }

func (r *record) Complete(_ context.Context, req chat.Request) (chat.Response, error) {
	r.last = req
	return chat.Response{Text: "<answer>happy</answer>", Attempts: 1}, nil
}

var clip = datasets.Clip{ClipID: "00001", Label: "happy", VideoPath: "/data/dfew/clip/00001.mp4", AudioPath: "/data/dfew/audio/00001.wav"}

func TestRequestPerVariant(t *testing.T) {
	tests := []struct {
		variant variant.Variant
		types   []string
	}{
		{predictions.VariantAV, []string{chat.PartVideoURL, chat.PartAudioURL, chat.PartText}},
		{predictions.VariantVideo, []string{chat.PartVideoURL, chat.PartText}},
		{predictions.VariantAudio, []string{chat.PartAudioURL, chat.PartText}},
	}
	rec := &record{}
	b, err := New(Options{Name: "r1", Model: "R1-Omni-7B", Prompt: "r1-omni", Variants: []variant.Variant{"av", "video", "audio"}}, rec)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(string(tt.variant), func(t *testing.T) {
			res, err := b.Ask(context.Background(), clip, tt.variant, 0)
			if err != nil || res.Raw != "<answer>happy</answer>" || res.Attempts != 1 {
				t.Fatalf("Predict = %+v, %v", res, err)
			}
			req := rec.last
			if req.Model != "R1-Omni-7B" || *req.Temperature != 0.3 || req.Seed != nil || len(req.Messages) != 1 || req.Messages[0].Role != "user" {
				t.Fatalf("request %+v", req)
			}
			var types []string
			for _, p := range req.Messages[0].Content {
				types = append(types, p.Type)
				switch p.Type {
				case chat.PartVideoURL:
					if p.URL != "file:///data/dfew/clip/00001.mp4" {
						t.Errorf("video url %q", p.URL)
					}
				case chat.PartAudioURL:
					if p.URL != "file:///data/dfew/audio/00001.wav" {
						t.Errorf("audio url %q", p.URL)
					}
				case chat.PartText:
					if p.Text != prompts.R1Omni {
						t.Errorf("prompt %q", p.Text)
					}
				}
			}
			if strings.Join(types, ",") != strings.Join(tt.types, ",") {
				t.Errorf("parts %v, want %v", types, tt.types)
			}
		})
	}
	if _, err := b.Ask(context.Background(), clip, "text", 0); err == nil {
		t.Error("unconfigured variant accepted")
	}
}

func TestPromptsTemperatureSeed(t *testing.T) {
	rec := &record{}
	temp, seed := 0.0, int64(100)
	b, err := New(Options{Name: "m", Model: "MIGR-7B", Prompt: "migr", Temperature: &temp, MaxTokens: 512, Seed: &seed}, rec)
	if err != nil {
		t.Fatal(err)
	}
	b.Ask(context.Background(), clip, predictions.VariantAV, 3)
	req := rec.last
	if req.Messages[0].Content[2].Text != prompts.MIGR || *req.Temperature != 0 || req.MaxTokens != 512 || *req.Seed != 103 || req.SampleIndex != 3 {
		t.Fatalf("request %+v", req)
	}
	custom, _ := New(Options{Name: "c", Model: "x", Prompt: "Name the emotion."}, rec)
	custom.Ask(context.Background(), clip, predictions.VariantAV, 0)
	if got := rec.last.Messages[0].Content[2].Text; got != "Name the emotion." {
		t.Errorf("custom prompt %q", got)
	}
}

func TestNewErrors(t *testing.T) {
	rec := &record{}
	for _, tt := range []struct {
		cfg  Options
		want string
	}{
		{Options{Model: "x", Prompt: "migr"}, "name and model"},
		{Options{Name: "m", Model: "x", Prompt: " "}, "no prompt"},
		{Options{Name: "m", Model: "x", Prompt: "migr", Variants: []variant.Variant{"av", "text"}}, `"text"`},
		{Options{Name: "m", Model: "x", Prompt: "migr", Variants: []variant.Variant{"av", "av"}}, "twice"},
	} {
		if _, err := New(tt.cfg, rec); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%+v) = %v, want %q", tt.cfg, err, tt.want)
		}
	}
	if _, err := New(Options{Name: "m", Model: "x", Prompt: "migr"}, nil); err == nil {
		t.Error("nil client accepted")
	}
}

func TestCheck(t *testing.T) {
	clips := []datasets.Clip{clip, {ClipID: "00002", VideoPath: "/v/2.mp4"}, {ClipID: "00003"}}
	for _, tt := range []struct {
		variants []variant.Variant
		want     []string // substrings; none means no error
	}{
		{[]variant.Variant{"av"}, []string{"video_path, which 1 of 3 clips lack (00003)", "audio_path, which 2 of 3 clips lack (00002, 00003)"}},
		{[]variant.Variant{"video"}, []string{"video_path, which 1 of 3"}},
		{[]variant.Variant{"audio"}, []string{"audio_path, which 2 of 3"}},
	} {
		b, _ := New(Options{Name: "m", Model: "x", Prompt: "migr", Variants: tt.variants}, &record{})
		err := b.Check(clips)
		if err == nil || !inputerr.Is(err) {
			t.Fatalf("%v: err = %v", tt.variants, err)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%v: %q lacks %q", tt.variants, err, w)
			}
		}
		if tt.variants[0] == "video" && strings.Contains(err.Error(), "audio_path") {
			t.Errorf("video variant asks for audio: %v", err)
		}
	}
	b, _ := New(Options{Name: "m", Model: "x", Prompt: "migr"}, &record{})
	if err := b.Check([]datasets.Clip{clip}); err != nil {
		t.Errorf("complete clips: %v", err)
	}
	var many []datasets.Clip
	for i := range 9 {
		many = append(many, datasets.Clip{ClipID: fmt.Sprint(i)})
	}
	if err := b.Check(many); !strings.Contains(err.Error(), "(0, 1, 2, 3, 4, …)") {
		t.Errorf("long list: %v", err)
	}
}

func TestMediaURL(t *testing.T) {
	wd, _ := os.Getwd()
	for in, want := range map[string]string{
		"/data/clip/00001.mp4":         "file:///data/clip/00001.mp4",
		"/data/my clips/#1.mp4":        "file:///data/my%20clips/%231.mp4",
		"clip/00001.mp4":               "file://" + filepath.ToSlash(filepath.Join(wd, "clip/00001.mp4")),
		"https://cdn.example/1.mp4":    "https://cdn.example/1.mp4",
		"file:///already/url.wav":      "file:///already/url.wav",
		"data:audio/wav;base64,UklGRg": "data:audio/wav;base64,UklGRg",
	} {
		if got, err := mediaURL(in); err != nil || got != want {
			t.Errorf("mediaURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPredictErrorKeepsAttempts(t *testing.T) {
	failing := chat.ClientFunc(func(context.Context, chat.Request) (chat.Response, error) {
		return chat.Response{}, &chat.Error{Msg: "HTTP 500", Retryable: true, Attempts: 9}
	})
	b, _ := New(Options{Name: "m", Model: "x", Prompt: "migr"}, failing)
	res, err := b.Ask(context.Background(), clip, predictions.VariantAV, 0)
	var ce *chat.Error
	if !errors.As(err, &ce) || res.Attempts != 9 || !strings.Contains(err.Error(), "model m clip 00001 variant av") {
		t.Fatalf("res %+v, err %v", res, err)
	}
}
