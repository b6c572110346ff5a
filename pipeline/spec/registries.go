package spec

import (
	"github.com/emoeval/emoeval/eval/backend"
	"github.com/emoeval/emoeval/eval/backend/onnx"
	"github.com/emoeval/emoeval/eval/backend/openai"
	backendreplay "github.com/emoeval/emoeval/eval/backend/replay"
	"github.com/emoeval/emoeval/judges"
	"github.com/emoeval/emoeval/judges/classifier"
	"github.com/emoeval/emoeval/judges/lexicon"
	"github.com/emoeval/emoeval/judges/llm"
	judgereplay "github.com/emoeval/emoeval/judges/replay"
)

// DefaultRegistries are emoeval's backend and judge kinds. A new kind is one package with a
// Config and a Kind, and one line here.
func DefaultRegistries() Registries {
	b, err := backend.NewRegistry(openai.Kind(), onnx.Kind(), backendreplay.Kind())
	if err != nil {
		panic(err) // the kinds above are distinct and complete
	}
	j, err := judges.NewRegistry(llm.Kind(), lexicon.Kind(), classifier.Kind(), judgereplay.Kind())
	if err != nil {
		panic(err)
	}
	return Registries{Backends: b, Judges: j}
}
