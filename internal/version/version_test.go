package version

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	vcs := func(rev, modified string) *debug.BuildInfo {
		return &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}}
	}
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "1.0"},
		{"go run or go test", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "1.0"},
		{"clean checkout", vcs("0123456789abcdef0123", "false"), "1.0+0123456789ab"},
		{"dirty checkout", vcs("0123456789abcdef0123", "true"), "1.0+0123456789ab-dirty"},
		{"short revision", vcs("abc", "false"), "1.0+abc"},
		{"go install module@version", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261204160000-0123456789ab"}},
			"1.0+v0.0.0-20261204160000-0123456789ab"},
	}
	for _, tt := range tests {
		if got := fromBuildInfo("1.0", tt.info); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

// A binary built as `make build` builds it names the commit of the checkout, and -dirty exactly
// when the checkout has uncommitted changes.
func TestBuiltBinaryNamesItsCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err) // a source archive has no commit to name
	}
	status, err := exec.Command("git", "status", "--porcelain").Output()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "emoeval")
	// -buildvcs=auto as make build passes it: a GOFLAGS=-buildvcs=false in the environment (this
	// machine kind sets it) would otherwise leave the commit out.
	build := exec.Command("go", "build", "-buildvcs=auto", "-o", bin, "../../cmd/emoeval")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	want := "+" + string(head[:12])
	if len(strings.TrimSpace(string(status))) > 0 {
		want += "-dirty"
	}
	if got := strings.TrimSpace(string(out)); !strings.HasSuffix(got, want) {
		t.Errorf("emoeval version = %q, want it to end in %q", got, want)
	}
}
