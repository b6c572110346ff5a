package plot

import (
	"context"
	"os"
	"testing"
)

// TestLook writes every figure of the fixture as PNG into $LOOKDIR, to be looked at.
func TestLook(t *testing.T) {
	dir := os.Getenv("LOOKDIR")
	if dir == "" {
		t.Skip("set LOOKDIR to write the fixture's figures as PNG")
	}
	if _, err := All(context.Background(), fixtureSummary(), dir, []string{"png"}); err != nil {
		t.Fatal(err)
	}
}
