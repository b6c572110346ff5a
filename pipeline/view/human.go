package view

import "github.com/emoeval/emoeval/pipeline/human"

// The annotations file lives in package human (which pipeline can import: this package imports
// pipeline); these names keep the viewer's code short.
type (
	// HumanRow is one row of human.parquet.
	HumanRow = human.Row
	// HumanStore writes human.parquet one answer at a time.
	HumanStore = human.Store
)

const (
	// HumanFile is the annotations file of a run directory.
	HumanFile = human.File
	// NoEmotion is the answer "none / cannot tell".
	NoEmotion = human.NoEmotion
)

// ReadHuman reads and checks a human.parquet file (human.Read).
func ReadHuman(path string) ([]HumanRow, error) { return human.Read(path) }

// NewHumanStore is the store of a run directory's human.parquet.
func NewHumanStore(dir string) *HumanStore { return human.NewStore(dir) }
