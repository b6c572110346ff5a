// Package reference holds the published numbers emoeval prints beside its own as "reported"
// rows (docs/reference.md §7). They are quoted, not computed: each keeps the digits its source printed.
package reference

import (
	"strconv"
	"strings"
)

// Number is a published percentage as its source printed it. The zero Number means "not reported".
type Number struct {
	Text string // as printed, e.g. "67.78"; "" when the source gives no value
}

// Reported reports whether the source gives a value.
func (n Number) Reported() bool { return n.Text != "" }

// Percent is the value in percent (67.78); ok is false when the source gives no value.
func (n Number) Percent() (v float64, ok bool) {
	if n.Text == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(n.Text, 64)
	return v, err == nil
}

// Source is where a published number comes from.
type Source struct {
	Name string // "R1-Omni README"
	URL  string
	// ThirdParty marks numbers taken from a third party's extraction of the source's tables
	// (the MIGR and ERV papers are not public in readable form).
	ThirdParty bool
}

// String is the source's name with its URL, as a table note cites it.
func (s Source) String() string {
	name := s.Name
	if s.ThirdParty {
		name += " (third-party extraction)"
	}
	if s.URL == "" {
		return name
	}
	return name + ", " + s.URL
}

// Recognition is one model's published WAR and UAR on one data set, in percent.
type Recognition struct {
	Model   string
	Dataset string // "dfew" or "mafw"
	WAR     Number
	UAR     Number
	Source  Source
}

// Inconsistency is one model's published "correct prediction, inconsistent explanation" (TF)
// rate on one data set, in percent.
type Inconsistency struct {
	Model   string
	Dataset string
	// TFAll is TF as a share of all samples (the papers' "Accuracy (All Samples)").
	TFAll Number
	// TFQuoted is the rate the MIGR abstract quotes and BaselineQuoted the baseline it is
	// compared with ("18.10% → 7.37%"); which normalisation they use is not stated.
	TFQuoted       Number
	BaselineQuoted Number
	Source         Source
}

// The sources of docs/reference.md §7 (functions, so that no package state can be changed).
func r1OmniREADME() Source {
	return Source{Name: "R1-Omni README", URL: "https://github.com/HumanMLLM/R1-Omni"}
}

func humanOmniREADME() Source {
	return Source{Name: "HumanOmni README", URL: "https://github.com/HumanMLLM/HumanOmni"}
}

func ervPaper() Source {
	return Source{Name: "ERV paper", URL: "https://arxiv.org/abs/2510.23506", ThirdParty: true}
}

func migrPaper() Source {
	return Source{Name: "MIGR paper", URL: "https://arxiv.org/abs/2512.02699", ThirdParty: true}
}

// recognitionRow is a line of docs/reference.md §7's first table.
type recognitionRow struct {
	model            string
	dfewWAR, dfewUAR string
	mafwWAR, mafwUAR string
	source           Source
}

func recognitionRows() []recognitionRow {
	return []recognitionRow{
		{"HumanOmni-0.5B", "22.64", "19.44", "20.18", "13.52", r1OmniREADME()},
		{"EMER-SFT (0.5B)", "38.66", "35.31", "38.39", "28.02", r1OmniREADME()},
		{"MAFW-DFEW-SFT (0.5B)", "60.23", "44.39", "50.44", "30.39", r1OmniREADME()},
		{"R1-Omni-0.5B", "65.83", "56.27", "57.68", "40.04", r1OmniREADME()},
		{"HumanOmni-7B", "82.46", "74.86", "68.40", "52.94", humanOmniREADME()},
		{"ERV-7B", "", "68.88", "", "47.01", ervPaper()},
		{"MIGR-7B", "", "67.78", "", "44.82", migrPaper()},
	}
}

// RecognitionFor returns the published recognition numbers for a data set ("dfew" or "mafw",
// any case) in docs/reference.md's order; nil for any other data set.
func RecognitionFor(dataset string) []Recognition {
	ds := strings.ToLower(dataset)
	if ds != "dfew" && ds != "mafw" {
		return nil
	}
	var out []Recognition
	for _, r := range recognitionRows() {
		rec := Recognition{Model: r.model, Dataset: ds, Source: r.source}
		if ds == "dfew" {
			rec.WAR, rec.UAR = Number{r.dfewWAR}, Number{r.dfewUAR}
		} else {
			rec.WAR, rec.UAR = Number{r.mafwWAR}, Number{r.mafwUAR}
		}
		out = append(out, rec)
	}
	return out
}

// InconsistencyFor returns the published TF rates for a data set, in docs/reference.md's order; models
// with no number for the data set are left out.
func InconsistencyFor(dataset string) []Inconsistency {
	switch strings.ToLower(dataset) {
	case "dfew":
		return []Inconsistency{
			{Model: "ERV-7B", Dataset: "dfew", TFAll: Number{"13.75"}, Source: ervPaper()},
			{Model: "MIGR-7B", Dataset: "dfew", TFAll: Number{"5.45"}, TFQuoted: Number{"7.37"}, BaselineQuoted: Number{"18.10"}, Source: migrPaper()},
		}
	case "mafw":
		return []Inconsistency{
			{Model: "MIGR-7B", Dataset: "mafw", TFAll: Number{"7.16"}, Source: migrPaper()},
		}
	}
	return nil
}
