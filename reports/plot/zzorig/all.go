package plot

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/emoeval/emoeval/metrics"
)

// Figures builds every figure the summary has data for, in report order: recognition, per-class
// recall, quarter bars per judge, confusion per model, drift per judge, MI × order, judge
// agreement. Figure names are unique.
func Figures(s *metrics.Summary) ([]*Figure, error) {
	if s == nil {
		return nil, nil
	}
	type build func() (*Figure, error)
	builds := []build{
		func() (*Figure, error) { return Recognition(s) },
		func() (*Figure, error) { return PerClassRecall(s) },
	}
	for _, j := range judges(s) {
		builds = append(builds, func() (*Figure, error) { return Quarter(s, j) })
	}
	for _, m := range models(s) {
		builds = append(builds, func() (*Figure, error) { return Confusion(s, m) })
	}
	for _, j := range judges(s) {
		builds = append(builds, func() (*Figure, error) { return Drift(s, j) })
	}
	builds = append(builds,
		func() (*Figure, error) { return MIOrder(s) },
		func() (*Figure, error) { return JudgeAgreement(s) })

	var figs []*Figure
	used := map[string]bool{}
	for _, b := range builds {
		f, err := b()
		if errors.Is(err, ErrNoData) {
			continue
		}
		if err != nil {
			return nil, err
		}
		f.Name = uniqueName(f.Name, used)
		figs = append(figs, f)
	}
	return figs, nil
}

// uniqueName appends -2, -3 … to name until it is unused (two model names can share a slug).
func uniqueName(name string, used map[string]bool) string {
	out := name
	for i := 2; used[out]; i++ {
		out = name + "-" + strconv.Itoa(i)
	}
	used[out] = true
	return out
}

// All renders every figure the summary has data for into dir, once per format (png, svg, pdf),
// and returns the paths written, figure by figure in report order. Figures are rendered in
// parallel; each file is written atomically.
func All(ctx context.Context, s *metrics.Summary, dir string, formats []string) ([]string, error) {
	for _, f := range formats {
		if !slices.Contains(knownFormats, f) {
			return nil, fmt.Errorf("unknown figure format %q (want one of %s)", f, strings.Join(knownFormats, ", "))
		}
	}
	figs, err := Figures(s)
	if err != nil {
		return nil, err
	}
	paths := make([][]string, len(figs))
	g, ctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, f := range figs {
		g.Go(func() error {
			for _, format := range formats {
				if err := ctx.Err(); err != nil {
					return err
				}
				path := filepath.Join(dir, f.Name+"."+format)
				if err := Save(f, path, 0, 0); err != nil {
					return err
				}
				paths[i] = append(paths[i], path)
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return slices.Concat(paths...), nil
}
