package pipeline

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/ortenv"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline/spec"
	"github.com/emoeval/emoeval/reports/papertables"
	"github.com/emoeval/emoeval/reports/tabular"
)

// Env looks up environment variables (injected, so commands are testable).
type Env = config.Env

// Run kinds, as manifests record them.
const (
	KindRun   = "run"
	KindScore = "score"
	KindMerge = "merge"
)

// RunOptions configure a run: `emoeval run` (a specification read from a file), `emoeval
// score` (one built from flags, every model replayed) and `emoeval demo`.
type RunOptions struct {
	Spec *spec.Spec
	// ConfigFile is the file Spec was read from, an input of the manifest ("" for score).
	ConfigFile string
	// Kind is KindRun or KindScore.
	Kind       string
	Registries spec.Registries
	// Out is the run directory. For KindRun "" means runs/<name> (runs/<name>/shard-I-of-N for
	// a shard); for KindScore "" means nothing is written.
	Out   string
	Force bool
	// Resume requires the run directory to hold an earlier run of the same specification.
	Resume bool
	// Shard restricts the run to one shard of the clips (Count 0 or 1: all clips).
	Shard runner.Shard
	// Grace is how long in-flight requests may finish after an interrupt.
	Grace time.Duration
	// NewProgress makes the progress display of one phase (model calls, then judging); nil
	// shows none.
	NewProgress func() runner.Progress
	Logf        func(format string, args ...any)
	Env         Env
	HTTP        *http.Client
	// Command reproduces the run (for the manifest); ResumeCommand continues it after an interrupt.
	Command       string
	ResumeCommand string
	Now           func() time.Time
	// Inputs are more input files for the manifest (a score's --judge-config), by role.
	Inputs map[string]string
	// WrapStore, when set, wraps the response cache (tests make it fail).
	WrapStore func(chat.Store) chat.Store
}

// RunResult is what a finished run shows.
type RunResult struct {
	// Dir is the run directory ("" when nothing was written).
	Dir     string
	Summary *metrics.Summary
	Tables  []*tabular.Table
	Report  []string
	// Failed counts samples whose model call still failed after retries (exit code 3);
	// FirstErrors are the first distinct error messages, to show the user why.
	Failed      int
	FirstErrors []string
	// Stopped names the models stopped because their first requests all failed alike.
	Stopped *runner.StoppedError
	Counts  RunCounts
	// InProcess says where each in-process model and judge ran (Manifest.InProcess).
	InProcess []string
}

// ErrInterrupted wraps context.Canceled with the command that resumes the run.
type ErrInterrupted struct {
	Resume string
	Done   int
	Total  int
	Phase  string // "model calls" or "judging"
	// Rerun names the models whose answers are not cached (in-process ones): a resumed run
	// runs them again from the start.
	Rerun []string
}

func (e *ErrInterrupted) Error() string {
	what := fmt.Sprintf("after %d of %d model calls", e.Done, e.Total)
	if e.Phase == "judging" {
		what = fmt.Sprintf("while judging (all %d model calls were done)", e.Total)
	}
	kept := "the answers so far are in the cache"
	if len(e.Rerun) > 0 {
		kept = fmt.Sprintf("the servers' answers so far are in the cache; %s run in-process, uncached, and run again from the start",
			strings.Join(e.Rerun, ", "))
	}
	return fmt.Sprintf("interrupted %s; %s. Resume with:\n  %s", what, kept, e.Resume)
}

func (e *ErrInterrupted) Unwrap() error { return context.Canceled }

// LoadSpec reads and checks a run's configuration file with the given kinds (nil registries:
// the default ones), checking files and environment variables too.
func LoadSpec(path string, env Env, r spec.Registries) (*spec.Spec, error) {
	if r.Backends == nil {
		r = spec.DefaultRegistries()
	}
	return spec.Load(path, spec.Options{Registries: r, Env: env, Resources: true})
}

// openedModel is a model of the run, opened.
type openedModel struct {
	cfg backend.Config
	*backend.Model
}

func (m *openedModel) name() string                { return m.cfg.Base().Name }
func (m *openedModel) variants() []variant.Variant { return m.cfg.Base().Variants }

// Run executes a run: it opens every model and judge (every set-up problem fails here, before
// any request), checks that the servers answer, runs the models concurrently, scores, and
// publishes the run directory.
func Run(ctx context.Context, o RunOptions) (*RunResult, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logf == nil {
		o.Logf = func(string, ...any) {}
	}
	if o.Kind == "" {
		o.Kind = KindRun
	}
	if o.Registries.Backends == nil {
		o.Registries = spec.DefaultRegistries()
	}
	started := o.Now()
	s := o.Spec
	// A response cache that cannot be written stops the run (errStore): every answer after
	// that would be paid for and lost.
	ctx, cancelRun := context.WithCancelCause(ctx)
	defer cancelRun(nil)
	sel, err := loadSelection(s.Dataset.Split, s.Dataset.Labels, s.Dataset.FoldNumbers(), s.Dataset.SplitKind)
	if err != nil {
		return nil, err
	}
	if s.Dataset.Name == "" {
		s.Dataset.Name = sel.split.Labels.Name // a score takes the split's
	}
	if sel.split.Labels.Name != s.Dataset.Name {
		return nil, inputerr.New(o.ConfigFile, "dataset.name is %q but %s holds %q", s.Dataset.Name, s.Dataset.Split, sel.split.Labels.Name)
	}
	all := sel.clips
	clips := o.Shard.Filter(all)
	desc := sel.desc
	if o.Shard.Count > 1 {
		desc += fmt.Sprintf(", shard %s", o.Shard)
	}
	dir := o.Out
	if dir == "" && o.Kind == KindRun {
		dir = filepath.Join("runs", s.Name)
		if o.Shard.Count > 1 {
			// A shard never lands on a complete run.
			dir = filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", o.Shard.Index, o.Shard.Count))
		}
	}
	hash := s.Hash()
	rd := &runDir{path: dir}
	var store chat.Store
	var spool *answerSpool // nil: answers stay in memory (a run without a directory)
	if dir != "" {
		if err := rd.open(o, hash); err != nil {
			return nil, err
		}
		defer rd.close()
		if m, err := manifestOf(o, s, hash, sel.split, nil, nil, started, RunCounts{}); err != nil {
			return nil, err
		} else if err := rd.begin(m); err != nil {
			return nil, err
		}
		c, err := cache.Open(filepath.Join(dir, CacheFile))
		if err != nil {
			return nil, err
		}
		defer c.Close()
		store = c
		if o.WrapStore != nil {
			store = o.WrapStore(store)
		}
		store = &failFastStore{MetaStore: asMetaStore(store), fail: cancelRun}
		if spool, err = newAnswerSpool(rd.stage, cancelRun); err != nil {
			return nil, err
		}
		defer spool.close()
	}

	// Everything that can be wrong with the set-up fails here, before any request.
	var stats runStats
	deps := backend.Deps{Labels: sel.split.Labels, Clips: clips, SplitPath: s.Dataset.Split, Env: o.Env, HTTP: o.HTTP,
		Store: store, Stats: &stats.models, Logf: o.Logf}
	// Every model's and judge's set-up problem at once; one device problem (no GPU) once.
	models, modelErrs := openModels(ctx, s, o.Registries, deps)
	defer closeModels(models)
	specs, judgeErrs := openJudges(ctx, s, o.Registries, judges.Deps{Labels: sel.split.Labels, Protocol: s.Protocol, Clips: clips,
		SplitDesc: desc, Env: o.Env, HTTP: o.HTTP, Store: store, Stats: &stats.judges, Logf: o.Logf})
	defer closeJudges(specs)
	if err := errors.Join(ortenv.MergeDeviceErrors(append(modelErrs, judgeErrs...))...); err != nil {
		return nil, err
	}
	if err := preflight(ctx, models, specs, o.Logf); err != nil {
		return nil, err
	}

	var runModels []runner.Model
	total := 0
	for _, m := range models {
		if m.Backend != nil {
			b := m.Backend
			if spool != nil {
				b = spool.wrap(m.name(), b)
			}
			runModels = append(runModels, runner.Model{Name: m.name(), Backend: b, Variants: m.variants(),
				Concurrency: m.Concurrency, BatchSize: max(1, m.BatchSize)})
			total += len(clips) * len(m.variants())
		}
	}
	if total > 0 {
		o.Logf("run %s: %d clips (%s), %d model calls, results in %s", s.Name, len(clips), desc, total, dir)
	}
	outcomes, err := runner.Run(ctx, runModels, clips, runner.Options{Concurrency: s.Concurrency, Grace: o.Grace, Progress: o.progress(),
		StopAfter: stopAfter, Permanent: permanentError})
	var stopped *runner.StoppedError
	switch {
	case errors.As(err, &stopped):
		// The stopped models' tasks are recorded as failed; the run is scored and published,
		// and exits 3 naming the cause.
	case errors.Is(err, context.Canceled):
		if serr := storeFailure(ctx); serr != nil {
			return nil, serr.withResume(o.ResumeCommand)
		}
		return nil, &ErrInterrupted{Resume: o.ResumeCommand, Done: len(outcomes), Total: total, Phase: "model calls", Rerun: uncached(models)}
	case err != nil:
		return nil, err
	}
	done := len(outcomes)
	res, err := finish(ctx, o, s, sel, clips, all, desc, models, specs, outcomes, spool, rd, &stats, total, hash, started)
	if serr := storeFailure(ctx); serr != nil {
		return nil, serr.withResume(o.ResumeCommand)
	}
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return nil, &ErrInterrupted{Resume: o.ResumeCommand, Done: done, Total: total, Phase: "judging", Rerun: uncached(models)}
	}
	if res != nil {
		res.Stopped = stopped
	}
	return res, err
}

// uncached names the models that run but keep no answers in the cache.
func uncached(models []*openedModel) []string {
	var out []string
	for _, m := range models {
		if m.Backend != nil && !m.Cached {
			out = append(out, m.name())
		}
	}
	return out
}

// progress is a fresh progress display for a phase, or nil.
func (o RunOptions) progress() runner.Progress {
	if o.NewProgress == nil {
		return nil
	}
	return o.NewProgress()
}

// runStats count the requests of the models and of the judges apart.
type runStats struct{ models, judges chat.Stats }

// stopAfter is how many first answers of a model may all fail alike before the model is
// stopped: enough to see that it is not a passing hiccup, far fewer than a split.
const stopAfter = 20

// permanentError says whether a model call failed for a cause no retry can fix, and names the
// cause without the clip the call was about.
func permanentError(err error) (string, bool) {
	var ce *chat.Error
	if !errors.As(err, &ce) || errors.Is(err, context.Canceled) {
		return "", false
	}
	return ce.Error(), !ce.Retryable
}

// finish parses, judges and scores a run's outputs and publishes the run directory.
func finish(ctx context.Context, o RunOptions, s *spec.Spec, sel *selection, clips, all []datasets.Clip, desc string,
	models []*openedModel, specs []judges.Spec, outcomes []runner.Outcome, spool *answerSpool, rd *runDir, stats *runStats, total int,
	hash string, started time.Time) (*RunResult, error) {
	sc, err := NewScorer(sel.split.Labels, s.Protocol, clips, desc, metricsOptions(s, sel.split))
	if err != nil {
		return nil, inputerr.New("", "%v", err)
	}
	sc.Judges = specs
	if sc.Progress = o.progress(); sc.Progress != nil {
		defer sc.Progress.Finish()
	}
	if rd.path != "" {
		if err := sc.StageRows(rd.stage); err != nil {
			return nil, err
		}
		defer sc.AbortRows()
	}

	res := &RunResult{Dir: rd.path}
	byModel := map[string][]runner.Outcome{}
	for _, oc := range outcomes {
		k := oc.Task.Variant.ScoredName(oc.Model)
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
	// A shard skips the replayed outputs of other shards' clips; a whole run keeps every output.
	var inShard, inAll map[string]bool
	if len(clips) < len(all) {
		inShard, inAll = idSet(clips), idSet(all)
	}
	for _, m := range models {
		for _, v := range m.variants() {
			name := v.ScoredName(m.name())
			meta := ModelMeta{Name: name, Backend: m.cfg.Base().Backend, Variant: v, File: m.File, Format: m.Format,
				Explains: m.Explains && v == variant.AV, Expected: answered(byModel[name])}
			scan := outcomeScan(byModel[name], spool)
			if m.Scan != nil {
				scan = replayScan(ctx, m.Scan, inShard, inAll)
			}
			if err := sc.AddModel(ctx, meta, scan); err != nil {
				return nil, err
			}
		}
	}
	if err := addHumans(sc.Builder(), s.Human, sel.split.Labels); err != nil {
		return nil, err
	}
	annotations, err := addAnnotations(sc.Builder(), rd.path, sel.split.Labels)
	if err != nil {
		return nil, err
	}
	var mi *modality.Table
	if s.Modality != nil {
		if mi, err = modalityImportance(ctx, s, sc, models, clips); err != nil {
			return nil, err
		}
		sc.Builder().SetMI(mi)
	}
	if sc.Progress != nil {
		sc.Progress.Finish()
		sc.Progress = nil
	}
	t0 := time.Now()
	if s.Statistics.Bootstrap > 0 {
		o.Logf("computing the summary with %d bootstrap resamples…", s.Statistics.Bootstrap)
	}
	summary, err := sc.Summary()
	if err != nil {
		return nil, err
	}
	if s.Statistics.Bootstrap > 0 {
		o.Logf("summary computed in %.2f s", time.Since(t0).Seconds())
	}
	setBackends(summary, s)
	ms, js := stats.models.Snapshot(), stats.judges.Snapshot()
	res.Counts.Tasks, res.Counts.Requests, res.Counts.Retries, res.Counts.Failed = total, int(ms.Requests-ms.Cached), int(ms.Retries), res.Failed
	res.Counts.JudgeCalls, res.Counts.JudgeRequests, res.Counts.JudgeCached, res.Counts.JudgeRetries = int(js.Requests), int(js.Requests-js.Cached), int(js.Cached), int(js.Retries)
	if res.Tables, err = papertables.Build(summary, papertables.Options{Reference: s.Report.Reference}); err != nil {
		return nil, err
	}
	res.Summary = summary
	if rd.path == "" {
		return res, nil
	}
	if err := sc.CloseRows(); err != nil {
		return nil, err
	}
	man, err := manifestOf(o, s, hash, sel.split, models, specs, started, res.Counts)
	if err != nil {
		return nil, err
	}
	if annotations != nil {
		man.Inputs = append(man.Inputs, *annotations)
	}
	setDevices(summary, man)
	res.InProcess = man.InProcess()
	o.Logf("rendering the report (%s)…", strings.Join(s.Report.Formats, ", "))
	if res.Report, err = rd.publish(ctx, summary, mi, man, reportOptions(s.Report)); err != nil {
		return nil, err
	}
	return res, nil
}

// answered is how many of a model's outcomes are answers (not failed calls), for progress.
func answered(outs []runner.Outcome) int {
	n := 0
	for _, o := range outs {
		if o.Err == nil {
			n++
		}
	}
	return n
}

// setBackends records each model's backend in the summary, and the model behind each judge
// that asks one.
func setBackends(summary *metrics.Summary, s *spec.Spec) {
	for _, m := range s.Models {
		if ms := summary.Models[m.Base().Name]; ms != nil {
			ms.Backend = m.Base().Backend
		}
	}
	for _, j := range s.Judges {
		if jm, ok := j.(interface{ JudgeModelID() string }); ok && jm.JudgeModelID() != "" {
			if summary.JudgeModels == nil {
				summary.JudgeModels = map[string]string{}
			}
			summary.JudgeModels[j.Base().Name] = jm.JudgeModelID()
		}
	}
}

// setDevices records in the summary where each in-process model and judge ran, as the
// manifests of the run (or of a merged run's shards) say: the device that ran, not the one
// configured.
func setDevices(summary *metrics.Summary, mans ...*Manifest) {
	join := func(have, dev string) string {
		if dev == "" || slices.Contains(strings.Split(have, ", "), dev) {
			return have
		}
		if have == "" {
			return dev
		}
		return have + ", " + dev
	}
	for _, m := range mans {
		for _, mi := range m.Models {
			for _, v := range mi.Variants {
				if ms := summary.Models[variant.Variant(v).ScoredName(mi.Name)]; ms != nil {
					ms.Device = join(ms.Device, mi.Placement.Device)
				}
			}
		}
		for _, j := range m.Judges {
			if j.Placement.Device == "" {
				continue
			}
			if summary.JudgeDevices == nil {
				summary.JudgeDevices = map[string]string{}
			}
			summary.JudgeDevices[j.Name] = join(summary.JudgeDevices[j.Name], j.Placement.Device)
		}
	}
}

// InProcess describes where the run's in-process models and judges ran, one line each
// ("fusion: cpu, 2 threads, batch 64, onnxruntime 1.29.0").
func (m *Manifest) InProcess() []string {
	var out []string
	for _, mi := range m.Models {
		if p := mi.Placement.String(); p != "" {
			out = append(out, mi.Name+": "+p)
		}
	}
	for _, j := range m.Judges {
		if p := j.Placement.String(); p != "" {
			out = append(out, "judge "+j.Name+": "+p)
		}
	}
	return out
}

// openModels opens every model with the kind its block names. It returns the problems of every
// model, and the models it opened, to be closed.
func openModels(ctx context.Context, s *spec.Spec, r spec.Registries, d backend.Deps) ([]*openedModel, []error) {
	var out []*openedModel
	var errs []error
	for _, c := range s.Models {
		k, ok := r.Backends.Lookup(c.Base().Backend)
		if !ok {
			errs = append(errs, inputerr.New("", "model %s: unknown backend %q", c.Base().Name, c.Base().Backend))
			continue
		}
		m, err := k.Open(ctx, c, d)
		if err != nil {
			errs = append(errs, withModel(c.Base().Name, err))
			continue
		}
		out = append(out, &openedModel{cfg: c, Model: m})
	}
	return out, errs
}

// withModel names the model in a set-up error, keeping an input error an input error.
func withModel(name string, err error) error {
	var ie *inputerr.Error
	if errors.As(err, &ie) {
		switch {
		case strings.Contains(ie.Error(), name):
		case ie.Msg == "":
			ie.Msg = "model " + name
		default:
			ie.Msg = fmt.Sprintf("model %s: %s", name, ie.Msg)
		}
		return err
	}
	return inputerr.Wrap("", fmt.Errorf("model %s: %w", name, err))
}

func closeModels(ms []*openedModel) {
	for _, m := range ms {
		if m.Close != nil {
			m.Close()
		}
	}
}

// openJudges opens every judge; replayed replies open one judge per model. It returns the
// problems of every judge, and the judges it opened, to be closed.
func openJudges(ctx context.Context, s *spec.Spec, r spec.Registries, d judges.Deps) ([]judges.Spec, []error) {
	var out []judges.Spec
	var errs []error
	for _, c := range s.Judges {
		k, ok := r.Judges.Lookup(c.Base().Kind)
		if !ok {
			errs = append(errs, inputerr.New("", "judge %s: unknown kind %q", c.Base().Name, c.Base().Kind))
			continue
		}
		specs, err := k.Open(ctx, c, d)
		if err != nil {
			errs = append(errs, fmt.Errorf("judge %s: %w", c.Base().Name, err))
			continue
		}
		out = append(out, specs...)
	}
	return out, errs
}

func closeJudges(specs []judges.Spec) {
	for _, s := range specs {
		if s.Close != nil {
			s.Close()
		} else if c, ok := s.Judge.(interface{ Close() error }); ok {
			c.Close()
		}
	}
}

func metricsOptions(s *spec.Spec, split *datasets.Split) metrics.Options {
	return metrics.Options{
		Labels: split.Labels, Protocol: s.Protocol, Folds: s.Dataset.FoldNumbers(),
		FoldAggregation: s.Dataset.FoldAggregation, Synthetic: split.Synthetic,
		Bootstrap: s.Statistics.Bootstrap, Seed: s.Statistics.Seed, Alpha: s.Statistics.Alpha, Pairs: s.Pairs(),
	}
}

// outcomeScan yields a model variant's runner outcomes as outputs, their answers read back from
// the spool one at a time.
func outcomeScan(outs []runner.Outcome, spool *answerSpool) func(func(Record) error) error {
	return func(yield func(Record) error) error {
		for _, oc := range outs {
			raw, err := spool.text(oc.Model, oc)
			if err != nil {
				return err
			}
			r := Record{Output: predictions.Output{ClipID: oc.Task.Clip.ClipID, Raw: raw, Probs: oc.Probs},
				Attempts: int32(oc.Attempts), LatencyMS: float64(oc.Latency.Microseconds()) / 1000, FinishReason: oc.FinishReason,
				Truncated: oc.Truncated}
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

// replayScan yields a replayed model's outputs for the clips of this shard (nil sets: a whole
// run); outputs of other shards' clips are skipped, outputs of clips outside the split are
// errors (AddModel reports them).
func replayScan(ctx context.Context, scan func(context.Context, func(predictions.Output) error) error, inShard, inAll map[string]bool) func(func(Record) error) error {
	return func(yield func(Record) error) error {
		return scan(ctx, func(out predictions.Output) error {
			if inShard != nil {
				if id := datasets.NormalizeID(out.ClipID); !inShard[id] && inAll[id] {
					return nil
				}
			}
			return yield(Record{Output: out})
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

// modalityImportance computes MI per clip as the specification says.
func modalityImportance(ctx context.Context, s *spec.Spec, sc *Scorer, models []*openedModel, clips []datasets.Clip) (*modality.Table, error) {
	mo := s.Modality
	switch mo.From {
	case "variants":
		return sc.Builder().MIFromVariants(variant.Video.ScoredName(mo.Model), variant.Audio.ScoredName(mo.Model))
	case "onnx":
		return sc.AblationMI(mo.Model, mo.Threshold)
	default:
		path, format, err := predictions.ResolveFormat(mo.Path, map[string]string{".csv": "csv", ".parquet": "parquet"}, []string{"csv", "parquet"})
		if err != nil {
			return nil, err
		}
		return readMIFor(path, format, clips)
	}
}

// removeStale deletes staging directories left by a killed command.
func removeStale(dir string) {
	matches, _ := filepath.Glob(filepath.Join(dir, ".staging-*"))
	more, _ := filepath.Glob(filepath.Join(dir, ".report-*"))
	for _, m := range append(matches, more...) {
		os.RemoveAll(m)
	}
}
