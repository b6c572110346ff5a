package view

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// CookieName is the cookie that carries the access token once a ?token= link was opened.
const CookieName = "emoeval_view_token"

// Options configure a Server.
type Options struct {
	// Token, when set, is required of every request (the cookie, or ?token= once). Without one
	// the server answers only requests addressed to a loopback host, so that a web page the
	// browser visits cannot reach it through a DNS name rebound to 127.0.0.1.
	Token string
	// Annotation, when set, makes the server an annotation session: the start page, the
	// annotation pages and the agreement page only, so that nothing shows what the annotator
	// should not see.
	Annotation *Annotation
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

// Server serves a run's pages. It holds no state but the run (read-only after Load), the
// annotation session, and its own random form token.
type Server struct {
	run   *Run
	ann   *Annotation
	token string
	csrf  string
	now   func() time.Time
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// NewServer prepares a run's pages.
func NewServer(r *Run, o Options) (*Server, error) {
	s := &Server{run: r, ann: o.Annotation, token: o.Token, now: o.Now, pages: map[string]*template.Template{}, mux: http.NewServeMux()}
	if s.now == nil {
		s.now = time.Now
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	s.csrf = hex.EncodeToString(b[:])
	funcs := template.FuncMap{"pct": pct, "kappa": kappaText}
	for _, name := range []string{"overview", "samples", "clip", "annotate", "start", "agreement", "error"} {
		t, err := template.New(name).Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("view: template %s: %w", name, err)
		}
		s.pages[name] = t
	}
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/static/favicon.svg", http.StatusMovedPermanently)
	})
	s.mux.HandleFunc("GET /agreement", s.agreement)
	if s.ann != nil {
		s.mux.HandleFunc("GET /{$}", s.start)
		s.mux.HandleFunc("GET /annotate", s.annotate)
		s.mux.HandleFunc("POST /annotate/answer", s.answer)
	} else {
		s.mux.HandleFunc("GET /{$}", s.overview)
		s.mux.HandleFunc("GET /samples", s.samples)
		s.mux.HandleFunc("GET /clip", s.clip)
		s.mux.HandleFunc("GET /media/{kind}/{clip}", s.media)
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, http.StatusNotFound, "There is no page at "+r.URL.Path+".")
	})
	return s, nil
}

// ServeHTTP serves a request: security headers on every answer, then the access check, then
// the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Scripts, styles and media come from this server only, and no page may be framed: a
	// string a model wrote that escaped escaping still could not run or load anything.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	// Not no-referrer: under it browsers send "Origin: null" with form posts, which the
	// same-origin check of the annotation form must refuse.
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
	if !s.authorized(w, r) {
		return
	}
	s.mux.ServeHTTP(w, r)
}

// authorized checks a request's access; it has answered the request when it returns false.
func (s *Server) authorized(w http.ResponseWriter, r *http.Request) bool {
	if s.token == "" {
		if !loopbackHost(r.Host) {
			s.fail(w, http.StatusForbidden, "This server answers requests for 127.0.0.1, [::1] or localhost only.")
			return false
		}
		return true
	}
	if c, err := r.Cookie(CookieName); err == nil && TokenEqual(c.Value, s.token) {
		return true
	}
	if t := r.URL.Query().Get("token"); t != "" && TokenEqual(t, s.token) {
		http.SetCookie(w, &http.Cookie{Name: CookieName, Value: s.token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			// The token leaves the address bar (and history) at once: the cookie carries it on.
			q := r.URL.Query()
			q.Del("token")
			u := *r.URL
			u.RawQuery = q.Encode()
			http.Redirect(w, r, u.RequestURI(), http.StatusSeeOther)
			return false
		}
		return true
	}
	s.fail(w, http.StatusUnauthorized, "This page needs the access token: open the address with ?token=… as given to `emoeval view --token`.")
	return false
}

// TokenEqual compares a presented token with the server's in constant time (of their hashes, so
// that not even the length leaks).
func TokenEqual(got, want string) bool {
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1 && want != ""
}

// loopbackHost says whether a Host header names this machine by a loopback address or localhost.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// IsLoopbackAddr says whether a listen address (host:port) binds loopback only.
func IsLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	return loopbackHost(host)
}

// pageInfo is what the layout shows on every page.
type pageInfo struct {
	Title, RunName, RunDir string
	Synthetic, Annotating  bool
	Scripts                []string
}

func (s *Server) page(title string) pageInfo {
	name := s.run.Manifest.Name
	if name == "" {
		name = filepath.Base(s.run.Dir)
	}
	return pageInfo{Title: title, RunName: name, RunDir: s.run.Dir, Synthetic: s.run.Summary.Synthetic || s.run.Manifest.Synthetic, Annotating: s.ann != nil}
}

// render executes a page into memory first, so that a template error is a 500, never half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		http.Error(w, "internal error rendering the page: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type errorData struct {
	Page    pageInfo
	Status  string
	Message string
}

func (s *Server) fail(w http.ResponseWriter, status int, msg string) {
	s.render(w, status, "error", errorData{Page: s.page(http.StatusText(status)), Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), Message: msg})
}

// pct writes a rate in [0, 1] as a percentage; NaN (undefined) as n/a.
func pct(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "n/a"
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

func kappaText(k float64) string {
	if math.IsNaN(k) {
		return "n/a"
	}
	return fmt.Sprintf("%.3f", k)
}

// sameOrigin rejects a form posted from another site: the Origin header, which browsers send
// with every POST, must name this server. (The form token is the other half of the check.)
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" || o == "null" {
		return o == "" // a request without Origin comes from no browser page
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

var errBadForm = errors.New("the form is not this server's (reload the page)")
