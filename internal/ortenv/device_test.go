package ortenv

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseDevice(t *testing.T) {
	tests := []struct {
		in   string
		want string // canonical name; "" when the name is refused
		err  string // part of the error
	}{
		{"", "auto", ""},
		{"auto", "auto", ""},
		{" AUTO ", "auto", ""},
		{"cpu", "cpu", ""},
		{"CPU", "cpu", ""},
		{"cuda", "cuda:0", ""},
		{"CUDA", "cuda:0", ""},
		{"cuda:0", "cuda:0", ""},
		{"CUDA:0", "cuda:0", ""},
		{"cuda:3", "cuda:3", ""},
		{"cuda:12", "cuda:12", ""},
		{"cuda:x", "", `device "cuda:x": "x" is not a GPU number; write cuda:N`},
		{"cuda:1.5", "", `"1.5" is not a GPU number`},
		{"cuda:99999999999999999999", "", "is not a GPU number"},
		{"cuda:-1", "", `device "cuda:-1": CUDA devices are numbered from 0`},
		{"cuda:", "", `device "cuda:": name the GPU's number after the colon`},
		{"gpu", "", `device "gpu": use cpu, cuda (the first GPU), cuda:N (GPU N, counting from 0) or auto`},
		{"tpu:0", "", `device "tpu:0": use cpu`},
		{"cuda0", "", `device "cuda0": use cpu`},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			d, err := ParseDevice(tc.in)
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("ParseDevice(%q) = %v, %v; want an error containing %q", tc.in, d, err, tc.err)
				}
				var u Device
				if err2 := u.UnmarshalText([]byte(tc.in)); err2 == nil || err2.Error() != err.Error() {
					t.Errorf("UnmarshalText: %v, want %v", err2, err)
				}
				return
			}
			if err != nil || d.String() != tc.want {
				t.Fatalf("ParseDevice(%q) = %v, %v; want %s", tc.in, d, err, tc.want)
			}
			// The canonical name parses to the same device.
			if again, err := ParseDevice(d.String()); err != nil || again != d {
				t.Errorf("round trip of %s: %v, %v", d, again, err)
			}
		})
	}
}

func TestDeviceValues(t *testing.T) {
	var zero Device
	tests := []struct {
		d               Device
		name            string
		auto, cpu, cuda bool
		id              int
	}{
		{zero, "auto", true, false, false, 0},
		{AutoDevice(), "auto", true, false, false, 0},
		{CPUDevice(), "cpu", false, true, false, 0},
		{CUDADevice(0), "cuda:0", false, false, true, 0},
		{CUDADevice(7), "cuda:7", false, false, true, 7},
	}
	for _, tc := range tests {
		id, cuda := tc.d.CUDA()
		if tc.d.String() != tc.name || tc.d.IsAuto() != tc.auto || tc.d.IsCPU() != tc.cpu || cuda != tc.cuda || (cuda && id != tc.id) {
			t.Errorf("%v: auto %v cpu %v cuda %v %d", tc.d, tc.d.IsAuto(), tc.d.IsCPU(), cuda, id)
		}
	}
}

// Devices travel through configuration files and manifests as their canonical names.
func TestDeviceJSON(t *testing.T) {
	type cfg struct {
		Device Device `json:"device"`
		Other  Device `json:"other"`
	}
	var c cfg
	if err := json.Unmarshal([]byte(`{"device": "CUDA:1", "other": "cpu"}`), &c); err != nil {
		t.Fatal(err)
	}
	if c.Device != CUDADevice(1) || c.Other != CPUDevice() {
		t.Fatalf("decoded %+v", c)
	}
	out, err := json.Marshal(cfg{})
	if err != nil || string(out) != `{"device":"auto","other":"auto"}` {
		t.Errorf("zero devices encode as %s, %v", out, err)
	}
	if err := json.Unmarshal([]byte(`{"device": "cuda:-1"}`), &c); err == nil || !strings.Contains(err.Error(), "numbered from 0") {
		t.Errorf("bad device in JSON: %v", err)
	}
}

func TestCUDADevicePanicsOnNegative(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("no panic for CUDADevice(-1)")
		}
	}()
	CUDADevice(-1)
}
