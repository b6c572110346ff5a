package slug

import (
	"strings"
	"testing"
)

func TestOf(t *testing.T) {
	cases := []struct{ in, want string }{
		{"gpt", "gpt"},
		{"r1-omni_7B.v2", "r1-omni_7B.v2"},
		{"a/b", "a-b-"},
		{"r1-omni@audio", "r1-omni-audio-"},
		{"../etc/passwd", "etc-passwd-"},
		{"", "x-"},
		{"模型", "x-"},
		{"😀", "x-"},
		{"-lead", "lead-"},
		{strings.Repeat("ab", 40), strings.Repeat("ab", 24) + "-"},
	}
	seen := map[string]string{}
	for _, c := range cases {
		got := Of(c.in)
		if !strings.HasPrefix(got, c.want) || (strings.HasSuffix(c.want, "-") && len(got) != len(c.want)+8) {
			t.Errorf("Of(%q) = %q, want %q…", c.in, got, c.want)
		}
		if !Is(got) {
			t.Errorf("Of(%q) = %q is not itself a slug", c.in, got)
		}
		if prev, ok := seen[got]; ok {
			t.Errorf("Of(%q) = Of(%q) = %q", c.in, prev, got)
		}
		seen[got] = c.in
	}
	if Of("a/b") == Of("a-b") || Of("a/b") == Of("a b") || Of("Migr") == Of("migr") {
		t.Error("distinct names share a slug")
	}
	if long := strings.Repeat("m", 300); Of(long) == Of(long+"x") || len(Of(long)) > 60 {
		t.Errorf("Of(300 bytes) = %q", Of(long))
	}
}

func FuzzOf(f *testing.F) {
	for _, s := range []string{"gpt", "a/b", "", "模型", "r1-omni@audio"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := Of(name)
		if !Is(got) || len(got) > 60 {
			t.Fatalf("Of(%q) = %q", name, got)
		}
		if Of(name) != got {
			t.Fatal("not deterministic")
		}
	})
}
