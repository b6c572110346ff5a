package pdf

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/emoeval/emoeval/reports/plot"
)

// figures prints each image at the page width (or its natural width at plot.PNGDPI, if
// smaller), as many per page as fit.
func (d *doc) figures() error {
	if len(d.in.Figures) == 0 {
		return nil
	}
	d.section("Figures")
	f := d.f
	for i, path := range d.in.Figures {
		data, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("figure: %w", err)
		}
		kind := strings.TrimPrefix(strings.ToUpper(filepath.Ext(path)), ".")
		if kind == "JPEG" {
			kind = "JPG"
		}
		name := fmt.Sprintf("figure-%d", i)
		opts := fpdf.ImageOptions{ImageType: kind, ReadDpi: false}
		info := f.RegisterImageOptionsReader(name, opts, bytes.NewReader(data))
		if err := f.Error(); err != nil {
			return fmt.Errorf("figure %s: %w", path, err)
		}
		natW, natH := info.Extent() // mm at 72 dpi
		if natW <= 0 || natH <= 0 {
			return fmt.Errorf("figure %s: empty image", path)
		}
		w := min(d.contentWidth(), natW*72/plot.PNGDPI)
		h := w * natH / natW
		if maxH := d.bottom() - marginTop; h > maxH {
			h, w = maxH, maxH*natW/natH
		}
		d.ensure(h + 6)
		x := marginX + (d.contentWidth()-w)/2
		f.ImageOptions(name, x, f.GetY(), w, h, false, opts, 0, "")
		f.SetY(f.GetY() + h + 6)
	}
	return nil
}
