package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/emoeval/emoeval/eval/chat"
	"github.com/emoeval/emoeval/internal/atomicfile"
)

// failFastStore stops the run at the first answer it cannot keep: a full disk would otherwise
// see every later request paid for, answered and lost.
type failFastStore struct {
	chat.MetaStore
	fail func(error) // cancels the run with the cause
	once sync.Once
}

func (s *failFastStore) Put(ctx context.Context, key string, value []byte) error {
	return s.check(s.MetaStore.Put(ctx, key, value))
}

func (s *failFastStore) PutMeta(ctx context.Context, key string, value []byte, meta string) error {
	return s.check(s.MetaStore.PutMeta(ctx, key, value, meta))
}

func (s *failFastStore) check(err error) error {
	if err != nil {
		s.once.Do(func() { s.fail(&StoreError{Err: err}) })
	}
	return err
}

// StoreError is a run stopped because its response cache, or the spool that keeps its answers
// until they are scored, could not be written.
type StoreError struct {
	Err    error
	What   string // what could not be written; "" for the response cache
	Resume string
}

func (e *StoreError) Error() string {
	what := e.What
	if what == "" {
		what = "the response cache"
	}
	why := what + " cannot be written"
	if atomicfile.IsDiskFull(e.Err) {
		why = "the disk is full: " + why
	}
	msg := fmt.Sprintf("%s (%v); the run stopped sending requests. The answers already kept are in the cache", why, e.Err)
	if e.Resume != "" {
		msg += "; once the cause is fixed, resume with:\n  " + e.Resume
	}
	return msg
}

func (e *StoreError) Unwrap() error { return e.Err }

func (e *StoreError) withResume(cmd string) *StoreError {
	c := *e
	c.Resume = cmd
	return &c
}

// storeFailure is the StoreError that cancelled ctx, if any.
func storeFailure(ctx context.Context) *StoreError {
	var se *StoreError
	if errors.As(context.Cause(ctx), &se) {
		return se
	}
	return nil
}

// asMetaStore gives a store the MetaStore methods, describing no entry when it has none.
func asMetaStore(s chat.Store) chat.MetaStore {
	if ms, ok := s.(chat.MetaStore); ok {
		return ms
	}
	return plainMeta{s}
}

type plainMeta struct{ chat.Store }

func (p plainMeta) PutMeta(ctx context.Context, key string, value []byte, _ string) error {
	return p.Put(ctx, key, value)
}
