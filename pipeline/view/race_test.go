//go:build race

package view

// raceEnabled says whether the race detector is on (it slows the latency tests tenfold).
const raceEnabled = true
