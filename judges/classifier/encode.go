package classifier

import (
	"errors"
	"fmt"
	"os"

	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/pretrained"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// encoder turns sentences into token ids with a HuggingFace tokenizer.json. Padding and
// truncation are done here, not by the tokenizer, so that a batch is padded to its longest
// sentence and a truncated sentence keeps its closing special token.
type encoder struct {
	tk     *tokenizer.Tokenizer
	maxLen int
	padID  int64
}

// loadEncoder reads a tokenizer.json; who names the judge in errors.
func loadEncoder(who, path string, maxLen int) (e *encoder, err error) {
	bad := func(err error) error {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in the message
		}
		return &inputerr.Error{File: path, Msg: who + ": cannot load the tokenizer (a HuggingFace tokenizer.json is needed)", Err: err}
	}
	// The tokenizer library asserts JSON types without checking them: a malformed file panics.
	defer func() {
		if r := recover(); r != nil {
			err = bad(fmt.Errorf("unexpected content: %v", r))
		}
	}()
	tk, err := pretrained.FromFile(path)
	if err != nil {
		return nil, bad(err)
	}
	e = &encoder{tk: tk, maxLen: maxLen}
	if p := tk.GetPadding(); p != nil {
		e.padID = int64(p.PadId)
	} else {
		for _, tok := range []string{"[PAD]", "<pad>"} {
			if id, ok := tk.TokenToId(tok); ok {
				e.padID = int64(id)
				break
			}
		}
	}
	tk.WithPadding(nil)
	tk.WithTruncation(nil)
	return e, nil
}

// encode returns the token ids of one sentence with the tokenizer's special tokens, at most maxLen.
func (e *encoder) encode(sentence string) (ids []int64, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("tokenizer failed: %v", r)
		}
	}()
	enc, err := e.tk.EncodeSingle(sentence, true)
	if err != nil {
		return nil, fmt.Errorf("tokenizer failed: %w", err)
	}
	raw := enc.Ids
	if len(raw) > e.maxLen {
		last := len(raw) - 1
		if special := enc.SpecialTokenMask; len(special) == len(raw) && special[last] == 1 {
			raw = append(raw[:e.maxLen-1:e.maxLen-1], raw[last]) // keep [SEP] / </s>
		} else {
			raw = raw[:e.maxLen]
		}
	}
	ids = make([]int64, len(raw))
	for i, id := range raw {
		ids[i] = int64(id)
	}
	return ids, nil
}
