package chat

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/emoeval/emoeval/internal/redact"
)

// DefaultTimeout is the per-request timeout when HTTPConfig.Timeout is 0.
const DefaultTimeout = 60 * time.Second

// HTTPConfig configures the HTTP client.
type HTTPConfig struct {
	// Endpoint is the server's base URL, e.g. http://gpu-1:8000/v1; "/chat/completions" is
	// appended (an Endpoint already ending in it is accepted too).
	Endpoint string
	// APIKey is sent as "Authorization: Bearer <key>" when not empty.
	APIKey string
	// HTTPClient makes the requests; nil uses a client with NewTransport(), tuned for many
	// concurrent keep-alive requests to one host. Its own Timeout, if any, also applies.
	HTTPClient *http.Client
	// Timeout bounds each request (each attempt, under WithRetry). 0 means DefaultTimeout; a
	// negative value is an error: a request without a timeout can hang a worker for ever, so
	// there is no way to turn it off.
	Timeout time.Duration
	// MaxOutputBytes bounds the answer's text, and separately its reasoning, in bytes: longer
	// ones are cut to it at a character boundary and the Response is marked Truncated. 0 means
	// DefaultMaxOutputBytes; a negative value is an error. What reading one response holds in
	// memory is a small multiple of it (about 4 times, at most) whatever the server sends; a
	// body of more text than that, or beyond 64 times the larger of it and the default, is
	// refused as no answer.
	MaxOutputBytes int
}

// String describes the configuration without the API key.
func (c HTTPConfig) String() string {
	key := "none"
	if c.APIKey != "" {
		key = "set"
	}
	shown := "(invalid URL)" // a URL that does not parse may hold credentials anywhere
	if u, err := url.Parse(strings.TrimSpace(c.Endpoint)); err == nil {
		shown = redact.Values(redact.URL(u.String()), endpointSecrets(u, c.APIKey)...)
	}
	return fmt.Sprintf("HTTPConfig{Endpoint: %s, APIKey: %s, Timeout: %s, MaxOutputBytes: %d}", shown, key, c.Timeout, c.MaxOutputBytes)
}

// GoString is String, so that %#v does not print the key either.
func (c HTTPConfig) GoString() string { return c.String() }

// NewTransport returns an http.Transport for many concurrent requests to few hosts: idle
// connections are kept per host up to a high limit, so that a run at concurrency N reuses N
// keep-alive connections instead of opening new ones. Response headers are bounded to 1 MiB
// (Go's default is 10 MiB) for the same reason bodies are: each in-flight request holds them.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 0
	t.MaxIdleConnsPerHost = 1024
	t.IdleConnTimeout = 90 * time.Second
	t.MaxResponseHeaderBytes = 1 << 20
	return t
}

// HTTP is the Client that talks to a server. Each Complete is one HTTP request.
type HTTP struct {
	base      string // the endpoint's base URL, without /chat/completions: /models is under it
	url       string // the chat-completions URL
	shownBase string // base for messages, without credentials
	shownURL  string // url for messages, without credentials
	key       string
	secrets   []string // removed from every message: the key and what the endpoint carries
	client    *http.Client
	timeout   time.Duration
	maxOutput int
	limits    bodyLimits
}

// NewHTTP returns an HTTP client for an OpenAI-compatible server.
func NewHTTP(cfg HTTPConfig) (*HTTP, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.Endpoint))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The endpoint is not repeated: a malformed URL may carry credentials.
		return nil, fmt.Errorf("endpoint is not a valid http(s) URL: give the server's base URL, e.g. http://host:8000/v1")
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("timeout %s is negative: give a positive request timeout, e.g. 60s (0 means the default, %s)", cfg.Timeout, DefaultTimeout)
	}
	if cfg.MaxOutputBytes < 0 {
		return nil, fmt.Errorf("max output bytes %d is negative: give a positive limit (0 means the default, %d)", cfg.MaxOutputBytes, DefaultMaxOutputBytes)
	}
	h := &HTTP{key: cfg.APIKey, client: cfg.HTTPClient, timeout: cfg.Timeout, maxOutput: cfg.MaxOutputBytes}
	if h.timeout == 0 {
		h.timeout = DefaultTimeout
	}
	if h.maxOutput == 0 {
		h.maxOutput = DefaultMaxOutputBytes
	}
	h.limits = newBodyLimits(h.maxOutput)
	h.secrets = endpointSecrets(u, cfg.APIKey)
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/chat/completions")
	u.RawPath = ""
	h.base = u.String()
	h.shownBase = h.redact(redact.URL(h.base))
	u.Path += "/chat/completions"
	h.url = u.String()
	h.shownURL = h.redact(redact.URL(h.url))
	if h.client == nil {
		h.client = &http.Client{Transport: NewTransport()}
	}
	return h, nil
}

// endpointSecrets lists what must never appear in a message: the API key, and the credentials
// an endpoint URL carries (user information, the Basic header Go makes of it, query values named
// like credentials or looking like keys), so that a server echoing them back is caught by value,
// beyond the forms redact.Text recognises.
func endpointSecrets(u *url.URL, key string) []string {
	secrets := []string{key}
	if u.User != nil {
		name := u.User.Username()
		pass, hasPass := u.User.Password()
		secrets = append(secrets, pass, u.User.String(), base64.StdEncoding.EncodeToString([]byte(name+":"+pass)))
		if !hasPass || redact.LooksLikeSecret(name) {
			secrets = append(secrets, name) // https://TOKEN@host: the user is the credential
		}
	}
	for name, values := range u.Query() {
		for _, v := range values {
			if redact.IsCredentialName(name) || redact.LooksLikeSecret(v) {
				secrets = append(secrets, v, url.QueryEscape(v))
			}
		}
	}
	return slices.DeleteFunc(secrets, func(s string) bool { return len(s) < 4 })
}

// Complete sends one request.
func (h *HTTP) Complete(ctx context.Context, req Request) (Response, error) {
	return h.complete(ctx, req, h.timeout)
}

func (h *HTTP) complete(ctx context.Context, req Request, timeout time.Duration) (Response, error) {
	body, err := MarshalRequest(req)
	if err != nil {
		return Response{}, newError(Permanent, 0, "build request", h.redact("build request: "+err.Error()))
	}
	reqCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(reqCtx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return Response{}, newError(Permanent, 0, "build request", h.redact("build request: "+err.Error()))
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	h.authorize(hreq)

	start := time.Now()
	resp, err := h.client.Do(hreq)
	if err != nil {
		return Response{}, h.transportError(ctx, reqCtx, timeout, err, "POST "+h.shownURL, "send request")
	}
	defer resp.Body.Close()
	data, e := h.readResponse(ctx, reqCtx, timeout, resp, "POST "+h.shownURL)
	if e != nil {
		return Response{}, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := statusError(resp.StatusCode, req.Model, data, h.secrets, resp.Header)
		e.Msg = h.redact("POST " + h.shownURL + ": " + e.Msg)
		return Response{}, e
	}
	out, e := decodeResponse(data, h.maxOutput, h.secrets...)
	if e != nil {
		e.Status = resp.StatusCode
		e.Msg = h.redact("POST " + h.shownURL + ": " + e.Msg)
		return Response{}, e
	}
	out.Attempts = 1
	out.Latency = time.Since(start)
	return out, nil
}

// authorize sets the request's Authorization header from the API key.
func (h *HTTP) authorize(r *http.Request) {
	if h.key != "" {
		r.Header.Set("Authorization", "Bearer "+h.key)
	}
}

// kindTooLarge is the kind of a body beyond the limits.
const kindTooLarge = "response too large"

// readResponse reads a response body within the limits; what is the request is "POST url".
func (h *HTTP) readResponse(ctx, reqCtx context.Context, timeout time.Duration, resp *http.Response, what string) ([]byte, *Error) {
	data, err := readBody(resp.Body, h.limits)
	var tooLarge errBodyTooLarge
	switch {
	case errors.As(err, &tooLarge):
		// Another attempt would read as much again; a server sending this is broken.
		return nil, newError(Permanent, resp.StatusCode, kindTooLarge, h.redact(fmt.Sprintf("%s: HTTP %d: %v", what, resp.StatusCode, err)))
	case err != nil:
		return nil, h.transportError(ctx, reqCtx, timeout, err, what, fmt.Sprintf("read response (HTTP %d, %d bytes received)", resp.StatusCode, len(data)))
	}
	return data, nil
}

// transportError classifies an error from sending a request or reading its response; what is
// the request ("POST url"), op the step that failed, timeout the request's.
func (h *HTTP) transportError(ctx, reqCtx context.Context, timeout time.Duration, err error, what, op string) *Error {
	if ctx.Err() != nil {
		e := newError(Canceled, 0, "canceled", h.redact(fmt.Sprintf("%s: %s: %v", what, op, ctx.Err())))
		e.cause = ctx.Err()
		return e
	}
	if reqCtx.Err() != nil {
		return newError(Transient, 0, "timeout", h.redact(fmt.Sprintf("%s: %s: no response within %s (request timeout)", what, op, timeout)))
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // its message repeats the URL, credentials included
	}
	class, kind := Transient, "connection"
	var netErr net.Error
	var dnsErr *net.DNSError
	var certErr *x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	var verifyErr *tls.CertificateVerificationError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		class, kind = Permanent, "host not found"
		op += ": host not found: check the endpoint"
	case errors.As(err, &certErr), errors.As(err, &hostErr), errors.As(err, &invalidErr), errors.As(err, &verifyErr):
		class, kind = Permanent, "TLS certificate"
		op += ": TLS certificate not accepted: check the endpoint's host name and certificate"
	case errors.As(err, &recordErr), strings.Contains(err.Error(), "server gave HTTP response to HTTPS client"):
		class, kind = Permanent, "TLS handshake"
		op += ": the server does not speak TLS: check http:// or https:// in the endpoint"
	case errors.As(err, &netErr) && netErr.Timeout():
		kind = "timeout"
		op += ": timed out"
	case errors.Is(err, syscall.ECONNREFUSED):
		class, kind = Unreachable, "connection refused"
		op += ": connection refused (is the server running?)"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		kind = "connection closed"
		op += ": connection closed by the server"
	}
	return newError(class, 0, kind, h.redact(fmt.Sprintf("%s: %s: %v", what, op, err)))
}

// redact removes the key, the endpoint's credentials and every credential form from s.
func (h *HTTP) redact(s string) string { return redact.Text(redact.Values(s, h.secrets...)) }
