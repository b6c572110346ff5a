package reference

import (
	"fmt"
	"testing"
)

// The numbers of docs/reference.md §7, transcribed independently of the package's table.
func TestRecognitionFor(t *testing.T) {
	want := map[string][]string{
		"dfew": {
			"HumanOmni-0.5B 22.64 19.44 R1-Omni README",
			"EMER-SFT (0.5B) 38.66 35.31 R1-Omni README",
			"MAFW-DFEW-SFT (0.5B) 60.23 44.39 R1-Omni README",
			"R1-Omni-0.5B 65.83 56.27 R1-Omni README",
			"HumanOmni-7B 82.46 74.86 HumanOmni README",
			"ERV-7B - 68.88 ERV paper",
			"MIGR-7B - 67.78 MIGR paper",
		},
		"MAFW": {
			"HumanOmni-0.5B 20.18 13.52 R1-Omni README",
			"EMER-SFT (0.5B) 38.39 28.02 R1-Omni README",
			"MAFW-DFEW-SFT (0.5B) 50.44 30.39 R1-Omni README",
			"R1-Omni-0.5B 57.68 40.04 R1-Omni README",
			"HumanOmni-7B 68.40 52.94 HumanOmni README",
			"ERV-7B - 47.01 ERV paper",
			"MIGR-7B - 44.82 MIGR paper",
		},
	}
	text := func(n Number) string {
		if !n.Reported() {
			return "-"
		}
		return n.Text
	}
	for ds, rows := range want {
		got := RecognitionFor(ds)
		if len(got) != len(rows) {
			t.Fatalf("%s: %d rows, want %d", ds, len(got), len(rows))
		}
		for i, r := range got {
			line := fmt.Sprintf("%s %s %s %s", r.Model, text(r.WAR), text(r.UAR), r.Source.Name)
			if line != rows[i] {
				t.Errorf("%s row %d = %q, want %q", ds, i, line, rows[i])
			}
			if r.Source.URL == "" {
				t.Errorf("%s %s has no source URL", ds, r.Model)
			}
		}
	}
	if got := RecognitionFor("ferv39k"); got != nil {
		t.Errorf("unknown data set gave %v", got)
	}
}

func TestInconsistencyFor(t *testing.T) {
	dfew := InconsistencyFor("dfew")
	if len(dfew) != 2 || dfew[0].Model != "ERV-7B" || dfew[0].TFAll.Text != "13.75" ||
		dfew[1].Model != "MIGR-7B" || dfew[1].TFAll.Text != "5.45" ||
		dfew[1].TFQuoted.Text != "7.37" || dfew[1].BaselineQuoted.Text != "18.10" {
		t.Errorf("dfew = %+v", dfew)
	}
	mafw := InconsistencyFor("mafw")
	if len(mafw) != 1 || mafw[0].Model != "MIGR-7B" || mafw[0].TFAll.Text != "7.16" || mafw[0].TFQuoted.Reported() {
		t.Errorf("mafw = %+v", mafw)
	}
	if InconsistencyFor("custom") != nil {
		t.Error("unknown data set gave rows")
	}
}

func TestNumberPercent(t *testing.T) {
	for _, ds := range []string{"dfew", "mafw"} {
		for _, r := range RecognitionFor(ds) {
			for _, n := range []Number{r.WAR, r.UAR} {
				v, ok := n.Percent()
				if ok != n.Reported() || ok && (v <= 0 || v >= 100) {
					t.Errorf("%s %s: %q gives %v, %v", ds, r.Model, n.Text, v, ok)
				}
			}
		}
	}
	if v, ok := (Number{"67.78"}).Percent(); !ok || v != 67.78 {
		t.Errorf("Percent(67.78) = %v, %v", v, ok)
	}
}

func TestSourceString(t *testing.T) {
	s := RecognitionFor("dfew")[6].Source.String()
	if s != "MIGR paper (third-party extraction), https://arxiv.org/abs/2512.02699" {
		t.Errorf("got %q", s)
	}
}

func ExampleRecognitionFor() {
	for _, r := range RecognitionFor("dfew")[3:5] {
		fmt.Printf("%s: WAR %s, UAR %s (%s)\n", r.Model, r.WAR.Text, r.UAR.Text, r.Source.Name)
	}
	// Output:
	// R1-Omni-0.5B: WAR 65.83, UAR 56.27 (R1-Omni README)
	// HumanOmni-7B: WAR 82.46, UAR 74.86 (HumanOmni README)
}
