// Package ortenv sets up ONNX Runtime for the packages that run ONNX models (the onnx model
// backend and the classifier judge): loading the shared library once per process, session
// options for a device, reading a model's inputs and outputs, and turning library panics into
// errors.
package ortenv

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	ort "github.com/yalue/onnxruntime_go"
)

// LibraryEnv is the environment variable naming the ONNX Runtime shared library (the name
// onnxruntime_go's own tests use).
const LibraryEnv = "ONNXRUNTIME_SHARED_LIBRARY_PATH"

// howToGet is appended to every "library not found" error.
const howToGet = "run `make ort` (it fetches ONNX Runtime 1.29.0 into .ort/) and set " + LibraryEnv +
	" to the file, e.g. export " + LibraryEnv + "=$PWD/.ort/libonnxruntime.so.1"

// Runtime is the process's ONNX Runtime environment. Sessions need one; holding a *Runtime is the
// proof that the library is loaded.
//
// The project keeps no global mutable state, but ONNX Runtime's environment is process-global by
// construction (onnxruntime_go keeps it in package variables, and the C library allows one
// environment per process). So the one piece of global state lives here, behind a sync.Once, and
// everything else receives it as a value: callers pass the *Runtime on instead of relying on the
// library having been initialised somewhere.
type Runtime struct {
	path    string
	file    os.FileInfo // to recognise the same file under another name
	version string

	mu   sync.Mutex
	told map[string]bool // fallback reasons already logged (Notify)
}

// Path is the shared library the runtime was loaded from.
func (r *Runtime) Path() string { return r.path }

// Version is the ONNX Runtime version of the loaded library (e.g. "1.29.0").
func (r *Runtime) Version() string { return r.version }

var (
	loadOnce sync.Once
	loaded   *Runtime
	loadErr  error
)

// Load initialises ONNX Runtime from the shared library at path, or from $ONNXRUNTIME_SHARED_LIBRARY_PATH
// when path is "". The first call that finds a library file loads it; later calls return the same
// Runtime, and fail when they name a different file (the same file by another path is fine). A path that does not exist is reported
// without touching the library, so a mistyped path can be corrected and Load called again.
func Load(path string) (*Runtime, error) {
	resolved, err := LibraryPath(path)
	if err != nil {
		return nil, err
	}
	loadOnce.Do(func() { loaded, loadErr = initialize(resolved) })
	if loadErr != nil {
		return nil, loadErr
	}
	if st, err := os.Stat(resolved); err != nil || !os.SameFile(st, loaded.file) {
		return nil, fmt.Errorf("ONNX Runtime is already loaded from %s in this process; it cannot also be loaded from %s (one library per process)",
			loaded.path, resolved)
	}
	return loaded, nil
}

// LibraryPath returns the shared library file to load: path, or $ONNXRUNTIME_SHARED_LIBRARY_PATH when
// path is "". It fails, saying which file was looked for and how to get one, when there is none.
func LibraryPath(path string) (string, error) {
	from := "the configured path"
	if path == "" {
		path = os.Getenv(LibraryEnv)
		from = "$" + LibraryEnv
		if path == "" {
			return "", fmt.Errorf("ONNX Runtime library not found: %s is not set; %s", LibraryEnv, howToGet)
		}
	}
	st, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "", fmt.Errorf("ONNX Runtime library not found: %s (from %s) does not exist; %s", path, from, howToGet)
	case err != nil:
		return "", fmt.Errorf("ONNX Runtime library %s (from %s): %w; %s", path, from, err, howToGet)
	case st.IsDir():
		return "", fmt.Errorf("ONNX Runtime library %s (from %s) is a directory; name the file itself (libonnxruntime.so.*); %s", path, from, howToGet)
	}
	return path, nil
}

func initialize(path string) (rt *Runtime, err error) {
	defer Recover(&err, "load ONNX Runtime")
	ort.SetSharedLibraryPath(path)
	// Fatal only: every failure the library reports also comes back as an error and is reported
	// with context; its own log lines (e.g. a missing CUDA provider under device auto) would be
	// noise on the terminal.
	if err := ort.InitializeEnvironment(ort.WithLogLevelFatal()); err != nil {
		// GetVersion must not be called here: after a failed initialisation it segfaults.
		msg := err.Error()
		hint := "the file is not an ONNX Runtime shared library for this platform"
		if strings.Contains(msg, "ORT API base") {
			hint = "onnxruntime_go v1.27.0 needs ONNX Runtime 1.24 or newer (C API 24)"
		}
		return nil, fmt.Errorf("load ONNX Runtime from %s: %w (%s; %s)", path, err, hint, howToGet)
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("ONNX Runtime library %s: %w", path, err)
	}
	return &Runtime{path: path, file: st, version: ort.GetVersion()}, nil
}

// Recover turns a panic from the library into an error stored in *err; use it deferred:
//
//	defer ortenv.Recover(&err, "run model")
func Recover(err *error, what string) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%s: ONNX Runtime panicked: %v", what, r)
	}
}
