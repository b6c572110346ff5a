package view

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// --- annotation start ---

type startData struct {
	Page                               pageInfo
	Annotator, Judge, Allocation, File string
	Seed                               uint64
	Total, Population, Answered        int
	Blind                              bool
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	a := s.ann
	alloc := a.Opts.Allocation
	if alloc == "" {
		alloc = AllocEqual
	}
	s.render(w, http.StatusOK, "start", startData{Page: s.page("Annotation"), Annotator: a.Opts.Annotator, Judge: a.Opts.Judge,
		Allocation: alloc, File: a.store.Path(), Seed: a.Opts.Seed, Total: a.Len(), Population: a.Population,
		Answered: a.Answered(), Blind: !a.Opts.Unblind})
}

// --- one item ---

type annotateData struct {
	Page                  pageInfo
	Done                  bool
	Annotator, File       string
	Item, Total, Answered int
	Input                 string
	Sections              []sectionView
	Unblind               *unblindInfo
	CSRF                  string
	Buttons               []answerButton
	KeyHelp               string
	Prev, Next            string
}

type unblindInfo struct {
	Model, Pred, Judge, JudgeLabel, Cell, Truth string
}

type answerButton struct {
	Value, Key, Text string
	Selected         bool
}

// answerKeys are the keys of the labels in order: 1–9, 0, then letters (n is "none").
func answerKeys(n int) []string {
	keys := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"}
	for c := 'a'; c <= 'z' && len(keys) < n; c++ {
		if c != 'n' {
			keys = append(keys, string(c))
		}
	}
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

func itemURL(i int) string { return "/annotate?item=" + strconv.Itoa(i) }

func (s *Server) annotate(w http.ResponseWriter, r *http.Request) {
	a, ix := s.ann, s.run.Index
	item := a.Next() + 1 // without ?item=, the first unanswered: a reload resumes
	if v := r.URL.Query().Get("item"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > a.Len() {
			s.fail(w, http.StatusBadRequest, fmt.Sprintf("item=%q: the sample has items 1 to %d.", v, a.Len()))
			return
		}
		item = n
	}
	d := annotateData{Page: s.page("Annotate"), Annotator: a.Opts.Annotator, File: a.store.Path(), Total: a.Len(), Answered: a.Answered(), CSRF: s.csrf}
	d.Page.Scripts = []string{"/static/annotate.js"}
	if item > a.Len() {
		d.Done, d.Prev = true, itemURL(a.Len())
		s.render(w, http.StatusOK, "annotate", d)
		return
	}
	d.Item = item
	it := a.Items[item-1]
	d.Input = "think"
	if jd := ix.Judgment(a.judge, it.Row); jd != nil && jd.Input != "" {
		d.Input = jd.Input
	}
	for _, sec := range Explanation(ix, a.judge, it.Row) {
		d.Sections = append(d.Sections, sectionView{Name: sec.Name, Segs: segments(sec.Text)})
	}
	if a.Opts.Unblind {
		p := ix.Row(it.Row)
		u := &unblindInfo{Model: p.Model, Pred: p.Pred, Judge: a.Opts.Judge, Cell: ix.Cell(a.judge, it.Row), Truth: p.Label}
		if jd := ix.Judgment(a.judge, it.Row); jd != nil {
			u.JudgeLabel = jd.Emotion
		}
		d.Unblind = u
	}
	current := a.Answer(item - 1)
	keys := answerKeys(ix.Labels.Len())
	for k, l := range ix.Labels.Labels {
		b := answerButton{Value: l, Text: l, Selected: current == l}
		if k < len(keys) {
			b.Key = keys[k]
		}
		d.Buttons = append(d.Buttons, b)
	}
	d.Buttons = append(d.Buttons, answerButton{Value: NoEmotion, Key: "n", Text: "none / cannot tell", Selected: current == NoEmotion})
	if len(keys) > 0 {
		d.KeyHelp = keys[0] + "–" + keys[len(keys)-1] + " the labels in order"
	}
	if item > 1 {
		d.Prev = itemURL(item - 1)
	}
	if item < a.Len() {
		d.Next = itemURL(item + 1)
	}
	s.render(w, http.StatusOK, "annotate", d)
}

// answer records one answer (a form post) and moves on to the next unanswered item after it, or
// the next item when re-answering.
func (s *Server) answer(w http.ResponseWriter, r *http.Request) {
	a := s.ann
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	if err := r.ParseForm(); err != nil {
		s.fail(w, http.StatusBadRequest, "The answer did not read: "+err.Error())
		return
	}
	if !sameOrigin(r) || !TokenEqual(r.PostForm.Get("csrf"), s.csrf) {
		s.fail(w, http.StatusForbidden, errBadForm.Error())
		return
	}
	item, err := strconv.Atoi(r.PostForm.Get("item"))
	if err != nil || item < 1 || item > a.Len() {
		s.fail(w, http.StatusBadRequest, fmt.Sprintf("item %q: the sample has items 1 to %d.", r.PostForm.Get("item"), a.Len()))
		return
	}
	if err := a.Put(s.run.Index, item-1, r.PostForm.Get("emotion")); err != nil {
		s.fail(w, http.StatusBadRequest, "The answer was not saved: "+err.Error())
		return
	}
	next := item + 1
	for next <= a.Len() && a.Answer(next-1) != "" {
		next++
	}
	if next > a.Len() {
		if n := a.Next(); n < a.Len() {
			next = n + 1 // items skipped earlier
		}
	}
	http.Redirect(w, r, itemURL(next), http.StatusSeeOther)
}

// --- agreement ---

type agreementData struct {
	Page       pageInfo
	Error      string
	File       string
	Rows       int
	Annotators []string
	Pairs      []Agreement
	Judges     []judgeAgreement
}

type judgeAgreement struct {
	Agreement
	Weighted      bool
	WeightedAgree float64
}

func (s *Server) agreement(w http.ResponseWriter, r *http.Request) {
	store := NewHumanStore(s.run.Dir)
	d := agreementData{Page: s.page("Agreement"), File: store.Path()}
	rows, err := store.Read()
	if err != nil {
		d.Error = err.Error()
	}
	d.Rows = len(rows)
	for _, h := range rows {
		if !slices.Contains(d.Annotators, h.Annotator) {
			d.Annotators = append(d.Annotators, h.Annotator)
		}
	}
	slices.Sort(d.Annotators)
	d.Pairs = AnnotatorAgreement(rows)
	if s.ann == nil {
		// Judges' labels only outside an annotation session, which must not show them.
		d.Judges = JudgeAgreement(s.run.Index, rows)
	}
	s.render(w, http.StatusOK, "agreement", d)
}

// JudgeAgreement compares each annotator with each judge on the explanations both read: Cohen's
// κ, raw agreement, and for the judge that stratified the annotator's sample, the agreement
// weighted by 1 / inclusion probability (an estimate over all of that judge's explanations). A
// judge's "unknown" counts as NoEmotion; failed judgments are left out.
func JudgeAgreement(ix *Index, rows []HumanRow) []judgeAgreement {
	var names []string
	for _, h := range rows {
		if !slices.Contains(names, h.Annotator) {
			names = append(names, h.Annotator)
		}
	}
	slices.Sort(names)
	var out []judgeAgreement
	for _, name := range names {
		for j, judge := range ix.Judges {
			var ha, jb []string
			var wsum, wagree float64
			weighted := false
			for _, h := range rows {
				if h.Annotator != name {
					continue
				}
				row := lastRow(ix, h.Model, h.ClipID)
				if row < 0 {
					continue
				}
				jd := ix.Judgment(j, row)
				if jd == nil || jd.Error != "" {
					continue
				}
				e := jd.Emotion
				if e == "" || e == datasets.Unknown {
					e = NoEmotion
				}
				ha, jb = append(ha, h.Emotion), append(jb, e)
				if h.Judge == judge && h.InclusionProb > 0 {
					weighted = true
					wsum += 1 / h.InclusionProb
					if h.Emotion == e {
						wagree += 1 / h.InclusionProb
					}
				}
			}
			if len(ha) == 0 {
				continue
			}
			ag := judgeAgreement{Agreement: Agreement{A: name, B: judge, N: len(ha), Kappa: CohenKappa(ha, jb)}, Weighted: weighted}
			agree := 0
			for k := range ha {
				if ha[k] == jb[k] {
					agree++
				}
			}
			ag.Agree = float64(agree) / float64(len(ha))
			if weighted {
				ag.WeightedAgree = wagree / wsum
			}
			out = append(out, ag)
		}
	}
	return out
}

// lastRow is a model's last output row for a clip, or -1.
func lastRow(ix *Index, model, clip string) int32 {
	rows := ix.ClipRows(clip)
	for k := len(rows) - 1; k >= 0; k-- {
		if ix.Row(rows[k]).Model == model {
			return rows[k]
		}
	}
	return -1
}

// FormatAgreement writes the annotator agreement for a terminal, one pair a line.
func FormatAgreement(pairs []Agreement) string {
	if len(pairs) == 0 {
		return ""
	}
	var b strings.Builder
	for _, p := range pairs {
		k := "n/a"
		if !math.IsNaN(p.Kappa) {
			k = fmt.Sprintf("%.3f", p.Kappa)
		}
		fmt.Fprintf(&b, "%s × %s: Cohen's κ %s over %d shared items (agreement %s)\n", p.A, p.B, k, p.N, pct(p.Agree))
	}
	return b.String()
}
