package llm

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/prompts"
	"github.com/emoeval/emoeval/judges"
)

// scripted answers each reason with a fixed reply (or error), by the reason text.
func scripted(replies map[string]string) chat.Client {
	return chat.ClientFunc(func(ctx context.Context, req chat.Request) (chat.Response, error) {
		_, reason, ok := prompts.ParseJudge(req.Messages[0].Content[0].Text)
		if !ok {
			return chat.Response{}, errors.New("not a judge prompt")
		}
		r, ok := replies[reason]
		if !ok || r == "ERROR" {
			return chat.Response{}, errors.New("HTTP 500 after 8 retries")
		}
		return chat.Response{Text: r}, nil
	})
}

func TestProtocols(t *testing.T) {
	replies := map[string]string{
		"r-exact": "angry", "r-case": "Angry", "r-dot": "angry.", "r-space": " sad", "r-err": "ERROR",
		"r-syn": "sadness", "r-none": "", "r-other": "bored",
	}
	cases := []struct {
		reason string
		proto  parse.Protocol
		want   string
		fb     bool
		err    bool
	}{
		{"r-exact", parse.ProtocolMigr, "angry", false, false},
		{"r-case", parse.ProtocolMigr, "neutral", true, false},
		{"r-dot", parse.ProtocolMigr, "neutral", true, false},
		{"r-space", parse.ProtocolMigr, "neutral", true, false},
		{"r-err", parse.ProtocolMigr, "neutral", true, true},
		{"r-syn", parse.ProtocolMigr, "neutral", true, false},
		{"r-exact", parse.ProtocolRobust, "angry", false, false},
		{"r-case", parse.ProtocolRobust, "angry", false, false},
		{"r-dot", parse.ProtocolRobust, "angry", false, false},
		{"r-syn", parse.ProtocolRobust, "sad", false, false},
		{"r-err", parse.ProtocolRobust, datasets.Unknown, false, true},
		{"r-none", parse.ProtocolRobust, datasets.Unknown, false, false},
		{"r-other", parse.ProtocolRobust, datasets.Unknown, false, false},
	}
	for _, tc := range cases {
		j, err := New(Config{Name: "gpt", Model: "gpt-4.1-mini", Labels: datasets.DFEW(), Protocol: tc.proto, Concurrency: 4}, scripted(replies))
		if err != nil {
			t.Fatal(err)
		}
		got, err := j.Judge(context.Background(), []judges.Item{{Model: "m", ClipID: "1", Text: tc.reason}})
		if err != nil {
			t.Fatal(err)
		}
		g := got[0]
		if g.Emotion != tc.want || g.Fallback != tc.fb || (g.Error != "") != tc.err {
			t.Errorf("%s %s: got emotion %q fallback %v error %q; want %q %v error=%v", tc.proto, tc.reason, g.Emotion, g.Fallback, g.Error, tc.want, tc.fb, tc.err)
		}
		if g.Judge != "gpt" || g.Model != "m" || g.ClipID != "1" {
			t.Errorf("identity fields: %+v", g)
		}
	}
}

func TestPromptIsTheAuthors(t *testing.T) {
	j, _ := New(Config{Name: "gpt", Model: "x", Labels: datasets.DFEW()}, nil)
	want := "Read the reasoning content and respond with the appropriate emotion in happy, sad, neutral, angry, surprise, disgust, fear. Reply with only the emotion word.\nReason: he frowns\nAnswer Emotion:"
	if got := j.Prompt("he frowns"); got != want {
		t.Errorf("prompt:\n%q\nwant\n%q", got, want)
	}
	m, _ := New(Config{Name: "gpt", Model: "x", Labels: datasets.MAFW(), Template: "Labels: {labels}. Text: {reason}"}, nil)
	if got := m.Prompt("r"); !strings.HasPrefix(got, "Labels: anger, disgust, fear, happiness") || !strings.HasSuffix(got, "Text: r") {
		t.Errorf("custom template: %q", got)
	}
	if _, err := New(Config{Name: "g", Model: "x", Labels: datasets.DFEW(), Template: "no placeholder"}, nil); err == nil {
		t.Error("a template without {reason} was accepted")
	}
}

func TestVotesMajority(t *testing.T) {
	var mu sync.Mutex
	seen := map[int]bool{}
	client := chat.ClientFunc(func(ctx context.Context, req chat.Request) (chat.Response, error) {
		mu.Lock()
		seen[req.SampleIndex] = true
		mu.Unlock()
		return chat.Response{Text: []string{"sad", "angry", "sad"}[req.SampleIndex]}, nil
	})
	j, err := New(Config{Name: "gpt", Model: "x", Labels: datasets.DFEW(), Protocol: parse.ProtocolMigr, Votes: 3, Concurrency: 3}, client)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := j.Judge(context.Background(), []judges.Item{{ClipID: "1", Text: "t"}})
	if got[0].Emotion != "sad" || len(seen) != 3 {
		t.Fatalf("votes: emotion %q, sample indexes %v", got[0].Emotion, seen)
	}
	if _, err := New(Config{Name: "g", Model: "x", Labels: datasets.DFEW(), Votes: 2}, client); err == nil {
		t.Error("an even vote count was accepted")
	}
}

func TestConcurrencyLimitAndCancel(t *testing.T) {
	var inFlight, maxSeen atomic.Int32
	client := chat.ClientFunc(func(ctx context.Context, req chat.Request) (chat.Response, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxSeen.Load()
			if n <= m || maxSeen.CompareAndSwap(m, n) {
				break
			}
		}
		select {
		case <-time.After(2 * time.Millisecond):
			return chat.Response{Text: "happy"}, nil
		case <-ctx.Done():
			return chat.Response{}, ctx.Err()
		}
	})
	j, _ := New(Config{Name: "gpt", Model: "x", Labels: datasets.DFEW(), Concurrency: 5}, client)
	items := make([]judges.Item, 60)
	got, err := j.Judge(context.Background(), items)
	if err != nil || len(got) != 60 {
		t.Fatal(err, len(got))
	}
	if m := maxSeen.Load(); m > 5 || m < 2 {
		t.Errorf("max in flight %d, limit 5", m)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.Judge(ctx, items); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled judge returned %v", err)
	}
}

func TestAFailedVoteDoesNotSpoilAMajority(t *testing.T) {
	client := chat.ClientFunc(func(ctx context.Context, req chat.Request) (chat.Response, error) {
		if req.SampleIndex == 1 {
			return chat.Response{}, errors.New("timeout after 8 retries")
		}
		return chat.Response{Text: "angry"}, nil
	})
	for _, p := range []parse.Protocol{parse.ProtocolMigr, parse.ProtocolRobust} {
		j, err := New(Config{Name: "gpt", Model: "x", Labels: datasets.DFEW(), Protocol: p, Votes: 3, Concurrency: 3}, client)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := j.Judge(context.Background(), []judges.Item{{ClipID: "1", Text: "t"}})
		if got[0].Emotion != "angry" || got[0].Error != "" || !strings.Contains(got[0].Normalized, "failed_votes") {
			t.Errorf("%s: %+v", p, got[0])
		}
	}
	allFail := chat.ClientFunc(func(ctx context.Context, req chat.Request) (chat.Response, error) {
		return chat.Response{}, errors.New("HTTP 500")
	})
	j, _ := New(Config{Name: "gpt", Model: "x", Labels: datasets.DFEW(), Protocol: parse.ProtocolRobust, Votes: 3}, allFail)
	got, _ := j.Judge(context.Background(), []judges.Item{{ClipID: "1", Text: "t"}})
	if got[0].Error == "" || got[0].Emotion != datasets.Unknown {
		t.Errorf("every vote failed: %+v", got[0])
	}
}
