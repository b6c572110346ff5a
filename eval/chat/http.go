package chat

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// DefaultTimeout is the per-request timeout when HTTPConfig.Timeout is 0.
const DefaultTimeout = 60 * time.Second

// maxBody bounds a response body; completions are a few kilobytes.
const maxBody = 64 << 20

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
	// Timeout bounds each request (each attempt, under WithRetry); 0 means DefaultTimeout and a
	// negative value means none.
	Timeout time.Duration
}

// String describes the configuration without the API key.
func (c HTTPConfig) String() string {
	key := "none"
	if c.APIKey != "" {
		key = "set"
	}
	return fmt.Sprintf("HTTPConfig{Endpoint: %s, APIKey: %s, Timeout: %s}", redactURL(c.Endpoint), key, c.Timeout)
}

// GoString is String, so that %#v does not print the key either.
func (c HTTPConfig) GoString() string { return c.String() }

// NewTransport returns an http.Transport for many concurrent requests to few hosts: idle
// connections are kept per host up to a high limit, so that a run at concurrency N reuses N
// keep-alive connections instead of opening new ones.
func NewTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 0
	t.MaxIdleConnsPerHost = 1024
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// HTTP is the Client that talks to a server. Each Complete is one HTTP request.
type HTTP struct {
	url      string // the chat-completions URL
	shownURL string // url without credentials, for messages
	key      string
	client   *http.Client
	timeout  time.Duration
}

// NewHTTP returns an HTTP client for an OpenAI-compatible server.
func NewHTTP(cfg HTTPConfig) (*HTTP, error) {
	u, err := url.Parse(strings.TrimSpace(cfg.Endpoint))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// The endpoint is not repeated: a malformed URL may carry credentials.
		return nil, fmt.Errorf("endpoint is not a valid http(s) URL: give the server's base URL, e.g. http://host:8000/v1")
	}
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/chat/completions") + "/chat/completions"
	h := &HTTP{url: u.String(), key: cfg.APIKey, client: cfg.HTTPClient, timeout: cfg.Timeout}
	h.shownURL = h.redact(shownURL(u))
	if h.client == nil {
		h.client = &http.Client{Transport: NewTransport()}
	}
	if h.timeout == 0 {
		h.timeout = DefaultTimeout
	}
	return h, nil
}

// Complete sends one request.
func (h *HTTP) Complete(ctx context.Context, req Request) (Response, error) {
	body, err := MarshalRequest(req)
	if err != nil {
		return Response{}, &Error{Msg: "build request: " + err.Error()}
	}
	reqCtx, cancel := ctx, context.CancelFunc(func() {})
	if h.timeout > 0 {
		reqCtx, cancel = context.WithTimeout(ctx, h.timeout)
	}
	defer cancel()
	hreq, err := http.NewRequestWithContext(reqCtx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return Response{}, &Error{Msg: h.redact("build request: " + err.Error())}
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "application/json")
	if h.key != "" {
		hreq.Header.Set("Authorization", "Bearer "+h.key)
	}

	start := time.Now()
	resp, err := h.client.Do(hreq)
	if err != nil {
		return Response{}, h.transportError(ctx, reqCtx, err, "send request")
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return Response{}, h.transportError(ctx, reqCtx, err, fmt.Sprintf("read response (HTTP %d, %d bytes received)", resp.StatusCode, len(data)))
	}
	if len(data) > maxBody {
		return Response{}, &Error{Status: resp.StatusCode, Msg: h.redact(fmt.Sprintf("POST %s: response larger than %d MiB", h.shownURL, maxBody>>20))}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := statusError(resp.StatusCode, req.Model, data, h.key, resp.Header)
		e.Msg = h.redact("POST " + h.shownURL + ": " + e.Msg)
		return Response{}, e
	}
	out, e := decodeResponse(data, h.key)
	if e != nil {
		e.Status = resp.StatusCode
		e.Msg = h.redact("POST " + h.shownURL + ": " + e.Msg)
		return Response{}, e
	}
	out.Attempts = 1
	out.Latency = time.Since(start)
	return out, nil
}

// transportError classifies an error from sending a request or reading its response.
func (h *HTTP) transportError(ctx, reqCtx context.Context, err error, op string) *Error {
	if ctx.Err() != nil {
		return &Error{Msg: fmt.Sprintf("POST %s: %s: %v", h.shownURL, op, ctx.Err()), cause: ctx.Err()}
	}
	if reqCtx.Err() != nil {
		return &Error{Retryable: true, Msg: fmt.Sprintf("POST %s: %s: no response within %s (request timeout)", h.shownURL, op, h.timeout)}
	}
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		err = urlErr.Err // its message repeats the URL, credentials included
	}
	e := &Error{Retryable: true}
	var netErr net.Error
	var dnsErr *net.DNSError
	var certErr *x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		e.Retryable = false
		op += ": host not found: check the endpoint"
	case errors.As(err, &certErr), errors.As(err, &hostErr):
		e.Retryable = false
		op += ": TLS certificate not accepted: check the endpoint's host name and certificate"
	case errors.As(err, &netErr) && netErr.Timeout():
		op += ": timed out"
	case errors.Is(err, syscall.ECONNREFUSED):
		op += ": connection refused (is the server running?)"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		op += ": connection closed by the server"
	}
	e.Msg = h.redact(fmt.Sprintf("POST %s: %s: %v", h.shownURL, op, err))
	return e
}

// redact removes the API key from s.
func (h *HTTP) redact(s string) string { return redactKey(s, h.key) }

// redactKey replaces every occurrence of key in s.
func redactKey(s, key string) string {
	if key == "" {
		return s
	}
	return strings.ReplaceAll(s, key, "[REDACTED]")
}

// redactURL shows a URL for messages, or nothing when it does not parse.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(invalid URL)"
	}
	return shownURL(u)
}

// shownURL is a URL without user information and query, either of which may hold credentials.
func shownURL(u *url.URL) string {
	v := *u
	v.User, v.RawQuery, v.ForceQuery, v.Fragment = nil, "", false, ""
	return v.String()
}
