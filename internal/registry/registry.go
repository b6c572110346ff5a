// Package registry is a small ordered map from kind names to kinds, for the backend and judge
// registries: each component registers its kind once, and configuration blocks are handed to
// the kind their "backend:" or "kind:" key names.
package registry

import "fmt"

// Registry maps names to kinds in registration order. The zero value is empty and ready.
type Registry[K any] struct {
	what  string // "backend", "judge kind": for messages
	names []string
	kinds []K
}

// New returns an empty registry of what ("backend").
func New[K any](what string) *Registry[K] { return &Registry[K]{what: what} }

// Register adds a kind; a name registered twice is an error.
func (r *Registry[K]) Register(name string, k K) error {
	if name == "" {
		return fmt.Errorf("a %s needs a name", r.what)
	}
	if _, ok := r.Lookup(name); ok {
		return fmt.Errorf("%s %q is registered twice", r.what, name)
	}
	r.names = append(r.names, name)
	r.kinds = append(r.kinds, k)
	return nil
}

// Lookup finds a kind by name.
func (r *Registry[K]) Lookup(name string) (K, bool) {
	for i, n := range r.names {
		if n == name {
			return r.kinds[i], true
		}
	}
	var zero K
	return zero, false
}

// Names lists the registered names in order.
func (r *Registry[K]) Names() []string { return append([]string(nil), r.names...) }
