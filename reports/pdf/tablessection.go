package pdf

// tables prints the headline tables.
func (d *doc) tables() error {
	if len(d.in.Tables) == 0 {
		return nil
	}
	d.section("Results")
	for _, t := range d.in.Tables {
		if t != nil && t.ID != "published-vs-run" { // on the first page
			d.table(t, true)
		}
	}
	return nil
}
