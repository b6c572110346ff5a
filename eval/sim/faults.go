package sim

import (
	"context"
	"net"
	"net/http"
	"strconv"
	"time"
)

// fault decides the fault of one attempt of one request ("" for none).
func (s *Server) fault(sum [32]byte, attempt int) string {
	f := s.cfg.Faults
	u := s.draw("fault", string(sum[:]), strconv.Itoa(attempt)).Float64()
	for _, k := range []struct {
		name string
		p    float64
	}{{"429", f.P429}, {"500", f.P500}, {"malformed", f.PMalformed}, {"truncated", f.PTruncated},
		{"reset", f.PReset}, {"hang", f.PHang}} {
		if u < k.p {
			return k.name
		}
		u -= k.p
	}
	return ""
}

func (s *Server) countFault(kind string) {
	s.mu.Lock()
	s.stats.Faults[kind]++
	s.mu.Unlock()
}

// wait sleeps the configured latency; false when the client left or the server closed.
func (s *Server) wait(ctx context.Context, sum [32]byte, attempt int) bool {
	f := s.cfg.Faults
	d := f.Latency
	if f.LatencyJitter > 0 {
		d += time.Duration(s.draw("latency", string(sum[:]), strconv.Itoa(attempt)).Int64N(int64(f.LatencyJitter)))
	}
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
	case <-s.quit:
	}
	return false
}

// retryAfter formats a Retry-After value: whole seconds, or a decimal for shorter waits (which
// emoeval's client reads; the standard allows only integers).
func retryAfter(d time.Duration) string {
	if d%time.Second == 0 {
		return strconv.FormatInt(int64(d/time.Second), 10)
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// reset closes the connection with a TCP RST and no response.
func reset(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // closes the connection without a response
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}
