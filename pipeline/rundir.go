package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/lockfile"
	"github.com/emoeval/emoeval/internal/ortenv"
)

// Files of a run directory (docs/formats.md "Run directory").
const (
	ManifestFile    = "manifest.json"
	PredictionsFile = "predictions.parquet"
	JudgmentsFile   = "judgments.parquet"
	ModalityFile    = "modality.parquet"
	SummaryFile     = "summary.json"
	CacheFile       = "cache.sqlite"
	ReportDir       = "report"
	// PartialManifestFile is the manifest of a run under way: it marks the directory as that
	// configuration's (for --resume and --force) while manifest.json still describes the last
	// finished run, which stays finished (and reportable) until the new one completes.
	PartialManifestFile = "manifest.partial.json"
)

// ManifestSchema names the manifest layout.
const ManifestSchema = "emoeval.manifest/v1"

// Manifest records how a run was made, so that it can be reproduced, resumed, merged and
// reported on. It never holds a secret: configurations name environment variables, not keys.
type Manifest struct {
	Schema       string          `json:"schema"`
	Name         string          `json:"name"`
	Kind         string          `json:"kind"` // run | score | merge
	ToolVersion  string          `json:"tool_version"`
	Command      string          `json:"command"`
	Config       json.RawMessage `json:"config"`
	ConfigSHA256 string          `json:"config_sha256"`
	Inputs       []InputFile     `json:"inputs"`
	Seeds        map[string]any  `json:"seeds"`
	Shard        string          `json:"shard,omitempty"`
	Dataset      string          `json:"dataset"`
	Protocol     string          `json:"protocol"`
	Synthetic    bool            `json:"synthetic"`
	Models       []ModelInfo     `json:"models"`
	Judges       []JudgeInfo     `json:"judges"`
	Started      time.Time       `json:"started"`
	Finished     time.Time       `json:"finished"`
	Counts       *RunCounts      `json:"counts,omitempty"`
	// Report is how the run's report was rendered; `emoeval report` renders the same by default.
	Report *ReportOptions `json:"report,omitempty"`
}

// InputFile is an input of a run and its checksum.
type InputFile struct {
	Role   string `json:"role"` // split, model:<name>, judgments:<judge>/<model>, mi, config, labels
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// ModelInfo describes a model of a run for the manifest and the report's cover.
type ModelInfo struct {
	Name     string   `json:"name"`
	Backend  string   `json:"backend"`
	Variants []string `json:"variants,omitempty"`
	backend.Info
}

// JudgeInfo describes a judge of a run.
type JudgeInfo struct {
	Name  string `json:"name"`
	Kind  string `json:"kind"`
	Model string `json:"model,omitempty"`
	Input string `json:"input"`
	// Placement is where and how an in-process judge ran.
	ortenv.Placement
}

// RunCounts are the request statistics of a run: model calls (tasks), the HTTP requests they
// took, the answers that came from the cache, retries and failures; and the same for judges.
type RunCounts struct {
	Tasks    int `json:"tasks"`
	Requests int `json:"requests"`
	Cached   int `json:"cached"`
	Retries  int `json:"retries"`
	Failed   int `json:"failed"`

	JudgeCalls    int `json:"judge_calls,omitempty"`
	JudgeRequests int `json:"judge_requests,omitempty"`
	JudgeCached   int `json:"judge_cached,omitempty"`
	JudgeRetries  int `json:"judge_retries,omitempty"`
}

// FileSHA256 returns the hex sha256 and size of a file.
func FileSHA256(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Input describes an input file with its checksum.
func Input(role, path string) (InputFile, error) {
	sum, n, err := FileSHA256(path)
	if err != nil {
		return InputFile{}, inputerr.Wrap(path, err)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return InputFile{Role: role, Path: abs, SHA256: sum, Bytes: n}, nil
}

// ReadManifest reads a run directory's manifest: the last finished run's.
func ReadManifest(dir string) (*Manifest, error) {
	return readManifestFile(dir, ManifestFile)
}

// readCurrentManifest reads the manifest of the run under way when there is one, else the
// finished run's.
func readCurrentManifest(dir string) (*Manifest, error) {
	if m, err := readManifestFile(dir, PartialManifestFile); err == nil {
		return m, nil
	}
	return ReadManifest(dir)
}

func readManifestFile(dir, name string) (*Manifest, error) {
	p := filepath.Join(dir, name)
	data, err := os.ReadFile(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, inputerr.New(dir, "not a run directory: no %s", ManifestFile)
		}
		return nil, inputerr.Wrap(p, err)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, inputerr.New(p, "not a valid manifest: %v", err)
	}
	if m.Schema != ManifestSchema {
		return nil, inputerr.New(p, "manifest schema %q, want %q", m.Schema, ManifestSchema)
	}
	return &m, nil
}

// WriteJSON writes v as indented JSON, atomically.
func WriteJSON(path string, v any) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	})
}

// CheckRunDir refuses to reuse a run directory made with another configuration unless force is
// set. A missing or empty directory is fine; so is one with the same configuration hash (a resume).
func CheckRunDir(dir, configSHA256 string, force bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && onlyLeftovers(entries)) {
		return nil
	}
	if err != nil {
		return inputerr.Wrap(dir, err)
	}
	m, err := readCurrentManifest(dir)
	if err != nil {
		// --force only ever replaces what emoeval wrote: a folder of other files is the user's.
		return inputerr.New(dir, "the directory is not empty and holds no emoeval manifest: choose another --out (--force only replaces an emoeval run)")
	}
	if m.ConfigSHA256 != configSHA256 && !force {
		return inputerr.New(dir, "this run directory was made with another configuration (sha256 %.12s…, now %.12s…); use another --out, or --force to overwrite its results (its response cache is kept)", m.ConfigSHA256, configSHA256)
	}
	return nil
}

// onlyLeftovers says whether a directory holds nothing but what a killed emoeval leaves: its
// lock file and staging folders.
func onlyLeftovers(entries []fs.DirEntry) bool {
	for _, e := range entries {
		n := e.Name()
		if n != lockfile.Name && !strings.HasPrefix(n, ".staging-") && !strings.HasPrefix(n, ".report-") {
			return false
		}
	}
	return true
}
