// Package onnxtest loads ONNX Runtime for tests: skipped without the library, except under
// CI=true, where a missing library fails the test.
package onnxtest

import (
	"os"
	"testing"

	"github.com/emoeval/emoeval/internal/ortenv"
)

// Runtime loads ONNX Runtime for a test from $ONNXRUNTIME_SHARED_LIBRARY_PATH. Without the library
// file the test is skipped, except under CI=true, where it fails: CI must run every ONNX test. A
// library that is there but does not load always fails the test.
func Runtime(tb testing.TB) *ortenv.Runtime {
	tb.Helper()
	if _, err := ortenv.LibraryPath(""); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("CI=true needs ONNX Runtime: %v", err)
		}
		tb.Skipf("skipping: %v", err)
	}
	rt, err := ortenv.Load("")
	if err != nil {
		tb.Fatal(err)
	}
	return rt
}
