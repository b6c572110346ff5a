package cache

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
)

var value = []byte(`{"text":"<think>The woman's brows are drawn together and her voice trembles; we can infer a sense of fear.</think><answer>fear</answer>","finish_reason":"stop","prompt_tokens":1200,"completion_tokens":120,"attempts":1,"latency_ms":812}`)

// BenchmarkPut is one goroutine putting: one commit per Put.
func BenchmarkPut(b *testing.B) {
	c, _ := openTemp(b)
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := c.Put(ctx, strconv.Itoa(i), value); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutParallel is 64 goroutines putting: group commits.
func BenchmarkPutParallel(b *testing.B) {
	c, _ := openTemp(b)
	ctx := context.Background()
	var n atomic.Int64
	b.SetParallelism(32) // × GOMAXPROCS goroutines
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := c.Put(ctx, strconv.FormatInt(n.Add(1), 10), value); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkGetParallel(b *testing.B) {
	c, _ := openTemp(b)
	ctx := context.Background()
	const keys = 10000
	var wg sync.WaitGroup
	for g := range 50 {
		wg.Go(func() {
			for i := g; i < keys; i += 50 {
				if err := c.Put(ctx, fmt.Sprint(i), value); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, ok, err := c.Get(ctx, fmt.Sprint(n.Add(1)%keys)); !ok || err != nil {
				b.Error(ok, err)
				return
			}
		}
	})
}
