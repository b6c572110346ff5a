package ortenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestLibraryPathErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name, env, path string
		want            []string
	}{
		{"unset", "", "", []string{LibraryEnv + " is not set", "make ort"}},
		{"missing file from env", "/nowhere/libonnxruntime.so", "", []string{"/nowhere/libonnxruntime.so (from $" + LibraryEnv + ") does not exist", "make ort", "export " + LibraryEnv}},
		{"missing explicit file", "", "/nowhere/lib.so", []string{"/nowhere/lib.so (from the configured path) does not exist"}},
		{"directory", dir, "", []string{"is a directory", "libonnxruntime.so"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(LibraryEnv, tc.env)
			_, err := LibraryPath(tc.path)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			// Load reports the same problem without touching the library.
			if _, err := Load(tc.path); err == nil || !strings.Contains(err.Error(), tc.want[0]) {
				t.Errorf("Load: got %v", err)
			}
		})
	}
}

// TestLoadBogusLibrary loads a file that is not a shared library in a child process (a failed
// load cannot be undone in this one) and checks that it fails with an error instead of crashing.
func TestLoadBogusLibrary(t *testing.T) {
	if path := os.Getenv("ORTENV_TEST_BOGUS"); path != "" {
		_, err := Load(path)
		if err == nil {
			t.Fatal("Load succeeded")
		}
		// A second call must give the same error, not retry or crash.
		_, err2 := Load(path)
		if err2 == nil || err2.Error() != err.Error() {
			t.Fatalf("second Load: %v", err2)
		}
		os.Stdout.WriteString("LOAD ERROR: " + err.Error() + "\n")
		return
	}
	bogus := filepath.Join(t.TempDir(), "libonnxruntime.so")
	if err := os.WriteFile(bogus, []byte("not a library"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadBogusLibrary$", "-test.v")
	cmd.Env = append(os.Environ(), "ORTENV_TEST_BOGUS="+bogus)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	for _, w := range []string{"LOAD ERROR: load ONNX Runtime from " + bogus, "not an ONNX Runtime shared library", "make ort"} {
		if !strings.Contains(string(out), w) {
			t.Errorf("child output does not contain %q:\n%s", w, out)
		}
	}
}

func TestLoadOnce(t *testing.T) {
	path, err := LibraryPath("")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	rt, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if rt.Path() != path || !strings.HasPrefix(rt.Version(), "1.") {
		t.Errorf("runtime %q version %q", rt.Path(), rt.Version())
	}
	again, err := Load("")
	if err != nil || again != rt {
		t.Errorf("second Load: %p %v, want the same runtime %p", again, err, rt)
	}
	// The same file by another name is the same runtime.
	link := filepath.Join(t.TempDir(), "libort.so")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	if same, err := Load(link); err != nil || same != rt {
		t.Errorf("Load via a symlink: %p %v, want the same runtime", same, err)
	}
	// Another existing file is refused: one library per process.
	other := filepath.Join(t.TempDir(), "libonnxruntime.so")
	if err := os.WriteFile(other, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(other); err == nil || !strings.Contains(err.Error(), "already loaded from "+path) {
		t.Errorf("Load of another file: %v", err)
	}
}

func TestRecover(t *testing.T) {
	f := func() (err error) {
		defer Recover(&err, "run model")
		panic("bad tensor")
	}
	if err := f(); err == nil || err.Error() != "run model: ONNX Runtime panicked: bad tensor" {
		t.Errorf("got %v", err)
	}
}
