package chat

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/emoeval/emoeval/internal/redact"
)

// Error is a failed completion. Its message is safe to print, log and store: the HTTP layer
// removes the API key and URL credentials from it when it is made, and Error removes every
// credential form that redact.Text knows (Authorization values, user:pass@, ?api_key=…, sk-…
// keys) when it is printed, so that a server echoing the request cannot leak through it.
type Error struct {
	Status     int           // HTTP status; 0 when no response arrived
	Retryable  bool          // a later attempt may succeed (429 but insufficient_quota, 5xx, timeouts, connection errors, bad bodies, aborted generations)
	RetryAfter time.Duration // the server's Retry-After, when it sent one
	Attempts   int           // requests made; set by WithRetry
	Msg        string
	class      Class  // set with Retryable by newError; see ClassOf for errors made elsewhere
	kind       string // what failed, without the details that vary by request: FailureWatch compares it
	cause      error  // only errors safe to expose (context errors, errors of other layers)
}

func (e *Error) Error() string {
	msg := redact.Text(e.Msg)
	if e.Attempts > 1 {
		return fmt.Sprintf("gave up after %d attempts: %s", e.Attempts, msg)
	}
	return msg
}

// Unwrap exposes context.Canceled and context.DeadlineExceeded when the caller's context ended,
// and the error of another layer that WithRetry gave attempts to.
func (e *Error) Unwrap() error { return e.cause }

// Class is what a failure means for the next attempt.
type Class int

const (
	// unclassified is the class of an *Error made without newError (a test's, another
	// package's): ClassOf then classes it by its fields.
	unclassified Class = iota
	// Transient failures may go away on another attempt: 429 (but insufficient_quota), 5xx,
	// timeouts, connections reset, invalid or truncated bodies, aborted generations.
	Transient
	// Unreachable means nothing listens at the endpoint (connection refused). During a run it
	// is retried, since a server restarting refuses connections for a while; before the first
	// request (CheckModel) it is fatal: the endpoint is wrong or the server is not started.
	Unreachable
	// Permanent failures recur on every attempt: 4xx but 408/409/425/429, an exhausted quota,
	// a host not found, a TLS certificate not accepted, a model the server does not serve, an
	// error object without a transient code, a Retry-After beyond the limit.
	Permanent
	// Canceled means the caller's context ended: nothing was learnt about the server.
	Canceled
	// Other is a failure of another layer (the cache, a client function): not the server's.
	Other
)

func (c Class) String() string {
	return [...]string{"unclassified", "transient", "unreachable", "permanent", "canceled", "other"}[c]
}

// retryable is the one rule WithRetry follows, through Error.Retryable.
func (c Class) retryable() bool { return c == Transient || c == Unreachable }

// newError is the one constructor of classified errors: Retryable follows from the class, so
// that the retry layer (which reads Retryable) and CheckModel and FailureWatch (which read the
// class) cannot disagree about an error.
func newError(class Class, status int, kind, msg string) *Error {
	return &Error{Status: status, Retryable: class.retryable(), Msg: msg, class: class, kind: kind}
}

// ClassOf returns the class of err. An *Error made by this package carries its class; one made
// elsewhere (a test, another package's client) is classed by its fields: Retryable is
// Transient, a context end Canceled, any other Permanent. An error that is no *Error is Other,
// or Canceled when it is a context's end.
func ClassOf(err error) Class {
	if err == nil {
		return Other
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return Canceled
	}
	var pe *PreflightError
	if errors.As(err, &pe) {
		return pe.class
	}
	var rf *RepeatedFailureError
	if errors.As(err, &rf) {
		return Permanent
	}
	var e *Error
	if !errors.As(err, &e) {
		return Other
	}
	switch {
	case e.class != unclassified:
		return e.class
	case e.Retryable:
		return Transient
	case e.cause != nil:
		return Other // an error of another layer that WithRetry wrapped
	}
	return Permanent // built without newError, not retryable
}

// IsRetryable reports whether err is an *Error worth another attempt.
func IsRetryable(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Retryable
}

// IsPermanent reports whether err is a failure that no later attempt can fix (ClassOf is
// Permanent), or a *PreflightError that says the configuration must change (Unreachable
// included). A context's end, a transient failure and another layer's error are not.
func IsPermanent(err error) bool {
	var pe *PreflightError
	if errors.As(err, &pe) {
		return pe.Permanent
	}
	return ClassOf(err) == Permanent
}

// AttemptsOf returns the number of requests made before err (1 when err does not say).
func AttemptsOf(err error) int {
	var e *Error
	if errors.As(err, &e) && e.Attempts > 0 {
		return e.Attempts
	}
	return 1
}

// statusError classifies an HTTP error status and says what to change for permanent ones. body
// is the response body; the secrets are removed from the server's message before it is shortened.
func statusError(status int, model string, body []byte, secrets []string, header http.Header) *Error {
	class, kind := Permanent, fmt.Sprintf("HTTP %d", status)
	var retryAfter time.Duration
	var hint string
	switch {
	case quotaExhausted(errorCodes(body)):
		hint, kind = quotaHint, kind+" insufficient_quota"
	case status == http.StatusTooManyRequests:
		class = Transient
		retryAfter = parseRetryAfter(header.Get("Retry-After"), time.Now())
		hint = "rate limited by the server"
	case status == http.StatusRequestTimeout, status == http.StatusConflict, status == http.StatusTooEarly:
		class = Transient
	case status >= 500 && status != http.StatusNotImplemented && status != http.StatusHTTPVersionNotSupported:
		class = Transient
		retryAfter = parseRetryAfter(header.Get("Retry-After"), time.Now())
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		hint = fmt.Sprintf("the server rejected the request for model %q: check the prompt, max_tokens, sampling parameters and media URLs (vLLM reads file:// media only under --allowed-local-media-path)", model)
	case status == http.StatusUnauthorized:
		hint = "authentication failed: check that the variable named by api_key_env holds a valid API key for this endpoint"
	case status == http.StatusForbidden:
		hint = fmt.Sprintf("access denied: the API key is not allowed to use model %q or this endpoint", model)
	case status == http.StatusNotFound:
		hint = fmt.Sprintf("not found: check the endpoint (the base URL ending in /v1, e.g. http://host:8000/v1) and the model name %q (GET /v1/models lists the served ones)", model)
	case status == http.StatusRequestEntityTooLarge:
		hint = "request too large for the server: lower max_tokens or send smaller media"
	}
	msg := fmt.Sprintf("HTTP %d %s", status, http.StatusText(status))
	if hint != "" {
		msg += ": " + hint
	}
	if serverMsg := serverMessage(body, secrets...); serverMsg != "" {
		msg += " (server: " + serverMsg + ")"
	}
	e := newError(class, status, kind, msg)
	e.RetryAfter = retryAfter
	return e
}

// quotaHint explains OpenAI's insufficient_quota, a 429 that no retry fixes.
const quotaHint = "the account's quota is exhausted (insufficient_quota): add credit or raise the usage limit of this API key's account, then run again; retrying does not help"

// errorCodes returns the type, code and status of a body's error object ({"error":{…}}), lower
// case, numbers as their digits; nil when the body has none.
func errorCodes(body []byte) []string {
	var w struct {
		Error struct {
			Type, Code, Status json.RawMessage
		} `json:"error"`
	}
	if json.Unmarshal(body, &w) != nil {
		return nil
	}
	var codes []string
	for _, raw := range []json.RawMessage{w.Error.Type, w.Error.Code, w.Error.Status} {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			var n json.Number
			if json.Unmarshal(raw, &n) != nil {
				continue
			}
			s = n.String()
		}
		if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
			codes = append(codes, s)
		}
	}
	return codes
}

// quotaExhausted reports whether an error object's codes say the account's quota is used up.
func quotaExhausted(codes []string) bool {
	return slices.Contains(codes, "insufficient_quota")
}

// transientCodes reports whether an error object's codes say a later attempt may succeed: a
// status 429 or 5xx, an overloaded or unavailable server, a timeout, a rate limit.
func transientCodes(codes []string) bool {
	if quotaExhausted(codes) {
		return false
	}
	for _, c := range codes {
		if n, err := strconv.Atoi(c); err == nil && (n == http.StatusTooManyRequests || n >= 500 && n <= 599) {
			return true
		}
		for _, w := range []string{"overloaded", "unavailable", "timeout", "timed_out", "server_error", "rate_limit"} {
			if strings.Contains(c, w) {
				return true
			}
		}
	}
	return false
}

// maxRetryAfterSeconds bounds a Retry-After read in seconds (about 31 years).
const maxRetryAfterSeconds = 1e9

// parseRetryAfter reads a Retry-After value: delay seconds (fractions accepted) or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if !(s > 0) { // NaN included
			return 0
		}
		// Clamped where a Duration would overflow; any such wait is far beyond a retry limit.
		return time.Duration(min(s, maxRetryAfterSeconds) * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
