// Package version names the build of emoeval, for manifests and reports.
package version

import "runtime/debug"

// Version is the release; builds may override it with -ldflags "-X .../internal/version.Version=v1.2.3".
var Version = "0.1.0-dev"

// String is the version and the commit the binary was built from, as the Go toolchain recorded
// it: "0.1.0-dev+0123456789ab" from a clean checkout (make build, make demo, go build, go install
// ./cmd/emoeval), with "-dirty" when the checkout had uncommitted changes, or the module version
// that `go install module@version` records (its pseudo-version names the commit). Without either
// (go run, go test) it is Version alone.
func String() string {
	info, _ := debug.ReadBuildInfo()
	return fromBuildInfo(Version, info)
}

func fromBuildInfo(v string, info *debug.BuildInfo) string {
	if info == nil {
		return v
	}
	var rev string
	var modified bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	switch {
	case rev != "":
		v += "+" + rev[:min(12, len(rev))]
		if modified {
			v += "-dirty"
		}
	case info.Main.Version != "" && info.Main.Version != "(devel)":
		v += "+" + info.Main.Version
	}
	return v
}
