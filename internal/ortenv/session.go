package ortenv

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// SessionConfig is what the project sets on every session.
type SessionConfig struct {
	// Device is where to run; the zero value is auto: CUDA device 0 when the CUDA provider can
	// be used, else the CPU (SessionInfo.Fallback says why).
	Device Device
	// Threads is the number of intra-op threads; 0 means DefaultThreads(), what the machine
	// offers. ONNX Runtime splits each run's operators over them.
	Threads int
	// TF32 turns TensorFloat-32 matrix products on or off on CUDA devices (the CUDA provider's
	// use_tf32); nil keeps ONNX Runtime's default, on. TF32 rounds inputs to 10 mantissa bits:
	// on an H200 it moved probabilities by up to 2.5e-3 against the CPU.
	TF32 *bool
}

// DefaultThreads is the intra-op thread count of a session that asks for 0: the CPUs this
// process may use (GOMAXPROCS, which follows the CPU affinity and, since Go 1.25, the cgroup
// limit).
func DefaultThreads() int { return runtime.GOMAXPROCS(0) }

// SessionInfo is what actually ran, for manifests and summaries.
type SessionInfo struct {
	// Requested is the configured device; Device is where the session runs: cpu or cuda:N,
	// never auto.
	Requested Device `json:"requested_device"`
	Device    Device `json:"device"`
	// ORTVersion is the ONNX Runtime version of the loaded library.
	ORTVersion string `json:"ort_version"`
	// TF32 is whether CUDA matrix products use TensorFloat-32 (false on the CPU).
	TF32    bool `json:"tf32"`
	Threads int  `json:"threads"`
	// BatchSize is the rows per run; the session does not know it: the model or judge sets it.
	BatchSize int `json:"batch_size"`
	// Fallback is why device auto runs on the CPU ("" when it runs on CUDA or was not auto);
	// FallbackCause classifies it.
	Fallback      string      `json:"fallback,omitempty"`
	FallbackCause DeviceCause `json:"-"`
}

// Placement is what a manifest records of where and how an in-process model or judge ran.
type Placement struct {
	Device    string `json:"device,omitempty"`  // where it ran (cpu, cuda:0), never auto
	Runtime   string `json:"runtime,omitempty"` // e.g. "onnxruntime 1.29.0"
	TF32      *bool  `json:"tf32,omitempty"`    // on CUDA only
	Threads   int    `json:"threads,omitempty"`
	BatchSize int    `json:"batch_size,omitempty"`
}

// Placement is the session's placement.
func (i SessionInfo) Placement() Placement {
	p := Placement{Device: i.Device.String(), Runtime: "onnxruntime " + i.ORTVersion, Threads: i.Threads, BatchSize: i.BatchSize}
	if _, cuda := i.Device.CUDA(); cuda {
		tf32 := i.TF32
		p.TF32 = &tf32
	}
	return p
}

// String is a placement in a few words, "cuda:0, TF32 on, batch 1024, onnxruntime 1.29.0"; ""
// for a model that is not in-process.
func (p Placement) String() string {
	if p.Device == "" {
		return ""
	}
	parts := []string{p.Device}
	if p.TF32 != nil {
		parts = append(parts, map[bool]string{true: "TF32 on", false: "TF32 off"}[*p.TF32])
	} else if p.Threads > 0 {
		parts = append(parts, fmt.Sprintf("%d threads", p.Threads))
	}
	if p.BatchSize > 0 {
		parts = append(parts, fmt.Sprintf("batch %d", p.BatchSize))
	}
	if p.Runtime != "" {
		parts = append(parts, p.Runtime)
	}
	return strings.Join(parts, ", ")
}

// Session is a session together with what it runs on.
type Session struct {
	*ort.DynamicAdvancedSession
	Info SessionInfo
}

// NewSession creates a session for the ONNX model in data, bound to the given input and output
// names, on cfg.Device. what names the model in errors (e.g. `model "fusion"`).
//
// A CUDA device that cannot be used is a *DeviceError naming the cause. Under auto the same
// failure is no error: the session runs on the CPU and Info.Fallback says why, for the caller
// to report once per run (Notices), not once per model.
func (r *Runtime) NewSession(what string, data []byte, inputs, outputs []string, cfg SessionConfig) (s *Session, err error) {
	defer Recover(&err, what+": create session")
	threads := cfg.Threads
	if threads < 0 {
		return nil, fmt.Errorf("%s: %d threads: must be at least 1, or 0 for what the machine offers", what, threads)
	}
	if threads == 0 {
		threads = DefaultThreads()
	}
	info := SessionInfo{Requested: cfg.Device, Device: CPUDevice(), ORTVersion: r.version, Threads: threads}
	if cfg.Device.IsCPU() {
		return r.cpuSession(what, data, inputs, outputs, info)
	}
	id, _ := cfg.Device.CUDA() // auto tries device 0
	s, devErr, err := r.cudaSession(what, data, inputs, outputs, threads, id, cfg.TF32)
	switch {
	case err != nil:
		return nil, err
	case devErr == nil:
		s.Info = info
		s.Info.Device, s.Info.TF32 = CUDADevice(id), cfg.TF32 == nil || *cfg.TF32
		return s, nil
	case !cfg.Device.IsAuto():
		return nil, devErr
	}
	info.Fallback, info.FallbackCause = devErr.Reason(), devErr.Cause
	return r.cpuSession(what, data, inputs, outputs, info)
}

func (r *Runtime) cpuSession(what string, data []byte, inputs, outputs []string, info SessionInfo) (*Session, error) {
	opts, err := r.sessionOptions(info.Threads)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer opts.Destroy()
	s, err := ort.NewDynamicAdvancedSessionWithONNXData(data, inputs, outputs, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: create session: %s", what, CleanMessage(err.Error()))
	}
	return &Session{DynamicAdvancedSession: s, Info: info}, nil
}

// cudaSession creates a session with the CUDA provider on device id. A failure that is the
// device's (the provider, its libraries, the driver, the GPU) is devErr; one that is not (the
// session options) is err.
func (r *Runtime) cudaSession(what string, data []byte, inputs, outputs []string, threads, id int, tf32 *bool) (s *Session, devErr *DeviceError, err error) {
	dev := CUDADevice(id)
	opts, err := r.sessionOptions(threads)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	defer opts.Destroy()
	// The provider's libraries load, and the device number is checked against the GPUs CUDA
	// sees, when the provider options are set: every failure here is the device's.
	if err := appendCUDA(opts, id, tf32); err != nil {
		return nil, r.deviceError(what, dev, err), nil
	}
	sess, err := ort.NewDynamicAdvancedSessionWithONNXData(data, inputs, outputs, opts)
	if err != nil {
		// The model was read before (ModelInfo), so what fails now is mostly the device: out of
		// memory, a library loaded late (cuDNN). Anything else is reported as ONNX Runtime says.
		if de := r.deviceError(what, dev, err); de.Cause != CauseOther || mentionsCUDA(de.Detail) {
			return nil, de, nil
		}
		return nil, nil, fmt.Errorf("%s: create session on %s: %s", what, dev, CleanMessage(err.Error()))
	}
	return &Session{DynamicAdvancedSession: sess}, nil, nil
}

func mentionsCUDA(msg string) bool {
	for _, w := range []string{"CUDA", "cuda", "cuDNN", "CUDNN", "cuBLAS", "CUBLAS", "GPU"} {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

func (r *Runtime) deviceError(what string, dev Device, err error) *DeviceError {
	return classifyCUDA(what, dev, err, filepath.Dir(r.path), r.version, readHost("/"))
}

func (r *Runtime) sessionOptions(threads int) (*ort.SessionOptions, error) {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return nil, fmt.Errorf("session options: %w", err)
	}
	if err := opts.SetIntraOpNumThreads(threads); err != nil {
		opts.Destroy()
		return nil, fmt.Errorf("set %d intra-op threads: %w", threads, err)
	}
	// One operator at a time: the models run here are chains, and the intra-op threads already
	// share each operator's work.
	if err := opts.SetInterOpNumThreads(1); err != nil {
		opts.Destroy()
		return nil, fmt.Errorf("set inter-op threads: %w", err)
	}
	return opts, nil
}

func appendCUDA(opts *ort.SessionOptions, id int, tf32 *bool) error {
	cuda, err := ort.NewCUDAProviderOptions()
	if err != nil {
		return err
	}
	defer cuda.Destroy()
	settings := map[string]string{"device_id": strconv.Itoa(id)}
	if tf32 != nil {
		settings["use_tf32"] = map[bool]string{false: "0", true: "1"}[*tf32]
	}
	if err := cuda.Update(settings); err != nil {
		return err
	}
	return opts.AppendExecutionProviderCUDA(cuda)
}

// Notices returns the lines a run prints once about devices: for each reason device auto fell
// back to the CPU, one line naming every model and judge it applies to. infos maps a name (as it
// should appear, e.g. `model "fusion"`) to its session's info. A missing provider is expected
// (the library of `make ort` has none), so it is an "info:" line; a provider that is there but
// fails is a "warning:".
func Notices(infos map[string]SessionInfo) []string {
	byReason := map[string][]string{}
	level := map[string]string{}
	for name, info := range infos {
		if info.Fallback == "" {
			continue
		}
		byReason[info.Fallback] = append(byReason[info.Fallback], name)
		level[info.Fallback] = "warning"
		if info.FallbackCause == CauseNoProvider {
			level[info.Fallback] = "info"
		}
	}
	var out []string
	for _, reason := range slices.Sorted(maps.Keys(byReason)) {
		names := byReason[reason]
		slices.Sort(names)
		out = append(out, fmt.Sprintf("%s: device auto runs on the CPU for %s: %s", level[reason], strings.Join(names, ", "), reason))
	}
	return out
}

// Notify logs, once per Runtime and reason, the notice of Notices for a session that fell back to
// the CPU under device auto; it logs nothing for one that runs where it was asked. Every model and
// judge of a process shares its Runtime, so a run that opens ten models on a machine without the
// CUDA provider prints one line, not ten. Callers that can gather all sessions' infos may print
// Notices themselves instead.
func (r *Runtime) Notify(logf func(format string, args ...any), info SessionInfo) {
	if info.Fallback == "" || logf == nil {
		return
	}
	r.mu.Lock()
	if r.told == nil {
		r.told = map[string]bool{}
	}
	seen := r.told[info.Fallback]
	r.told[info.Fallback] = true
	r.mu.Unlock()
	if !seen {
		level := "warning"
		if info.FallbackCause == CauseNoProvider {
			level = "info"
		}
		logf("%s: device auto runs on the CPU: %s", level, info.Fallback)
	}
}

// MergeDeviceErrors returns errs with the *DeviceErrors of one reason merged into one error
// naming every model and judge it applies to, at the place of the first: ten models on a
// machine without a GPU give one error, not ten. A merged error is a new *DeviceError, wrapped
// as an *inputerr.Error when the first was (the onnx and classifier kinds wrap theirs: a device
// that cannot be used is the set-up's problem); other wrappers are not kept.
func MergeDeviceErrors(errs []error) []error {
	var out []error
	at := map[string]int{}   // reason → index in out
	firstAt := map[int]int{} // index in out → index in errs of the error it started from
	for k, err := range errs {
		var de *DeviceError
		if err == nil || !errors.As(err, &de) {
			if err != nil {
				out = append(out, err)
			}
			continue
		}
		i, seen := at[de.Reason()]
		if !seen {
			at[de.Reason()] = len(out)
			firstAt[len(out)] = k
			out = append(out, err)
			continue
		}
		var first *DeviceError
		errors.As(out[i], &first)
		merged := *first
		merged.What = joinWhat(first.What, de.What)
		out[i] = &merged
		if inputerr.Is(errs[firstAt[i]]) {
			out[i] = inputerr.Wrap("", &merged)
		}
	}
	return out
}

func joinWhat(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
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
