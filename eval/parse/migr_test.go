package parse

import (
	"testing"

	"github.com/emoeval/emoeval/datasets"
)

// Outputs in the shapes R1-Omni and MIGR really produce, with the faults docs/reference.md §2 lists.
const (
	r1Clean = "<think>The woman's eyebrows are drawn together and her voice breaks; she wipes tears.</think>\n<answer>sad</answer>"
	// Generation cut at the length limit inside the answer.
	r1NoCloseAnswer = "<think>He shouts and slams the table.</think>\n<answer>angry"
	// Cut inside the reasoning: no </think>, no answer.
	r1NoCloseThink = "<think>The man looks around nervously and his voice trembles, and then"
	migrVision     = "<vis_desc>Wide eyes, mouth open, raised eyebrows.</vis_desc>\n<aud_desc>A sharp gasp.</aud_desc>\n" +
		"<think>The sudden gasp and raised eyebrows show surprise.</think>\n<answer>surprise</answer>"
	migrAudio = "<aud_desc>Loud, trembling voice.</aud_desc><vis_desc>Clenched jaw.</vis_desc>" +
		"<think>The loud voice and clenched jaw suggest anger.</think><answer>anger</answer><|im_end|>"
)

func TestMigrDFEW(t *testing.T) {
	p := NewParser(datasets.DFEW(), ProtocolMigr)
	tests := []struct {
		name, raw               string
		answer, pred, quarter   string
		status                  Status
		reason                  string
		order                   Order
		visDesc, audDesc, think string
	}{
		{name: "clean R1-Omni", raw: r1Clean, answer: "sad", pred: "sad", quarter: "sad", status: StatusOK,
			reason: "The woman's eyebrows are drawn together and her voice breaks; she wipes tears.", order: OrderNoDesc,
			think: "The woman's eyebrows are drawn together and her voice breaks; she wipes tears."},
		{name: "missing </answer>: rule 1 takes the rest of the record", raw: r1NoCloseAnswer,
			answer: "angry", pred: "angry", quarter: "angry", status: StatusUnclosedAnswer,
			reason: "He shouts and slams the table.", order: OrderNoDesc, think: "He shouts and slams the table."},
		{name: "missing </answer>, more text after it", raw: "<think>x</think><answer>happy\nthe end",
			answer: "happy the end", pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusUnknownLabel,
			reason: "x", order: OrderNoDesc, think: "x"},
		{name: "missing </think>: no reason, lenient Think", raw: r1NoCloseThink,
			answer: "<think>The man looks around nervously and his voice trembles, and then", pred: datasets.Unknown,
			quarter: datasets.Unknown, status: StatusNoAnswer, reason: "", order: OrderNoDesc,
			think: "The man looks around nervously and his voice trembles, and then"},
		{name: "MIGR vision first", raw: migrVision, answer: "surprise", pred: "surprise", quarter: "surprise",
			status: StatusOK, reason: "The sudden gasp and raised eyebrows show surprise.", order: OrderVisionFirst,
			visDesc: "Wide eyes, mouth open, raised eyebrows.", audDesc: "A sharp gasp.",
			think: "The sudden gasp and raised eyebrows show surprise."},
		{name: "MIGR audio first, synonym anger, trailing im_end", raw: migrAudio, answer: "anger", pred: "angry",
			quarter: "angry", status: StatusOK, reason: "The loud voice and clenched jaw suggest anger.",
			order: OrderAudioFirst, visDesc: "Clenched jaw.", audDesc: "Loud, trembling voice.",
			think: "The loud voice and clenched jaw suggest anger."},
		{name: "sadness exactly maps to sad", raw: "<answer>Sadness</answer>", answer: "Sadness", pred: "sad",
			quarter: "sad", status: StatusOK, order: OrderNoDesc},
		{name: "sadness inside a phrase does not", raw: "<answer>deep sadness</answer>", answer: "deep sadness",
			pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusUnknownLabel, order: OrderNoDesc},
		{name: "happiness anywhere maps to happy", raw: "<answer>Happiness.</answer>", answer: "Happiness.",
			pred: "happy", quarter: "happy", status: StatusOK, order: OrderNoDesc},
		{name: "happiness beats anger (rule order)", raw: "<answer>anger turning to happiness</answer>",
			answer: "anger turning to happiness", pred: "happy", quarter: "happy", status: StatusOK, order: OrderNoDesc},
		{name: "angry with a period is outside the set", raw: "<answer>angry.</answer>", answer: "angry.",
			pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusUnknownLabel, order: OrderNoDesc},
		{name: "out-of-set answer", raw: "<think>Calm face.</think><answer>calm</answer>", answer: "calm",
			pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusUnknownLabel, reason: "Calm face.",
			order: OrderNoDesc, think: "Calm face."},
		{name: "repeated answers: the first wins", raw: "<answer>happy</answer> <answer>sad</answer>", answer: "happy",
			pred: "happy", quarter: "happy", status: StatusOK, order: OrderNoDesc},
		{name: "repeated open tags: text between the first two", raw: "<answer>fear<answer>sad</answer>", answer: "fear",
			pred: "fear", quarter: "fear", status: StatusUnclosedAnswer, order: OrderNoDesc},
		{name: "closing tag only before the answer", raw: "</answer><answer>fear", answer: "fear", pred: "fear",
			quarter: "fear", status: StatusUnclosedAnswer, order: OrderNoDesc},
		{name: "no tags, chat end marker: rule 2", raw: "Neutral<|im_end|>", answer: "Neutral", pred: "neutral",
			quarter: datasets.Unknown, status: StatusNoAnswer, order: OrderNoDesc},
		{name: "no tags, marker after lines: rule 2 on the joined record", raw: "I think\nfear\n<|im_end|>",
			answer: "I think fear", pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusNoAnswer, order: OrderNoDesc},
		{name: "no tags: rule 3, the text to the next pipe", raw: " disgust |extra", answer: "disgust", pred: "disgust",
			quarter: datasets.Unknown, status: StatusNoAnswer, order: OrderNoDesc},
		{name: "a pipe in the reasoning hides the answer from the consistency script",
			raw: "<think>She smiles | laughs.</think><answer>happy</answer>", answer: "happy", pred: "happy",
			quarter: datasets.Unknown, status: StatusOK, reason: "", order: OrderNoDesc, think: "She smiles | laughs."},
		{name: "multi-line answer: lines are stripped and joined by one space",
			raw: "<think>a\n  b</think>\n<answer>\n   fear   \n</answer>\n", answer: "fear", pred: "fear", quarter: "fear",
			status: StatusOK, reason: "a b", order: OrderNoDesc, think: "a\n  b"},
		{name: "CRLF and lone CR end lines as in Python text mode", raw: "<think>x\r\ny\rz</think>\r\n<answer>surprise\r\n</answer>",
			answer: "surprise", pred: "surprise", quarter: "surprise", status: StatusOK, reason: "x y z", order: OrderNoDesc,
			think: "x\r\ny\rz"},
		{name: "a blank line inside adds a space", raw: "<answer>happy\n\nsad</answer>", answer: "happy  sad",
			pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusUnknownLabel, order: OrderNoDesc},
		{name: "vertical tab is stripped but does not end a line", raw: "<answer>\vsad\v</answer>", answer: "sad",
			pred: "sad", quarter: "sad", status: StatusOK, order: OrderNoDesc},
		{name: "upper case tags are not tags", raw: "<ANSWER>happy</ANSWER>", answer: "<ANSWER>happy</ANSWER>",
			pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusNoAnswer, order: OrderNoDesc},
		{name: "dotted capital I lowers to i + U+0307 as in Python", raw: "<answer>SURPRİSE</answer>", answer: "SURPRİSE",
			pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusUnknownLabel, order: OrderNoDesc},
		{name: "empty", raw: "", answer: "", pred: datasets.Unknown, quarter: datasets.Unknown, status: StatusEmpty, order: OrderNoDesc},
		{name: "whitespace only", raw: " \n\t\r\n ", answer: "", pred: datasets.Unknown, quarter: datasets.Unknown,
			status: StatusEmpty, order: OrderNoDesc},
		{name: "empty answer", raw: "<think>hm</think><answer></answer>", answer: "", pred: datasets.Unknown,
			quarter: datasets.Unknown, status: StatusUnknownLabel, reason: "hm", order: OrderNoDesc, think: "hm"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := p.Parse(tt.raw)
			if o.AnswerRaw != tt.answer || o.Pred != tt.pred || o.QuarterPred != tt.quarter || o.Status != tt.status {
				t.Errorf("answer, pred, quarter, status = %q, %q, %q, %q; want %q, %q, %q, %q",
					o.AnswerRaw, o.Pred, o.QuarterPred, o.Status, tt.answer, tt.pred, tt.quarter, tt.status)
			}
			if o.Reason != tt.reason {
				t.Errorf("reason = %q; want %q", o.Reason, tt.reason)
			}
			if o.Order != tt.order || o.VisDesc != tt.visDesc || o.AudDesc != tt.audDesc || o.Think != tt.think {
				t.Errorf("order, vis, aud, think = %q, %q, %q, %q; want %q, %q, %q, %q",
					o.Order, o.VisDesc, o.AudDesc, o.Think, tt.order, tt.visDesc, tt.audDesc, tt.think)
			}
			if o.Normalized != "" {
				t.Errorf("normalized = %q under migr", o.Normalized)
			}
		})
	}
}

func TestMigrMAFW(t *testing.T) {
	p := NewParser(datasets.MAFW(), ProtocolMigr)
	tests := []struct {
		raw, pred, quarter string
		status             Status
	}{
		{"<answer>angry</answer>", "anger", "anger", StatusOK},
		{"<answer>Sad</answer>", "sadness", "sadness", StatusOK},
		{"<answer>anxious</answer>", "anxiety", "anxiety", StatusOK},
		{"<answer>helpless</answer>", "helplessness", "helplessness", StatusOK},
		{"<answer>DISAPPOINTED</answer>", "disappointment", "disappointment", StatusOK},
		{"<answer>unhappy</answer>", "happiness", "happiness", StatusOK}, // contains "happy": the authors' rule
		{"<answer>contemptuous</answer>", "contempt", "contempt", StatusOK},
		{"<answer>very angry</answer>", datasets.Unknown, datasets.Unknown, StatusUnknownLabel}, // "angry" must be exact
		{"<answer>happy", "happiness", "happiness", StatusUnclosedAnswer},
		{"<answer>fear</answer>", "fear", "fear", StatusOK},
		{"<answer>nervous</answer>", datasets.Unknown, datasets.Unknown, StatusUnknownLabel}, // no migr synonym
		{migrAudio, "anger", "anger", StatusOK},
		{"Helplessness<|im_end|>", "helplessness", datasets.Unknown, StatusNoAnswer},
	}
	for _, tt := range tests {
		o := p.Parse(tt.raw)
		if o.Pred != tt.pred || o.QuarterPred != tt.quarter || o.Status != tt.status {
			t.Errorf("Parse(%q) = pred %q, quarter %q, status %q; want %q, %q, %q", tt.raw, o.Pred, o.QuarterPred, o.Status,
				tt.pred, tt.quarter, tt.status)
		}
	}
}

func TestMigrLabel(t *testing.T) {
	custom := &datasets.LabelSet{Name: "mine", Labels: []string{"calm", "tense"}, Synonyms: map[string]string{"relaxed": "calm"}}
	tests := []struct {
		ls          *datasets.LabelSet
		in, want    string
		description string
	}{
		{datasets.DFEW(), "Angry", "angry", "case folded"},
		{datasets.DFEW(), "angry\n", "angry", "newline deleted"},
		{datasets.DFEW(), "an\ngry", "angry", "newline inside deleted"},
		{datasets.DFEW(), " angry", datasets.Unknown, "no trimming (the consistency script sends the judge reply as is)"},
		{datasets.DFEW(), "angry\r\n", datasets.Unknown, "only \\n is deleted"},
		{datasets.DFEW(), "sadness", "sad", "exact sadness"},
		{datasets.DFEW(), "sadness\n", "sad", "sadness after newline deletion"},
		{datasets.DFEW(), "happiness!", "happy", "contains happiness"},
		{datasets.DFEW(), "Anger", "angry", "contains anger"},
		{datasets.DFEW(), "dangerous", "angry", "contains anger, inside a word (authors' quirk)"},
		{datasets.DFEW(), "fearful", datasets.Unknown, "no other synonyms"},
		{datasets.DFEW(), "", datasets.Unknown, "empty"},
		{datasets.DFEW(), "unknown", datasets.Unknown, "unknown is not a label"},
		{datasets.MAFW(), "angry", "anger", "exact angry"},
		{datasets.MAFW(), "happy!", "happiness", "contains happy"},
		{datasets.MAFW(), "contemptuousness", "contempt", "contains contemptuous"},
		{datasets.MAFW(), "sad.", datasets.Unknown, "sad must be exact"},
		{datasets.MAFW(), "Helplessness", "helplessness", "a label, case folded"},
		{custom, "Relaxed", "calm", "custom synonym"},
		{custom, "TENSE\n", "tense", "custom label"},
		{custom, "relaxed ", datasets.Unknown, "custom synonyms are exact"},
	}
	for _, tt := range tests {
		if got := MigrLabel(tt.ls, tt.in); got != tt.want {
			t.Errorf("%s: MigrLabel(%s, %q) = %q; want %q", tt.description, tt.ls.Name, tt.in, got, tt.want)
		}
	}
}

func TestMigrOnelineAndMultilineAgree(t *testing.T) {
	// The same output, once as the model wrote it and once as the id-pipe reader joins it.
	p := NewParser(datasets.DFEW(), ProtocolMigr)
	multi := "<vis_desc>Tears.\n</vis_desc>\r\n  <aud_desc>Sobbing.</aud_desc>\n\n<think>She cries\n and sobs.</think>\n<answer>\nSadness\n</answer>\n"
	joined := "<vis_desc>Tears. </vis_desc> <aud_desc>Sobbing.</aud_desc>  <think>She cries and sobs.</think> <answer> Sadness </answer>"
	a, b := p.Parse(multi), p.Parse(joined)
	if a.AnswerRaw != b.AnswerRaw || a.Pred != b.Pred || a.QuarterPred != b.QuarterPred || a.Reason != b.Reason || a.Status != b.Status {
		t.Errorf("multi-line %+v\n joined %+v", a, b)
	}
	if a.Pred != "sad" || a.Reason != "She cries and sobs." {
		t.Errorf("pred %q reason %q", a.Pred, a.Reason)
	}
}
