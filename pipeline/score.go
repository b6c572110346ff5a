package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	"github.com/emoeval/emoeval/eval/cache"
	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/eval/config"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/predictions"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/internal/version"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/replay"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/reports/papertables"
	"github.com/emoeval/emoeval/reports/tabular"
)

// ModelFile is a model's outputs produced elsewhere (`--model NAME=PATH[:FORMAT]`).
type ModelFile struct {
	Name, Path, Format string
}

// JudgmentFile is judge replies produced elsewhere (`--judgments [JUDGE/]MODEL=PATH[:FORMAT]`).
type JudgmentFile struct {
	Judge, Model, Path, Format string
}

// ScoreOptions configure `emoeval score`.
type ScoreOptions struct {
	Split  string
	Labels string // custom label set file
	Folds  []int32
	Kind   string // test | train
	Models []ModelFile
	// Judgments replay judge replies, per model.
	Judgments []JudgmentFile
	// Judges are judge kinds to run here: lexicon, or llm / classifier from JudgeConfig.
	Judges      []string
	JudgeConfig string
	MI          string
	// Human are human labels of explanations, compared with every judge.
	Human       []HumanFile
	Protocol    string
	Aggregation string
	Bootstrap   int
	Seed        uint64
	Alpha       float64
	// Out, when set, receives a run directory: predictions, judgments, summary, manifest, report.
	Out    string
	Force  bool
	Report ReportOptions

	Env     Env              `json:"-"`
	HTTP    *http.Client     `json:"-"`
	Command string           `json:"-"`
	Now     func() time.Time `json:"-"`
}

// ScoreResult is what `score` shows.
type ScoreResult struct {
	Summary *metrics.Summary
	Tables  []*tabular.Table
	// Report lists the files rendered under Out.
	Report []string
}

// Score scores existing model outputs.
func Score(ctx context.Context, o ScoreOptions) (*ScoreResult, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	started := o.Now()
	protocol, err := parse.ParseProtocol(o.Protocol)
	if err != nil {
		return nil, inputerr.New("", "--protocol: %v", err)
	}
	if len(o.Models) == 0 {
		return nil, inputerr.New("", "give at least one --model NAME=PATH")
	}
	split, clips, desc, err := loadSelection(o.Split, o.Labels, o.Folds, o.Kind)
	if err != nil {
		return nil, err
	}
	labels := split.Labels
	names := map[string]bool{}
	for _, m := range o.Models {
		if names[m.Name] {
			return nil, inputerr.New("", "--model: model name %q is used twice", m.Name)
		}
		names[m.Name] = true
	}

	// Judges.
	var judgeCfgs []config.Judge
	for _, k := range o.Judges {
		switch k {
		case "lexicon":
			judgeCfgs = append(judgeCfgs, config.Judge{Name: "lexicon", Kind: "lexicon", Input: parse.InputThink})
		case "llm", "classifier":
		default:
			return nil, inputerr.New("", "--judge %q: use lexicon, llm or classifier", k)
		}
	}
	if o.JudgeConfig != "" {
		fromFile, err := config.LoadJudges(o.JudgeConfig, o.Env)
		if err != nil {
			return nil, err
		}
		judgeCfgs = append(judgeCfgs, fromFile...)
	}
	for _, k := range []string{"llm", "classifier"} {
		if slices.Contains(o.Judges, k) && !slices.ContainsFunc(judgeCfgs, func(j config.Judge) bool { return j.Kind == k }) {
			return nil, inputerr.New(o.JudgeConfig, "--judge %s needs a --judge-config file with a judge of kind %s", k, k)
		}
	}

	// The run directory, if any: its cache serves LLM judges; outputs are staged and moved in
	// only when everything has succeeded.
	var (
		stage string
		store chat.Store
	)
	hash, err := scoreHash(o)
	if err != nil {
		return nil, err
	}
	if o.Out != "" {
		if err := CheckRunDir(o.Out, hash, o.Force); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(o.Out, 0o755); err != nil {
			return nil, err
		}
		if stage, err = os.MkdirTemp(o.Out, ".staging-*"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(stage)
		if slices.ContainsFunc(judgeCfgs, func(j config.Judge) bool { return j.Kind == "llm" }) {
			c, err := cache.Open(filepath.Join(o.Out, CacheFile))
			if err != nil {
				return nil, err
			}
			defer c.Close()
			store = c
		}
	}
	specs, err := buildJudges(ctx, judgeCfgs, judgeDeps{Labels: labels, Protocol: protocol, Env: o.Env, HTTP: o.HTTP, Store: store})
	defer closeJudges(specs)
	if err != nil {
		return nil, err
	}
	var replays []*replay.Judge
	replayed := map[[2]string]bool{}
	for _, jf := range o.Judgments {
		if !names[jf.Model] {
			return nil, inputerr.New(jf.Path, "--judgments names model %q, which no --model gives", jf.Model)
		}
		if slices.ContainsFunc(judgeCfgs, func(j config.Judge) bool { return j.Name == jf.Judge }) {
			return nil, inputerr.New(jf.Path, "--judgments names judge %q, which is also a judge run here; name the replayed one JUDGE/MODEL=PATH", jf.Judge)
		}
		if replayed[[2]string{jf.Judge, jf.Model}] {
			return nil, inputerr.New(jf.Path, "a second file of judge %q's replies for model %q", jf.Judge, jf.Model)
		}
		replayed[[2]string{jf.Judge, jf.Model}] = true
		j, err := replay.New(jf.Judge, jf.Path, jf.Format, labels, protocol, jf.Model)
		if err != nil {
			return nil, err
		}
		replays = append(replays, j)
		specs = append(specs, JudgeSpec{Judge: j, Kind: "replay", Input: parse.InputThink, Model: jf.Model})
	}
	if err := checkReplies(replays, o.Judgments, clips, desc); err != nil {
		return nil, err
	}

	sc, err := NewScorer(labels, protocol, clips, desc, metrics.Options{
		Labels: labels, Protocol: protocol, Folds: selectedFolds(o.Folds), FoldAggregation: o.Aggregation,
		Synthetic: split.Synthetic, Bootstrap: o.Bootstrap, Seed: o.Seed, Alpha: o.Alpha,
	})
	if err != nil {
		return nil, inputerr.New("", "%v", err)
	}
	sc.Judges = specs
	if stage != "" {
		if sc.Predictions, err = predictions.NewWriter(filepath.Join(stage, PredictionsFile)); err != nil {
			return nil, err
		}
		defer sc.Predictions.Abort()
		if sc.Judgments, err = judges.NewWriter(filepath.Join(stage, JudgmentsFile)); err != nil {
			return nil, err
		}
		defer sc.Judgments.Abort()
	}
	for _, m := range o.Models {
		meta := ModelMeta{Name: m.Name, Backend: "replay", Variant: "av", File: m.Path, Format: m.Format, Explains: true}
		err := sc.AddModel(ctx, meta, func(yield func(Record) error) error {
			return predictions.Scan(ctx, m.Path, m.Format, func(out predictions.Output) error {
				return yield(Record{ClipID: out.ClipID, Raw: out.Raw, Line: out.Line})
			})
		})
		if err != nil {
			return nil, err
		}
	}
	for _, h := range o.Human {
		hl, err := readHuman(h, labels)
		if err != nil {
			return nil, err
		}
		if err := sc.Builder().AddHuman(hl); err != nil {
			return nil, inputerr.New(h.Path, "%v", err)
		}
	}
	if o.MI != "" {
		path, format, err := predictions.ResolveFormat(o.MI, map[string]string{".csv": "csv", ".parquet": "parquet"}, []string{"csv", "parquet"})
		if err != nil {
			return nil, err
		}
		mi, err := readMIFor(path, format, clips)
		if err != nil {
			return nil, err
		}
		sc.Builder().SetMI(mi)
	}
	summary, err := sc.Summary()
	if err != nil {
		return nil, err
	}
	tabs, err := papertables.Build(summary, papertables.Options{Reference: o.Report.Reference})
	if err != nil {
		return nil, err
	}
	res := &ScoreResult{Summary: summary, Tables: tabs}
	if o.Out == "" {
		return res, nil
	}

	if err := sc.Predictions.Close(); err != nil {
		return nil, err
	}
	if err := sc.Judgments.Close(); err != nil {
		return nil, err
	}
	man, err := scoreManifest(o, hash, split, specs, started)
	if err != nil {
		return nil, err
	}
	if res.Report, err = publish(ctx, stage, o.Out, summary, nil, man, o.Report); err != nil {
		return nil, err
	}
	return res, nil
}

// readMIFor reads an MI table and checks that it speaks of the selected clips: a table of
// another split (or with ids written as 147.0) would otherwise make every clip multimodal.
func readMIFor(path, format string, clips []datasets.Clip) (*modality.Table, error) {
	mi, err := modality.Read(path, format)
	if err != nil {
		return nil, err
	}
	in := idSet(clips)
	ids := mi.Clips()
	for _, id := range ids {
		if in[id] {
			return mi, nil
		}
	}
	example := ""
	if len(ids) > 0 {
		example = fmt.Sprintf(" (its first is %q)", ids[0])
	}
	return nil, inputerr.New(path, "none of its %d clips is a clip of the selection%s: is it the MI table of another split, or are its ids written differently?", len(ids), example)
}

// loadSelection reads a split and selects the scored clips. The returned split keeps its label
// set and metadata but not its clips: the selection is returned instead.
func loadSelection(path, labelsFile string, folds []int32, kind string) (*datasets.Split, []datasets.Clip, string, error) {
	var ropts []datasets.ReadOption
	if labelsFile != "" {
		ls, err := datasets.LoadLabelSet(labelsFile)
		if err != nil {
			return nil, nil, "", err
		}
		ropts = append(ropts, datasets.WithLabelSet(ls))
	}
	split, err := datasets.ReadSplit(path, ropts...)
	if err != nil {
		return nil, nil, "", err
	}
	folds = selectedFolds(folds)
	if kind == "" {
		kind = datasets.Test
	}
	if kind != datasets.Test && kind != datasets.Train {
		return nil, nil, "", inputerr.New("", "split kind %q: use test or train", kind)
	}
	have := split.Folds()
	for _, f := range folds {
		if !slices.Contains(have, f) {
			return nil, nil, "", inputerr.New(path, "the split has no fold %d (it has folds %v)", f, have)
		}
	}
	clips := split.Select(folds, kind)
	if len(clips) == 0 {
		return nil, nil, "", inputerr.New(path, "the split has no %s clips in folds %v", kind, folds)
	}
	// The rest of the split is not needed; letting it go halves the memory of a large split.
	split.Clips = nil
	desc := fmt.Sprintf("%s set of fold %s of %s", kind, foldList(folds), filepath.Base(path))
	return split, clips, desc, nil
}

func selectedFolds(f []int32) []int32 {
	if len(f) == 0 {
		return []int32{5}
	}
	return f
}

func foldList(f []int32) string {
	s := make([]string, len(f))
	for i, x := range f {
		s[i] = fmt.Sprint(x)
	}
	return strings.Join(s, ",")
}

// checkReplies rejects replayed replies for clips outside the selection: such a file belongs to
// another split or fold.
func checkReplies(replays []*replay.Judge, files []JudgmentFile, clips []datasets.Clip, desc string) error {
	if len(replays) == 0 {
		return nil
	}
	ids := make([]string, len(clips))
	for i, c := range clips {
		ids[i] = c.ClipID
	}
	for i, j := range replays {
		if extra := j.Unmatched(ids); len(extra) > 0 {
			show := extra
			if len(show) > 5 {
				show = show[:5]
			}
			return inputerr.New(files[i].Path, "%d replies are for clips not in the %s (e.g. %s)", len(extra), desc, strings.Join(show, ", "))
		}
	}
	return nil
}

// scoreHash identifies a score invocation's configuration (its inputs by path; their content
// is checksummed in the manifest).
func scoreHash(o ScoreOptions) (string, error) {
	c := o
	c.Out, c.Force, c.Report = "", false, ReportOptions{}
	b, err := json.Marshal(c)
	if err != nil {
		return "", inputerr.New("", "options: %v", err) // a non-finite --alpha
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func scoreManifest(o ScoreOptions, hash string, split *datasets.Split, specs []JudgeSpec, started time.Time) (*Manifest, error) {
	raw, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	m := &Manifest{
		Schema: ManifestSchema, Name: filepath.Base(filepath.Clean(o.Out)), Kind: "score",
		ToolVersion: version.String(), Command: o.Command, Config: raw, ConfigSHA256: hash,
		Seeds: map[string]any{"bootstrap": o.Seed}, Dataset: split.Labels.Name, Protocol: o.Protocol,
		Synthetic: split.Synthetic, Started: started.UTC(), Finished: o.Now().UTC(),
	}
	add := func(role, path string) error {
		in, err := Input(role, path)
		if err != nil {
			return err
		}
		m.Inputs = append(m.Inputs, in)
		return nil
	}
	var errs []error
	errs = append(errs, add("split", o.Split))
	if o.Labels != "" {
		errs = append(errs, add("labels", o.Labels))
	}
	for _, mf := range o.Models {
		errs = append(errs, add("model:"+mf.Name, mf.Path))
		m.Models = append(m.Models, ModelInfo{Name: mf.Name, Backend: "replay", Path: mf.Path})
	}
	for _, jf := range o.Judgments {
		errs = append(errs, add("judgments:"+jf.Judge+"/"+jf.Model, jf.Path))
	}
	if o.MI != "" {
		errs = append(errs, add("mi", o.MI))
	}
	for _, h := range o.Human {
		errs = append(errs, add("human:"+h.Name, h.Path))
	}
	if o.JudgeConfig != "" {
		errs = append(errs, add("judge-config", o.JudgeConfig))
	}
	seen := map[string]bool{}
	for _, s := range specs {
		if seen[s.Judge.Name()] {
			continue
		}
		seen[s.Judge.Name()] = true
		m.Judges = append(m.Judges, JudgeInfo{Name: s.Judge.Name(), Kind: s.Kind, Model: s.ModelID, Input: s.Input})
	}
	return m, errors.Join(errs...)
}

// publish finishes a run directory: it writes the summary, the MI table (nil: none) and the
// manifest into the staging directory, beside the predictions and judgments already there, moves
// them all into dir and renders the report from them. It returns the report's files.
func publish(ctx context.Context, stage, dir string, summary *metrics.Summary, mi *modality.Table, man *Manifest, report ReportOptions) ([]string, error) {
	files := []string{PredictionsFile, JudgmentsFile, SummaryFile, ManifestFile}
	if mi != nil {
		if err := modality.WriteParquet(filepath.Join(stage, ModalityFile), mi); err != nil {
			return nil, err
		}
		files = append(files, ModalityFile)
	}
	if err := WriteJSON(filepath.Join(stage, SummaryFile), summary); err != nil {
		return nil, err
	}
	man.Report = &report
	if err := WriteJSON(filepath.Join(stage, ManifestFile), man); err != nil {
		return nil, err
	}
	for _, n := range files {
		if err := os.Rename(filepath.Join(stage, n), filepath.Join(dir, n)); err != nil {
			return nil, err
		}
	}
	return RenderReport(ctx, dir, report)
}

// reportOptions are the report options of a run's configuration.
func reportOptions(r config.Report) ReportOptions {
	return ReportOptions{Formats: r.Formats, Reference: r.ReferenceRows(), Examples: r.Examples}
}
