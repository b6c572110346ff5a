package view

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// These tests drive headless Chromium (Debian's chromium package) through the pages. Without
// the browser they skip, except in CI (CI=true), where .ci/run installs it and a missing one is
// a failure: a browser test that silently skips in CI tests nothing.

// chromiumPath finds the browser.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{os.Getenv("EMOEVAL_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: CI must install it (.ci/run installs Debian's chromium)")
	}
	t.Skip("chromium is not installed (apt-get install chromium); CI runs this test")
	return ""
}

// browser is a headless Chromium tab with its own profile. It records page errors and dialogs:
// a dialog would mean a model's text ran as script.
type browser struct {
	ctx     context.Context
	mu      sync.Mutex
	dialogs []string
	errors  []string
	shots   string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := chromiumPath(t)
	// The flags keep Chromium from calling home: without the background-networking ones it
	// opens connections that this sandbox refuses, many at a time.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	b := &browser{ctx: ctx, shots: os.Getenv("EMOEVAL_VIEW_SCREENSHOTS")}
	if b.shots == "" {
		b.shots = t.TempDir()
	}
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium: %v", err)
	}
	dialogs := chromedp.Events(ctx, page.JavascriptDialogOpening)
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.dialogs = append(b.dialogs, ev.Message)
			b.mu.Unlock()
			chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}
	}()
	console := chromedp.Console(ctx)
	go func() {
		for m, err := range console {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == "error" {
				b.mu.Lock()
				b.errors = append(b.errors, m.String())
				b.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		if len(b.dialogs) > 0 {
			t.Errorf("the page opened dialogs (a model's text ran as script?): %q", b.dialogs)
		}
		if len(b.errors) > 0 {
			t.Errorf("the page logged errors: %q", b.errors)
		}
	})
	return b
}

func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, b *browser, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// waitFor polls a JavaScript condition. It evaluates afresh each time rather than with Poll,
// whose page context a navigation destroys under it.
func (b *browser) waitFor(t *testing.T, js string) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last error
	for time.Now().Before(deadline) {
		ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool]("!!("+js+")"))
		if err == nil && ok {
			return
		}
		last = err
		time.Sleep(30 * time.Millisecond)
	}
	href, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("location.href"))
	t.Fatalf("waiting for %s: not true after 20 s (last error %v; page %s)", js, last, href)
}

// screenshot saves the page as a PNG (into $EMOEVAL_VIEW_SCREENSHOTS when set, to look at it).
func (b *browser) screenshot(t *testing.T, name string) {
	t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(b.shots, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s (%d bytes)", p, len(png))
}

func TestBrowserViewer(t *testing.T) {
	fx := makeRun(t, "migr")
	r := fx.load(t)
	srv, err := NewServer(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	b := newBrowser(t)

	// Overview → the TF count of judge gpt for base → exactly that many samples.
	b.do(t, chromedp.Navigate(ts.URL+"/"))
	b.screenshot(t, "overview")
	link := `document.querySelector('table.quarter[data-judge="gpt"] a[data-cell="TF"]')`
	want := eval[string](t, b, link+".textContent")
	b.do(t, chromedp.Evaluate[chromedp.Void](link+".click()"))
	b.waitFor(t, `location.pathname === "/samples" && document.getElementById("count") !== null`)
	if u := eval[string](t, b, "location.search"); !strings.Contains(u, "cell=TF") || !strings.Contains(u, "judge=gpt") || !strings.Contains(u, "model=base") {
		t.Fatalf("the TF link led to %s", u)
	}
	if got := eval[string](t, b, `document.querySelector("#count b").textContent`); got != want || want == "0" {
		t.Fatalf("the overview counts %s TF samples, the samples page shows %s", want, got)
	}
	if n := eval[int](t, b, `document.querySelectorAll("#samples tbody tr").length`); fmt.Sprint(n) != want {
		t.Fatalf("%d rows on the page, want %s", n, want)
	}

	// Filtering in the form: cand's samples, then a text search, then pages.
	b.do(t, chromedp.Navigate(ts.URL+"/samples?model=cand&size=10"))
	b.screenshot(t, "samples")
	b.assertHostileIsText(t)
	if got := eval[string](t, b, `document.querySelector("#count").textContent`); !strings.Contains(got, "40 samples") || !strings.Contains(got, "page 1 of 4") {
		t.Fatalf("count line %q", got)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelector('a[rel="next"]').click()`))
	b.waitFor(t, `location.search.includes("page=2")`)
	b.do(t, chromedp.Navigate(ts.URL+"/samples"),
		chromedp.SetValue(chromedp.CSS(`select[name="model"]`), "base"),
		chromedp.SetValue(chromedp.CSS(`input[name="q"]`), "SOUNDS ANGRY"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("form.filters button[type=submit]").click()`))
	b.waitFor(t, `location.search.includes("q=SOUNDS")`)
	if n := eval[int](t, b, `document.querySelectorAll("#samples tbody tr").length`); n == 0 {
		t.Fatal("the text search found nothing")
	}

	// One clip: both models side by side, the hostile output as text, sentences highlighted.
	b.do(t, chromedp.Navigate(ts.URL+"/clip?id=1"))
	b.screenshot(t, "clip-hostile")
	b.assertHostileIsText(t)
	if got := eval[[]string](t, b, `[...document.querySelectorAll("article.output")].map(a => a.dataset.model)`); strings.Join(got, ",") != "base,cand" {
		t.Fatalf("outputs side by side: %v", got)
	}
	if n := eval[int](t, b, `document.querySelectorAll("section.judge .sent sup.lab").length`); n == 0 {
		t.Fatal("no sentence labels highlighted")
	}
	if n := eval[int](t, b, `document.querySelectorAll('section.tag-vis_desc, section.tag-aud_desc, section.tag-think, section.tag-answer').length`); n < 6 {
		t.Fatalf("%d tagged sections", n)
	}
	// The media file of clip 1 plays from /media/; clip 2's symbolic link out is not offered.
	if got := eval[string](t, b, `document.querySelector(".media a") ? document.querySelector(".media a").getAttribute("href") : ""`); got != "/media/video/00001" {
		t.Fatalf("media link %q", got)
	}
	b.do(t, chromedp.Navigate(ts.URL+"/clip?id=00002"))
	if got := eval[string](t, b, `document.querySelector(".media").textContent`); !strings.Contains(got, "not served") || strings.Contains(got, "open") {
		t.Fatalf("clip 2's media: %q", got)
	}
	b.screenshot(t, "clip-2")
}

// assertHostileIsText checks, in the DOM, that the hostile output is on the page as text and
// created no element.
func (b *browser) assertHostileIsText(t *testing.T) {
	t.Helper()
	if n := eval[int](t, b, `document.querySelectorAll("script:not([src]), img, iframe, object, embed").length`); n != 0 {
		t.Fatalf("the page has %d script, img or frame elements: a model's text became markup", n)
	}
	text := eval[string](t, b, `document.body.textContent`)
	for _, want := range []string{"</td><script>alert(1)</script>", "<img src=x onerror=alert(2)>", "U+202E", "{{.Page}}"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not show %q as text", want)
		}
	}
	if strings.ContainsRune(text, '\u202E') {
		t.Error("the RTL override reached the page as a character (it reorders the text around it)")
	}
}

func TestBrowserAnnotation(t *testing.T) {
	fx := makeRun(t, "migr")
	r := fx.load(t)
	newServer := func(annotator string) (*Annotation, *httptest.Server) {
		a, err := NewAnnotation(r, AnnotateOptions{Annotator: annotator, Sample: 12, Seed: 7}, nil)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := NewServer(r, Options{Annotation: a})
		if err != nil {
			t.Fatal(err)
		}
		return a, httptest.NewServer(srv)
	}
	a, ts := newServer("alice")
	b := newBrowser(t)
	b.do(t, chromedp.Navigate(ts.URL+"/"))
	b.screenshot(t, "annotate-start")
	b.do(t, chromedp.Click(chromedp.ID("start")))
	b.waitFor(t, `document.getElementById("item") && document.getElementById("item").textContent === "1"`)
	b.screenshot(t, "annotate-item")
	// Blind: nothing on the page names a model, a prediction or the judge's label.
	body := eval[string](t, b, `document.body.innerText`)
	for _, leak := range []string{"base", "cand", "predicted", "TF", "TT"} {
		if strings.Contains(body, leak) {
			t.Errorf("the blind page shows %q", leak)
		}
	}
	keys := []string{"1", "2", "n", "3", "7", "1", "n", "4", "5", "6"}
	labels := r.Labels.Labels
	want := map[int]string{}
	for i, k := range keys {
		item := i + 1
		b.waitFor(t, fmt.Sprintf(`document.getElementById("item") && document.getElementById("item").textContent === "%d" && document.body.dataset.keys === "ready"`, item))
		b.do(t, chromedp.KeyEvent(k))
		if k == "n" {
			want[item] = NoEmotion
		} else {
			want[item] = labels[k[0]-'1']
		}
	}
	b.waitFor(t, `document.getElementById("item") && document.getElementById("item").textContent === "11"`)

	// Reload from the start: the session continues at the first unanswered item.
	b.do(t, chromedp.Navigate(ts.URL+"/annotate"))
	b.waitFor(t, `document.getElementById("item").textContent === "11" && document.body.dataset.keys === "ready"`)
	if got := eval[string](t, b, `document.getElementById("progress").textContent`); got != "10 of 12 answered" {
		t.Fatalf("progress %q", got)
	}
	// Back with the arrow key: item 10, its answer shown as chosen; re-answer it.
	b.do(t, chromedp.KeyEvent(kb.ArrowLeft))
	b.waitFor(t, `document.getElementById("item").textContent === "10" && document.body.dataset.keys === "ready"`)
	if got := eval[string](t, b, `document.querySelector("#answers button.selected").value`); got != want[10] {
		t.Fatalf("item 10 shows %q chosen, want %q", got, want[10])
	}
	b.do(t, chromedp.KeyEvent("2"))
	want[10] = labels[1]
	b.waitFor(t, `document.getElementById("item").textContent === "11"`)

	// A new server over the same directory (the annotator came back another day) resumes too.
	b.do(t, chromedp.Navigate("about:blank")) // nothing of the old page may still ask the old server
	ts.Close()
	a2, ts2 := newServer("alice")
	defer ts2.Close()
	if a2.Answered() != 10 || a2.Next() != 10 {
		t.Fatalf("resumed with %d answered, next %d", a2.Answered(), a2.Next()+1)
	}
	b.do(t, chromedp.Navigate(ts2.URL+"/annotate"))
	b.waitFor(t, `document.getElementById("item").textContent === "11"`)

	rows, err := ReadHuman(filepath.Join(fx.runDir, HumanFile))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 10 {
		t.Fatalf("human.parquet has %d rows, want 10", len(rows))
	}
	for _, h := range rows {
		if h.Annotator != "alice" || h.Judge != r.Summary.Judges[0] || h.Seed != 7 || h.SampleSize != 12 || !h.Blind || h.AnsweredAt.IsZero() ||
			h.InclusionProb <= 0 || h.InclusionProb > 1 || !strings.HasPrefix(h.Stratum, h.Model+"/") {
			t.Errorf("row %+v", h)
		}
		it := a.Items[h.Item-1]
		if p := r.Index.Row(it.Row); p.Model != h.Model || p.ClipID != h.ClipID || it.InclusionProb != h.InclusionProb {
			t.Errorf("row %d is for %s/%s, the sample's item %d is %s/%s", h.Row, h.Model, h.ClipID, h.Item, p.Model, p.ClipID)
		}
		if h.Emotion != want[int(h.Item)] {
			t.Errorf("item %d: %q recorded, %q pressed", h.Item, h.Emotion, want[int(h.Item)])
		}
	}

	// A second annotator on the same sample: κ on the agreement page.
	bob, err := NewAnnotation(r, AnnotateOptions{Annotator: "bob", Sample: 12, Seed: 7}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		e := a2.Answer(i)
		if i%3 == 0 {
			e = NoEmotion
		}
		must(t, bob.Put(r.Index, i, e))
	}
	b.do(t, chromedp.Navigate(ts2.URL+"/agreement"))
	b.screenshot(t, "agreement")
	k := CohenKappa(answers(a2, 10), answers(bob, 10))
	if got := eval[string](t, b, `document.querySelector("#kappa td.kappa").textContent`); got != fmt.Sprintf("%.3f", k) {
		t.Fatalf("κ on the page %q, want %.3f", got, k)
	}
}

func answers(a *Annotation, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = a.Answer(i)
	}
	return out
}
