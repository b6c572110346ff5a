package pipeline

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/emoeval/emoeval/eval/modality"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend/onnx"
	"github.com/emoeval/emoeval/eval/backend/openai"
	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/version"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/papertables"
	"github.com/emoeval/emoeval/reports/tabular"
)

// RunOptions configure `emoeval run`.
type RunOptions struct {
	Config string
	// Out is the run directory (default runs/<name>).
	Out   string
	Force bool
	// Resume requires the run directory to exist (a manifest in it): it continues that run.
	Resume bool
	// Shard restricts the run to one shard of the clips (Count 0 or 1: all clips).
	Shard runner.Shard
	// Grace is how long in-flight requests may finish after an interrupt.
	Grace    time.Duration
	Progress runner.Progress
	Logf     func(format string, args ...any)

	Env  Env
	HTTP *http.Client
	// Command reproduces the run (for the manifest); ResumeCommand continues it after an interrupt.
	Command       string
	ResumeCommand string
	Now           func() time.Time
}

// RunResult is what a finished run shows.
type RunResult struct {
	Dir     string
	Summary *metrics.Summary
	Tables  []*tabular.Table
	Report  []string
	// Failed counts samples whose model call still failed after retries (exit code 3);
	// FirstErrors are the first distinct error messages, to show the user why.
	Failed      int
	FirstErrors []string
	Counts      RunCounts
}

// ErrInterrupted wraps context.Canceled with the command that resumes the run.
type ErrInterrupted struct {
	Resume string
	Done   int
	Total  int
}

func (e *ErrInterrupted) Error() string {
	return fmt.Sprintf("interrupted after %d of %d model calls; responses so far are in the cache. Resume with:\n  %s", e.Done, e.Total, e.Resume)
}

func (e *ErrInterrupted) Unwrap() error { return context.Canceled }

// variantName is the model name a variant's results are scored under.
func variantName(model, variant string) string {
	if variant == predictions.VariantAV {
		return model
	}
	return model + "@" + variant
}

// modelVariants are the variants a configured model has predictions for: a replayed file holds
// the av outputs only.
func modelVariants(mc config.Model) []string {
	if mc.Backend == "replay" {
		return []string{predictions.VariantAV}
	}
	return mc.Variants
}

// Run executes a configured run: models, judges, metrics, run directory and report.
func Run(ctx context.Context, o RunOptions) (*RunResult, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	started := o.Now()
	cfg, err := config.Load(o.Config, o.Env)
	if err != nil {
		return nil, err
	}
	split, all, desc, err := loadSelection(cfg.Dataset.Split, cfg.Dataset.Labels, cfg.Dataset.Folds, cfg.Dataset.SplitKind)
	if err != nil {
		return nil, err
	}
	if split.Labels.Name != cfg.Dataset.Name {
		return nil, inputerr.New(o.Config, "dataset.name is %q but %s holds %q", cfg.Dataset.Name, cfg.Dataset.Split, split.Labels.Name)
	}
	clips := o.Shard.Filter(all)
	if o.Shard.Count > 1 {
		desc += fmt.Sprintf(", shard %s", o.Shard)
	}
	protocol := parse.Protocol(cfg.Protocol)
	dir := o.Out
	if dir == "" {
		dir = filepath.Join("runs", cfg.Name)
	}
	hash := cfg.Hash()
	if o.Resume {
		if _, err := ReadManifest(dir); err != nil {
			return nil, fmt.Errorf("--resume: %w", err)
		}
	}
	if err := CheckRunDir(dir, hash, o.Force); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	removeStale(dir)
	if err := clearOtherResults(dir, hash); err != nil {
		return nil, err
	}
	// A manifest from the start marks the directory as this configuration's, so that a killed
	// run can be resumed (and not mistaken for another configuration's).
	if m, err := runManifest(o, cfg, hash, split, nil, started, RunCounts{}); err != nil {
		return nil, err
	} else {
		m.Finished = time.Time{} // not yet
		if err := WriteJSON(filepath.Join(dir, ManifestFile), m); err != nil {
			return nil, err
		}
	}
	store, err := cache.Open(filepath.Join(dir, CacheFile))
	if err != nil {
		return nil, err
	}
	defer store.Close()

	// Everything that can be wrong with the set-up fails here, before any request.
	var stats chat.Stats
	models, closers, err := buildModels(ctx, cfg, split, clips, o, store, &stats)
	defer func() {
		for _, c := range closers {
			c()
		}
	}()
	if err != nil {
		return nil, err
	}
	specs, err := buildJudges(ctx, cfg.Judges, judgeDeps{Labels: split.Labels, Protocol: protocol, Env: o.Env, HTTP: o.HTTP, Store: store, Stats: &stats, Logf: o.Logf})
	defer closeJudges(specs)
	if err != nil {
		return nil, err
	}

	var runModels []runner.Model
	total := 0
	for _, m := range models {
		if m.run != nil {
			runModels = append(runModels, *m.run)
			total += len(clips) * len(m.run.Variants)
		}
	}
	o.Logf("run %s: %d clips (%s), %d model calls, results in %s", cfg.Name, len(clips), desc, total, dir)
	outcomes, err := runner.Run(ctx, runModels, clips, runner.Options{Concurrency: cfg.Concurrency, Grace: o.Grace, Progress: o.Progress})
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, &ErrInterrupted{Resume: o.ResumeCommand, Done: len(outcomes), Total: total}
		}
		return nil, err
	}
	res, err := score(ctx, o, cfg, split, clips, all, desc, models, specs, outcomes, started, hash, dir, &stats, total)
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// Interrupted while judging: the judges' answers so far are in the cache too.
		return nil, &ErrInterrupted{Resume: o.ResumeCommand, Done: len(outcomes), Total: total}
	}
	return res, err
}

// score parses, judges and scores a run's outcomes and publishes the run directory.
func score(ctx context.Context, o RunOptions, cfg *config.Config, split *datasets.Split, clips, all []datasets.Clip, desc string,
	models []*builtModel, specs []JudgeSpec, outcomes []runner.Outcome, started time.Time, hash, dir string, stats *chat.Stats, total int) (*RunResult, error) {
	protocol := parse.Protocol(cfg.Protocol)

	// Score: parse, judge, metrics; rows staged and moved in when complete.
	stage, err := os.MkdirTemp(dir, ".staging-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	sc, err := NewScorer(split.Labels, protocol, clips, desc, metricsOptions(cfg, split))
	if err != nil {
		return nil, err
	}
	sc.Judges = specs
	if sc.Predictions, err = predictions.NewWriter(filepath.Join(stage, PredictionsFile)); err != nil {
		return nil, err
	}
	defer sc.Predictions.Abort()
	if sc.Judgments, err = judges.NewWriter(filepath.Join(stage, JudgmentsFile)); err != nil {
		return nil, err
	}
	defer sc.Judgments.Abort()

	res := &RunResult{Dir: dir}
	byModel := map[string][]runner.Outcome{}
	for _, oc := range outcomes {
		k := variantName(oc.Model, oc.Task.Variant)
		byModel[k] = append(byModel[k], oc)
		if oc.Err != nil {
			res.Failed++
			if msg := oc.Err.Error(); len(res.FirstErrors) < 3 && !slices.Contains(res.FirstErrors, msg) {
				res.FirstErrors = append(res.FirstErrors, msg)
			}
		}
		if oc.Cached {
			res.Counts.Cached++
		}
	}
	inShard, inAll := idSet(clips), idSet(all)
	for _, m := range models {
		for _, v := range m.variants {
			name := variantName(m.cfg.Name, v)
			meta := ModelMeta{Name: name, Backend: m.cfg.Backend, Variant: v, Explains: m.cfg.Backend != "onnx" && v == predictions.VariantAV}
			var scan func(func(Record) error) error
			if m.cfg.Backend == "replay" {
				meta.File, meta.Format = m.replayPath, m.replayFormat
				scan = replayScan(ctx, m.replayPath, m.replayFormat, inShard, inAll)
			} else {
				scan = outcomeScan(byModel[name])
			}
			if err := sc.AddModel(ctx, meta, scan); err != nil {
				return nil, err
			}
		}
	}
	if err := addHumans(sc.Builder(), cfg.Human, split.Labels); err != nil {
		return nil, err
	}
	var mi *modality.Table
	if cfg.Modality != nil {
		if mi, err = modalityImportance(ctx, cfg, sc, models, clips); err != nil {
			return nil, err
		}
		sc.Builder().SetMI(mi)
	}
	summary, err := sc.Summary()
	if err != nil {
		return nil, err
	}
	for name, ms := range summary.Models {
		if strings.Contains(name, "@") {
			continue
		}
		if m := modelByName(models, name); m != nil {
			ms.Backend = m.cfg.Backend
		}
	}
	snap := stats.Snapshot()
	res.Counts.Tasks, res.Counts.Requests, res.Counts.Retries, res.Counts.Failed = total, int(snap.Requests-snap.Cached), int(snap.Retries), res.Failed
	if res.Tables, err = papertables.Build(summary, papertables.Options{Reference: cfg.Report.ReferenceRows()}); err != nil {
		return nil, err
	}
	res.Summary = summary

	if err := sc.Predictions.Close(); err != nil {
		return nil, err
	}
	if err := sc.Judgments.Close(); err != nil {
		return nil, err
	}
	man, err := runManifest(o, cfg, hash, split, specs, started, res.Counts)
	if err != nil {
		return nil, err
	}
	if res.Report, err = publish(ctx, stage, dir, summary, mi, man, reportOptions(cfg.Report)); err != nil {
		return nil, err
	}
	return res, nil
}

// clearOtherResults deletes the results of another configuration (a run forced into its
// directory), so that a crash cannot leave them beside this configuration's manifest. The
// response cache stays: its keys say what each response answers.
func clearOtherResults(dir, hash string) error {
	m, err := ReadManifest(dir)
	if err != nil || m.ConfigSHA256 == hash {
		return nil
	}
	for _, f := range []string{SummaryFile, PredictionsFile, JudgmentsFile, ModalityFile, ManifestFile, ReportDir} {
		if err := os.RemoveAll(filepath.Join(dir, f)); err != nil {
			return err
		}
	}
	return nil
}

// removeStale deletes staging directories left by a killed run.
func removeStale(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".staging-*"))
	more, _ := filepath.Glob(filepath.Join(dir, ".report-*"))
	for _, m := range append(matches, more...) {
		os.RemoveAll(m)
	}
}

func metricsOptions(cfg *config.Config, split *datasets.Split) metrics.Options {
	var pairs []metrics.Pair
	for _, p := range cfg.Comparison {
		pairs = append(pairs, metrics.Pair{Baseline: p.Baseline, Candidate: p.Candidate})
	}
	if pairs == nil {
		// The first model against every other model (not against variant runs).
		var names []string
		for _, m := range cfg.Models {
			names = append(names, m.Name)
		}
		for _, n := range names[min(1, len(names)):] {
			pairs = append(pairs, metrics.Pair{Baseline: names[0], Candidate: n})
		}
		if pairs == nil {
			pairs = []metrics.Pair{}
		}
	}
	return metrics.Options{
		Labels: split.Labels, Protocol: parse.Protocol(cfg.Protocol), Folds: cfg.Dataset.Folds,
		FoldAggregation: cfg.Dataset.FoldAggregation, Synthetic: split.Synthetic,
		Bootstrap: cfg.Statistics.Bootstrap, Seed: cfg.Statistics.Seed, Alpha: cfg.Statistics.Alpha, Pairs: pairs,
	}
}

// outcomeScan yields a model variant's runner outcomes as records.
func outcomeScan(outs []runner.Outcome) func(func(Record) error) error {
	return func(yield func(Record) error) error {
		for _, oc := range outs {
			r := Record{ClipID: oc.Task.Clip.ClipID, Raw: oc.Raw, Probs: oc.Probs, Attempts: int32(oc.Attempts),
				LatencyMS: float64(oc.Latency.Microseconds()) / 1000, FinishReason: oc.FinishReason}
			if oc.Err != nil {
				r.Err = oc.Err.Error()
			}
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}
}

// replayScan yields a replayed model's outputs for the clips of this shard; outputs of other
// shards' clips are skipped, outputs of clips outside the split are errors (AddModel reports them).
func replayScan(ctx context.Context, path, format string, inShard, inAll map[string]bool) func(func(Record) error) error {
	return func(yield func(Record) error) error {
		return predictions.Scan(ctx, path, format, func(out predictions.Output) error {
			id := datasets.NormalizeID(out.ClipID)
			if !inShard[id] && inAll[id] {
				return nil
			}
			return yield(Record{ClipID: out.ClipID, Raw: out.Raw, Line: out.Line})
		})
	}
}

// idSet is the set of normalised clip ids.
func idSet(clips []datasets.Clip) map[string]bool {
	m := make(map[string]bool, len(clips))
	for _, c := range clips {
		m[datasets.NormalizeID(c.ClipID)] = true
	}
	return m
}

// builtModel is a configured model ready to run.
type builtModel struct {
	cfg      config.Model
	variants []string
	run      *runner.Model // nil for replay
	onnx     *onnx.Model
	// replayPath and replayFormat locate a replayed model's outputs.
	replayPath, replayFormat string
}

func modelByName(ms []*builtModel, name string) *builtModel {
	for _, m := range ms {
		if m.cfg.Name == name {
			return m
		}
	}
	return nil
}

// buildModels opens every backend and checks it against the clips before any request.
func buildModels(ctx context.Context, cfg *config.Config, split *datasets.Split, clips []datasets.Clip, o RunOptions, store chat.Store, stats *chat.Stats) ([]*builtModel, []func(), error) {
	var (
		out     []*builtModel
		closers []func()
		errs    []error
	)
	for _, mc := range cfg.Models {
		bm := &builtModel{cfg: mc, variants: modelVariants(mc)}
		switch mc.Backend {
		case "replay":
			// Resolved here, so that a bad file or format fails before any request.
			bm.replayPath, bm.replayFormat = mc.Path, mc.Format
			if mc.Format == "" {
				var err error
				if bm.replayPath, bm.replayFormat, err = predictions.FormatOf(mc.Path); err != nil {
					errs = append(errs, fmt.Errorf("model %s: %w", mc.Name, err))
					continue
				}
			}
		case "openai":
			prompt := mc.Prompt
			if !slices.Contains([]string{"r1-omni", "migr"}, prompt) {
				b, err := os.ReadFile(prompt)
				if err != nil {
					errs = append(errs, inputerr.Wrap(prompt, err))
					continue
				}
				prompt = string(b)
			}
			client, err := newClient(clientSpec{Endpoint: mc.Endpoint, APIKeyEnv: mc.APIKeyEnv, Timeout: time.Duration(mc.Timeout),
				MaxRetries: *mc.MaxRetries, RPS: mc.RPS, Namespace: "model:" + mc.Name}, o.Env, o.HTTP, store, stats)
			if err != nil {
				errs = append(errs, fmt.Errorf("model %s: %w", mc.Name, err))
				continue
			}
			b, err := openai.New(openai.Config{Name: mc.Name, Model: mc.Model, Prompt: prompt, Temperature: mc.Temperature,
				MaxTokens: mc.MaxTokens, Variants: mc.Variants}, client)
			if err == nil {
				err = b.Check(clips)
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			bm.run = &runner.Model{Name: mc.Name, Backend: openaiBackend{b}, Variants: mc.Variants, Concurrency: mc.Concurrency, BatchSize: 1}
		case "onnx":
			m, err := onnx.Open(ctx, onnx.Config{Name: mc.Name, Path: mc.Path, Device: mc.Device, Inputs: mc.Inputs,
				Output: mc.Output, OutputKind: mc.OutputKind, BatchSize: mc.BatchSize, IntraOpThreads: mc.Threads,
				Labels: split.Labels, Logf: o.Logf})
			if err != nil {
				// Every failure here (the library, the model file, its inputs) is the set-up's.
				errs = append(errs, inputerr.Wrap("", err))
				continue
			}
			closers = append(closers, func() { m.Close() })
			sel := &datasets.Split{Dataset: split.Dataset, Labels: split.Labels, Clips: clips}
			if err := m.Check(sel); err != nil {
				var ie *inputerr.Error
				if errors.As(err, &ie) && ie.File == "" {
					ie.File = cfg.Dataset.Split
				}
				errs = append(errs, fmt.Errorf("model %s: %w", mc.Name, err))
				continue
			}
			bm.onnx = m
			// One batch at a time: ONNX Runtime parallelises inside a run, and a single session
			// was fastest on small machines (docs/benchmarks.md).
			bm.run = &runner.Model{Name: mc.Name, Backend: onnxBackend{m}, Variants: mc.Variants, Concurrency: 1, BatchSize: m.BatchSize()}
		}
		out = append(out, bm)
	}
	return out, closers, errors.Join(errs...)
}

// openaiBackend adapts the openai backend to the runner: one request per task.
type openaiBackend struct{ b *openai.Backend }

func (a openaiBackend) Predict(ctx context.Context, tasks []runner.Task) ([]runner.Result, error) {
	out := make([]runner.Result, len(tasks))
	for i, t := range tasks {
		r, err := a.b.Predict(ctx, t.Clip, t.Variant, t.SampleIndex)
		out[i] = runner.Result{Raw: r.Raw, Attempts: r.Attempts, Latency: r.Latency, Cached: r.Cached, FinishReason: r.FinishReason, Err: err}
	}
	return out, nil
}

// onnxBackend adapts the onnx backend to the runner: a batch per call; the video and audio
// variants zero the other modality's inputs.
type onnxBackend struct{ m *onnx.Model }

func (a onnxBackend) Predict(ctx context.Context, tasks []runner.Task) ([]runner.Result, error) {
	// A batch holds one variant (the runner lays tasks out variant by variant) but may straddle
	// two; group to be safe.
	out := make([]runner.Result, len(tasks))
	for start := 0; start < len(tasks); {
		end := start + 1
		for end < len(tasks) && tasks[end].Variant == tasks[start].Variant {
			end++
		}
		ablate := ""
		switch tasks[start].Variant {
		case predictions.VariantVideo:
			ablate = "audio"
		case predictions.VariantAudio:
			ablate = "video"
		}
		clips := make([]datasets.Clip, end-start)
		for i := range clips {
			clips[i] = tasks[start+i].Clip
		}
		t0 := time.Now()
		probs, err := a.m.Predict(ctx, clips, ablate)
		if err != nil {
			return nil, err
		}
		lat := time.Since(t0) / time.Duration(len(clips))
		for i, p := range probs {
			out[start+i] = runner.Result{Probs: p, Attempts: 1, Latency: lat}
		}
		start = end
	}
	return out, nil
}

// modalityImportance computes MI per clip as the configuration says.
func modalityImportance(ctx context.Context, cfg *config.Config, sc *Scorer, models []*builtModel, clips []datasets.Clip) (*modality.Table, error) {
	mo := cfg.Modality
	switch mo.From {
	case "variants":
		return sc.Builder().MIFromVariants(variantName(mo.Model, predictions.VariantVideo), variantName(mo.Model, predictions.VariantAudio))
	case "onnx":
		m := modelByName(models, mo.Model)
		if m == nil || m.onnx == nil {
			return nil, fmt.Errorf("modality: %s is not an onnx model of this run", mo.Model)
		}
		res, err := m.onnx.Ablation(ctx, clips)
		if err != nil {
			return nil, err
		}
		truth := map[string]int{}
		for _, c := range clips {
			truth[c.ClipID] = sc.Labels.Index(c.Label)
		}
		t := modality.NewTable("onnx")
		thr := mo.Threshold
		if thr == 0 {
			thr = modality.DefaultAblationThreshold
		}
		for _, r := range res {
			k := truth[r.ClipID]
			t.SetScore(r.ClipID, modality.AblationScore(float64(r.Probs[k]), float64(r.NoVideo[k]), float64(r.NoAudio[k])), thr)
		}
		return t, nil
	default:
		path, format, err := predictions.ResolveFormat(mo.Path, map[string]string{".csv": "csv", ".parquet": "parquet"}, []string{"csv", "parquet"})
		if err != nil {
			return nil, err
		}
		return readMIFor(path, format, clips)
	}
}

func runManifest(o RunOptions, cfg *config.Config, hash string, split *datasets.Split, specs []JudgeSpec, started time.Time, counts RunCounts) (*Manifest, error) {
	raw, err := json.Marshal(cfg.Redacted())
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Schema: ManifestSchema, Name: cfg.Name, Kind: "run", ToolVersion: version.String(), Command: o.Command,
		Config: raw, ConfigSHA256: hash, Seeds: map[string]any{"bootstrap": cfg.Statistics.Seed},
		Dataset: split.Labels.Name, Protocol: cfg.Protocol, Synthetic: split.Synthetic,
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
	add("config", o.Config)
	add("split", cfg.Dataset.Split)
	if cfg.Dataset.Labels != "" {
		add("labels", cfg.Dataset.Labels)
	}
	for _, mc := range cfg.Models {
		info := ModelInfo{Name: mc.Name, Backend: mc.Backend, Model: mc.Model, Variants: mc.Variants}
		switch mc.Backend {
		case "openai":
			info.Endpoint = config.RedactURL(mc.Endpoint)
			if !slices.Contains([]string{"r1-omni", "migr"}, mc.Prompt) {
				add("prompt:"+mc.Name, mc.Prompt)
			}
		case "onnx", "replay":
			info.Path = mc.Path
			add("model:"+mc.Name, mc.Path)
		}
		m.Models = append(m.Models, info)
	}
	for _, h := range cfg.Human {
		add("human:"+h.Name, h.Path)
	}
	seen := map[string]bool{}
	for _, s := range specs {
		if !seen[s.Judge.Name()] {
			seen[s.Judge.Name()] = true
			m.Judges = append(m.Judges, JudgeInfo{Name: s.Judge.Name(), Kind: s.Kind, Model: s.ModelID, Input: s.Input})
		}
	}
	return m, errors.Join(errs...)
}
