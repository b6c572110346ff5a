package datasets

// FoldSize is the number of clips in a fold's train and test sets.
type FoldSize struct {
	Train int `json:"train"`
	Test  int `json:"test"`
}

// Official holds the published counts of a data set's standard 5-fold protocol
// (docs/reference.md §6). Per-class counts are in label set order; nil where none are published.
type Official struct {
	Dataset string
	// Clips is the number of single-labelled clips the protocol uses; AllClips the number of
	// clips in the data set (clip ids run from 1 to AllClips).
	Clips    int
	AllClips int
	// Folds[f-1] is the size of fold f.
	Folds [NumFolds]FoldSize
	// TestPerClass maps a fold to its test set's per-class counts (published for fold 5 only).
	TestPerClass map[int32][]int
	// AllPerClass is the per-class count of all Clips (DFEW only). In DFEW every clip is in
	// exactly one fold's test set, so the test sets together have these counts.
	AllPerClass []int
}

// OfficialCounts returns the published counts of dfew or mafw.
func OfficialCounts(dataset string) (*Official, bool) {
	switch dataset {
	case "dfew":
		return &Official{
			Dataset:  "dfew",
			Clips:    11697,
			AllClips: 16372,
			Folds:    [NumFolds]FoldSize{{9356, 2341}, {9356, 2341}, {9357, 2340}, {9358, 2339}, {9361, 2336}},
			// happy, sad, neutral, angry, surprise, disgust, fear
			TestPerClass: map[int32][]int{5: {489, 378, 533, 434, 293, 29, 180}},
			AllPerClass:  []int{2445, 1894, 2669, 2173, 1469, 145, 902},
		}, true
	case "mafw":
		return &Official{
			Dataset:  "mafw",
			Clips:    9172,
			AllClips: 10045,
			Folds:    [NumFolds]FoldSize{{7332, 1838}, {7334, 1836}, {7338, 1832}, {7339, 1831}, {7340, 1831}},
			// anger, disgust, fear, happiness, neutral, sadness, surprise, contempt, anxiety,
			// helplessness, disappointment
			TestPerClass: map[int32][]int{5: {278, 127, 125, 248, 227, 294, 214, 47, 183, 52, 36}},
		}, true
	}
	return nil, false
}
