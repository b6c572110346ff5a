//go:build !unix

package lexicon

import "time"

func processCPU() (time.Duration, bool) { return 0, false }
