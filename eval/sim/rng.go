package sim

import (
	"hash/fnv"
	"math/rand/v2"
	"strconv"
)

// draw returns a generator determined by the server's seed and the given parts: every random
// choice of the simulation comes from one, so answers depend on nothing else.
func (s *Server) draw(parts ...string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(s.cfg.Seed, 10)))
	for _, p := range parts {
		h.Write([]byte{0})
		h.Write([]byte(p))
	}
	v := h.Sum64()
	return rand.New(rand.NewPCG(v, v^0x9e3779b97f4a7c15))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func itoa(i int64) string { return strconv.FormatInt(i, 10) }
