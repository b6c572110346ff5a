package view

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/pipeline"
)

// hostile is what a model might write to break a page: markup that closes the table cell and
// opens a script, an RTL override, and (appended by the fixture) a megabyte of text.
const hostile = "</td><script>alert(1)</script><img src=x onerror=alert(2)> \u202Egnp.exe\u202C {{.Page}} "

// fixture is a scored run directory made in-process, with media files for its first clips.
type fixture struct {
	dir, runDir, mediaRoot, secret string
	split                          *datasets.Split
	clips                          []datasets.Clip
}

// fixtureClips is the number of clips of the fixture's split.
const fixtureClips = 40

// makeRun scores two models ("base" and "cand") over a 40-clip DFEW-like split with the lexicon
// judge and a replayed judge "gpt" whose replies are chosen to fill every quarter cell. cand's
// output for the first clip is hostile (and over a megabyte); base's output for clip 2 is
// given twice (a duplicate) and base fails on clip 3.
func makeRun(t testing.TB, protocol string) *fixture {
	t.Helper()
	dir := t.TempDir()
	fx := &fixture{dir: dir, runDir: filepath.Join(dir, "run"), mediaRoot: filepath.Join(dir, "media")}
	labels := datasets.DFEW()
	split := &datasets.Split{Dataset: "dfew", Labels: labels, Synthetic: true}
	for i := range fixtureClips {
		label := labels.Labels[i%labels.Len()]
		id := fmt.Sprintf("%05d", i+1)
		split.Clips = append(split.Clips, datasets.Clip{Dataset: "dfew", ClipID: id, Fold: 5, Split: datasets.Test, Label: label,
			LabelID: labels.ID(label), VideoPath: filepath.Join(fx.mediaRoot, "clip", id+".mp4"), AudioPath: filepath.Join(fx.mediaRoot, "clip", id+".wav")})
	}
	fx.split, fx.clips = split, split.Clips
	splitPath := filepath.Join(dir, "split.parquet")
	if err := datasets.WriteSplit(splitPath, split); err != nil {
		t.Fatal(err)
	}
	// Media: clip 1 has a real file; clip 2's video is a symbolic link out of the media root;
	// clip 3's is a directory; the rest have none.
	must(t, os.MkdirAll(filepath.Join(fx.mediaRoot, "clip"), 0o755))
	must(t, os.WriteFile(filepath.Join(fx.mediaRoot, "clip", "00001.mp4"), []byte("not really a video"), 0o644))
	fx.secret = filepath.Join(dir, "secret.txt")
	must(t, os.WriteFile(fx.secret, []byte("SECRET"), 0o644))
	must(t, os.Symlink(fx.secret, filepath.Join(fx.mediaRoot, "clip", "00002.mp4")))
	must(t, os.Symlink("../../secret.txt", filepath.Join(fx.mediaRoot, "clip", "00002.wav")))
	must(t, os.MkdirAll(filepath.Join(fx.mediaRoot, "clip", "00003.mp4"), 0o755))

	base := filepath.Join(dir, "base.jsonl")
	cand := filepath.Join(dir, "cand.jsonl")
	gpt := filepath.Join(dir, "gpt_base.jsonl")
	var bl, cl, gl []string
	line := func(id, out string) string {
		b, _ := json.Marshal(map[string]string{"clip_id": id, "output": out})
		return string(b)
	}
	for i, c := range split.Clips {
		wrong := labels.Labels[(i+1)%labels.Len()]
		pred := c.Label
		if i%4 == 3 {
			pred = wrong
		}
		out := fmt.Sprintf("<vis_desc>The face shows signs of being %s.</vis_desc><aud_desc>The voice sounds %s.</aud_desc><think>The person looks %s. The tone is calm.</think><answer>%s</answer>", c.Label, pred, pred, pred)
		switch i {
		case 1:
			bl = append(bl, line(c.ClipID, out)) // a duplicate output: migr scores both
		case 2:
			out = "" // the replay of an empty output
		}
		bl = append(bl, line(c.ClipID, out))
		// The replayed judge: right on even clips, wrong on odd ones, so that every cell fills.
		emotion := c.Label
		if i%2 == 1 {
			emotion = wrong
		}
		b, _ := json.Marshal(map[string]string{"clip_id": c.ClipID, "emotion": emotion})
		gl = append(gl, string(b))
		cout := fmt.Sprintf("<think>I hear %s words and see a %s face.</think><answer>%s</answer>", c.Label, c.Label, c.Label)
		if i == 0 {
			cout = "<vis_desc>" + hostile + "</vis_desc><think>" + hostile + strings.Repeat("calm words and a sad face ", 1<<20/26+1) + "</think><answer>sad</answer>"
		}
		cl = append(cl, line(c.ClipID, cout))
	}
	writeLines(t, base, bl)
	writeLines(t, cand, cl)
	writeLines(t, gpt, gl)
	_, err := pipeline.Score(context.Background(), pipeline.ScoreOptions{
		Split: splitPath, Folds: []int32{5}, Protocol: protocol,
		Models:    []pipeline.ModelFile{{Name: "base", Path: base}, {Name: "cand", Path: cand}},
		Judgments: []pipeline.JudgmentFile{{Judge: "gpt", Model: "base", Path: gpt}},
		Judges:    []string{"lexicon"}, Out: fx.runDir, Report: pipeline.ReportOptions{Formats: []string{"md"}},
		Command: "test", Now: func() time.Time { return time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		t.Fatalf("score: %v", err)
	}
	return fx
}

func writeLines(t testing.TB, path string, lines []string) {
	t.Helper()
	must(t, os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644))
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// load loads a fixture's run.
func (fx *fixture) load(t testing.TB) *Run {
	t.Helper()
	r, err := Load(context.Background(), fx.runDir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
