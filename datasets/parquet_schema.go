package datasets

import (
	"reflect"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding"
)

// Key-value metadata of a split file.
const (
	metaSchema    = "emoeval.schema"
	metaDataset   = "emoeval.dataset"
	metaLabels    = "emoeval.labels" // the label set as JSON (custom sets travel with the file)
	metaSynthetic = "emoeval.synthetic"
	metaSeed      = "emoeval.seed"

	schemaVersion = "emoeval.split/v1"
)

// orderedGroup is a Parquet group whose columns keep the order they are given in; parquet.Group
// sorts them by name, which would scatter the contract's columns.
type orderedGroup []parquet.Field

type namedNode struct {
	parquet.Node
	name string
}

func (f namedNode) Name() string { return f.name }

// Value is only used when Go values are written by reflection, which split files never are.
func (f namedNode) Value(reflect.Value) reflect.Value { return reflect.Value{} }

func (g orderedGroup) ID() int                     { return 0 }
func (g orderedGroup) String() string              { return parquet.NewSchema("split", g).String() }
func (g orderedGroup) Type() parquet.Type          { return parquet.Group{}.Type() }
func (g orderedGroup) Optional() bool              { return false }
func (g orderedGroup) Repeated() bool              { return false }
func (g orderedGroup) Required() bool              { return true }
func (g orderedGroup) Leaf() bool                  { return false }
func (g orderedGroup) Fields() []parquet.Field     { return g }
func (g orderedGroup) Encoding() encoding.Encoding { return nil }
func (g orderedGroup) Compression() compress.Codec { return nil }
func (g orderedGroup) GoType() reflect.Type        { return goStructOf(g) }

func goStructOf(fields []parquet.Field) reflect.Type {
	sf := make([]reflect.StructField, len(fields))
	for i, f := range fields {
		sf[i] = reflect.StructField{
			Name: "F" + strconv.Itoa(i),
			Type: f.GoType(),
			Tag:  reflect.StructTag(`parquet:` + strconv.Quote(f.Name())),
		}
	}
	return reflect.StructOf(sf)
}

// writeSchema is the split schema with one list<float32> column per modality, in contract order:
// the scalar columns, then feat_<modality> sorted by modality. Every column is one leaf, so a
// column's position is its leaf index.
func writeSchema(modalities []string) *parquet.Schema {
	dict := func(n parquet.Node) parquet.Node { return parquet.Encoded(n, &parquet.RLEDictionary) }
	g := orderedGroup{
		namedNode{dict(parquet.String()), ColDataset},
		namedNode{parquet.String(), ColClipID},
		namedNode{parquet.Int(32), ColFold},
		namedNode{dict(parquet.String()), ColSplit},
		namedNode{dict(parquet.String()), ColLabel},
		namedNode{parquet.Int(32), ColLabelID},
		namedNode{parquet.Optional(parquet.String()), ColVideoPath},
		namedNode{parquet.Optional(parquet.String()), ColAudioPath},
		namedNode{parquet.Optional(parquet.String()), ColTranscript},
	}
	for _, m := range modalities {
		// Feature vectors hardly compress; storing them plain makes reading faster.
		feat := parquet.Compressed(parquet.Leaf(parquet.FloatType), &parquet.Uncompressed)
		g = append(g, namedNode{parquet.List(feat), FeaturePrefix + m})
	}
	return parquet.NewSchema("split", g)
}
