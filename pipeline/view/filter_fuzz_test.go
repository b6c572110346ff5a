package view

import (
	"net/url"
	"reflect"
	"testing"
)

// A samples link is outside input: any query either is refused with an error or gives a filter
// whose own link reads back as the same filter.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{"", "model=m&cell=TF&page=2", "q=%3C%2Ftd%3E&size=500", "page=0", "size=99999", "failed=2", "x=1", "model=a&model=b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, err := ParseFilter(q)
		if err != nil {
			return
		}
		if flt.Page < 1 || flt.Size < 1 || flt.Size > MaxPageSize {
			t.Fatalf("%q: page %d size %d", raw, flt.Page, flt.Size)
		}
		back, err := ParseFilter(flt.Query())
		if err != nil || !reflect.DeepEqual(back, flt) {
			t.Fatalf("%q: %+v reads back as %+v, %v", raw, flt, back, err)
		}
	})
}
