package chat

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// PreflightTimeout bounds each request CheckModel makes (the client's request timeout applies
// when it is shorter): a preflight must answer in seconds, not after a run's retries.
const PreflightTimeout = 10 * time.Second

// PreflightError is a failed CheckModel. Permanent says the configuration must change before a
// run can succeed (connection refused, host not found, TLS, 401/403, a model id the server does
// not serve); otherwise the server answered badly for now (429, 5xx, a timeout) or the check was
// inconclusive, and a run may go on with a warning. The message names the endpoint (without
// credentials), the model and the cause.
type PreflightError struct {
	Endpoint  string // the endpoint, credentials removed
	Model     string
	Permanent bool
	// Offered lists the model ids the server serves, when Model is not among them.
	Offered []string
	class   Class
	err     *Error
}

func (e *PreflightError) Error() string {
	return fmt.Sprintf("model %q at %s: %s", e.Model, e.Endpoint, e.err.Error())
}

// Unwrap returns the failure as an *Error whose Retryable is !Permanent, so that a caller
// testing IsRetryable or IsPermanent reads the preflight's verdict; a context's end stays
// visible to errors.Is.
func (e *PreflightError) Unwrap() error { return e.err }

// CheckModel checks, before a run spends anything, that the endpoint answers, accepts the key
// and serves model: GET {endpoint}/models must list the model id. Where the server has no
// /models (404, 405, 501), or does not list the id (llama.cpp lists its model file and answers
// to any name), one minimal chat request (max_tokens 1) decides instead. Each request is bounded
// by PreflightTimeout and none is retried, so that a stopped server is reported in seconds. It
// returns nil or a *PreflightError.
func (h *HTTP) CheckModel(ctx context.Context, model string) error {
	timeout := min(h.timeout, PreflightTimeout)
	ids, e := h.listModels(ctx, model, timeout)
	switch {
	case e == nil && slices.Contains(ids, model):
		return nil
	case e == nil, e.Status == http.StatusNotFound, e.Status == http.StatusMethodNotAllowed, e.Status == http.StatusNotImplemented:
		// No list, or one without the id: the server's answer to a request decides.
	default:
		return h.preflightError(model, e, nil)
	}
	_, err := h.complete(ctx, Request{Model: model, Messages: UserText("Reply with one word."), MaxTokens: 1}, timeout)
	if err == nil {
		return nil
	}
	if !errors.As(err, &e) {
		e = newError(Other, 0, "", err.Error())
	}
	if len(ids) > 0 && e.class != Canceled {
		// The server lists its models, this one is not among them, and asking it failed.
		listed := newError(Permanent, e.Status, "unknown model", fmt.Sprintf(
			"the server does not serve this model id; it serves %s (GET %s/models): check model: in the configuration (asking it anyway: %s)",
			idList(ids), h.shownBase, e.Msg))
		return h.preflightError(model, listed, ids)
	}
	pe := h.preflightError(model, e, nil)
	if e.Status == http.StatusBadRequest || e.Status == http.StatusUnprocessableEntity {
		// The probe itself may be what the server rejects (a reasoning model refusing
		// max_tokens: 1), not the configuration: report it, do not stop the run for it.
		pe.Permanent = false
		pe.err.Retryable = true
	}
	return pe
}

// listModels asks GET {base}/models for the ids the server serves. A 2xx body it cannot read as
// a list gives no ids and no error.
func (h *HTTP) listModels(ctx context.Context, model string, timeout time.Duration) ([]string, *Error) {
	reqCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	what := "GET " + h.shownBase + "/models"
	hreq, err := http.NewRequestWithContext(reqCtx, http.MethodGet, h.base+"/models", nil)
	if err != nil {
		return nil, newError(Permanent, 0, "build request", h.redact("build request: "+err.Error()))
	}
	hreq.Header.Set("Accept", "application/json")
	h.authorize(hreq)
	resp, err := h.client.Do(hreq)
	if err != nil {
		return nil, h.transportError(ctx, reqCtx, timeout, err, what, "send request")
	}
	defer resp.Body.Close()
	data, e := h.readResponse(ctx, reqCtx, timeout, resp, what)
	if e != nil && e.kind == kindTooLarge {
		return nil, nil // a catalogue larger than an answer (hosted APIs list hundreds): ask instead
	}
	if e != nil {
		return nil, e
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := statusError(resp.StatusCode, model, data, h.secrets, resp.Header)
		e.Msg = h.redact(what + ": " + e.Msg)
		return nil, e
	}
	var list struct {
		Data, Models []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		}
	}
	if json.Unmarshal(data, &list) != nil {
		return nil, nil
	}
	var ids []string
	for _, m := range append(list.Data, list.Models...) {
		if id := cmp.Or(m.ID, m.Name); id != "" {
			ids = append(ids, strings.ReplaceAll(id, truncMark, ""))
		}
	}
	return ids, nil
}

// preflightError wraps e with the endpoint and model; its Permanent follows e's class (an
// unreachable server is permanent here, though a run retries it).
func (h *HTTP) preflightError(model string, e *Error, offered []string) *PreflightError {
	c := *e
	permanent := c.class == Permanent || c.class == Unreachable
	c.Retryable = !permanent // a check cut short (Canceled) says nothing against the configuration
	return &PreflightError{Endpoint: h.shownBase, Model: model, Permanent: permanent, Offered: offered, class: c.class, err: &c}
}

// idList shows the ids a server offers, at most 20 and each shortened: they come from the server.
func idList(ids []string) string {
	const most = 20
	shown := make([]string, 0, min(len(ids), most))
	for _, id := range ids[:min(len(ids), most)] {
		shown = append(shown, fmt.Sprintf("%q", shorten(id, 80)))
	}
	s := strings.Join(shown, ", ")
	if len(ids) > most {
		s += fmt.Sprintf(" and %d more", len(ids)-most)
	}
	return s
}
