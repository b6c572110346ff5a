package ortenv

import (
	"fmt"
	"strconv"
	"strings"
)

// Device is where a session runs: the CPU, a CUDA device, or auto (CUDA device 0 when the CUDA
// provider can be used, else the CPU). The zero value is auto, the one default of every ONNX
// model and classifier judge, so an unset configuration key needs no special case.
//
// Names are parsed once, by ParseDevice (also UnmarshalText, for configuration files): the
// configuration, the ONNX backend and the classifier judge all hold a Device, never a string to
// check again.
type Device struct {
	kind deviceKind
	id   int // the CUDA device number, for kind cuda
}

type deviceKind uint8

const (
	kindAuto deviceKind = iota
	kindCPU
	kindCUDA
)

// AutoDevice is device auto (the zero Device).
func AutoDevice() Device { return Device{} }

// CPUDevice is the CPU.
func CPUDevice() Device { return Device{kind: kindCPU} }

// CUDADevice is CUDA device n (cuda:n); n must not be negative.
func CUDADevice(n int) Device {
	if n < 0 {
		panic(fmt.Sprintf("ortenv: CUDA device %d: device numbers start at 0", n))
	}
	return Device{kind: kindCUDA, id: n}
}

// ParseDevice reads a device name, case-insensitively: cpu, cuda (= cuda:0), cuda:N (N ≥ 0) or
// auto; "" is auto (an unset key).
func ParseDevice(s string) (Device, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	switch name {
	case "", "auto":
		return AutoDevice(), nil
	case "cpu":
		return CPUDevice(), nil
	case "cuda":
		return CUDADevice(0), nil
	}
	num, ok := strings.CutPrefix(name, "cuda:")
	if !ok {
		return Device{}, fmt.Errorf("device %q: use cpu, cuda (the first GPU), cuda:N (GPU N, counting from 0) or auto", s)
	}
	n, err := strconv.Atoi(num)
	switch {
	case err == nil && n >= 0:
		return CUDADevice(n), nil
	case strings.HasPrefix(num, "-"):
		return Device{}, fmt.Errorf("device %q: CUDA devices are numbered from 0 (cuda:0 is the first GPU)", s)
	case num == "":
		return Device{}, fmt.Errorf("device %q: name the GPU's number after the colon, e.g. cuda:0, or write cuda for the first GPU", s)
	}
	return Device{}, fmt.Errorf("device %q: %q is not a GPU number; write cuda:N with N a whole number, e.g. cuda:0", s, num)
}

// String is the device's canonical name: auto, cpu or cuda:N.
func (d Device) String() string {
	switch d.kind {
	case kindCPU:
		return "cpu"
	case kindCUDA:
		return "cuda:" + strconv.Itoa(d.id)
	}
	return "auto"
}

// MarshalText writes the canonical name (manifests, summary.json, redacted configurations).
func (d Device) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a name as ParseDevice does.
func (d *Device) UnmarshalText(b []byte) error {
	parsed, err := ParseDevice(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// IsAuto reports whether d is auto.
func (d Device) IsAuto() bool { return d.kind == kindAuto }

// IsCPU reports whether d is the CPU.
func (d Device) IsCPU() bool { return d.kind == kindCPU }

// CUDA returns the CUDA device number and true when d is a CUDA device.
func (d Device) CUDA() (int, bool) { return d.id, d.kind == kindCUDA }
