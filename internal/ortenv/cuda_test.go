package ortenv

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// ortPrefix is what ONNX Runtime's C API puts before a failing status's message.
const ortPrefix = "/onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : "

// cudaCallFields is what CUDA_CALL appends to a CUDA error.
const cudaCallFields = " ; GPU=-1 ; hostname=gpu-7 ; file=/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_execution_provider_info.cc ; line=153 ; expr=cudaGetDeviceCount(&num_devices); "

func TestCleanMessage(t *testing.T) {
	tests := []struct{ in, want string }{
		{ortPrefix + "Failed to load library /x/libonnxruntime_providers_shared.so with error: /x/libonnxruntime_providers_shared.so: cannot open shared object file: No such file or directory",
			"Failed to load library /x/libonnxruntime_providers_shared.so with error: /x/libonnxruntime_providers_shared.so: cannot open shared object file: No such file or directory"},
		{ortPrefix + "CUDA failure 100: no CUDA-capable device is detected" + cudaCallFields,
			"CUDA failure 100: no CUDA-capable device is detected"},
		// ORT_RETURN_IF_NOT inside a status: the condition is code, the message follows it.
		{ortPrefix + "/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_execution_provider_info.cc:158 auto onnxruntime::CUDAExecutionProviderInfo::FromProviderOptions(const ProviderOptions&) 0 <= info.device_id && info.device_id < num_devices was false. Invalid device ID: 1, must be between 0 (inclusive) and 1 (exclusive).",
			"Invalid device ID: 1, must be between 0 (inclusive) and 1 (exclusive)."},
		// A nested location with its function.
		{"/onnxruntime_src/onnxruntime/core/framework/session_state.cc:1265 onnxruntime::common::Status onnxruntime::SessionState::LoadFromOrtFormat(const Foo&) bad thing happened",
			"bad thing happened"},
		{"Error creating C session: Missing ONNX data", "Error creating C session: Missing ONNX data"},
		{"plain message (with parentheses) stays", "plain message (with parentheses) stays"},
	}
	for _, tc := range tests {
		if got := CleanMessage(tc.in); got != tc.want {
			t.Errorf("CleanMessage(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestClassifyCUDA checks every cause on ONNX Runtime's messages, as a machine without a GPU
// cannot produce most of them: each must name the real cause, with no source location.
func TestClassifyCUDA(t *testing.T) {
	noHost := hostInfo{}
	tests := []struct {
		name    string
		dev     Device
		msg     string
		host    hostInfo
		cause   DeviceCause
		library string
		gpus    int
		want    []string
	}{
		{"no provider (the library of make ort)", CUDADevice(0),
			ortPrefix + "Failed to load library /nowhere/.ort/libonnxruntime_providers_shared.so with error: /nowhere/.ort/libonnxruntime_providers_shared.so: cannot open shared object file: No such file or directory",
			noHost, CauseNoProvider, "/nowhere/.ort/libonnxruntime_providers_shared.so", -1,
			[]string{"device cuda:0: ONNX Runtime in /nowhere/.ort has no CUDA provider", "libonnxruntime_providers_shared.so is not there", "make ort-gpu"}},
		{"shared provider there, CUDA provider not", CUDADevice(0),
			ortPrefix + "Failed to load library /nowhere/.ort/libonnxruntime_providers_cuda.so with error: /nowhere/.ort/libonnxruntime_providers_cuda.so: cannot open shared object file: No such file or directory",
			noHost, CauseNoProvider, "/nowhere/.ort/libonnxruntime_providers_cuda.so", -1,
			[]string{"libonnxruntime_providers_cuda.so is not there"}},
		{"provider there, cuBLAS missing", CUDADevice(0),
			ortPrefix + "Failed to load library /nowhere/.ort/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13: cannot open shared object file: No such file or directory",
			noHost, CauseMissingLibrary, "libcublasLt.so.13", -1,
			[]string{"the CUDA provider in /nowhere/.ort needs libcublasLt.so.13 (cuBLASLt), which did not load", "LD_LIBRARY_PATH", "nvidia-cublas"}},
		{"provider there, CUDA runtime missing", CUDADevice(1),
			ortPrefix + "Failed to load library /o/libonnxruntime_providers_cuda.so with error: libcudart.so.13: cannot open shared object file: No such file or directory",
			noHost, CauseMissingLibrary, "libcudart.so.13", -1,
			[]string{"device cuda:1", "libcudart.so.13 (the CUDA runtime)"}},
		{"provider there, cuBLAS of another version", CUDADevice(0),
			ortPrefix + "Failed to load library /o/libonnxruntime_providers_cuda.so with error: /o/libonnxruntime_providers_cuda.so: undefined symbol: cublasLtMatmulDescDestroy, version libcublasLt.so.13",
			noHost, CauseMissingLibrary, "libcublasLt.so.13", -1,
			[]string{"needs libcublasLt.so.13 (cuBLASLt) of the version it was built for", "undefined symbol: cublasLtMatmulDescDestroy"}},
		{"cuDNN missing, loaded late", CUDADevice(0),
			"dlopen failed for libcudnn.so.9: libcudnn.so.9: cannot open shared object file: No such file or directory",
			noHost, CauseMissingLibrary, "libcudnn.so.9", -1,
			[]string{"needs libcudnn.so.9 (cuDNN)", "nvidia-cudnn-cu13"}},
		{"cuDNN not available", CUDADevice(0),
			ortPrefix + "cuDNN is not available. Install cuDNN, update the system library search path, or set enable_cudnn=0 to force native CUDA paths where available.",
			noHost, CauseMissingLibrary, "libcudnn.so.9", -1,
			[]string{"libcudnn.so.9 (cuDNN)"}},
		{"no driver", CUDADevice(0),
			ortPrefix + "Failed to load library /o/libonnxruntime_providers_cuda.so with error: libcuda.so.1: cannot open shared object file: No such file or directory",
			noHost, CauseDriver, "libcuda.so.1", -1,
			[]string{"the NVIDIA driver's libcuda.so.1 did not load", "no NVIDIA driver is installed"}},
		{"no GPU visible", CUDADevice(0),
			ortPrefix + "CUDA failure 100: no CUDA-capable device is detected" + cudaCallFields,
			noHost, CauseNoGPU, "", 0,
			[]string{"device cuda:0: CUDA sees no GPU (CUDA error 100: no CUDA-capable device is detected)"}},
		{"no GPU visible: CUDA_VISIBLE_DEVICES", CUDADevice(0),
			ortPrefix + "CUDA failure 100: no CUDA-capable device is detected" + cudaCallFields,
			hostInfo{visible: "", visibleSet: true, driverGPUs: 8}, CauseNoGPU, "", 0,
			[]string{`CUDA_VISIBLE_DEVICES="" hides the others`}},
		{"no GPU visible: container", CUDADevice(0),
			ortPrefix + "CUDA failure 100: no CUDA-capable device is detected" + cudaCallFields,
			hostInfo{driverGPUs: 2}, CauseNoGPU, "", 0,
			[]string{"the NVIDIA driver lists 2", "--gpus all"}},
		{"device number out of range, one GPU", CUDADevice(1),
			ortPrefix + "/onnxruntime_src/onnxruntime/core/providers/cuda/cuda_execution_provider_info.cc:158 auto onnxruntime::CUDAExecutionProviderInfo::FromProviderOptions(const ProviderOptions&) 0 <= info.device_id && info.device_id < num_devices was false. Invalid device ID: 1, must be between 0 (inclusive) and 1 (exclusive).",
			noHost, CauseNoSuchDevice, "", 1,
			[]string{"device cuda:1: there is no CUDA device 1: CUDA sees 1 GPU, cuda:0"}},
		{"device number out of range, eight GPUs", CUDADevice(8),
			ortPrefix + "Invalid device ID: 8, must be between 0 (inclusive) and 8 (exclusive).",
			noHost, CauseNoSuchDevice, "", 8,
			[]string{"there is no CUDA device 8: CUDA sees 8 GPUs, cuda:0 to cuda:7"}},
		{"invalid device ordinal", CUDADevice(3),
			ortPrefix + "CUDA failure 101: invalid device ordinal" + cudaCallFields,
			noHost, CauseNoSuchDevice, "", -1,
			[]string{"there is no CUDA device 3 (CUDA error 101: invalid device ordinal)"}},
		{"driver too old", CUDADevice(0),
			ortPrefix + "CUDA failure 35: CUDA driver version is insufficient for CUDA runtime version" + cudaCallFields,
			hostInfo{driverVersion: "550.54.15"}, CauseDriver, "", -1,
			[]string{"the NVIDIA driver (550.54.15) is missing or too old", "needs driver 580 or newer", "CUDA error 35"}},
		{"the count fails without a code, old driver", CUDADevice(0),
			ortPrefix + "CUDA error executing cudaGetDeviceCount(&num_devices)",
			hostInfo{driverVersion: "535.104.05", driverGPUs: 1}, CauseDriver, "", -1,
			[]string{"the NVIDIA driver (535.104.05) is missing or too old", "needs driver 580 or newer"}},
		{"the count fails without a code, no driver", CUDADevice(0),
			ortPrefix + "CUDA error executing cudaGetDeviceCount(&num_devices)",
			noHost, CauseDriver, "", -1,
			[]string{"the NVIDIA driver is missing or too old"}},
		{"the count fails without a code, recent driver", CUDADevice(0),
			ortPrefix + "CUDA error executing cudaGetDeviceCount(&num_devices)",
			hostInfo{driverVersion: "580.82.07", visibleSet: true, visible: "none"}, CauseNoGPU, "", 0,
			[]string{"CUDA sees no GPU", `CUDA_VISIBLE_DEVICES="none" hides the others`}},
		{"out of memory", CUDADevice(0),
			ortPrefix + "CUDA failure 2: out of memory" + cudaCallFields,
			noHost, CauseOther, "", -1,
			[]string{"ONNX Runtime's CUDA provider failed: CUDA error 2: out of memory"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := classifyCUDA(`model "fusion"`, tc.dev, errors.New(tc.msg), "/nowhere/.ort", "1.29.0", tc.host)
			if e.Cause != tc.cause || e.Library != tc.library || e.GPUs != tc.gpus {
				t.Errorf("cause %v library %q GPUs %d; want %v %q %d", e.Cause, e.Library, e.GPUs, tc.cause, tc.library, tc.gpus)
			}
			msg := e.Error()
			t.Log(msg)
			for _, w := range append(tc.want, `model "fusion": `, "use device cpu, or auto") {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			for _, bad := range []string{"onnxruntime_src", ".cc:", "hostname=", "expr=", "[ONNXRuntimeError]"} {
				if strings.Contains(msg, bad) {
					t.Errorf("error %q keeps ONNX Runtime's %q", msg, bad)
				}
			}
			if strings.Contains(e.Reason(), "fusion") {
				t.Errorf("Reason %q names the model", e.Reason())
			}
		})
	}
}

func TestReadHost(t *testing.T) {
	root := t.TempDir()
	if h := readHost(root); h.driverVersion != "" || h.driverGPUs != 0 {
		t.Errorf("no driver: %+v", h)
	}
	dir := filepath.Join(root, "proc", "driver", "nvidia")
	for _, p := range []string{"gpus/0000:18:00.0", "gpus/0000:2a:00.0"} {
		if err := os.MkdirAll(filepath.Join(dir, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	version := "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.82.07  Release Build  (dvs-builder@U16-I3-B03-4-3)  Wed Aug 27 12:00:00 UTC 2025\nGCC version:  gcc version 12.3.0\n"
	if err := os.WriteFile(filepath.Join(dir, "version"), []byte(version), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CUDA_VISIBLE_DEVICES", "1")
	h := readHost(root)
	if h.driverVersion != "580.82.07" || h.driverGPUs != 2 || !h.visibleSet || h.visible != "1" {
		t.Errorf("got %+v", h)
	}
}

func TestMergeDeviceErrors(t *testing.T) {
	noProvider := func(what string) error {
		return classifyCUDA(what, CUDADevice(0), errors.New(ortPrefix+"Failed to load library /o/libonnxruntime_providers_shared.so with error: /o/libonnxruntime_providers_shared.so: cannot open shared object file: No such file or directory"),
			"/o", "1.29.0", hostInfo{})
	}
	other := errors.New(`model "c": no input "x"`)
	outOfRange := classifyCUDA(`model "d"`, CUDADevice(2), errors.New("Invalid device ID: 2, must be between 0 (inclusive) and 1 (exclusive)."), "/o", "1.29.0", hostInfo{})
	wrapped := inputerr.Wrap("", noProvider(`model "a"`)) // as the onnx and classifier kinds return them
	got := MergeDeviceErrors([]error{wrapped, other, nil, noProvider(`judge "b"`), outOfRange, noProvider(`model "e"`)})
	if len(got) != 3 {
		t.Fatalf("%d errors, want 3: %v", len(got), got)
	}
	if msg := got[0].Error(); !strings.HasPrefix(msg, `model "a", judge "b", model "e": device cuda:0: ONNX Runtime in /o has no CUDA provider`) {
		t.Errorf("merged: %q", msg)
	}
	var de *DeviceError
	if !inputerr.Is(got[0]) || !errors.As(got[0], &de) || de.What != `model "a", judge "b", model "e"` {
		t.Errorf("merged %#v: want an input error wrapping the merged *DeviceError", got[0])
	}
	if got[1] != other || got[2] != outOfRange {
		t.Errorf("the others moved or changed: %v", got[1:])
	}
}

func TestNotices(t *testing.T) {
	noProvider := classifyCUDA("", CUDADevice(0), errors.New("Failed to load library /o/libonnxruntime_providers_shared.so with error: /o/libonnxruntime_providers_shared.so: cannot open shared object file: No such file or directory"), "/o", "1.29.0", hostInfo{})
	noCuBLAS := classifyCUDA("", CUDADevice(0), errors.New("Failed to load library /o/libonnxruntime_providers_cuda.so with error: libcublas.so.13: cannot open shared object file: No such file or directory"), "/o", "1.29.0", hostInfo{})
	infos := map[string]SessionInfo{
		`model "b"`:   {Device: CPUDevice(), Fallback: noProvider.Reason(), FallbackCause: noProvider.Cause},
		`model "a"`:   {Device: CPUDevice(), Fallback: noProvider.Reason(), FallbackCause: noProvider.Cause},
		`judge "j"`:   {Device: CPUDevice(), Fallback: noCuBLAS.Reason(), FallbackCause: noCuBLAS.Cause},
		`model "gpu"`: {Device: CUDADevice(0)},
		`model "cpu"`: {Requested: CPUDevice(), Device: CPUDevice()},
	}
	got := Notices(infos)
	if len(got) != 2 {
		t.Fatalf("notices %q, want 2", got)
	}
	want := []string{
		`info: device auto runs on the CPU for model "a", model "b": device cuda:0: ONNX Runtime in /o has no CUDA provider`,
		`warning: device auto runs on the CPU for judge "j": device cuda:0: the CUDA provider in /o needs libcublas.so.13 (cuBLAS)`,
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			found = found || strings.HasPrefix(g, w)
		}
		if !found {
			t.Errorf("no notice starts with %q: %q", w, got)
		}
	}
	if Notices(nil) != nil {
		t.Error("notices without sessions")
	}
}

func TestPlacementString(t *testing.T) {
	on, off := true, false
	for _, tc := range []struct {
		p    Placement
		want string
	}{
		{Placement{}, ""},
		{Placement{Device: "cpu", Runtime: "onnxruntime 1.29.0", Threads: 2, BatchSize: 64}, "cpu, 2 threads, batch 64, onnxruntime 1.29.0"},
		{Placement{Device: "cuda:0", Runtime: "onnxruntime 1.29.0", TF32: &on, Threads: 16, BatchSize: 1024}, "cuda:0, TF32 on, batch 1024, onnxruntime 1.29.0"},
		{Placement{Device: "cuda:1", TF32: &off}, "cuda:1, TF32 off"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
	info := SessionInfo{Device: CUDADevice(0), ORTVersion: "1.29.0", TF32: true, Threads: 4, BatchSize: 1024}
	if p := info.Placement(); p.Device != "cuda:0" || p.TF32 == nil || !*p.TF32 || p.Runtime != "onnxruntime 1.29.0" {
		t.Errorf("placement of %+v = %+v", info, p)
	}
	if p := (SessionInfo{Device: CPUDevice(), TF32: true}).Placement(); p.TF32 != nil {
		t.Errorf("a CPU placement records TF32: %+v", p)
	}
}
