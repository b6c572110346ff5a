package chat

import "testing"

func TestDecodeResponseReasoning(t *testing.T) {
	cases := []struct {
		body, text, reasoning string
	}{
		{`{"choices":[{"message":{"content":"<answer>sad</answer>","reasoning_content":"She cries."}}]}`, "<answer>sad</answer>", "She cries."},
		{`{"choices":[{"message":{"content":"<answer>sad</answer>","reasoning":"She cries."}}]}`, "<answer>sad</answer>", "She cries."},
		{`{"choices":[{"message":{"content":"<think>x</think><answer>sad</answer>"}}]}`, "<think>x</think><answer>sad</answer>", ""},
	}
	for _, tc := range cases {
		r, err := DecodeResponse([]byte(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		if r.Text != tc.text || r.Reasoning != tc.reasoning {
			t.Errorf("%s: text %q reasoning %q", tc.body, r.Text, r.Reasoning)
		}
	}
}
