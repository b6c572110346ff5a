package bom

import (
	"io"
	"strings"
	"testing"
)

func TestReaderAndTrim(t *testing.T) {
	for in, want := range map[string]string{
		Mark + `{"a": 1}`: `{"a": 1}`,
		`{"a": 1}`:        `{"a": 1}`,
		Mark:              "",
		"\xef\xbb":        "\xef\xbb", // a broken mark is not a mark
		"":                "",
	} {
		b, err := io.ReadAll(Reader(strings.NewReader(in)))
		if err != nil || string(b) != want {
			t.Errorf("Reader(%q) = %q, %v; want %q", in, b, err, want)
		}
		if got := string(Trim([]byte(in))); got != want {
			t.Errorf("Trim(%q) = %q", in, got)
		}
	}
}
