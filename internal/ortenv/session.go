package ortenv

import (
	"fmt"
	"log"
	"path/filepath"
	"strconv"
	"strings"

	ort "github.com/yalue/onnxruntime_go"
)

// SessionConfig is what the project sets on every session.
type SessionConfig struct {
	// Device is "cpu" (also ""), "cuda" or "cuda:N", or "auto" (CUDA device 0 when its provider
	// loads, else CPU with a warning).
	Device string
	// IntraOpThreads defaults to 1: for the small models this project runs, more threads were
	// slower on the 2-core machines measured (docs/benchmarks.md).
	IntraOpThreads int
	// Logf receives warnings (the auto fallback); nil means log.Printf.
	Logf func(format string, args ...any)
}

// Session is a session together with the device it runs on ("cpu" or "cuda:N").
type Session struct {
	*ort.DynamicAdvancedSession
	Device string
}

// NewSession creates a session for the ONNX model in data, bound to the given input and output
// names, on cfg.Device. what names the model in errors and warnings (e.g. `model "fusion"`).
func (r *Runtime) NewSession(what string, data []byte, inputs, outputs []string, cfg SessionConfig) (s *Session, err error) {
	defer Recover(&err, what+": create session")
	device, cudaID, err := parseDevice(cfg.Device)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	threads := cfg.IntraOpThreads
	if threads <= 0 {
		threads = 1
	}
	if device == "cpu" {
		return r.newSession(data, inputs, outputs, threads, -1)
	}
	s, err = r.newSession(data, inputs, outputs, threads, cudaID)
	if err == nil {
		return s, nil
	}
	cudaErr := r.cudaError(cudaID, err)
	if device != "auto" {
		return nil, fmt.Errorf("%s: %w; use device: cpu, or device: auto to fall back to the CPU", what, cudaErr)
	}
	logf := cfg.Logf
	if logf == nil {
		logf = log.Printf
	}
	logf("warning: %s: device auto: running on the CPU: %v", what, cudaErr)
	return r.newSession(data, inputs, outputs, threads, -1)
}

// CheckDevice reports whether d is a device name NewSession accepts.
func CheckDevice(d string) error {
	_, _, err := parseDevice(d)
	return err
}

// parseDevice returns the device kind ("cpu", "cuda" or "auto") and the CUDA device id to try.
func parseDevice(d string) (kind string, cudaID int, err error) {
	switch d = strings.ToLower(strings.TrimSpace(d)); {
	case d == "" || d == "cpu":
		return "cpu", -1, nil
	case d == "auto":
		return "auto", 0, nil
	case d == "cuda":
		return "cuda", 0, nil
	case strings.HasPrefix(d, "cuda:"):
		n, err := strconv.Atoi(strings.TrimPrefix(d, "cuda:"))
		if err != nil || n < 0 {
			return "", 0, fmt.Errorf("device %q: the CUDA device must be a number, e.g. cuda:0", d)
		}
		return "cuda", n, nil
	}
	return "", 0, fmt.Errorf("device %q: use cpu, cuda:N or auto", d)
}

// newSession creates a session on the CPU (cudaID < 0) or with the CUDA provider on device cudaID.
func (r *Runtime) newSession(data []byte, inputs, outputs []string, threads, cudaID int) (*Session, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	defer opts.Destroy()
	if err := opts.SetIntraOpNumThreads(threads); err != nil {
		return nil, fmt.Errorf("set %d intra-op threads: %w", threads, err)
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		return nil, fmt.Errorf("set inter-op threads: %w", err)
	}
	device := "cpu"
	if cudaID >= 0 {
		if err := appendCUDA(opts, cudaID); err != nil {
			return nil, err
		}
		device = fmt.Sprintf("cuda:%d", cudaID)
	}
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(data, inputs, outputs, opts)
	if err != nil {
		return nil, err
	}
	return &Session{DynamicAdvancedSession: s, Device: device}, nil
}

func appendCUDA(opts *ort.SessionOptions, id int) error {
	cuda, err := ort.NewCUDAProviderOptions()
	if err != nil {
		return err
	}
	defer cuda.Destroy()
	if err := cuda.Update(map[string]string{"device_id": strconv.Itoa(id)}); err != nil {
		return err
	}
	return opts.AppendExecutionProviderCUDA(cuda)
}

// cudaError says what the CUDA provider needs; cause is ONNX Runtime's own message.
func (r *Runtime) cudaError(id int, cause error) error {
	dir := filepath.Dir(r.path)
	return fmt.Errorf("device cuda:%d: ONNX Runtime's CUDA execution provider could not be used: it needs "+
		"libonnxruntime_providers_cuda.so and libonnxruntime_providers_shared.so from the ONNX Runtime %s GPU "+
		"build in %s, and the CUDA and cuDNN libraries that build was made for, and a visible GPU %d (%v)",
		id, r.version, dir, id, trimORTMessage(cause))
}

// trimORTMessage drops the source location and status code ONNX Runtime puts before its message
// ("/onnxruntime_src/…cc:1952 … [ONNXRuntimeError] : 1 : FAIL : Failed to load library …").
func trimORTMessage(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "FAIL : "); i >= 0 {
		return msg[i+len("FAIL : "):]
	}
	return msg
}

// ModelInfo returns the inputs and outputs of the ONNX model in data.
func (r *Runtime) ModelInfo(data []byte) (inputs, outputs []ort.InputOutputInfo, err error) {
	defer Recover(&err, "read model inputs and outputs")
	return ort.GetInputOutputInfoWithONNXData(data)
}

// Describe lists inputs or outputs for error messages: `video [N 128] float, audio [N 64] float`.
func Describe(infos []ort.InputOutputInfo) string {
	parts := make([]string, len(infos))
	for i, info := range infos {
		dims := make([]string, len(info.Dimensions))
		for j, d := range info.Dimensions {
			dims[j] = strconv.FormatInt(d, 10)
			if d < 0 {
				dims[j] = "?"
			}
		}
		parts[i] = fmt.Sprintf("%s [%s] %s", info.Name, strings.Join(dims, " "), elemName(info.DataType))
	}
	return strings.Join(parts, ", ")
}

func elemName(t ort.TensorElementDataType) string {
	switch t {
	case ort.TensorElementDataTypeFloat:
		return "float"
	case ort.TensorElementDataTypeInt64:
		return "int64"
	case ort.TensorElementDataTypeInt32:
		return "int32"
	case ort.TensorElementDataTypeDouble:
		return "double"
	case ort.TensorElementDataTypeFloat16:
		return "float16"
	}
	return strings.ToLower(strings.TrimPrefix(t.String(), "ONNX_TENSOR_ELEMENT_DATA_TYPE_"))
}
