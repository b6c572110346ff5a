package datasets

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Severities of findings.
const (
	SeverityError   = "error"   // the split is broken: scores on it would be wrong
	SeverityWarning = "warning" // unusual; may be intended (e.g. only fold 5)
	SeverityInfo    = "info"
)

// maxExamples bounds the clip ids a finding lists.
const maxExamples = 10

// Inspection is what `datasets inspect` shows: counts per fold, split kind and class, and
// findings. Its JSON form is the output of `--json`.
type Inspection struct {
	Dataset   string `json:"dataset"`
	Synthetic bool   `json:"synthetic"`
	// Seed is set for synthetic splits.
	Seed   *int64   `json:"seed,omitempty"`
	Labels []string `json:"labels"`
	Rows   int      `json:"rows"`
	// Clips counts distinct clips (ids matched by NormalizeID).
	Clips int `json:"clips"`
	// Folds holds the folds numbered 1 and up that have rows, in order.
	Folds []FoldCounts `json:"folds"`
	// Totals sums the folds; a clip is counted once per fold it is in.
	Totals   Totals    `json:"totals"`
	Findings []Finding `json:"findings"`
}

// FoldCounts are the counts of one fold.
type FoldCounts struct {
	Fold  int32       `json:"fold"`
	Train SplitCounts `json:"train"`
	Test  SplitCounts `json:"test"`
}

// Totals are counts summed over folds.
type Totals struct {
	Train SplitCounts `json:"train"`
	Test  SplitCounts `json:"test"`
}

// SplitCounts counts the rows of a train or test set, in all and per label (labels outside the
// label set included, under their own name).
type SplitCounts struct {
	Total    int            `json:"total"`
	PerClass map[string]int `json:"per_class"`
}

// newSplitCounts starts counts whose JSON has an empty per_class object rather than null.
func newSplitCounts() SplitCounts { return SplitCounts{PerClass: map[string]int{}} }

func (c *SplitCounts) add(label string) {
	c.Total++
	c.PerClass[label]++
}

// Finding is one result of the checks.
type Finding struct {
	Severity string `json:"severity"`
	// Code names the check: duplicate_clip, train_test_overlap, unknown_label,
	// label_id_mismatch, empty_clip_id, bad_fold, bad_split, missing_folds, empty_set,
	// clip_in_several_test_sets, extra_columns, reference_mismatch, reference_match, synthetic.
	Code    string `json:"code"`
	Fold    int32  `json:"fold,omitempty"`
	Message string `json:"message"`
	// Count is how many rows or clips the finding is about, Clips some of their ids.
	Count int      `json:"count,omitempty"`
	Clips []string `json:"clips,omitempty"`
}

// Errors counts the findings of severity error.
func (in *Inspection) Errors() int {
	n := 0
	for _, f := range in.Findings {
		if f.Severity == SeverityError {
			n++
		}
	}
	return n
}

// examples collects up to maxExamples distinct ids.
type examples struct {
	count int
	ids   []string
}

func (e *examples) add(id string) {
	e.count++
	if len(e.ids) < maxExamples && !slices.Contains(e.ids, id) {
		e.ids = append(e.ids, id)
	}
}

// Inspect counts a split per fold, split kind and class and checks it: clips listed twice in a
// fold's train or test set, clips in both train and test of a fold, labels outside the label
// set, rows breaking the schema's row rules, missing folds, and for dfew and mafw the counts
// against the official protocol (docs/reference.md §6). Findings come in a fixed order.
func Inspect(s *Split) *Inspection {
	in := &Inspection{Dataset: s.Dataset, Synthetic: s.Synthetic, Rows: len(s.Clips),
		Folds: []FoldCounts{}, Totals: Totals{Train: newSplitCounts(), Test: newSplitCounts()}, Findings: []Finding{}}
	if s.Synthetic {
		seed := s.Seed
		in.Seed = &seed
	}
	ls := s.Labels
	if ls == nil {
		ls = &LabelSet{Name: s.Dataset}
	}
	in.Labels = append([]string{}, ls.Labels...)

	folds := map[int32]*FoldCounts{}
	type setKey struct {
		fold int32
		kind string
	}
	members := map[setKey]map[string]string{} // normalised id → id as written
	duplicates := map[setKey]*examples{}
	unknown := map[string]*examples{}
	testFolds := map[string]*testedIn{}
	distinct := map[string]bool{}
	var emptyIDs, badFolds, badSplits, idMismatch examples
	for i := range s.Clips {
		c := &s.Clips[i]
		id := NormalizeID(c.ClipID)
		distinct[id] = true
		switch {
		case c.ClipID == "":
			emptyIDs.add(fmt.Sprintf("row %d", i+1))
			continue
		case c.Fold < 1:
			badFolds.add(c.ClipID)
			continue
		case c.Split != Train && c.Split != Test:
			badSplits.add(c.ClipID)
			continue
		}
		if !ls.Contains(c.Label) {
			if unknown[c.Label] == nil {
				unknown[c.Label] = &examples{}
			}
			unknown[c.Label].add(c.ClipID)
		} else if IsBuiltIn(ls.Name) && c.LabelID != ls.ID(c.Label) {
			idMismatch.add(c.ClipID)
		}
		fc := folds[c.Fold]
		if fc == nil {
			fc = &FoldCounts{Fold: c.Fold, Train: newSplitCounts(), Test: newSplitCounts()}
			folds[c.Fold] = fc
		}
		key := setKey{c.Fold, c.Split}
		if members[key] == nil {
			members[key] = map[string]string{}
		}
		if _, dup := members[key][id]; dup {
			if duplicates[key] == nil {
				duplicates[key] = &examples{}
			}
			duplicates[key].add(c.ClipID)
		} else {
			members[key][id] = c.ClipID
		}
		if c.Split == Train {
			fc.Train.add(c.Label)
			in.Totals.Train.add(c.Label)
		} else {
			fc.Test.add(c.Label)
			in.Totals.Test.add(c.Label)
			if tf := testFolds[id]; tf == nil {
				testFolds[id] = &testedIn{id: c.ClipID, folds: []int32{c.Fold}}
			} else if !slices.Contains(tf.folds, c.Fold) {
				tf.folds = append(tf.folds, c.Fold)
			}
		}
	}
	in.Clips = len(distinct)
	for _, f := range slices.Sorted(maps.Keys(folds)) {
		in.Folds = append(in.Folds, *folds[f])
	}

	report := func(sev, code string, fold int32, e *examples, format string, args ...any) {
		in.Findings = append(in.Findings, Finding{Severity: sev, Code: code, Fold: fold,
			Message: fmt.Sprintf(format, args...), Count: e.count, Clips: e.ids})
	}
	if in.Synthetic {
		in.Findings = append(in.Findings, Finding{Severity: SeverityInfo, Code: "synthetic",
			Message: fmt.Sprintf("synthetic split (seed %d): made-up clips with the official counts, not real data", s.Seed)})
	}
	if emptyIDs.count > 0 {
		report(SeverityError, "empty_clip_id", 0, &emptyIDs, "%s without a clip id", plural(emptyIDs.count, "row"))
	}
	if badFolds.count > 0 {
		report(SeverityError, "bad_fold", 0, &badFolds, "%s with a fold below 1", plural(badFolds.count, "row"))
	}
	if badSplits.count > 0 {
		report(SeverityError, "bad_split", 0, &badSplits, "%s with a split neither %q nor %q", plural(badSplits.count, "row"), Train, Test)
	}
	for _, label := range slices.Sorted(maps.Keys(unknown)) {
		e := unknown[label]
		report(SeverityError, "unknown_label", 0, e, "%s with label %q, which is not in the %s label set", plural(e.count, "row"), label, ls.Name)
	}
	if idMismatch.count > 0 {
		report(SeverityError, "label_id_mismatch", 0, &idMismatch, "%s with a label_id that is not the official id of the label", plural(idMismatch.count, "row"))
	}
	for _, f := range slices.Sorted(maps.Keys(folds)) {
		for _, kind := range []string{Train, Test} {
			if e := duplicates[setKey{f, kind}]; e != nil {
				report(SeverityError, "duplicate_clip", f, e, "fold %d %s set lists %s more than once", f, kind, plural(e.count, "clip"))
			}
		}
		overlap := &examples{}
		test := members[setKey{f, Test}]
		for _, id := range slices.Sorted(maps.Keys(test)) {
			if _, ok := members[setKey{f, Train}][id]; ok {
				overlap.add(test[id])
			}
		}
		if overlap.count > 0 {
			report(SeverityError, "train_test_overlap", f, overlap, "fold %d: %s in both its train and test sets", f, plural(overlap.count, "clip"))
		}
		for _, kind := range []string{Train, Test} {
			if members[setKey{f, kind}] == nil {
				report(SeverityWarning, "empty_set", f, &examples{}, "fold %d has no %s set", f, kind)
			}
		}
	}
	in.checkFolds(folds)
	if IsBuiltIn(s.Dataset) {
		in.checkTestSets(testFolds)
	}
	if len(s.ExtraColumns) > 0 {
		in.Findings = append(in.Findings, Finding{Severity: SeverityWarning, Code: "extra_columns",
			Message: fmt.Sprintf("columns outside the split schema were ignored: %s", strings.Join(s.ExtraColumns, ", "))})
	}
	if off, ok := OfficialCounts(s.Dataset); ok {
		in.compareOfficial(off, ls, len(distinct))
	}
	return in
}

// checkFolds reports missing folds: of 1..5 for the built-in data sets, gaps otherwise.
func (in *Inspection) checkFolds(folds map[int32]*FoldCounts) {
	last := int32(NumFolds)
	if !IsBuiltIn(in.Dataset) {
		last = 0
		for f := range folds {
			last = max(last, f)
		}
	}
	var missing []string
	for f := int32(1); f <= last; f++ {
		if folds[f] == nil {
			missing = append(missing, fmt.Sprint(f))
		}
	}
	if len(missing) > 0 {
		msg := fmt.Sprintf("folds %s are missing (of 1..%d)", strings.Join(missing, ", "), last)
		if len(missing) == 1 {
			msg = fmt.Sprintf("fold %s is missing (of 1..%d)", missing[0], last)
		}
		in.Findings = append(in.Findings, Finding{Severity: SeverityWarning, Code: "missing_folds", Count: len(missing), Message: msg})
	}
}

// testedIn records the folds whose test sets hold a clip.
type testedIn struct {
	id    string // as first written
	folds []int32
}

// checkTestSets reports clips in the test sets of several folds: in DFEW and MAFW each clip is
// tested in at most one fold.
func (in *Inspection) checkTestSets(testFolds map[string]*testedIn) {
	e := &examples{}
	for _, id := range slices.Sorted(maps.Keys(testFolds)) {
		if len(testFolds[id].folds) > 1 {
			e.add(testFolds[id].id)
		}
	}
	if e.count > 0 {
		in.Findings = append(in.Findings, Finding{Severity: SeverityWarning, Code: "clip_in_several_test_sets",
			Message: fmt.Sprintf("%s in the test sets of more than one fold (the official folds' test sets are disjoint)", plural(e.count, "clip")),
			Count:   e.count, Clips: e.ids})
	}
}

// compareOfficial compares fold sizes and per-class counts with the published ones: one
// finding per group of differing counts, or one saying that all match.
func (in *Inspection) compareOfficial(off *Official, ls *LabelSet, clips int) {
	var checked []string
	matched := true
	compare := func(fold int32, what string, names []string, got, want []int) {
		var diffs []string
		for i := range names {
			if got[i] != want[i] {
				diffs = append(diffs, fmt.Sprintf("%s %d (official %d, %+d)", names[i], got[i], want[i], got[i]-want[i]))
			}
		}
		if len(diffs) > 0 {
			matched = false
			in.Findings = append(in.Findings, Finding{Severity: SeverityWarning, Code: "reference_mismatch", Fold: fold,
				Message: fmt.Sprintf("%s differ from the official protocol: %s", what, strings.Join(diffs, ", "))})
		}
	}
	perClass := func(c SplitCounts) []int {
		out := make([]int, ls.Len())
		for i, l := range ls.Labels {
			out[i] = c.PerClass[l]
		}
		return out
	}
	var present []string
	for _, fc := range in.Folds {
		f := fc.Fold
		if f > NumFolds {
			continue
		}
		present = append(present, fmt.Sprint(f))
		want := off.Folds[f-1]
		compare(f, fmt.Sprintf("fold %d sizes", f), []string{Train, Test},
			[]int{fc.Train.Total, fc.Test.Total}, []int{want.Train, want.Test})
		if pc, ok := off.TestPerClass[f]; ok {
			compare(f, fmt.Sprintf("fold %d test counts per class", f), ls.Labels, perClass(fc.Test), pc)
			checked = append(checked, fmt.Sprintf("fold-%d test per class", f))
		}
	}
	if len(present) == 0 {
		return
	}
	sizes := "size of fold " + present[0]
	if len(present) > 1 {
		sizes = "sizes of folds " + strings.Join(present, ", ")
	}
	checked = append([]string{sizes}, checked...)
	if len(present) == NumFolds {
		compare(0, "clip counts", []string{"distinct clips"}, []int{clips}, []int{off.Clips})
		checked = append(checked, fmt.Sprintf("%d distinct clips", off.Clips))
		if off.AllPerClass != nil {
			compare(0, "counts per class over all test sets", ls.Labels, perClass(in.Totals.Test), off.AllPerClass)
			checked = append(checked, fmt.Sprintf("per-class counts of all %d clips", off.Clips))
		}
	}
	if matched {
		in.Findings = append(in.Findings, Finding{Severity: SeverityInfo, Code: "reference_match",
			Message: "matches the official protocol (docs/reference.md §6): " + strings.Join(checked, "; ")})
	}
}
