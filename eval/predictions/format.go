package predictions

import (
	"path/filepath"
	"strings"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// Formats of model-output files.
const (
	FormatIDPipe  = "idpipe"  // the authors' .txt: "<id>|<output>", outputs spanning lines
	FormatJSONL   = "jsonl"   // one {"clip_id": …, "output": …} object per line
	FormatParquet = "parquet" // clip_id + output columns, or an emoeval predictions.parquet
)

// FormatOf resolves a model-output file argument: "PATH:FORMAT" names the format, otherwise
// the extension decides (.txt → idpipe; .jsonl, .ndjson, .json → jsonl; .parquet → parquet).
func FormatOf(arg string) (path, format string, err error) {
	return ResolveFormat(arg, map[string]string{
		".txt": FormatIDPipe, ".jsonl": FormatJSONL, ".ndjson": FormatJSONL, ".json": FormatJSONL,
		".parquet": FormatParquet,
	}, []string{FormatIDPipe, FormatJSONL, FormatParquet})
}

// ResolveFormat splits "PATH:FORMAT" or, without a format suffix, looks the extension up in
// byExt. A suffix after the last ':' counts as a format name when it has no '/', '\' or '.',
// so paths that contain ':' still work. Shared with the judge-reply readers.
func ResolveFormat(arg string, byExt map[string]string, formats []string) (path, format string, err error) {
	path = arg
	if i := strings.LastIndexByte(arg, ':'); i >= 0 && !strings.ContainsAny(arg[i+1:], `/\.`) {
		path, format = arg[:i], strings.ToLower(arg[i+1:])
		for _, f := range formats {
			if f == format {
				if path == "" {
					return "", "", inputerr.New(arg, "no file before the format name")
				}
				return path, format, nil
			}
		}
		return "", "", inputerr.New(path, "unknown format %q: use %s", format, strings.Join(formats, ", "))
	}
	if path == "" {
		return "", "", inputerr.New("", "empty file name")
	}
	if f, ok := byExt[strings.ToLower(filepath.Ext(path))]; ok {
		return path, f, nil
	}
	return "", "", inputerr.New(path, "cannot tell the format from the extension %q: name it as PATH:FORMAT with FORMAT one of %s",
		filepath.Ext(path), strings.Join(formats, ", "))
}
