package lexicon

import (
	"math"
	"strings"
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

// TestRules checks each rule of the judge on a short text of its own.
func TestRules(t *testing.T) {
	js := builtinJudges()
	tests := []struct {
		rule, set, text, want string
	}{
		// word families and phrases
		{"family", "dfew", "He answers angrily.", "angry"},
		{"family", "dfew", "She keeps sobbing.", "sad"},
		{"family", "dfew", "She is frustrated with the delay.", "angry"},
		{"phrase", "dfew", "Then she bursts into tears.", "sad"},
		{"phrase", "dfew", "His eyes are welling up.", "sad"},
		{"phrase", "dfew", "He raises his voice at the waiter.", "angry"},
		{"phrase", "mafw", "She rolls her eyes at him.", "contempt"},
		{"phrase", "mafw", "He is at a loss and says nothing can be done.", "helplessness"},
		{"phrase", "mafw", "He feels let down by his brother.", "disappointment"},
		{"phrase", "dfew", "She wrinkles her nose at the smell.", "disgust"},
		{"phrase", "dfew", "Her eyes go wide and she gasps.", "surprise"},
		{"phrase", "mafw", "He keeps fidgeting and looks uneasy.", "anxiety"},

		// negation
		{"negation", "dfew", "She is not angry.", "neutral"},
		{"negation", "dfew", "There is no sign of fear in his eyes.", "neutral"},
		{"negation", "dfew", "He speaks without any anger.", "neutral"},
		{"negation", "dfew", "She is neither happy nor sad.", "neutral"},
		{"negation", "dfew", "He doesn't seem upset.", "neutral"},
		{"negation", "dfew", "Her voice lacks joy.", "neutral"},
		{"negation", "dfew", "She doesn’t look scared at all.", "neutral"},
		{"negation after", "dfew", "Fear is absent from her face.", "neutral"},
		{"negation after", "dfew", "Anger is not present in his voice.", "neutral"},
		{"negation after", "dfew", "His smile disappears.", "neutral"},
		{"negation list", "mafw", "There are no signs of anger, fear or sadness.", "neutral"},
		{"negation blocked", "dfew", "She can't hide her anger.", "angry"},
		{"negation blocked", "dfew", "He couldn't stop crying.", "sad"},
		{"negation blocked", "dfew", "She is trying not to cry.", "sad"},
		{"not only", "dfew", "He is not only angry but also hurt.", "angry"},
		{"not X but Y", "dfew", "The emotion is not anger but sadness.", "sad"},
		{"negation then", "dfew", "She is not happy; she is crying.", "sad"},
		{"negation first word only", "dfew", "She is not smiling and looks sad.", "sad"},
		{"negation ends at and", "dfew", "She did not expect this and is shocked.", "surprise"},
		{"more than", "dfew", "He is more sad than angry.", "sad"},
		{"rather than", "mafw", "The emotion is anxiety rather than fear.", "anxiety"},

		// intensity and hedges
		{"intensifier", "dfew", "He is slightly annoyed and deeply saddened.", "sad"},
		{"downtoner", "dfew", "Her face shows a faint smile but is mostly calm.", "neutral"},
		{"hedge", "dfew", "She may be a little angry, but she is clearly terrified.", "fear"},
		// A forced smile is no evidence of any emotion: the judge abstains.
		{"forced", "dfew", "He puts on a forced smile.", unknownLabel},

		// contrast
		{"but", "dfew", "At first she smiles, but her voice reveals deep sadness.", "sad"},
		{"although first", "dfew", "Although he smiles, his eyes are full of tears.", "sad"},
		{"although after", "dfew", "He looks sad, although he is smiling.", "sad"},
		{"however", "dfew", "She laughs. However, her eyes are filled with tears.", "sad"},
		{"despite", "mafw", "Despite her smile, she is clearly anxious.", "anxiety"},
		{"from to", "dfew", "Her expression shifts from surprise to anger.", "angry"},
		{"turns into", "dfew", "The shock quickly turns into fear.", "fear"},

		// concluding inference
		{"conclusion", "dfew", "He smiles and laughs. His voice is cheerful. Therefore, the emotion is sadness.", "sad"},
		{"conclusion", "dfew", "We can infer a sense of anger.", "angry"},
		{"inference verb", "dfew", "Her wide eyes and trembling voice suggest fear.", "fear"},
		{"conclusion governs", "mafw", "The man shows sadness, and the emotion is most likely helplessness.", "helplessness"},

		// two emotions
		{"two, first named", "mafw", "The emotion is anger or dissatisfaction.", "anger"},
		{"two, first named", "dfew", "The emotion is a mix of surprise and fear.", "surprise"},
		{"two, first named", "dfew", "She feels fear and surprise.", "fear"},
		{"two, mixed with", "dfew", "His expression is anger mixed with sadness.", "angry"},

		// whose emotion, and what modifies it
		{"other person", "dfew", "He stays calm while the other person looks scared.", "neutral"},
		{"qualified laugh", "mafw", "She gives a nervous laugh.", "anxiety"},
		{"qualified shouting", "dfew", "He is shouting with excitement.", "happy"},
		{"qualified trembling", "dfew", "He is trembling with rage.", "angry"},
		{"tears of joy", "dfew", "She cries tears of joy.", "happy"},
		{"cold smirk", "mafw", "He gives a cold smirk.", "contempt"},

		// nothing emotional: the judge abstains (unknown) rather than guess neutral; an
		// explanation that says there is no emotion is neutral
		{"nothing", "dfew", "A man is talking in an office.", unknownLabel},
		{"nothing", "mafw", "", unknownLabel},
		{"nothing", "mafw", "   \n\t ", unknownLabel},
		{"no emotion", "mafw", "Her face shows no emotion.", "neutral"},

		// abstention: the explanation says the emotion cannot be determined, or its verdict
		// weighs several emotions that conflict
		{"undetermined", "dfew", "His face is hidden. His emotion cannot be determined.", unknownLabel},
		{"undetermined list", "mafw", "It is hard to tell whether he is angry or sad.", unknownLabel},
		{"undetermined part", "dfew", "Her face cannot be seen, so the emotion cannot be determined from the video. " +
			"In the audio she sobs. Therefore she is sad.", "sad"},
		{"undetermined weak", "mafw", "He frowns and shouts. Therefore he is angry. The audio is unclear.", "anger"},
		{"undetermined weak, about the emotion", "mafw", "He frowns and then smiles. His emotion is unclear.", unknownLabel},
		{"conflict", "mafw", "Possible emotions: amusement, irritation, embarrassment, fear.", unknownLabel},
		{"conflict resolved", "mafw", "Possible emotions: amusement, irritation, fear; mainly irritation.", "anger"},

		// quoted speech is the character's words, not the explanation's verdict
		{"quoted", "dfew", `Her voice is soft and breaks. The subtitle says "I hate you, I'm so angry". She is sad.`, "sad"},
		{"quoted mention", "dfew", "The emotion is 'angry'.", "angry"},
		{"quoted cue", "dfew", `He says "but I am fine" and cries.`, "sad"},

		// someone else's emotion
		{"others", "mafw", "The teacher stays calm. The students laugh loudly, but that emotion belongs to them.", "neutral"},

		// a final plain sentence that names an emotion is the verdict
		{"final verdict", "mafw", "At first she argues, which might suggest anger. Later she sighs and looks powerless.",
			"helplessness"},

		// label-set mapping: MAFW concepts DFEW lacks
		{"contempt→disgust", "dfew", "He sneers with open contempt.", "disgust"},
		{"anxiety→fear", "dfew", "She is very nervous and worried.", "fear"},
		{"helplessness→sad", "dfew", "He feels completely helpless.", "sad"},
		{"disappointment→sad", "dfew", "She is deeply disappointed.", "sad"},

		// messy text
		{"caps", "dfew", "ANGRY!!!", "angry"},
		{"no apostrophe", "dfew", "she doesnt look angry", "neutral"},
		{"tags", "dfew", "<think>She is crying.</think><answer>sad</answer>", "sad"},
		{"full width", "dfew", "她很生气。He is furious！", "angry"},
		{"invalid utf-8", "dfew", "\xff\xfeangry\xff", "angry"},
		{"slash", "mafw", "The emotion is anger/frustration.", "anger"},
		{"hyphen", "dfew", "She looks wide-eyed.", "surprise"},
		{"hyphen", "dfew", "His tone is light-hearted.", "happy"},
	}
	for _, tc := range tests {
		t.Run(tc.rule, func(t *testing.T) {
			j := js[tc.set]
			if got := j.Classify(tc.text).Emotion; got != tc.want {
				t.Errorf("%s %q: got %s, want %s [%s]", tc.set, tc.text, got, tc.want, traceOf(j, tc.text))
			}
		})
	}
}

// TestSentences checks sentence splitting and per-sentence labels.
func TestSentences(t *testing.T) {
	j := New(datasets.DFEW())
	tests := []struct {
		text   string
		sents  []string
		labels []string
	}{
		{"Dr. Smith is calm. He says it 3.5 times, e.g. twice! Then she cries?",
			[]string{"Dr. Smith is calm.", "He says it 3.5 times, e.g. twice!", "Then she cries?"},
			[]string{"neutral", "", "sad"}},
		{"She said 'I can't believe it!' Then he laughed.",
			[]string{"She said 'I can't believe it!'", "Then he laughed."},
			[]string{"surprise", "happy"}},
		{"<vis_desc>A frown.</vis_desc><aud_desc>Loud shouting</aud_desc>\n<think>He is angry</think>",
			[]string{"A frown.", "Loud shouting", "He is angry"},
			[]string{"angry", "angry", "angry"}},
		{"first line\nsecond line... still second", []string{"first line", "second line... still second"},
			[]string{"", ""}},
		{"!!! ... ?", nil, nil},
	}
	for _, tc := range tests {
		r := j.Classify(tc.text)
		var sents, labels []string
		for _, s := range r.Sentences {
			sents = append(sents, s.Text)
			labels = append(labels, s.Emotion)
		}
		if strings.Join(sents, "|") != strings.Join(tc.sents, "|") {
			t.Errorf("%q: sentences %q, want %q", tc.text, sents, tc.sents)
		}
		if strings.Join(labels, "|") != strings.Join(tc.labels, "|") {
			t.Errorf("%q: labels %q, want %q", tc.text, labels, tc.labels)
		}
	}
}

// TestScores checks the exported scores and the conclusion's weight.
func TestScores(t *testing.T) {
	j := New(datasets.MAFW())
	r := j.Classify("She smiles. Therefore, the emotion is anger.")
	if r.Emotion != "anger" {
		t.Fatalf("emotion %s", r.Emotion)
	}
	if len(r.Sentences) != 2 || r.Sentences[1].Weight <= r.Sentences[0].Weight {
		t.Fatalf("sentences %+v: the conclusion must weigh more", r.Sentences)
	}
	if r.Scores["anger"] <= r.Scores["happiness"] || r.Scores["happiness"] <= 0 {
		t.Errorf("scores %v", r.Scores)
	}
	if _, ok := r.Scores["fear"]; ok {
		t.Errorf("scores %v: labels without evidence must be left out", r.Scores)
	}
	if got := New(datasets.MAFW()).Classify("nothing to see"); got.Scores != nil || got.Emotion != unknownLabel || !got.Abstained {
		t.Errorf("empty evidence: %+v", got)
	}
}

// TestPick checks the tie rule: an emotion before neutral, then label-set order.
func TestPick(t *testing.T) {
	tests := []struct {
		scores []float64
		neu    int
		want   int
	}{
		{[]float64{1, 1, 0}, 2, 0},
		{[]float64{0, 2, 2}, 1, 2},
		{[]float64{0.1, 0.2, 0}, 2, -1},
		{[]float64{0, 0.3, 0.3}, -1, 1},
		{[]float64{0.25, 0, 0}, 2, 0},
	}
	for _, tc := range tests {
		if got := pick(tc.scores, tc.neu); got != tc.want {
			t.Errorf("pick(%v, neutral=%d) = %d, want %d", tc.scores, tc.neu, got, tc.want)
		}
	}
}

// TestConceptMapping checks how each label set's labels stand for the core concepts.
func TestConceptMapping(t *testing.T) {
	custom, err := datasets.ParseLabelSet("custom.yaml", []byte(
		"name: mine\nlabels: [Calm, tense, joyful]\nsynonyms: {nervy: tense}\n"))
	if err != nil {
		t.Fatal(err)
	}
	noNeutral, err := datasets.ParseLabelSet("pn.yaml", []byte("name: pn\nlabels: [positive, negative]\nsynonyms: {glad: positive}\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		labels *datasets.LabelSet
		want   map[concept]string // "" = dropped
	}{
		{datasets.DFEW(), map[concept]string{happiness: "happy", sadness: "sad", neutral: "neutral",
			anger: "angry", surprise: "surprise", disgust: "disgust", fear: "fear", contempt: "disgust",
			anxiety: "fear", helplessness: "sad", disappointment: "sad"}},
		{datasets.MAFW(), map[concept]string{happiness: "happiness", sadness: "sadness", neutral: "neutral",
			anger: "anger", surprise: "surprise", disgust: "disgust", fear: "fear", contempt: "contempt",
			anxiety: "anxiety", helplessness: "helplessness", disappointment: "disappointment"}},
		{custom, map[concept]string{happiness: "joyful", neutral: "calm", anger: "", anxiety: "", fear: ""}},
		{noNeutral, map[concept]string{happiness: "positive", neutral: "", sadness: ""}},
	}
	for _, tc := range tests {
		m := mapConcepts(tc.labels)
		for c, want := range tc.want {
			got := ""
			if m[c] >= 0 {
				got = tc.labels.Labels[m[c]]
			}
			if got != want {
				t.Errorf("%s: %s → %q, want %q", tc.labels.Name, conceptCodes[c], got, want)
			}
		}
	}
}

// TestCustomLabels checks a custom set: concepts where labels name them, the label words
// themselves otherwise, and unknown when the set has no neutral label.
func TestCustomLabels(t *testing.T) {
	custom, err := datasets.ParseLabelSet("custom.yaml", []byte(
		"name: mine\nlabels: [calm, tense, joyful, über]\nsynonyms: {on edge: tense, wound up: tense}\n"))
	if err != nil {
		t.Fatal(err)
	}
	noNeutral, err := datasets.ParseLabelSet("pn.yaml", []byte("name: pn\nlabels: [positive, negative]\n"))
	if err != nil {
		t.Fatal(err)
	}
	j, pn := New(custom), New(noNeutral)
	tests := []struct {
		j          *Judge
		text, want string
	}{
		{j, "He is very tense.", "tense"},
		{j, "She is completely wound up.", "tense"},
		{j, "He is not tense at all.", "calm"},
		{j, "She is laughing happily.", "joyful"},
		{j, "He is furious.", datasets.Unknown}, // no label stands for anger: no evidence, abstains
		{j, "Nothing happens.", datasets.Unknown},
		{pn, "Nothing happens.", datasets.Unknown},
		{pn, "positive", "positive"},
		{pn, "She is happy.", datasets.Unknown}, // no label names happiness
	}
	for _, tc := range tests {
		if got := tc.j.Classify(tc.text).Emotion; got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestTablesCompile builds the lexicon and checks that every table entry is reachable: each
// single-word pattern with a meaning resolves to it.
func TestTablesCompile(t *testing.T) {
	lx, err := build(datasets.MAFW())
	if err != nil {
		t.Fatal(err)
	}
	patterns := lx.patternByID
	lx.freeze()
	if len(lx.entries) < len(emotionTerms) || len(lx.phrases) == 0 {
		t.Fatalf("%d entries, %d phrases", len(lx.entries), len(lx.phrases))
	}
	t.Logf("%d patterns, %d phrases, %d trie nodes", len(lx.patEntry), len(lx.phrases), len(lx.trie.nodes))
	for p, id := range patterns {
		w, stem := strings.CutSuffix(p, "*")
		ids := lookup(&lx.trie, w, hashWord(w))
		if ids[0] != id && ids[1] != id && ids[2] != id {
			t.Errorf("pattern %q (stem %v) does not resolve to itself: %v", p, stem, ids)
		}
	}
}

// TestLongInput: long inputs in one sentence, one word, or many sentences are read in linear
// time (a quadratic rule would make this test run for minutes) and still judged.
func TestLongInput(t *testing.T) {
	j := New(datasets.DFEW())
	tests := []struct {
		name, text, want string
		sentences        int
	}{
		{"one sentence", strings.Repeat("she is not angry, she is very sad ", 15000), "sad", 1},
		{"many cues", strings.Repeat("angry but sad although happy, therefore scared ", 10000), "", 1},
		{"one word", strings.Repeat("a", 1<<20), unknownLabel, 1},
		{"many sentences", strings.Repeat("He smiles. ", 20000) + "Therefore, he is happy.", "happy", 20001},
		{"punctuation only", strings.Repeat(".,;!?", 100000), unknownLabel, 0},
	}
	for _, tc := range tests {
		r := j.Classify(tc.text)
		for l, v := range r.Scores {
			if math.IsInf(v, 0) || math.IsNaN(v) {
				t.Errorf("%s: score %s=%v", tc.name, l, v)
			}
		}
		if tc.want == "" { // any label: only that it finishes with finite scores
			tc.want = r.Emotion
		}
		if r.Emotion != tc.want || len(r.Sentences) != tc.sentences {
			t.Errorf("%s: %s with %d sentences, want %s with %d", tc.name, r.Emotion, len(r.Sentences), tc.want, tc.sentences)
		}
	}
}
