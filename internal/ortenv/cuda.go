package ortenv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// The CUDA provider's files, which ONNX Runtime loads from the folder of its own library.
const (
	providerShared = "libonnxruntime_providers_shared.so"
	providerCUDA   = "libonnxruntime_providers_cuda.so"
)

// DeviceCause is why a CUDA device could not be used.
type DeviceCause uint8

const (
	// CauseOther: ONNX Runtime failed for a reason not recognised here; its message is kept.
	CauseOther DeviceCause = iota
	// CauseNoProvider: the provider libraries are not beside the ONNX Runtime library (the
	// library of `make ort` has none; `make ort-gpu` adds them).
	CauseNoProvider
	// CauseMissingLibrary: the provider is there, but a library it needs (CUDA runtime,
	// cuBLAS, cuRAND, cuDNN) did not load.
	CauseMissingLibrary
	// CauseNoGPU: CUDA sees no GPU.
	CauseNoGPU
	// CauseNoSuchDevice: cuda:N with N at least the number of GPUs CUDA sees.
	CauseNoSuchDevice
	// CauseDriver: the NVIDIA driver is missing, or too old for the provider's CUDA 13.
	CauseDriver
)

var causeNames = [...]string{"other", "no-provider", "missing-library", "no-gpu", "no-such-device", "driver"}

func (c DeviceCause) String() string {
	if int(c) < len(causeNames) {
		return causeNames[c]
	}
	return "cause(" + strconv.Itoa(int(c)) + ")"
}

// DeviceError says why a session could not use a CUDA device: the real cause, in words, without
// ONNX Runtime's source locations.
type DeviceError struct {
	// What names the model or judge (`model "fusion"`); "" for a probe without one.
	What   string
	Device Device
	Cause  DeviceCause
	// Library is the file that did not load (CauseNoProvider, CauseMissingLibrary, and
	// CauseDriver when libcuda.so.1 is missing).
	Library string
	// GPUs is the number of GPUs CUDA sees, or -1 when it is not known.
	GPUs int
	// Detail is ONNX Runtime's (or the loader's) message without source locations.
	Detail string

	dir, version string // the ONNX Runtime library's folder and version
	host         hostInfo
}

func (e *DeviceError) Error() string {
	if e.What == "" {
		return e.Reason() + "; use device cpu, or auto to fall back to the CPU"
	}
	return e.What + ": " + e.Reason() + "; use device cpu, or auto to fall back to the CPU"
}

// Reason is the error's message without the model's name and the advice to change device: the
// same text for every model that fails for the same reason, so a run can report it once.
func (e *DeviceError) Reason() string {
	dev := "device " + e.Device.String()
	switch e.Cause {
	case CauseNoProvider:
		return fmt.Sprintf("%s: ONNX Runtime in %s has no CUDA provider: %s is not there (`make ort-gpu` puts %s and %s for ONNX Runtime %s beside its library)",
			dev, e.dir, filepath.Base(e.Library), providerShared, providerCUDA, e.version)
	case CauseMissingLibrary:
		if wrongVersionRE.MatchString(e.Detail) {
			return fmt.Sprintf("%s: the CUDA provider in %s needs %s of the version it was built for, and another one was found (%s); %s",
				dev, e.dir, libraryRole(e.Library), e.Detail, cudaLibrariesHint)
		}
		return fmt.Sprintf("%s: the CUDA provider in %s needs %s, which did not load (%s); %s",
			dev, e.dir, libraryRole(e.Library), e.Detail, cudaLibrariesHint)
	case CauseNoGPU:
		msg := fmt.Sprintf("%s: CUDA sees no GPU (%s)", dev, e.Detail)
		if e.host.visibleSet {
			msg += fmt.Sprintf("; CUDA_VISIBLE_DEVICES=%q hides the others", e.host.visible)
		} else if e.host.driverGPUs > 0 {
			msg += fmt.Sprintf(" although the NVIDIA driver lists %d; a container needs them passed in (e.g. docker run --gpus all)", e.host.driverGPUs)
		}
		return msg
	case CauseNoSuchDevice:
		id, _ := e.Device.CUDA()
		switch {
		case e.GPUs == 1:
			return fmt.Sprintf("%s: there is no CUDA device %d: CUDA sees 1 GPU, cuda:0", dev, id)
		case e.GPUs > 1:
			return fmt.Sprintf("%s: there is no CUDA device %d: CUDA sees %d GPUs, cuda:0 to cuda:%d", dev, id, e.GPUs, e.GPUs-1)
		}
		return fmt.Sprintf("%s: there is no CUDA device %d (%s)", dev, id, e.Detail)
	case CauseDriver:
		if filepath.Base(e.Library) == "libcuda.so.1" {
			return fmt.Sprintf("%s: the NVIDIA driver's libcuda.so.1 did not load (%s): no NVIDIA driver is installed, or a container was started without the GPU (docker run --gpus all)",
				dev, e.Detail)
		}
		driver := "the NVIDIA driver"
		if e.host.driverVersion != "" {
			driver += " (" + e.host.driverVersion + ")"
		}
		return fmt.Sprintf("%s: %s is missing or too old for the CUDA 13 runtime of ONNX Runtime %s's CUDA provider, which needs driver %d or newer (%s)",
			dev, driver, e.version, minDriver, e.Detail)
	}
	return fmt.Sprintf("%s: ONNX Runtime's CUDA provider failed: %s", dev, e.Detail)
}

// minDriver is the oldest NVIDIA driver branch that runs CUDA 13.
const minDriver = 580

const cudaLibrariesHint = "the provider needs the NVIDIA driver (580 or newer), the CUDA 13 runtime, cuBLAS and cuRAND, " +
	"and cuDNN 9 on the loader's path: a CUDA 13 install, or the lib folders of pip's nvidia-cuda-runtime, nvidia-cublas, " +
	"nvidia-curand and nvidia-cudnn-cu13 wheels on LD_LIBRARY_PATH"

// libraryRole names a library the CUDA provider needs, with what it is.
func libraryRole(lib string) string {
	base := filepath.Base(lib)
	for _, r := range []struct{ prefix, role string }{
		{"libcudart.", "the CUDA runtime"},
		{"libcublasLt.", "cuBLASLt"},
		{"libcublas.", "cuBLAS"},
		{"libcurand.", "cuRAND"},
		{"libcufft.", "cuFFT"},
		{"libcudnn", "cuDNN"},
		{"libnvrtc", "NVRTC"},
	} {
		if strings.HasPrefix(base, r.prefix) {
			return base + " (" + r.role + ")"
		}
	}
	return base
}

// hostInfo is what the machine says about its GPUs, beyond ONNX Runtime's message.
type hostInfo struct {
	visible       string // CUDA_VISIBLE_DEVICES
	visibleSet    bool
	driverVersion string // from /proc/driver/nvidia/version; "" when there is none
	driverGPUs    int    // entries of /proc/driver/nvidia/gpus
}

var driverVersionRE = regexp.MustCompile(`Kernel Module(?: for \S+)?\s+(\d+\.\d+(?:\.\d+)?)`)

// readHost reads hostInfo from the environment and /proc (root is "/" but for tests).
func readHost(root string) hostInfo {
	var h hostInfo
	h.visible, h.visibleSet = os.LookupEnv("CUDA_VISIBLE_DEVICES")
	if b, err := os.ReadFile(filepath.Join(root, "proc/driver/nvidia/version")); err == nil {
		if m := driverVersionRE.FindSubmatch(b); m != nil {
			h.driverVersion = string(m[1])
		}
	}
	if entries, err := os.ReadDir(filepath.Join(root, "proc/driver/nvidia/gpus")); err == nil {
		h.driverGPUs = len(entries)
	}
	return h
}

var (
	// "Failed to load library /x/libonnxruntime_providers_cuda.so with error: libcublasLt.so.13:
	// cannot open shared object file: No such file or directory" (provider_bridge_ort.cc), and
	// cuDNN's lazy loader: "dlopen failed for libcudnn.so.9: …".
	failedLoadRE = regexp.MustCompile(`(?:Failed to load library (\S+) with error|dlopen failed for (\S+)): (.+)`)
	// The loader's own message names the file it could not open or use first.
	dlerrorRE = regexp.MustCompile(`^(\S+?): (?:cannot open shared object file|undefined symbol|version .* not found|file too short|invalid ELF header|wrong ELF class)`)
	// "/x/libonnxruntime_providers_cuda.so: undefined symbol: cublasLtMatmulDescDestroy, version
	// libcublasLt.so.13": the provider loaded, a library it needs is of another version.
	undefinedSymbolRE = regexp.MustCompile(`undefined symbol: \S+, version (\S+)`)
	wrongVersionRE    = regexp.MustCompile(`undefined symbol|version .* not found`)
	cudaFailureRE     = regexp.MustCompile(`CUDA failure (\d+): ([^;]*)`)
	// ORT_RETURN_IF_NOT(0 <= info.device_id && info.device_id < num_devices, "Invalid device ID: …").
	invalidIDRE = regexp.MustCompile(`Invalid device ID: (-?\d+), must be between 0 \(inclusive\) and (\d+) \(exclusive\)`)
)

// CUDA runtime error codes (cudaError_t) with a cause of their own.
const (
	cudaErrorStubLibrary          = 34
	cudaErrorInsufficientDriver   = 35
	cudaErrorNoDevice             = 100
	cudaErrorInvalidDevice        = 101
	cudaErrorSystemDriverMismatch = 803
)

// classifyCUDA turns ONNX Runtime's error for a CUDA session into a DeviceError.
func classifyCUDA(what string, dev Device, cause error, dir, version string, host hostInfo) *DeviceError {
	msg := CleanMessage(cause.Error())
	e := &DeviceError{What: what, Device: dev, GPUs: -1, Detail: msg, dir: dir, version: version, host: host}
	if m := invalidIDRE.FindStringSubmatch(msg); m != nil {
		e.Cause = CauseNoSuchDevice
		e.GPUs, _ = strconv.Atoi(m[2])
		e.Detail = m[0]
		return e
	}
	if m := cudaFailureRE.FindStringSubmatch(msg); m != nil {
		code, _ := strconv.Atoi(m[1])
		e.Detail = fmt.Sprintf("CUDA error %d: %s", code, strings.TrimSpace(m[2]))
		switch code {
		case cudaErrorNoDevice:
			e.Cause, e.GPUs = CauseNoGPU, 0
		case cudaErrorInvalidDevice:
			e.Cause = CauseNoSuchDevice
		case cudaErrorInsufficientDriver, cudaErrorStubLibrary, cudaErrorSystemDriverMismatch:
			e.Cause = CauseDriver
		}
		return e
	}
	if strings.Contains(msg, "cudaGetDeviceCount") {
		// The count failed without CUDA's error code (CUDA_RETURN_IF_ERROR logs the code, at a
		// level this process does not show): the machine says which cause it is.
		switch major := driverMajor(host.driverVersion); {
		case host.driverVersion == "" || major < minDriver:
			e.Cause = CauseDriver
		default:
			e.Cause, e.GPUs = CauseNoGPU, 0
		}
		return e
	}
	if strings.Contains(msg, "cuDNN is not available") {
		e.Cause, e.Library = CauseMissingLibrary, "libcudnn.so.9"
		return e
	}
	m := failedLoadRE.FindStringSubmatch(msg)
	if m == nil {
		return e
	}
	lib, dlerr := m[1]+m[2], strings.TrimSpace(m[3])
	e.Detail = dlerr
	failed := lib
	if d := dlerrorRE.FindStringSubmatch(dlerr); d != nil {
		failed = d[1]
	}
	if u := undefinedSymbolRE.FindStringSubmatch(dlerr); u != nil {
		failed = u[1] // the library that should have defined the symbol
	}
	switch base := filepath.Base(failed); {
	case base == filepath.Base(lib) && (base == providerShared || base == providerCUDA) && !exists(lib):
		e.Cause, e.Library = CauseNoProvider, lib
	case base == "libcuda.so.1":
		e.Cause, e.Library = CauseDriver, failed
	default:
		e.Cause, e.Library = CauseMissingLibrary, failed
	}
	return e
}

// driverMajor is the branch of an NVIDIA driver version ("580" of "580.82.07"), 0 when unknown.
func driverMajor(version string) int {
	major, _, _ := strings.Cut(version, ".")
	n, _ := strconv.Atoi(major)
	return n
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return !errors.Is(err, os.ErrNotExist)
}

var (
	// ONNX Runtime's status text: "<file>:<line> <function> [ONNXRuntimeError] : 1 : FAIL : msg".
	ortStatusRE = regexp.MustCompile(`\[ONNXRuntimeError\] : \d+ : [A-Z_]+ : `)
	// A source location, and the C++ function that ONNX Runtime prints after it
	// ("/onnxruntime_src/…/provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() ").
	sourceLocRE = regexp.MustCompile(`\S*/\S+\.(?:cc|cpp|cu|cuh|h|hpp|c):\d+(?:\s+[^\s(]*::[^()]*\([^)]*\)(?:\s*const)?)?\s*`)
	// CUDA_CALL's fields: " ; GPU=0 ; hostname=h ; file=… ; line=48 ; expr=cudaGetDeviceCount(&n); ".
	cudaFieldRE = regexp.MustCompile(`\s*;\s*(?:GPU|hostname|file|line|expr)=[^;]*`)
)

// CleanMessage drops what ONNX Runtime puts around its messages for its own developers: source
// file locations, function signatures, status codes and CUDA_CALL's host and expression fields.
// The message itself is kept.
func CleanMessage(msg string) string {
	if locs := ortStatusRE.FindAllStringIndex(msg, -1); len(locs) > 0 {
		msg = msg[locs[len(locs)-1][1]:]
	}
	if i := strings.LastIndex(msg, " was false. "); i >= 0 && sourceLocRE.MatchString(msg[:i]) {
		msg = msg[i+len(" was false. "):] // ORT_ENFORCE/ORT_RETURN_IF_NOT: the condition is code
	}
	msg = sourceLocRE.ReplaceAllString(msg, "")
	msg = cudaFieldRE.ReplaceAllString(msg, "")
	msg = strings.TrimRight(strings.Join(strings.Fields(msg), " "), "; ")
	return strings.ReplaceAll(msg, " ; ", "; ")
}
