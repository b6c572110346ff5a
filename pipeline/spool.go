package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/emoeval/emoeval/eval/runner"
	"github.com/emoeval/emoeval/eval/variant"
)

// spoolFile holds a run's answers in its staging area while the run goes on.
const spoolFile = "answers.spool"

// answerSpool keeps the models' answers on disk from the moment they arrive until they are
// scored: an outcome in memory holds only where its text is, so a run's memory depends on its
// concurrency and the answer size limit, not on how many answers the split asks for.
type answerSpool struct {
	mu   sync.Mutex
	f    *os.File
	off  int64
	refs map[spoolKey]spoolRef
	fail func(error) // stops the run at the first answer that cannot be kept
	once sync.Once
}

type spoolKey struct {
	model, clip string
	variant     variant.Variant
	sample      int
}

type spoolRef struct {
	off int64
	n   int
}

func newAnswerSpool(dir string, fail func(error)) (*answerSpool, error) {
	f, err := os.OpenFile(filepath.Join(dir, spoolFile), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, err
	}
	return &answerSpool{f: f, refs: map[spoolKey]spoolRef{}, fail: fail}, nil
}

func keyOf(model string, t runner.Task) spoolKey {
	return spoolKey{model: model, clip: t.Clip.ClipID, variant: t.Variant, sample: t.SampleIndex}
}

// wrap is the backend layer that moves each answer's text into the spool.
func (s *answerSpool) wrap(model string, b runner.Backend) runner.Backend {
	return spooled{model: model, inner: b, spool: s}
}

type spooled struct {
	model string
	inner runner.Backend
	spool *answerSpool
}

func (b spooled) Predict(ctx context.Context, tasks []runner.Task) ([]runner.Result, error) {
	res, err := b.inner.Predict(ctx, tasks)
	for i := range res {
		if res[i].Raw == "" || i >= len(tasks) {
			continue
		}
		if perr := b.spool.put(keyOf(b.model, tasks[i]), res[i].Raw); perr != nil {
			res[i].Err = perr
		}
		res[i].Raw = ""
	}
	return res, err
}

func (s *answerSpool) put(k spoolKey, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.f.WriteAt([]byte(text), s.off); err != nil {
		err = fmt.Errorf("keep an answer on disk: %w", err)
		s.once.Do(func() { s.fail(&StoreError{Err: err, What: "the run's answers"}) })
		return err
	}
	s.refs[k] = spoolRef{off: s.off, n: len(text)}
	s.off += int64(len(text))
	return nil
}

// text is an outcome's answer: from the spool when it went there, else as the outcome holds it.
func (s *answerSpool) text(model string, oc runner.Outcome) (string, error) {
	if s == nil {
		return oc.Raw, nil
	}
	s.mu.Lock()
	ref, ok := s.refs[keyOf(model, oc.Task)]
	s.mu.Unlock()
	if !ok {
		return oc.Raw, nil
	}
	buf := make([]byte, ref.n)
	if _, err := s.f.ReadAt(buf, ref.off); err != nil {
		return "", fmt.Errorf("read an answer back from %s: %w", s.f.Name(), err)
	}
	return string(buf), nil
}

// close removes the spool.
func (s *answerSpool) close() {
	if s != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}
