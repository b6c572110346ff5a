//go:build unix

package lexicon

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time the test process has used: benchmarks report per-op CPU time
// beside wall time because the shared machines they run on are often busy.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
