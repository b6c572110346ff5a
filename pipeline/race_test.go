//go:build race

package pipeline

// raceEnabled says whether the race detector is on: `make test` runs the tests that cannot run
// under it a second time without it.
const raceEnabled = true
