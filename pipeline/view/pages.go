package view

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/eval/variant"
	"github.com/emoeval/emoeval/pipeline"
)

// --- overview ---

type overviewData struct {
	Page                    pageInfo
	Dataset, Protocol, Kind string
	Folds                   string
	Finished                string
	Counts                  *pipeline.RunCounts
	Notes                   []string
	Labels                  []string
	Models                  []modelRow
	Judges                  []judgeTable
	MissingNote             string
	HumanRows               int
}

type modelRow struct {
	Name, Variant                                    string
	N, Correct, Unknown, Failed, Missing, Duplicates int
	WAR, UAR, F1                                     float64
	LinkN, LinkCorrect, LinkUnknown, LinkFailed      string
	PerClass                                         []classCell
}

type classCell struct {
	Recall           float64
	Support, Correct int
	Link             string
}

type judgeTable struct {
	Judge string
	Rows  []quarterRow
}

type quarterRow struct {
	Model                         string
	N, Errors                     int
	Cells                         []quarterCell
	TFGivenCorrect, EPC, Fallback float64
	LinkN, LinkErrors             string
}

type quarterCell struct {
	Name  string
	Count int
	Share float64
	Link  string
}

func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	sum, m := s.run.Summary, s.run.Manifest
	d := overviewData{Page: s.page("Overview"), Dataset: sum.Dataset, Protocol: sum.Protocol, Kind: m.Kind,
		Finished: m.Finished.UTC().Format("2006-01-02 15:04 MST"), Counts: m.Counts, Labels: sum.Labels}
	folds := make([]string, len(sum.Folds))
	for i, f := range sum.Folds {
		folds[i] = fmt.Sprint(f)
	}
	d.Folds = strings.Join(folds, ", ")
	if s.run.MediaNote != "" {
		d.Notes = append(d.Notes, s.run.MediaNote)
	}
	missing := 0
	for _, name := range sum.ModelOrder {
		ms := sum.Models[name]
		if ms == nil {
			continue
		}
		missing += ms.Missing
		row := modelRow{Name: name, Variant: ms.Variant, N: ms.N, Correct: ms.Correct, Unknown: ms.Unknown, Failed: ms.Failed,
			Missing: ms.Missing, Duplicates: ms.Duplicates, WAR: ms.WAR, UAR: ms.UAR, F1: ms.MacroF1,
			LinkN:       Filter{Model: name, Scored: "1"}.URL(),
			LinkCorrect: Filter{Model: name, Scored: "1", Correct: "1"}.URL(),
			LinkUnknown: Filter{Model: name, Scored: "1", Pred: "unknown"}.URL(),
			LinkFailed:  Filter{Model: name, Failed: "1"}.URL()}
		for _, l := range sum.Labels {
			c := ms.PerClass[l]
			row.PerClass = append(row.PerClass, classCell{Recall: c.Recall, Support: c.Support, Correct: c.Correct,
				Link: Filter{Model: name, Scored: "1", Truth: l}.URL()})
		}
		d.Models = append(d.Models, row)
	}
	for _, j := range sum.Judges {
		t := judgeTable{Judge: j}
		for _, name := range sum.ModelOrder {
			ms := sum.Models[name]
			if ms == nil || ms.Reliability[j] == nil {
				continue
			}
			rel := ms.Reliability[j]
			q := quarterRow{Model: name, N: rel.N, Errors: rel.Errors, TFGivenCorrect: rel.TFGivenCorrect, EPC: rel.EPC, Fallback: rel.Fallback,
				LinkN: Filter{Model: name, Scored: "1"}.URL(), LinkErrors: Filter{Model: name, Judge: j, JudgeError: "1", Scored: "1"}.URL()}
			for _, c := range []struct {
				name  string
				count int
				share float64
			}{{"TT", rel.Counts.TT, rel.TT}, {"TF", rel.Counts.TF, rel.TF}, {"FT", rel.Counts.FT, rel.FT}, {"FF", rel.Counts.FF, rel.FF}} {
				q.Cells = append(q.Cells, quarterCell{Name: c.name, Count: c.count, Share: c.share, Link: Filter{Model: name, Judge: j, Cell: c.name}.URL()})
			}
			t.Rows = append(t.Rows, q)
		}
		d.Judges = append(d.Judges, t)
	}
	if missing > 0 && s.run.Protocol == parse.ProtocolRobust {
		d.MissingNote = s.missingNote()
	}
	if rows, err := NewHumanStore(s.run.Dir).Read(); err == nil {
		d.HumanRows = len(rows)
	} else {
		d.Notes = append(d.Notes, err.Error())
	}
	s.render(w, http.StatusOK, "overview", d)
}

// missingNote explains why a robust run's counts can exceed the rows behind them.
func (s *Server) missingNote() string {
	return "Under the robust protocol a clip of the split with no output is scored as unknown (the \"missing\" column): it counts in n, in FF and in the unknown column, but has no row to show."
}

// --- samples ---

type samplesData struct {
	Page                    pageInfo
	F                       Filter
	Options                 filterOptions
	Error                   string
	R                       *Result
	From, To                int
	Took                    string
	Judges                  []string
	Rows                    []sampleRow
	First, Prev, Next, Last string
	MissingNote             string
}

type filterOptions struct {
	Models, Variants, Labels, Statuses, Judges, Emotions, Cells []string
}

type sampleRow struct {
	ClipID, ClipLink, Model, Variant, Truth, Pred, Status string
	Failed, Scored, Correct                               bool
	Judges                                                []judgeCell
	Excerpt                                               []seg
}

type judgeCell struct{ Label, Cell string }

func (s *Server) samples(w http.ResponseWriter, r *http.Request) {
	ix := s.run.Index
	variants, labels, statuses, emotions := ix.Values()
	d := samplesData{Page: s.page("Samples"), Judges: ix.Judges,
		Options: filterOptions{Models: ix.Models, Variants: variants, Labels: labels, Statuses: statuses, Judges: ix.Judges, Emotions: emotions, Cells: Cells()}}
	f, err := ParseFilter(r.URL.Query())
	d.F = f
	if err == nil {
		start := time.Now()
		d.R, err = ix.Search(f)
		d.Took = fmt.Sprintf("%.1f ms", float64(time.Since(start).Microseconds())/1000)
	}
	if err != nil {
		d.Error = err.Error()
		s.render(w, http.StatusBadRequest, "samples", d)
		return
	}
	d.F = d.R.Filter
	if d.R.Total > 0 {
		d.From = (d.R.Page-1)*d.F.Size + 1
		d.To = d.From + len(d.R.Rows) - 1
	}
	if d.R.Page > 1 {
		d.First, d.Prev = d.F.WithPage(1).URL(), d.F.WithPage(d.R.Page-1).URL()
	}
	if d.R.Page < d.R.Pages {
		d.Next, d.Last = d.F.WithPage(d.R.Page+1).URL(), d.F.WithPage(d.R.Pages).URL()
	}
	if s.run.Protocol == parse.ProtocolRobust && (f.Cell == "FF" || f.Pred == "unknown") {
		d.MissingNote = s.missingNote()
	}
	for _, i := range d.R.Rows {
		p := ix.Row(i)
		row := sampleRow{ClipID: p.ClipID, ClipLink: "/clip?" + url.Values{"id": {p.ClipID}}.Encode(), Model: p.Model, Variant: p.Variant,
			Truth: p.Label, Pred: p.Pred, Status: p.ParseStatus, Failed: p.Error != "", Scored: ix.Scored(i),
			Correct: ix.info[i].flags&flagCorrect != 0}
		text := p.Think
		if text == "" {
			text = p.RawOutput
		}
		if p.Error != "" {
			text = p.Error
		}
		row.Excerpt = segments(excerpt(text, 200))
		for j := range ix.Judges {
			c := judgeCell{Cell: ix.Cell(j, i)}
			if jd := ix.Judgment(j, i); jd != nil {
				c.Label = jd.Emotion
				if jd.Error != "" {
					c.Label = "error"
				}
			}
			row.Judges = append(row.Judges, c)
		}
		d.Rows = append(d.Rows, row)
	}
	s.render(w, http.StatusOK, "samples", d)
}

// --- one clip ---

type clipData struct {
	Page          pageInfo
	ClipID, Truth string
	Fold          int32
	Media         []mediaLink
	Outputs       []outputCard
}

type mediaLink struct{ Kind, Path, URL, Why string }

type outputCard struct {
	Model, Variant, Pred, PredQuarter, Status, Order, Normalized, FinishReason string
	PredQuarterDiffers, Correct, Failed, Scored, HasRaw                        bool
	Error                                                                      []seg
	Latency                                                                    float64
	Attempts, Line                                                             int32
	Nth, Of                                                                    int
	Sections                                                                   []sectionView
	Probs                                                                      []probCell
	Raw                                                                        []seg
	RawSize                                                                    string
	Judges                                                                     []judgeBlock
}

type sectionView struct {
	Name string
	Segs []seg
}

type probCell struct {
	Label string
	P     float32
}

type judgeBlock struct {
	Judge, Emotion, Cell, Input, Normalized string
	Fallback, Abstained, HasReply           bool
	Error, Reply                            []seg
	Sentences                               []sentenceView
}

type sentenceView struct {
	Segs         []seg
	Label, Class string
}

func (s *Server) clip(w http.ResponseWriter, r *http.Request) {
	ix := s.run.Index
	id := r.URL.Query().Get("id")
	rows := slices.Clone(ix.ClipRows(id))
	if id == "" || len(rows) == 0 {
		s.fail(w, http.StatusNotFound, fmt.Sprintf("No output in this run is for clip %q.", id))
		return
	}
	// Every model side by side, the av passes first (the models as the run configured them),
	// then the video-only and audio-only passes.
	slices.SortStableFunc(rows, func(a, b int32) int {
		va, vb := ix.Row(a).Variant != string(variant.AV), ix.Row(b).Variant != string(variant.AV)
		if va != vb {
			if va {
				return 1
			}
			return -1
		}
		return int(ix.info[a].model) - int(ix.info[b].model)
	})
	first := ix.Row(rows[0])
	d := clipData{Page: s.page("Clip " + first.ClipID), ClipID: first.ClipID, Truth: first.Label, Fold: first.Fold}
	for _, kind := range []string{MediaVideo, MediaAudio} {
		p := s.run.Media.Path(first.ClipID, kind)
		if p == "" {
			continue
		}
		ml := mediaLink{Kind: kind, Path: p}
		if s.run.Media.Available(first.ClipID, kind) {
			ml.URL = "/media/" + kind + "/" + url.PathEscape(first.ClipID)
		} else {
			ml.Why = "no regular file at this path under the media root " + s.run.Media.Root()
		}
		d.Media = append(d.Media, ml)
	}
	perModel := map[string]int{}
	for _, i := range rows {
		perModel[ix.Row(i).Model]++
	}
	seen := map[string]int{}
	for _, i := range rows {
		d.Outputs = append(d.Outputs, s.card(i, perModel, seen))
	}
	s.render(w, http.StatusOK, "clip", d)
}

// card is one output of a clip with everything known about it.
func (s *Server) card(i int32, perModel, seen map[string]int) outputCard {
	ix := s.run.Index
	p := ix.Row(i)
	c := outputCard{Model: p.Model, Variant: p.Variant, Pred: p.Pred, PredQuarter: p.PredQuarter, Status: p.ParseStatus,
		Order: p.Order, Normalized: p.Normalized, FinishReason: p.FinishReason, Latency: p.LatencyMS, Attempts: p.Attempts, Line: p.Line,
		PredQuarterDiffers: p.PredQuarter != "" && p.PredQuarter != p.Pred && s.run.Protocol == parse.ProtocolMigr,
		Correct:            ix.info[i].flags&flagCorrect != 0, Failed: p.Error != "", Scored: ix.Scored(i), Error: segments(p.Error)}
	if perModel[p.Model] > 1 {
		seen[p.Model]++
		c.Nth, c.Of = seen[p.Model], perModel[p.Model]
	}
	for _, sec := range []Section{{"vis_desc", p.VisDesc}, {"aud_desc", p.AudDesc}, {"think", p.Think}, {"answer", p.AnswerRaw}} {
		if sec.Text != "" {
			c.Sections = append(c.Sections, sectionView{Name: sec.Name, Segs: segments(sec.Text)})
		}
	}
	for k, pr := range p.Probs {
		label := fmt.Sprintf("#%d", k+1)
		if k < len(ix.Labels.Labels) {
			label = ix.Labels.Labels[k]
		}
		c.Probs = append(c.Probs, probCell{Label: label, P: pr})
	}
	// The raw output is shown apart only when the tags do not already hold all of it.
	if p.RawOutput != "" {
		c.HasRaw, c.Raw, c.RawSize = true, segments(p.RawOutput), byteSize(len(p.RawOutput))
	}
	for j, name := range ix.Judges {
		jd := ix.Judgment(j, i)
		if jd == nil && ix.Cell(j, i) == "" {
			continue
		}
		b := judgeBlock{Judge: name, Cell: ix.Cell(j, i)}
		if jd != nil {
			b.Emotion, b.Input, b.Normalized, b.Fallback, b.Abstained = jd.Emotion, jd.Input, jd.Normalized, jd.Fallback, jd.Abstained
			b.Error, b.Reply, b.HasReply = segments(jd.Error), segments(jd.ReplyRaw), jd.ReplyRaw != ""
			for k, sent := range jd.Sentences {
				label := ""
				if k < len(jd.SentenceLabels) {
					label = jd.SentenceLabels[k]
				}
				b.Sentences = append(b.Sentences, sentenceView{Segs: segments(sent), Label: label, Class: labelClass(ix, label)})
			}
		}
		c.Judges = append(c.Judges, b)
	}
	return c
}

// labelClass is the highlight class of a sentence label: a colour per label of the set.
func labelClass(ix *Index, label string) string {
	if label == "" {
		return "none"
	}
	if k := ix.Labels.Index(label); k >= 0 && k < 12 {
		return fmt.Sprintf("lab-%d", k)
	}
	return "lab-other"
}

// --- media ---

func (s *Server) media(w http.ResponseWriter, r *http.Request) {
	kind, clip := r.PathValue("kind"), r.PathValue("clip")
	if kind != MediaVideo && kind != MediaAudio {
		s.fail(w, http.StatusNotFound, "Media kinds are video and audio.")
		return
	}
	f, st, err := s.run.Media.Open(clip, kind)
	if err != nil {
		s.fail(w, http.StatusNotFound, "No media file to serve for this clip.")
		return
	}
	defer f.Close()
	ctype, inline := mediaType(st.Name())
	w.Header().Set("Content-Type", ctype)
	if !inline {
		w.Header().Set("Content-Disposition", "attachment")
	}
	http.ServeContent(w, r, "", st.ModTime(), f)
}
