// Package version names the build of emoeval, for manifests and reports.
package version

import "runtime/debug"

// Version is the release; builds may override it with -ldflags "-X .../internal/version.Version=v1.2.3".
var Version = "0.1.0-dev"

// String is the version with the VCS revision when the build recorded one.
func String() string {
	v := Version
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += "+" + s.Value[:12]
			}
		}
	}
	return v
}
