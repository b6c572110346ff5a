package view

import (
	"errors"
	"fmt"
	"io/fs"
	"mime"
	"os"
	"path/filepath"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// Media kinds a clip may have.
const (
	MediaVideo = "video"
	MediaAudio = "audio"
)

// Media serves the files a split names for its clips, and nothing else: a request names a clip
// and a kind, never a path, so that the only paths that can be opened are the split's own; each
// is opened through an os.Root at the common directory of the split's media paths, which refuses
// `..` and symbolic links that lead out of it, and only regular files are served.
type Media struct {
	root  string // the common directory of every media path ("" without any)
	paths map[string][2]string
}

// NewMedia indexes the media paths of clips (relative paths are taken from the working
// directory, as model backends open them).
func NewMedia(clips []datasets.Clip) *Media {
	m := &Media{paths: map[string][2]string{}}
	var dirs []string
	for _, c := range clips {
		var p [2]string
		for k, raw := range []string{c.VideoPath, c.AudioPath} {
			if raw == "" {
				continue
			}
			abs, err := filepath.Abs(raw)
			if err != nil {
				continue
			}
			p[k] = abs
			dirs = append(dirs, filepath.Dir(abs))
		}
		if p != [2]string{} {
			m.paths[datasets.NormalizeID(c.ClipID)] = p
		}
	}
	m.root = commonDir(dirs)
	return m
}

// commonDir is the deepest directory that holds every one of dirs (absolute, clean).
func commonDir(dirs []string) string {
	if len(dirs) == 0 {
		return ""
	}
	common := dirs[0]
	for _, d := range dirs[1:] {
		for common != d && !strings.HasPrefix(d, strings.TrimSuffix(common, string(filepath.Separator))+string(filepath.Separator)) {
			parent := filepath.Dir(common)
			if parent == common {
				break
			}
			common = parent
		}
	}
	return common
}

// Root is the media root: the common directory of the split's media paths.
func (m *Media) Root() string {
	if m == nil {
		return ""
	}
	return m.root
}

// Path is the media path the split gives a clip ("" for none).
func (m *Media) Path(clipID, kind string) string {
	if m == nil {
		return ""
	}
	p := m.paths[datasets.NormalizeID(clipID)]
	switch kind {
	case MediaVideo:
		return p[0]
	case MediaAudio:
		return p[1]
	}
	return ""
}

// errNoMedia is every refusal: the page says only that there is no such file to serve.
var errNoMedia = errors.New("no media file to serve")

// Open opens a clip's media file of a kind when it is a regular file under the media root,
// reached without leaving it. The caller closes the file.
func (m *Media) Open(clipID, kind string) (*os.File, fs.FileInfo, error) {
	p := m.Path(clipID, kind)
	if p == "" || m.root == "" {
		return nil, nil, errNoMedia
	}
	rel, err := filepath.Rel(m.root, p)
	if err != nil || rel == "." || filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, nil, errNoMedia
	}
	root, err := os.OpenRoot(m.root)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errNoMedia, err)
	}
	defer root.Close()
	f, err := root.Open(rel)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %v", errNoMedia, err)
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, nil, errNoMedia
	}
	return f, st, nil
}

// Available says whether Open would serve a clip's media file of a kind.
func (m *Media) Available(clipID, kind string) bool {
	f, _, err := m.Open(clipID, kind)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// mediaType is the Content-Type a media file is served with: audio and video types by extension,
// anything else as a download, so that a file under the media root that is not media (an HTML
// page, say) is never rendered by the browser as a page of this origin.
func mediaType(path string) (ctype string, inline bool) {
	t := mime.TypeByExtension(strings.ToLower(filepath.Ext(path)))
	if base, _, _ := strings.Cut(t, ";"); strings.HasPrefix(base, "video/") || strings.HasPrefix(base, "audio/") {
		return base, true
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".mp4", ".m4v":
		return "video/mp4", true
	case ".avi":
		return "video/x-msvideo", true
	case ".wav":
		return "audio/wav", true
	}
	return "application/octet-stream", false
}
