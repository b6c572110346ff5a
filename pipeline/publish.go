package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/atomicfile"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/lockfile"
	"github.com/emoeval/emoeval/internal/version"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/replay"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline/human"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// runDir is a run directory while a command writes it: the results are staged beside it and
// moved in only when complete.
type runDir struct {
	path  string
	stage string
	lock  *lockfile.Lock
}

// open checks that the directory may take this run, prepares it and starts the staging area.
func (r *runDir) open(o RunOptions, hash string) error {
	if o.Resume {
		if _, err := readCurrentManifest(r.path); err != nil {
			return fmt.Errorf("--resume: %w", err)
		}
	}
	if err := CheckRunDir(r.path, hash, o.Force); err != nil {
		return err
	}
	if err := atomicfile.MkdirAll(r.path); err != nil {
		return err
	}
	// One writer per run directory; checked again under the lock, which another writer may
	// have held while the first check ran.
	lock, err := lockfile.Acquire(r.path, o.Now())
	if err != nil {
		var held *lockfile.HeldError
		if errors.As(err, &held) {
			return inputerr.Wrap("", err)
		}
		return err
	}
	r.lock = lock
	if err := CheckRunDir(r.path, hash, o.Force); err != nil {
		return err
	}
	removeStale(r.path)
	if err := clearOtherResults(r.path, hash); err != nil {
		return err
	}
	stage, err := os.MkdirTemp(r.path, ".staging-*")
	if err != nil {
		return err
	}
	r.stage = stage
	return nil
}

// begin marks the directory as this run's, so that a killed run can be resumed (and is not
// mistaken for another configuration's).
func (r *runDir) begin(m *Manifest) error {
	m.Finished = time.Time{}
	return WriteJSON(filepath.Join(r.path, PartialManifestFile), m)
}

// close removes what a run that did not publish leaves behind, and lets the directory go.
func (r *runDir) close() {
	if r.stage != "" {
		os.RemoveAll(r.stage)
	}
	r.lock.Release()
}

// publish finishes the run directory: it writes the summary, the MI table (nil: none) and the
// manifest into the staging area, beside the predictions and judgments already there, moves
// them all in and renders the report from them. It returns the report's files.
func (r *runDir) publish(ctx context.Context, summary *metrics.Summary, mi *modality.Table, man *Manifest, report ReportOptions) ([]string, error) {
	files := []string{PredictionsFile, JudgmentsFile, SummaryFile}
	if mi != nil {
		if err := modality.WriteParquet(filepath.Join(r.stage, ModalityFile), mi); err != nil {
			return nil, err
		}
		files = append(files, ModalityFile)
	} else {
		os.Remove(filepath.Join(r.path, ModalityFile)) // an earlier run's would belong to other results
	}
	if err := WriteJSON(filepath.Join(r.stage, SummaryFile), summary); err != nil {
		return nil, err
	}
	man.Report = &report
	if err := WriteJSON(filepath.Join(r.stage, ManifestFile), man); err != nil {
		return nil, err
	}
	for _, n := range files {
		if err := os.Rename(filepath.Join(r.stage, n), filepath.Join(r.path, n)); err != nil {
			return nil, err
		}
	}
	// The manifest last: a crash before this line leaves the previous finished run's manifest,
	// which the partial manifest beside it marks as being redone.
	if err := os.Rename(filepath.Join(r.stage, ManifestFile), filepath.Join(r.path, ManifestFile)); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(r.path, PartialManifestFile))
	return renderReport(ctx, r.path, report)
}

// clearOtherResults deletes the results of another configuration (a run forced into its
// directory), so that a crash cannot leave them beside this configuration's manifest. Only
// emoeval's own files go; the response cache stays: its keys say what each response answers.
func clearOtherResults(dir, hash string) error {
	m, err := readCurrentManifest(dir)
	if err != nil || m.ConfigSHA256 == hash {
		return nil
	}
	// Human labels read the old explanations: they are kept, aside, and not applied to the new.
	if hp := filepath.Join(dir, human.File); fileExists(hp) {
		if err := os.Rename(hp, filepath.Join(dir, fmt.Sprintf("human.%.12s.parquet", m.ConfigSHA256))); err != nil {
			return err
		}
	}
	for _, f := range []string{SummaryFile, PredictionsFile, JudgmentsFile, ModalityFile, ManifestFile, PartialManifestFile, ReportDir} {
		if err := os.RemoveAll(filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	return nil
}

// manifestOf describes a run for its manifest.
func manifestOf(o RunOptions, s *spec.Spec, hash string, split *datasets.Split, models []*openedModel, specs []judges.Spec,
	started time.Time, counts RunCounts) (*Manifest, error) {
	raw, err := json.Marshal(s.Redacted())
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Schema: ManifestSchema, Name: s.Name, Kind: o.Kind, ToolVersion: version.String(), Command: o.Command,
		Config: raw, ConfigSHA256: hash, Seeds: map[string]any{"bootstrap": s.Statistics.Seed},
		Dataset: split.Labels.Name, Protocol: string(s.Protocol), Synthetic: split.Synthetic,
		Started: started.UTC(), Finished: o.Now().UTC(), Counts: &counts,
	}
	if o.Shard.Count > 1 {
		m.Shard = o.Shard.String()
	}
	var errs []error
	add := func(role, path string) {
		in, err := Input(role, path)
		errs = append(errs, err)
		if err == nil {
			m.Inputs = append(m.Inputs, in)
		}
	}
	if o.ConfigFile != "" {
		add("config", o.ConfigFile)
	}
	add("split", s.Dataset.Split)
	if s.Dataset.Labels != "" {
		add("labels", s.Dataset.Labels)
	}
	for role, path := range o.Inputs {
		add(role, path)
	}
	for _, om := range models {
		info := ModelInfo{Name: om.name(), Backend: om.cfg.Base().Backend, Variants: variant.Strings(om.variants()), Info: om.Info}
		if om.Info.PromptFile != "" {
			add("prompt:"+om.name(), om.Info.PromptFile)
		}
		if om.Info.Path != "" {
			add("model:"+om.name(), om.Info.Path)
		}
		m.Models = append(m.Models, info)
	}
	if s.Modality != nil && s.Modality.From == "file" {
		if p, _, err := predictions.ResolveFormat(s.Modality.Path, nil, []string{"csv", "parquet"}); err == nil {
			add("mi", p)
		}
	}
	for _, h := range s.Human {
		if p, _, err := replay.FormatOf(h.Path); err == nil {
			add("human:"+h.Name, p)
		}
	}
	seen := map[string]bool{}
	for _, sp := range specs {
		if !seen[sp.Judge.Name()] {
			seen[sp.Judge.Name()] = true
			m.Judges = append(m.Judges, JudgeInfo{Name: sp.Judge.Name(), Kind: sp.Kind, Model: sp.ModelID, Input: sp.Input, Placement: sp.Placement})
		}
		if rp, ok := sp.Judge.(interface{ Path() string }); ok && sp.Kind == "replay" {
			add("judgments:"+sp.Judge.Name()+"/"+sp.Model, rp.Path())
		}
	}
	return m, errors.Join(errs...)
}

// reportOptions are the report options of a specification.
func reportOptions(r spec.Report) ReportOptions {
	return ReportOptions{Formats: r.Formats, Reference: r.Reference, Examples: r.Examples}
}
