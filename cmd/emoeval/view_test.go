package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emoeval/emoeval/pipeline"
	"github.com/emoeval/emoeval/pipeline/view"
)

// viewRun scores the fixture results into a run directory.
func viewRun(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	split := importFixture(t, dir)
	res := filepath.Join(repo, "testdata/results")
	out := filepath.Join(dir, "run")
	r := runCLI(t, nil, "score", "--split", split, "--fold", "5",
		"--model", "r1-omni="+filepath.Join(res, "r1omni_dfew5.txt"),
		"--model", "migr="+filepath.Join(res, "migr_dfew5.txt"),
		"--judgments", "gpt/r1-omni="+filepath.Join(res, "gpt_r1omni_dfew5.json"),
		"--judgments", "gpt/migr="+filepath.Join(res, "gpt_migr_dfew5.json"),
		"--bootstrap", "0", "--formats", "md", "--out", out)
	if r.code != 0 {
		t.Fatalf("score: exit %d: %s", r.code, r.stderr)
	}
	return out
}

func TestViewBadInput(t *testing.T) {
	run := viewRun(t)
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		msg  string
	}{
		{"a non-loopback address without a token", nil, []string{run, "--addr", "0.0.0.0:0"}, "give --token"},
		{"all interfaces without a token", nil, []string{run, "--addr", ":8700"}, "give --token"},
		{"a bad address", nil, []string{run, "--addr", "8700"}, "want host:port"},
		{"not a run directory", nil, []string{t.TempDir(), "--addr", "127.0.0.1:0"}, "not a run directory"},
		{"annotation flags without --annotate", nil, []string{run, "--sample", "10"}, "--sample is for --annotate"},
		{"--annotate without a name", nil, []string{run, "--annotate"}, "needs --annotator"},
		{"a bad allocation", nil, []string{run, "--annotate", "--annotator", "a", "--allocation", "neyman"}, "--allocation"},
		{"a bad sample size", nil, []string{run, "--annotate", "--annotator", "a", "--sample", "0"}, "--sample 0"},
		{"an unknown judge", nil, []string{run, "--annotate", "--annotator", "a", "--judge", "nobody", "--addr", "127.0.0.1:0"}, `--judge "nobody"`},
		{"no run directory", nil, nil, "RUN_DIR"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, tc.env, append([]string{"view"}, tc.args...)...)
			if r.code != exitBadInput || !strings.Contains(r.stderr, tc.msg) {
				t.Fatalf("exit %d, stderr %q; want exit 2 with %q", r.code, r.stderr, tc.msg)
			}
		})
	}
}

// syncBuffer is a buffer the command writes to while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveView runs `emoeval view` until stop is called, which returns its exit code and output.
func serveView(t *testing.T, env map[string]string, args ...string) (base string, stop func() (int, string)) {
	t.Helper()
	var out, errOut syncBuffer
	f := &factory{In: strings.NewReader(""), Out: &out, ErrOut: &errOut,
		Getenv:     func(k string) (string, bool) { v, ok := env[k]; return v, ok },
		HTTPClient: func() *http.Client { return &http.Client{} }, Now: time.Now}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- execute(ctx, f, append([]string{"view"}, args...)) }()
	re := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	deadline := time.Now().Add(30 * time.Second)
	for base == "" {
		select {
		case code := <-done:
			t.Fatalf("view exited %d: %s%s", code, out.String(), errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("view printed no address: %s", out.String())
		}
		base = re.FindString(out.String())
		time.Sleep(10 * time.Millisecond)
	}
	return strings.TrimSuffix(base, "/"), func() (int, string) {
		cancel()
		select {
		case code := <-done:
			return code, out.String() + errOut.String()
		case <-time.After(20 * time.Second):
			t.Fatal("view did not stop")
			return 0, ""
		}
	}
}

func fetch(t *testing.T, c *http.Client, url string) (int, string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestViewServesAndStops(t *testing.T) {
	run := viewRun(t)
	base, stop := serveView(t, nil, run, "--addr", "127.0.0.1:0")
	status, body := fetch(t, http.DefaultClient, base+"/")
	if status != 200 || !strings.Contains(body, "Recognition") || !strings.Contains(body, "r1-omni") {
		t.Fatalf("overview: status %d", status)
	}
	status, body = fetch(t, http.DefaultClient, base+"/samples?model=r1-omni&judge=gpt&cell=TF")
	if status != 200 || !strings.Contains(body, "<b>4</b> samples") {
		t.Fatalf("samples: status %d", status)
	}
	if code, out := stop(); code != exitOK || !strings.Contains(out, "viewing") {
		t.Fatalf("exit %d: %s", code, out)
	}

	// With a token (from the environment), on loopback too, the pages need it.
	base, stop = serveView(t, map[string]string{viewTokenEnv: "s3cret"}, run, "--addr", "127.0.0.1:0")
	if status, _ := fetch(t, http.DefaultClient, base+"/"); status != http.StatusUnauthorized {
		t.Fatalf("status %d without the token", status)
	}
	jar, _ := cookiejar.New(nil)
	if status, _ := fetch(t, &http.Client{Jar: jar}, base+"/?token=s3cret"); status != http.StatusOK {
		t.Fatalf("status %d with the token", status)
	}
	if code, out := stop(); code != exitOK || strings.Contains(out, "s3cret") {
		t.Fatalf("exit %d (the token must not be printed): %s", code, out)
	}
}

func TestViewAnnotatePrintsKappa(t *testing.T) {
	run := viewRun(t)
	r, err := view.Load(context.Background(), run)
	if err != nil {
		t.Fatal(err)
	}
	// Two annotators answered the same sample (as two sessions would have).
	for i, name := range []string{"alice", "bob"} {
		a, err := view.NewAnnotation(r, view.AnnotateOptions{Annotator: name, Sample: 8, Seed: 2}, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k := range a.Len() {
			e := r.Labels.Labels[k%3]
			if i == 1 && k%4 == 0 {
				e = view.NoEmotion
			}
			if err := a.Put(r.Index, k, e); err != nil {
				t.Fatal(err)
			}
		}
	}
	base, stop := serveView(t, nil, run, "--annotate", "--annotator", "carol", "--sample", "8", "--seed", "2", "--addr", "127.0.0.1:0")
	status, body := fetch(t, http.DefaultClient, base+"/annotate")
	if status != 200 || !strings.Contains(body, "Which emotion") || strings.Contains(body, "r1-omni") || strings.Contains(body, "migr") {
		t.Fatalf("annotate page: status %d (blind pages name no model)", status)
	}
	code, out := stop()
	if code != exitOK || !regexp.MustCompile(`alice × bob: Cohen's κ \d\.\d{3} over 8 shared items`).MatchString(out) {
		t.Fatalf("exit %d: %s", code, out)
	}
	if !strings.Contains(out, "16 answers in "+filepath.Join(run, view.HumanFile)) {
		t.Fatalf("output: %s", out)
	}
	if _, err := pipeline.ReadManifest(run); err != nil {
		t.Fatal(err)
	}
}
