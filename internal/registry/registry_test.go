package registry

import (
	"slices"
	"testing"
)

func TestRegistry(t *testing.T) {
	r := New[int]("backend")
	if err := r.Register("b", 2); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("a", 1); err != nil {
		t.Fatal(err)
	}
	if err := r.Register("a", 3); err == nil {
		t.Error("a name registered twice must be an error")
	}
	if err := r.Register("", 3); err == nil {
		t.Error("an empty name must be an error")
	}
	if k, ok := r.Lookup("a"); !ok || k != 1 {
		t.Errorf("Lookup(a) = %d, %v", k, ok)
	}
	if _, ok := r.Lookup("c"); ok {
		t.Error("Lookup of an unknown name")
	}
	if got := r.Names(); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("Names() = %v, want registration order", got)
	}
}
