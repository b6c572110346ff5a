package config

import "strings"

// RedactURL drops user information, query and fragment from a URL, which may carry keys.
func RedactURL(e string) string {
	if i := strings.Index(e, "://"); i >= 0 {
		rest := e[i+3:]
		host, _, _ := strings.Cut(rest, "/")
		if at := strings.LastIndex(host, "@"); at >= 0 {
			e = e[:i+3] + rest[at+1:]
		}
	}
	if q := strings.IndexAny(e, "?#"); q >= 0 {
		e = e[:q]
	}
	return e
}
