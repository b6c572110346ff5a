package ortenv_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/onnxmodel"
	"github.com/emoeval/emoeval/internal/onnxtest"
	"github.com/emoeval/emoeval/internal/ortenv"
)

func tinyModel() ([]byte, []string, []string) {
	in := []onnxmodel.Input{{Name: "x", Dim: 3}}
	w, b := onnxmodel.RandomWeights(in, 2, 1)
	return onnxmodel.Classifier(in, 2, w, b, true), []string{"x"}, []string{"probs"}
}

// TestSessionInfo checks what a session records about where and how it runs.
func TestSessionInfo(t *testing.T) {
	rt := onnxtest.Runtime(t)
	data, ins, outs := tinyModel()
	off := false
	tests := []struct {
		name string
		cfg  ortenv.SessionConfig
		want ortenv.SessionInfo
	}{
		{"cpu, machine's threads", ortenv.SessionConfig{Device: ortenv.CPUDevice()},
			ortenv.SessionInfo{Requested: ortenv.CPUDevice(), Device: ortenv.CPUDevice(), Threads: ortenv.DefaultThreads()}},
		{"cpu, 3 threads", ortenv.SessionConfig{Device: ortenv.CPUDevice(), Threads: 3},
			ortenv.SessionInfo{Requested: ortenv.CPUDevice(), Device: ortenv.CPUDevice(), Threads: 3}},
		// TF32 is a CUDA setting: on the CPU it is recorded as off, whatever was asked.
		{"cpu, tf32 asked off", ortenv.SessionConfig{Device: ortenv.CPUDevice(), Threads: 1, TF32: &off},
			ortenv.SessionInfo{Requested: ortenv.CPUDevice(), Device: ortenv.CPUDevice(), Threads: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := rt.NewSession("test", data, ins, outs, tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Destroy()
			tc.want.ORTVersion = rt.Version()
			if s.Info != tc.want {
				t.Errorf("info %+v, want %+v", s.Info, tc.want)
			}
		})
	}
	if _, err := rt.NewSession("test", data, ins, outs, ortenv.SessionConfig{Threads: -1}); err == nil || !strings.Contains(err.Error(), "-1 threads") {
		t.Errorf("negative threads: %v", err)
	}
}

// TestSessionInfoJSON fixes the keys manifests and summaries get.
func TestSessionInfoJSON(t *testing.T) {
	info := ortenv.SessionInfo{Requested: ortenv.AutoDevice(), Device: ortenv.CUDADevice(0), ORTVersion: "1.29.0", TF32: true, Threads: 16, BatchSize: 1024}
	b, err := json.Marshal(info)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"requested_device":"auto","device":"cuda:0","ort_version":"1.29.0","tf32":true,"threads":16,"batch_size":1024}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

// TestDeviceCauses runs sessions against ONNX Runtime libraries laid out in temporary folders,
// each in a child process (a process loads one library): without the CUDA provider (as `make
// ort` leaves it), and with a stand-in provider whose own dependency is missing (as on a
// machine with the provider but without CUDA's libraries). The real loader produces the
// messages, so this checks the parsing against what the library says, not what a test says.
func TestDeviceCauses(t *testing.T) {
	if os.Getenv("ORTENV_CHILD") != "" {
		deviceCausesChild()
		return
	}
	onnxtest.Runtime(t) // skips (fails under CI=true) without the library
	real, err := filepath.EvalSymlinks(os.Getenv(ortenv.LibraryEnv))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		provider bool
		want     map[string][]string // child's output line prefix → parts
	}{
		{"no provider", false, map[string][]string{
			"cuda:0 error:": {"device cuda:0: ONNX Runtime in ", "has no CUDA provider", "libonnxruntime_providers_shared.so is not there", "make ort-gpu", "cause no-provider"},
			"cuda:1 error:": {"device cuda:1", "has no CUDA provider"},
			"auto:":         {"device cpu", "info: device auto runs on the CPU for model \"a\", model \"b\": device cuda:0: ONNX Runtime in"},
		}},
		{"provider without its dependencies", true, map[string][]string{
			"cuda:0 error:": {"the CUDA provider in ", "needs libemoeval_fake_cudadep.so.13, which did not load", "cannot open shared object file", "cause missing-library"},
			"auto:":         {"device cpu", "warning: device auto runs on the CPU for model \"a\", model \"b\"", "libemoeval_fake_cudadep.so.13"},
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			lib := filepath.Join(dir, filepath.Base(real))
			if err := linkOrCopy(real, lib); err != nil {
				t.Fatal(err)
			}
			if tc.provider {
				fakeProvider(t, dir)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestDeviceCauses$", "-test.v")
			cmd.Env = append(os.Environ(), "ORTENV_CHILD=1", ortenv.LibraryEnv+"="+lib)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			for prefix, parts := range tc.want {
				line := ""
				for _, l := range strings.Split(string(out), "\n") {
					if strings.HasPrefix(l, prefix) {
						line = l
					}
				}
				if line == "" {
					t.Fatalf("no line %q in the child's output:\n%s", prefix, out)
				}
				t.Log(line)
				for _, p := range append(parts, dir) {
					if !strings.Contains(line, p) {
						t.Errorf("%q does not contain %q", line, p)
					}
				}
				if strings.Contains(line, "onnxruntime_src") || strings.Contains(line, "[ONNXRuntimeError]") {
					t.Errorf("%q keeps ONNX Runtime's source location", line)
				}
			}
		})
	}
}

// deviceCausesChild prints what cuda:0, cuda:1 and auto give with the library in
// $ONNXRUNTIME_SHARED_LIBRARY_PATH.
func deviceCausesChild() {
	rt, err := ortenv.Load("")
	if err != nil {
		fmt.Println("load error:", err)
		return
	}
	data, ins, outs := tinyModel()
	for _, d := range []ortenv.Device{ortenv.CUDADevice(0), ortenv.CUDADevice(1)} {
		s, err := rt.NewSession(`model "a"`, data, ins, outs, ortenv.SessionConfig{Device: d, Threads: 1})
		if err == nil {
			s.Destroy()
			fmt.Printf("%s: a session without error\n", d)
			continue
		}
		var de *ortenv.DeviceError
		cause := "not a *DeviceError"
		if errors.As(err, &de) {
			cause = "cause " + de.Cause.String()
		}
		fmt.Printf("%s error: %v (%s)\n", d, err, cause)
	}
	infos := map[string]ortenv.SessionInfo{}
	for _, name := range []string{`model "a"`, `model "b"`} {
		s, err := rt.NewSession(name, data, ins, outs, ortenv.SessionConfig{Threads: 1})
		if err != nil {
			fmt.Println("auto error:", err)
			return
		}
		infos[name] = s.Info
		s.Destroy()
	}
	fmt.Printf("auto: device %s: %s\n", infos[`model "a"`].Device, strings.Join(ortenv.Notices(infos), " | "))
}

func linkOrCopy(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// fakeProvider builds, with the C compiler cgo uses, a stand-in libonnxruntime_providers_shared.so
// (ONNX Runtime calls its Provider_SetHost) and a libonnxruntime_providers_cuda.so that needs a
// library that is nowhere, as the real provider needs libcublasLt.so.13 and the rest.
func fakeProvider(t *testing.T, dir string) {
	t.Helper()
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "gcc"
	}
	build := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(build, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	run := func(args ...string) {
		if out, err := exec.Command(cc, args...).CombinedOutput(); err != nil {
			t.Fatalf("%s %s: %v\n%s", cc, strings.Join(args, " "), err, out)
		}
	}
	dep := filepath.Join(build, "libemoeval_fake_cudadep.so.13")
	run("-shared", "-fPIC", "-o", dep, "-Wl,-soname,libemoeval_fake_cudadep.so.13", write("dep.c", "int emoeval_fake_dep(void) { return 1; }\n"))
	run("-shared", "-fPIC", "-o", filepath.Join(dir, "libonnxruntime_providers_shared.so"), write("shared.c", "void Provider_SetHost(void *host) { (void)host; }\n"))
	run("-shared", "-fPIC", "-o", filepath.Join(dir, "libonnxruntime_providers_cuda.so"),
		write("cuda.c", "int emoeval_fake_dep(void);\nint emoeval_fake_provider(void) { return emoeval_fake_dep(); }\n"), dep)
}

// TestNotify checks that a runtime logs each fallback reason once, whatever the number of
// sessions, and nothing for sessions that run where they were asked.
func TestNotify(t *testing.T) {
	rt := onnxtest.Runtime(t)
	var lines []string
	logf := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	reason := fmt.Sprintf("device cuda:0: test reason %p", &lines) // a reason no other test logs
	for range 3 {
		rt.Notify(logf, ortenv.SessionInfo{Device: ortenv.CPUDevice(), Fallback: reason, FallbackCause: ortenv.CauseNoProvider})
		rt.Notify(logf, ortenv.SessionInfo{Device: ortenv.CPUDevice()})
	}
	rt.Notify(logf, ortenv.SessionInfo{Device: ortenv.CPUDevice(), Fallback: reason + " (other)", FallbackCause: ortenv.CauseNoGPU})
	want := []string{"info: device auto runs on the CPU: " + reason, "warning: device auto runs on the CPU: " + reason + " (other)"}
	if !slices.Equal(lines, want) {
		t.Errorf("logged %q, want %q", lines, want)
	}
}
