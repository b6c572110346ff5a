package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/parquetio"
	"github.com/emoeval/emoeval/internal/version"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/pipeline/spec"
	"github.com/emoeval/emoeval/reports/papertables"
)

// MergeOptions configure `emoeval merge`.
type MergeOptions struct {
	Shards     []string
	Out        string
	Force      bool
	Command    string
	Now        func() time.Time
	Registries spec.Registries
}

// Merge joins the run directories of a sharded run into one, after checking that they share
// one configuration and that every clip is there exactly once, and scores the whole. The
// merged summary equals that of the same run on one machine.
func Merge(ctx context.Context, o MergeOptions) (*RunResult, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Registries.Backends == nil {
		o.Registries = spec.DefaultRegistries()
	}
	if len(o.Shards) == 0 {
		return nil, inputerr.New("", "give the shard run directories to merge")
	}
	mans := make([]*Manifest, len(o.Shards))
	for i, d := range o.Shards {
		m, err := ReadManifest(d)
		if err != nil {
			return nil, err
		}
		mans[i] = m
	}
	if err := checkShards(o.Shards, mans); err != nil {
		return nil, err
	}
	s, err := specOfManifest(o.Shards[0], mans[0], o.Registries)
	if err != nil {
		return nil, err
	}
	sel, err := loadSelection(s.Dataset.Split, s.Dataset.Labels, s.Dataset.FoldNumbers(), s.Dataset.SplitKind)
	if err != nil {
		return nil, err
	}
	if err := checkSameInputs(o.Shards, mans); err != nil {
		return nil, err
	}
	if err := checkSplitUnchanged(mans[0], s.Dataset.Split); err != nil {
		return nil, err
	}
	rd := &runDir{path: o.Out}
	if err := rd.open(RunOptions{Force: o.Force, Now: o.Now}, mans[0].ConfigSHA256); err != nil {
		return nil, err
	}
	defer rd.close()

	var (
		preds   []predictions.Prediction
		judged  []judges.Judgment
		miParts []*modality.Table
	)
	for _, d := range o.Shards {
		r, err := ReadRows(d)
		if err != nil {
			return nil, err
		}
		preds, judged = append(preds, r.Predictions...), append(judged, r.Judgments...)
		if r.MI != nil {
			miParts = append(miParts, r.MI)
		}
	}
	if err := checkCoverage(s, sel.clips, preds, o.Shards); err != nil {
		return nil, err
	}
	sc, err := scoreStored(s, sel, &Rows{Predictions: preds, Judgments: judged, MI: mergeMI(miParts)}, o.Out)
	if err != nil {
		return nil, err
	}
	summary, mi := sc.summary, sc.mi
	setDevices(summary, mans...)
	res := &RunResult{Dir: o.Out, Summary: summary}
	for _, p := range preds {
		if p.Error != "" {
			res.Failed++
		}
	}
	if res.Tables, err = papertables.Build(summary, papertables.Options{Reference: s.Report.Reference}); err != nil {
		return nil, err
	}
	if err := writeRows(filepath.Join(rd.stage, PredictionsFile), preds); err != nil {
		return nil, err
	}
	if err := writeRows(filepath.Join(rd.stage, JudgmentsFile), judged); err != nil {
		return nil, err
	}
	man := *mans[0]
	man.Kind, man.Shard, man.Command, man.ToolVersion = KindMerge, "", o.Command, version.String()
	man.Counts = &RunCounts{}
	man.Started, man.Finished = mans[0].Started, o.Now().UTC()
	for _, m := range mans {
		if m.Started.Before(man.Started) {
			man.Started = m.Started
		}
		if m.Counts != nil {
			man.Counts.Tasks += m.Counts.Tasks
			man.Counts.Requests += m.Counts.Requests
			man.Counts.Cached += m.Counts.Cached
			man.Counts.Retries += m.Counts.Retries
			man.Counts.Failed += m.Counts.Failed
		}
	}
	for i, d := range o.Shards {
		in, err := Input("shard:"+mans[i].Shard, filepath.Join(d, PredictionsFile))
		if err != nil {
			return nil, err
		}
		man.Inputs = append(man.Inputs, in)
	}
	if sc.annotations != nil {
		man.Inputs = append(man.Inputs, *sc.annotations)
	}
	res.Counts = *man.Counts
	if res.Report, err = rd.publish(ctx, summary, mi, &man, reportOptions(s.Report)); err != nil {
		return nil, err
	}
	return res, nil
}

// specOfManifest reads back the specification a run's manifest records, through the same parser
// as a configuration file (its JSON form is YAML), without checking the outside world again.
func specOfManifest(dir string, m *Manifest, r spec.Registries) (*spec.Spec, error) {
	s, err := spec.Parse(filepath.Join(dir, ManifestFile), m.Config, spec.Options{Registries: r})
	if err != nil {
		return nil, fmt.Errorf("cannot read the configuration its manifest records: %w", err)
	}
	return s, nil
}

// checkShards requires one configuration and every shard index of one count exactly once.
func checkShards(dirs []string, mans []*Manifest) error {
	var count int
	seen := map[int]string{}
	for i, m := range mans {
		if m.Kind != "run" {
			return inputerr.New(dirs[i], "is a %s directory, not a shard of a run", m.Kind)
		}
		if m.ConfigSHA256 != mans[0].ConfigSHA256 {
			return inputerr.New(dirs[i], "was run with another configuration than %s (sha256 %.12s… vs %.12s…)", dirs[0], m.ConfigSHA256, mans[0].ConfigSHA256)
		}
		if m.Shard == "" {
			return inputerr.New(dirs[i], "is not a shard (it was run without --shard)")
		}
		s, err := runner.ParseShard(m.Shard)
		if err != nil {
			return inputerr.New(dirs[i], "manifest: %v", err)
		}
		if count == 0 {
			count = s.Count
		}
		if s.Count != count {
			return inputerr.New(dirs[i], "is shard %s, but %s is one of %d shards", m.Shard, dirs[0], count)
		}
		if prev, dup := seen[s.Index]; dup {
			return inputerr.New(dirs[i], "is shard %s, as %s is", m.Shard, prev)
		}
		seen[s.Index] = dirs[i]
	}
	var missing []string
	for i := 0; i < count; i++ {
		if _, ok := seen[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, count))
		}
	}
	if len(missing) > 0 {
		return inputerr.New("", "shards missing: %s", strings.Join(missing, ", "))
	}
	return nil
}

// checkSameInputs requires every shard to have run on the same input files (split, label set,
// prompt files, replayed outputs, human labels): the configuration hash covers their paths, the
// manifests their contents.
func checkSameInputs(dirs []string, mans []*Manifest) error {
	first := map[string]string{}
	for _, in := range mans[0].Inputs {
		first[in.Role] = in.SHA256
	}
	for i, m := range mans[1:] {
		for _, in := range m.Inputs {
			if in.Role == "config" {
				continue // its meaning is compared through the configuration hash
			}
			if want, ok := first[in.Role]; ok && want != in.SHA256 {
				return inputerr.New(dirs[i+1], "ran on another %s than %s (%s: sha256 %.12s…, not %.12s…)", in.Role, dirs[0], in.Path, in.SHA256, want)
			}
		}
	}
	return nil
}

// checkSplitUnchanged makes sure the split file still is the one the shards ran on.
func checkSplitUnchanged(m *Manifest, path string) error {
	for _, in := range m.Inputs {
		if in.Role != "split" {
			continue
		}
		sum, _, err := FileSHA256(path)
		if err != nil {
			return inputerr.Wrap(path, err)
		}
		if sum != in.SHA256 {
			return inputerr.New(path, "the split file changed since the shards ran (sha256 %.12s…, was %.12s…)", sum, in.SHA256)
		}
	}
	return nil
}

// checkCoverage requires exactly one prediction per model, variant and clip.
func checkCoverage(s *spec.Spec, clips []datasets.Clip, preds []predictions.Prediction, dirs []string) error {
	count := map[string]int{}
	for _, p := range preds {
		count[p.Model+"\x00"+datasets.NormalizeID(p.ClipID)]++
	}
	var problems []string
	for _, mc := range s.Models {
		for _, v := range mc.Base().Variants {
			name := v.ScoredName(mc.Base().Name)
			missing, twice := 0, 0
			for _, c := range clips {
				switch n := count[name+"\x00"+datasets.NormalizeID(c.ClipID)]; {
				case n == 0:
					missing++
				case n > 1:
					twice++
				}
			}
			if mc.Base().Backend == "replay" && missing > 0 && twice == 0 {
				continue // a replayed file need not cover every clip
			}
			if missing > 0 || twice > 0 {
				problems = append(problems, fmt.Sprintf("%s: %d clips missing, %d clips in more than one shard", name, missing, twice))
			}
		}
	}
	if len(problems) > 0 {
		return inputerr.New(strings.Join(dirs, ", "), "the shards do not cover the split exactly once: %s", strings.Join(problems, "; "))
	}
	return nil
}

func sortRows(preds []predictions.Prediction, judged []judges.Judgment) {
	slices.SortStableFunc(preds, func(a, b predictions.Prediction) int {
		return strings.Compare(a.Model+"\x00"+a.ClipID, b.Model+"\x00"+b.ClipID)
	})
	slices.SortStableFunc(judged, func(a, b judges.Judgment) int {
		return strings.Compare(a.Judge+"\x00"+a.Model+"\x00"+a.ClipID, b.Judge+"\x00"+b.Model+"\x00"+b.ClipID)
	})
}

func mergeMI(parts []*modality.Table) *modality.Table {
	if len(parts) == 0 {
		return nil
	}
	out := modality.NewTable(parts[0].Source)
	for _, p := range parts {
		for _, id := range p.Clips() {
			if sc, ok := p.Score(id); ok {
				out.SetScore(id, sc, 0) // the class is set from the shard's table just below
			}
			if c, ok := p.Get(id); ok {
				out.Set(id, c)
			}
		}
	}
	return out
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// writeRows writes rows to a Parquet file.
func writeRows[T any](path string, rows []T) error {
	w, err := parquetio.NewTableWriter[T](path)
	if err != nil {
		return err
	}
	if err := w.Write(rows...); err != nil {
		w.Abort()
		return err
	}
	return w.Close()
}
