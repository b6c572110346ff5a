package chat

import (
	"context"
	"errors"
	"fmt"
	"sync"
)

// DefaultFailureWindow is the number of first requests FailureWatch looks at when given 0.
const DefaultFailureWindow = 20

// FailureWatch tells when the first N completed requests of a model all failed with the same
// permanent error: a model id the server does not serve (404), a key it refuses (401), a request
// it always rejects (400), a host that does not exist. Such a run would fail every sample the
// same way; the caller stops the model and exits 3 instead. Permanent and unreachable failures
// (ClassOf, the classification WithRetry follows too) count when they are alike; a success, a
// transient failure or a different failure ends the watch, which then never trips. A context's
// end and other layers' errors are not outcomes of a request and are not counted. It is safe for
// concurrent use.
type FailureWatch struct {
	mu      sync.Mutex
	n       int
	count   int
	kind    string
	first   error
	done    bool
	tripped *RepeatedFailureError
}

// NewFailureWatch watches the first n completed requests (DefaultFailureWindow when n <= 0).
func NewFailureWatch(n int) *FailureWatch {
	if n <= 0 {
		n = DefaultFailureWindow
	}
	return &FailureWatch{n: n}
}

// RepeatedFailureError is what FailureWatch trips with: the first N requests failed alike. It
// is permanent (IsPermanent, ClassOf) whatever the failure was: the watch has decided.
type RepeatedFailureError struct {
	N     int
	Kind  string // what failed, e.g. "HTTP 404"
	First error  // the first of the failures
	err   *Error // First as a permanent *Error, for errors.As and IsRetryable
}

func newRepeatedFailure(n int, kind string, first error) *RepeatedFailureError {
	e := &Error{Msg: first.Error(), class: Permanent, cause: first}
	var ce *Error
	if errors.As(first, &ce) {
		c := *ce
		e = &c
		e.class = Permanent
	}
	e.Retryable = false
	return &RepeatedFailureError{N: n, Kind: kind, First: first, err: e}
}

func (e *RepeatedFailureError) Error() string {
	return fmt.Sprintf("the first %d requests all failed the same way (%s), so the others would too: stopped asking; first failure: %v", e.N, e.Kind, e.First)
}

// Unwrap returns the first failure as a permanent, not retryable *Error.
func (e *RepeatedFailureError) Unwrap() error { return e.err }

// Observe records the outcome of one completed request (nil for an answer). It returns the
// *RepeatedFailureError when this outcome is the N-th alike failure, nil otherwise.
func (w *FailureWatch) Observe(err error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return nil
	}
	if err == nil {
		w.done = true
		return nil
	}
	switch ClassOf(err) {
	case Canceled, Other:
		return nil
	case Transient:
		w.done = true
		return nil
	}
	kind := failureKind(err)
	if w.count == 0 {
		w.kind, w.first = kind, err
	} else if kind != w.kind {
		w.done = true
		return nil
	}
	w.count++
	if w.count < w.n {
		return nil
	}
	w.done = true
	w.tripped = newRepeatedFailure(w.n, w.kind, w.first)
	return w.tripped
}

// Err returns the *RepeatedFailureError once the watch has tripped, nil otherwise.
func (w *FailureWatch) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.tripped == nil {
		return nil // not a typed nil
	}
	return w.tripped
}

// failureKind is what failed, without what varies from one request to the next (the sample's
// media path in a 400's message): the HTTP status, or the transport failure's kind.
func failureKind(err error) string {
	var e *Error
	if !errors.As(err, &e) {
		return err.Error()
	}
	switch {
	case e.kind != "":
		return e.kind
	case e.Status > 0:
		return fmt.Sprintf("HTTP %d", e.Status)
	}
	return e.Msg
}

type watched struct {
	next Client
	w    *FailureWatch
}

// WithFailureWatch observes every outcome of c into w and, once w has tripped, answers every
// call with w's error without calling c, so that the requests already queued spend nothing.
// Put it above WithRetry (it must see outcomes after retries) and below WithStats.
func WithFailureWatch(c Client, w *FailureWatch) Client { return &watched{next: c, w: w} }

func (l *watched) Complete(ctx context.Context, req Request) (Response, error) {
	if err := l.w.Err(); err != nil {
		return Response{}, err
	}
	resp, err := l.next.Complete(ctx, req)
	l.w.Observe(err)
	return resp, err
}
