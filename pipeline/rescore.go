package pipeline

import (
	"fmt"
	"path/filepath"

	"github.com/emoeval/emoeval/eval/modality"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/metrics"
	"github.com/emoeval/emoeval/pipeline/human"
	"github.com/emoeval/emoeval/pipeline/spec"
)

// storedScore is what scoring a run's stored rows gives.
type storedScore struct {
	summary     *metrics.Summary
	mi          *modality.Table
	annotations *InputFile // the run directory's human.parquet, nil without one
}

// scoreStored scores the rows a run wrote (predictions, judgments, the MI table of its ONNX
// passes, nil if none), with the specification's human labels and those annotated into dir
// (skipped when dir is ""). Merge and the refresh of a report score through it, as a run scores
// its outcomes: the same builder, fed the same way.
func scoreStored(s *spec.Spec, sel *selection, rows *Rows, dir string) (*storedScore, error) {
	sortRows(rows.Predictions, rows.Judgments)
	b, err := metrics.NewBuilder(metricsOptions(s, sel.split), sel.clips)
	if err != nil {
		return nil, err
	}
	if err := scoreRows(b, scoredModels(s), judgeNames(s), rows.Predictions, rows.Judgments); err != nil {
		return nil, err
	}
	if err := addHumans(b, s.Human, sel.split.Labels); err != nil {
		return nil, err
	}
	out := &storedScore{}
	if out.annotations, err = addAnnotations(b, dir, sel.split.Labels); err != nil {
		return nil, err
	}
	if s.Modality != nil {
		out.mi = rows.MI
		if s.Modality.From == "variants" {
			out.mi, err = b.MIFromVariants(variant.Video.ScoredName(s.Modality.Model), variant.Audio.ScoredName(s.Modality.Model))
			if err != nil {
				return nil, err
			}
		}
		b.SetMI(out.mi)
	}
	if out.summary, err = b.Summary(); err != nil {
		return nil, err
	}
	setBackends(out.summary, s)
	return out, nil
}

// refreshAnnotations scores a finished run again from its files when its human.parquet is not
// the one its summary was computed with (new answers since, or none any more), so that the
// report shows the judge-corrected rates of every answer given. It reports whether it did.
// The caller holds the run directory's lock.
func refreshAnnotations(dir string, m *Manifest, logf func(string, ...any)) (bool, error) {
	path := filepath.Join(dir, human.File)
	recorded := ""
	for _, in := range m.Inputs {
		if in.Role == AnnotationsRole {
			recorded = in.SHA256
		}
	}
	current := ""
	if fileExists(path) {
		sum, _, err := FileSHA256(path)
		if err != nil {
			return false, inputerr.Wrap(path, err)
		}
		current = sum
	}
	if current == recorded {
		return false, nil
	}
	if m.Shard != "" {
		return false, inputerr.New(path, "annotations of shard %s: merge the shards (emoeval merge) and annotate the merged run", m.Shard)
	}
	s, err := specOfManifest(dir, m, spec.DefaultRegistries())
	if err != nil {
		return false, err
	}
	sel, err := loadSelection(s.Dataset.Split, s.Dataset.Labels, s.Dataset.FoldNumbers(), s.Dataset.SplitKind)
	if err != nil {
		return false, fmt.Errorf("%s changed since %s was computed, and scoring again needs the split the run read: %w", path, SummaryFile, err)
	}
	if err := checkSplitUnchanged(m, s.Dataset.Split); err != nil {
		return false, err
	}
	rows, err := ReadRows(dir)
	if err != nil {
		return false, err
	}
	sc, err := scoreStored(s, sel, rows, dir)
	if err != nil {
		return false, err
	}
	setDevices(sc.summary, m)
	man := *m
	man.Inputs = nil
	for _, in := range m.Inputs {
		if in.Role != AnnotationsRole {
			man.Inputs = append(man.Inputs, in)
		}
	}
	if sc.annotations != nil {
		man.Inputs = append(man.Inputs, *sc.annotations)
	}
	// The summary first: a crash before the manifest leaves the old hash, and the next report
	// scores again.
	if err := WriteJSON(filepath.Join(dir, SummaryFile), sc.summary); err != nil {
		return false, err
	}
	if err := WriteJSON(filepath.Join(dir, ManifestFile), &man); err != nil {
		return false, err
	}
	if sc.annotations == nil {
		logf("%s is gone: %s scored again without its human labels", human.File, SummaryFile)
	} else {
		logf("%s changed: %s scored again with its human labels (judge-corrected rates)", human.File, SummaryFile)
	}
	return true, nil
}
