package lexicon

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sync"
	"testing"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/judges"
)

func TestJudge(t *testing.T) {
	j := New(datasets.MAFW())
	if j.Name() != DefaultName {
		t.Errorf("name %q", j.Name())
	}
	items := []judges.Item{
		{Model: "m1", ClipID: "00001", Text: "She smiles. Therefore, the emotion is anger or frustration.", Pred: "anger"},
		{Model: "m1", ClipID: "00002", Text: ""},
		{Model: "m2", ClipID: "00003", Text: "He is calm. He sighs."},
	}
	got, err := j.Judge(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	want := []judges.Judgment{
		{Judge: "lexicon", Model: "m1", ClipID: "00001", Emotion: "anger",
			Sentences:      []string{"She smiles.", "Therefore, the emotion is anger or frustration."},
			SentenceLabels: []string{"happiness", "anger"}},
		{Judge: "lexicon", Model: "m1", ClipID: "00002", Emotion: "unknown", Abstained: true,
			ReplyRaw: "abstained: no emotional evidence"},
		{Judge: "lexicon", Model: "m2", ClipID: "00003", Emotion: "neutral",
			Sentences: []string{"He is calm.", "He sighs."}, SentenceLabels: []string{"neutral", "disappointment"}},
	}
	trace := regexp.MustCompile(`^([a-z]+=[0-9.]+)( [a-z]+=[0-9.]+){0,3}$`)
	for i := range want {
		g, w := got[i], want[i]
		if w.ReplyRaw == "" {
			if !trace.MatchString(g.ReplyRaw) {
				t.Errorf("item %d: trace %q", i, g.ReplyRaw)
			}
			g.ReplyRaw = ""
		}
		if fmt.Sprintf("%+v", g) != fmt.Sprintf("%+v", w) {
			t.Errorf("item %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
	if got[0].ReplyRaw[:len("anger=")] != "anger=" {
		t.Errorf("trace %q must start with the winning label", got[0].ReplyRaw)
	}
	if named := New(datasets.DFEW(), WithName("lex2")); named.Name() != "lex2" {
		t.Errorf("WithName: %q", named.Name())
	}
}

func TestJudgeCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(datasets.DFEW()).Judge(ctx, []judges.Item{{Text: "angry"}})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

// TestConcurrent runs one Judge from many goroutines (run with -race) and checks that every
// goroutine gets the same answers.
func TestConcurrent(t *testing.T) {
	j := New(datasets.MAFW())
	cases := loadLabelled(t)
	items := make([]judges.Item, len(cases))
	for i, c := range cases {
		items[i] = judges.Item{ClipID: c.ID, Text: c.Text}
	}
	ref, err := j.Judge(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := j.Judge(context.Background(), items)
			if err != nil {
				errs <- err.Error()
				return
			}
			for i := range got {
				if got[i].Emotion != ref[i].Emotion || got[i].ReplyRaw != ref[i].ReplyRaw {
					errs <- fmt.Sprintf("%s: %s/%s vs %s/%s", items[i].ClipID, got[i].Emotion, got[i].ReplyRaw,
						ref[i].Emotion, ref[i].ReplyRaw)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestAbstainedRoundTrip: the judge's abstentions are marked in its judgments and survive
// judgments.parquet, so that metrics can count them apart from answers.
func TestAbstainedRoundTrip(t *testing.T) {
	items := []judges.Item{
		{Model: "m", ClipID: "1", Text: "She sobs. The emotion is sadness."},
		{Model: "m", ClipID: "2", Text: "A man walks to his car."},
		{Model: "m", ClipID: "3", Text: "The face is hidden, so the emotion cannot be determined."},
		{Model: "m", ClipID: "4", Text: "Possible emotions: amusement, irritation, embarrassment, fear."},
	}
	got, err := New(datasets.MAFW()).Judge(context.Background(), items)
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{false, true, true, true}
	for i, jd := range got {
		if jd.Abstained != want[i] || jd.Abstained != (jd.Emotion == datasets.Unknown) {
			t.Errorf("item %s: emotion %s, abstained %v, want abstained %v [%s]", jd.ClipID, jd.Emotion, jd.Abstained,
				want[i], jd.ReplyRaw)
		}
	}
	path := filepath.Join(t.TempDir(), "judgments.parquet")
	w, err := judges.NewWriter(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(got...); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	back, err := judges.ReadJudgments(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range back {
		if back[i].Abstained != got[i].Abstained || back[i].Emotion != got[i].Emotion {
			t.Errorf("item %s: read back %s/%v, wrote %s/%v", got[i].ClipID, back[i].Emotion, back[i].Abstained,
				got[i].Emotion, got[i].Abstained)
		}
	}
}
