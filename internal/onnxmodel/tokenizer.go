package onnxmodel

import "encoding/json"

// Special token ids of BertTokenizerJSON.
const (
	PadID = 0
	UnkID = 1
	ClsID = 2
	SepID = 3
)

// BertTokenizerJSON returns a HuggingFace tokenizer.json for a lower-casing BERT WordPiece
// tokenizer: [PAD] 0, [UNK] 1, [CLS] 2, [SEP] 3, then words in order from id 4 (a word starting
// with ## is a continuation piece). Sentences encode as [CLS] … [SEP].
func BertTokenizerJSON(words []string) []byte {
	vocab := map[string]int{"[PAD]": PadID, "[UNK]": UnkID, "[CLS]": ClsID, "[SEP]": SepID}
	for i, w := range words {
		vocab[w] = i + 4
	}
	special := func(id int, content string) map[string]any {
		return map[string]any{"id": id, "content": content, "single_word": false, "lstrip": false,
			"rstrip": false, "normalized": false, "special": true}
	}
	tok := func(kind, id string, typeID int) map[string]any {
		return map[string]any{kind: map[string]any{"id": id, "type_id": typeID}}
	}
	doc := map[string]any{
		"version":    "1.0",
		"truncation": nil,
		"padding":    nil,
		"added_tokens": []any{special(PadID, "[PAD]"), special(UnkID, "[UNK]"),
			special(ClsID, "[CLS]"), special(SepID, "[SEP]")},
		"normalizer": map[string]any{"type": "BertNormalizer", "clean_text": true,
			"handle_chinese_chars": true, "strip_accents": nil, "lowercase": true},
		"pre_tokenizer": map[string]any{"type": "BertPreTokenizer"},
		"post_processor": map[string]any{
			"type":   "TemplateProcessing",
			"single": []any{tok("SpecialToken", "[CLS]", 0), tok("Sequence", "A", 0), tok("SpecialToken", "[SEP]", 0)},
			"pair": []any{tok("SpecialToken", "[CLS]", 0), tok("Sequence", "A", 0), tok("SpecialToken", "[SEP]", 0),
				tok("Sequence", "B", 1), tok("SpecialToken", "[SEP]", 1)},
			"special_tokens": map[string]any{
				"[CLS]": map[string]any{"id": "[CLS]", "ids": []int{ClsID}, "tokens": []string{"[CLS]"}},
				"[SEP]": map[string]any{"id": "[SEP]", "ids": []int{SepID}, "tokens": []string{"[SEP]"}},
			},
		},
		"decoder": map[string]any{"type": "WordPiece", "prefix": "##", "cleanup": true},
		"model": map[string]any{"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
			"max_input_chars_per_word": 100, "vocab": vocab},
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		panic(err) // the document is built from plain maps and cannot fail to encode
	}
	return out
}
