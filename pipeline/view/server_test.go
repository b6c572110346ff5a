package view

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline"
)

// get fetches a path from a test server without following redirects.
func get(t *testing.T, c *http.Client, base, path string) (int, string, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The path as given, unnormalised: %2e%2e and .. must reach the server as they are.
	req.URL.Opaque = path
	if i := strings.IndexByte(path, '?'); i >= 0 {
		req.URL.Opaque, req.URL.RawQuery = path[:i], path[i+1:]
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func TestMediaIsServedOnlyFromTheSplit(t *testing.T) {
	fx := makeRun(t, "migr")
	r := fx.load(t)
	srv, err := NewServer(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := noRedirect()
	for _, tc := range []struct {
		name, path string
		status     int
		body       string
	}{
		{"the clip's own file", "/media/video/00001", 200, "not really a video"},
		{"the clip by another spelling of its id", "/media/video/1", 200, "not really a video"},
		{"a symbolic link out of the media root", "/media/video/00002", 404, ""},
		{"a relative symbolic link out", "/media/audio/00002", 404, ""},
		{"a directory", "/media/video/00003", 404, ""},
		{"a clip without a file", "/media/audio/00001", 404, ""},
		{"a clip not in the split", "/media/video/99999", 404, ""},
		{"dot-dot", "/media/video/../../../etc/passwd", 404, ""},
		{"encoded dot-dot", "/media/video/%2e%2e", 404, ""},
		{"encoded dot-dot and slashes", "/media/video/%2e%2e%2f%2e%2e%2fsecret.txt", 404, ""},
		{"an absolute path", "/media/video/%2Fetc%2Fpasswd", 404, ""},
		{"an absolute path to the secret", "/media/video/" + url.PathEscape(fx.secret), 404, ""},
		{"another kind", "/media/secret/00001", 404, ""},
		{"a path instead of a kind", "/media/" + url.PathEscape(fx.secret), 404, ""},
		{"static files: dot-dot", "/static/../server.go", 404, ""},
		{"static files: encoded dot-dot", "/static/%2e%2e/server.go", 404, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body, h := get(t, c, ts.URL, tc.path)
			if status == http.StatusMovedPermanently || status == http.StatusTemporaryRedirect {
				// The mux cleans ".." out of a path by redirecting; the cleaned path is then asked.
				loc := h.Get("Location")
				status, body, _ = get(t, c, ts.URL, loc)
			}
			if status != tc.status {
				t.Fatalf("status %d, want %d (%s)", status, tc.status, excerpt(body, 80))
			}
			if strings.Contains(body, "SECRET") || strings.Contains(body, "package view") || strings.Contains(body, "root:") {
				t.Fatal("a file outside the media root was served")
			}
			if tc.body != "" && body != tc.body {
				t.Fatalf("body %q", body)
			}
		})
	}
	// What is served is marked as media, never as a page of this origin.
	_, _, h := get(t, c, ts.URL, "/media/video/00001")
	if h.Get("Content-Type") != "video/mp4" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", h)
	}
}

func TestMediaType(t *testing.T) {
	for _, tc := range []struct {
		path, ctype string
		inline      bool
	}{
		{"a.mp4", "video/mp4", true},
		{"a.WAV", "audio/wav", true},
		{"a.html", "application/octet-stream", false},
		{"a.svg", "application/octet-stream", false},
		{"a", "application/octet-stream", false},
	} {
		if ct, inline := mediaType(tc.path); (ct != tc.ctype && !(tc.inline && strings.HasPrefix(ct, strings.Split(tc.ctype, "/")[0]))) || inline != tc.inline {
			t.Errorf("%s: %s inline=%v, want %s inline=%v", tc.path, ct, inline, tc.ctype, tc.inline)
		}
	}
}

func TestCommonDir(t *testing.T) {
	for _, tc := range []struct {
		dirs []string
		want string
	}{
		{[]string{"/data/DFEW/clip", "/data/DFEW/clip"}, "/data/DFEW/clip"},
		{[]string{"/data/DFEW/clip", "/data/DFEW/audio"}, "/data/DFEW"},
		{[]string{"/data/DFEW/clip", "/data/DFEWX/clip"}, "/data"},
		{[]string{"/a", "/b"}, "/"},
		{nil, ""},
	} {
		if got := commonDir(tc.dirs); got != tc.want {
			t.Errorf("commonDir(%q) = %q, want %q", tc.dirs, got, tc.want)
		}
	}
}

func TestAccess(t *testing.T) {
	fx := makeRun(t, "migr")
	r := fx.load(t)
	const token = "correct horse battery staple"
	srv, err := NewServer(r, Options{Token: token})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	c := noRedirect()
	for _, tc := range []struct {
		name, path string
		cookie     string
		status     int
	}{
		{"no token", "/", "", http.StatusUnauthorized},
		{"no token for media", "/media/video/00001", "", http.StatusUnauthorized},
		{"a wrong token", "/?token=wrong", "", http.StatusUnauthorized},
		{"a prefix of the token", "/?token=correct", "", http.StatusUnauthorized},
		{"the token in the URL: a cookie, and the token leaves the URL", "/samples?model=base&token=" + url.QueryEscape(token), "", http.StatusSeeOther},
		{"the cookie", "/samples", token, http.StatusOK},
		{"a wrong cookie", "/samples", "nope", http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+tc.path, nil)
			if tc.cookie != "" {
				req.AddCookie(&http.Cookie{Name: CookieName, Value: tc.cookie})
			}
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.status == http.StatusSeeOther {
				if loc := resp.Header.Get("Location"); loc != "/samples?model=base" {
					t.Fatalf("redirect to %q", loc)
				}
				if ck := resp.Cookies(); len(ck) != 1 || ck[0].Value != token || !ck[0].HttpOnly || ck[0].SameSite != http.SameSiteStrictMode {
					t.Fatalf("cookies %+v", ck)
				}
			}
		})
	}
	// A browser that opened the link keeps working through the cookie.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	resp, err := browser.Get(ts.URL + "/?token=" + url.QueryEscape(token))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.RawQuery != "" {
		t.Fatalf("status %d at %s", resp.StatusCode, resp.Request.URL)
	}
}

func TestTokenEqual(t *testing.T) {
	for _, tc := range []struct {
		got, want string
		ok        bool
	}{
		{"s3cret", "s3cret", true},
		{"s3cre", "s3cret", false},
		{"s3cret!", "s3cret", false},
		{"", "s3cret", false},
		{"", "", false}, // no token configured never matches
	} {
		if TokenEqual(tc.got, tc.want) != tc.ok {
			t.Errorf("TokenEqual(%q, %q) = %v", tc.got, tc.want, !tc.ok)
		}
	}
}

// Without a token the server answers only requests addressed to loopback names: a page
// elsewhere cannot reach it through a DNS name rebound to 127.0.0.1.
func TestLoopbackHostOnly(t *testing.T) {
	for _, tc := range []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1:8700", true},
		{"localhost:8700", true},
		{"[::1]:8700", true},
		{"127.1.2.3", true},
		{"attacker.example:8700", false},
		{"192.168.1.10:8700", false},
		{"", false},
	} {
		if loopbackHost(tc.host) != tc.ok {
			t.Errorf("loopbackHost(%q) = %v", tc.host, !tc.ok)
		}
	}
	for _, tc := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8700", true}, {"localhost:0", true}, {"[::1]:80", true},
		{"0.0.0.0:8700", false}, {":8700", false}, {"10.0.0.5:8700", false}, {"example.org:80", false}, {"nonsense", false},
	} {
		if IsLoopbackAddr(tc.addr) != tc.ok {
			t.Errorf("IsLoopbackAddr(%q) = %v", tc.addr, !tc.ok)
		}
	}
	fx := makeRun(t, "migr")
	srv, err := NewServer(fx.load(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://attacker.example/", nil))
	if rec.Code != http.StatusForbidden {
		t.Fatalf("status %d for a foreign Host", rec.Code)
	}
}

// The pages escape what models wrote without a browser too: the raw HTML holds no tag of the
// hostile output, and the security headers are on every page.
func TestPagesEscapeModelText(t *testing.T) {
	fx := makeRun(t, "migr")
	srv, err := NewServer(fx.load(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	for _, path := range []string{"/", "/samples?model=cand", "/clip?id=00001", "/samples?q=%3Cscript%3E", "/clip?id=%3Cscript%3Ealert(1)%3C/script%3E", "/samples?model=%3Cscript%3E"} {
		t.Run(path, func(t *testing.T) {
			_, body, h := get(t, http.DefaultClient, ts.URL, path)
			if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") || strings.Contains(body, "\u202E") {
				t.Fatal("model text reached the page unescaped")
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") || h.Get("X-Frame-Options") != "DENY" {
				t.Fatalf("headers %v", h)
			}
		})
	}
	status, body, _ := get(t, http.DefaultClient, ts.URL, "/clip?id=00001")
	if status != 200 || !strings.Contains(body, "&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(body, "U&#43;202E") { // html/template writes + as &#43;
		t.Fatalf("status %d; the hostile output is not shown as text", status)
	}
	if status, _, _ := get(t, http.DefaultClient, ts.URL, "/clip?id=nope"); status != http.StatusNotFound {
		t.Fatalf("status %d for an unknown clip", status)
	}
	if status, body, _ := get(t, http.DefaultClient, ts.URL, "/samples?model=zzz"); status != http.StatusBadRequest || !strings.Contains(body, "is not in this run") {
		t.Fatalf("status %d for an unknown model", status)
	}
	if status, _, _ := get(t, http.DefaultClient, ts.URL, "/annotate"); status != http.StatusNotFound {
		t.Fatalf("status %d: the viewer serves annotation pages", status)
	}
}

func TestSegments(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []seg
	}{
		{"plain", []seg{{Text: "plain"}}},
		{"a\u202Eb", []seg{{Text: "a"}, {Ctrl: "U+202E"}, {Text: "b"}}},
		{"\u2066\u200Bx\uFEFF", []seg{{Ctrl: "U+2066"}, {Ctrl: "U+200B"}, {Text: "x"}, {Ctrl: "U+FEFF"}}},
		{"bad \xff utf8", []seg{{Text: "bad \uFFFD utf8"}}},
		{"", nil},
	} {
		got := segments(tc.in)
		if len(got) != len(tc.want) {
			t.Fatalf("segments(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("segments(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		}
	}
	if got := excerpt(strings.Repeat("é", 10_000), 5); got != "ééééé…" {
		t.Fatalf("excerpt %q", got)
	}
}

func TestAnnotationForm(t *testing.T) {
	fx := makeRun(t, "migr")
	r := fx.load(t)
	a, err := NewAnnotation(r, AnnotateOptions{Annotator: "alice", Sample: 5, Seed: 3}, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := NewServer(r, Options{Annotation: a})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	post := func(form url.Values, origin string) int {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/annotate/answer", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := noRedirect().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		origin string
		status int
	}{
		{"an answer", url.Values{"csrf": {srv.csrf}, "item": {"1"}, "emotion": {"sad"}}, ts.URL, http.StatusSeeOther},
		{"none", url.Values{"csrf": {srv.csrf}, "item": {"2"}, "emotion": {NoEmotion}}, ts.URL, http.StatusSeeOther},
		{"another site's form", url.Values{"csrf": {srv.csrf}, "item": {"3"}, "emotion": {"sad"}}, "http://attacker.example", http.StatusForbidden},
		{"Origin null", url.Values{"csrf": {srv.csrf}, "item": {"3"}, "emotion": {"sad"}}, "null", http.StatusForbidden},
		{"no form token", url.Values{"item": {"3"}, "emotion": {"sad"}}, ts.URL, http.StatusForbidden},
		{"a label not in the set", url.Values{"csrf": {srv.csrf}, "item": {"3"}, "emotion": {"contempt"}}, ts.URL, http.StatusBadRequest},
		{"an item not in the sample", url.Values{"csrf": {srv.csrf}, "item": {"6"}, "emotion": {"sad"}}, ts.URL, http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := post(tc.form, tc.origin); got != tc.status {
				t.Fatalf("status %d, want %d", got, tc.status)
			}
		})
	}
	if a.Answered() != 2 || a.Answer(0) != "sad" || a.Answer(1) != NoEmotion {
		t.Fatalf("answers %q %q", a.Answer(0), a.Answer(1))
	}
	// Blind pages: the viewer's pages are not there, and the agreement page shows no judge.
	for _, path := range []string{"/samples", "/clip?id=00001", "/media/video/00001"} {
		if status, _, _ := get(t, http.DefaultClient, ts.URL, path); status != http.StatusNotFound {
			t.Errorf("%s: status %d in an annotation session", path, status)
		}
	}
	if _, body, _ := get(t, http.DefaultClient, ts.URL, "/agreement"); strings.Contains(body, "human-judge") {
		t.Error("the agreement page of an annotation session compares with judges")
	}
}

func TestAnnotationSetup(t *testing.T) {
	fx := makeRun(t, "migr")
	r := fx.load(t)
	for _, tc := range []struct {
		name string
		o    AnnotateOptions
		err  string
	}{
		{"no annotator", AnnotateOptions{Sample: 5}, "--annotator"},
		{"a control character", AnnotateOptions{Annotator: "a\nb", Sample: 5}, "control"},
		{"an RTL override", AnnotateOptions{Annotator: "a\u202Eb", Sample: 5}, "control"},
		{"no sample", AnnotateOptions{Annotator: "a", Sample: 0}, "--sample"},
		{"an unknown judge", AnnotateOptions{Annotator: "a", Sample: 5, Judge: "zzz"}, `--judge "zzz"`},
		{"the replayed judge", AnnotateOptions{Annotator: "a", Sample: 5, Judge: "gpt"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := NewAnnotation(r, tc.o, nil)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// gpt judged only base: every item is base's.
			for _, it := range a.Items {
				if !strings.HasPrefix(it.Stratum, "base/") {
					t.Fatalf("stratum %s", it.Stratum)
				}
			}
		})
	}
}

func TestMaskAnswer(t *testing.T) {
	for in, want := range map[string]string{
		"<think>x</think><answer>sad</answer>":     "<think>x</think><answer>[answer hidden]</answer>",
		"<ANSWER>sad</Answer> and <answer>happy":   "<ANSWER>[answer hidden]</Answer> and <answer>[answer hidden]",
		"no tags":                                  "no tags",
		"İİİ<answer>sad</answer>":                  "İİİ<answer>[answer hidden]</answer>",
		"<answer>a</answer><answer>b</answer>tail": "<answer>[answer hidden]</answer><answer>[answer hidden]</answer>tail",
	} {
		if got := maskAnswer(in); got != want {
			t.Errorf("maskAnswer(%q) = %q, want %q", in, got, want)
		}
	}
}

// A clip's page shows every model's output side by side, the av passes first in the summary's
// model order, then the single-modality passes.
func TestClipOrder(t *testing.T) {
	ix := tinyIndex("migr")
	r := &Run{Dir: t.TempDir(), Manifest: &pipeline.Manifest{Name: "tiny"}, Summary: &metrics.Summary{Labels: ix.Labels.Labels}, Labels: ix.Labels, Protocol: "migr", Index: ix}
	srv, err := NewServer(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/clip?id=0001", nil))
	body := rec.Body.String()
	var order []string
	for _, part := range strings.Split(body, `<article class="output`)[1:] {
		_, rest, _ := strings.Cut(part, `data-model="`)
		m, _, _ := strings.Cut(rest, `"`)
		order = append(order, m)
	}
	if rec.Code != 200 || strings.Join(order, ",") != "a,b,b,a@video" {
		t.Fatalf("status %d, outputs %v", rec.Code, order)
	}
	if !strings.Contains(body, "output 1 of 2") || !strings.Contains(body, "output 2 of 2") {
		t.Fatal("b's two outputs are not numbered")
	}
}

// Every link of every page reachable from / leads to a page that answers (a crawl of the
// fixture run's viewer, and of an annotation session).
func TestEveryLinkResolves(t *testing.T) {
	fx := makeRun(t, "robust")
	r := fx.load(t)
	a, err := NewAnnotation(r, AnnotateOptions{Annotator: "alice", Sample: 4, Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		opts  Options
		pages int // at least
		must  []string
	}{
		{"viewer", Options{}, 40, []string{"/samples", "/agreement", "/clip?id=00001", "/media/video/00001"}},
		{"annotation", Options{Annotation: a}, 5, []string{"/annotate", "/agreement"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, err := NewServer(r, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			href := regexp.MustCompile(`(?:href|src)="([^"]*)"`)
			seen := map[string]bool{"/": true}
			queue := []string{"/"}
			for len(queue) > 0 && len(seen) < 400 {
				p := queue[0]
				queue = queue[1:]
				status, body, _ := get(t, http.DefaultClient, ts.URL, p)
				if status != http.StatusOK {
					t.Fatalf("%s: status %d", p, status)
				}
				for _, m := range href.FindAllStringSubmatch(body, -1) {
					link := html.UnescapeString(m[1])
					if !strings.HasPrefix(link, "/") || seen[link] {
						continue
					}
					seen[link] = true
					queue = append(queue, link)
				}
			}
			if len(seen) < tc.pages {
				t.Fatalf("only %d pages reachable", len(seen))
			}
			for _, p := range tc.must {
				if !seen[p] {
					t.Errorf("%s is not reachable from /", p)
				}
			}
		})
	}
}
