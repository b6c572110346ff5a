package datasets

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// mafwLayout is where MAFW keeps its single-labelled split lists, below the Labels directory.
const mafwLayout = "single/no_caption"

// locateMAFW finds MAFW's set_{1..5}/{train,test}.txt under dir, which may be the no_caption
// directory itself, single/ or its parent, or a directory further up.
func locateMAFW(dir string) (*officialFiles, error) {
	expected := func(k fileKey) string { return fmt.Sprintf("set_%d/%s.txt", k.fold, k.kind) }
	collect := func(root string) *officialFiles {
		o := &officialFiles{root: root, files: map[fileKey]string{}, expected: expected}
		for fold := int32(1); fold <= NumFolds; fold++ {
			for _, kind := range []string{Train, Test} {
				p := filepath.Join(root, fmt.Sprintf("set_%d", fold), kind+".txt")
				if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
					o.files[fileKey{fold, kind}] = p
				}
			}
		}
		if len(o.files) == 0 && !hasSetDir(root) {
			return nil
		}
		return o
	}
	if _, err := os.Stat(dir); err != nil {
		return nil, inputerr.Wrap(dir, err)
	}
	for _, root := range []string{dir, filepath.Join(dir, "no_caption"), filepath.Join(dir, filepath.FromSlash(mafwLayout))} {
		if o := collect(root); o != nil {
			return o, o.missing()
		}
	}
	found := map[string]*officialFiles{}
	err := walkDir(dir, func(p string) {
		root := filepath.Dir(filepath.Dir(p))
		if strings.HasSuffix(root, string(filepath.Separator)+filepath.FromSlash(mafwLayout)) && found[root] == nil {
			if o := collect(root); o != nil {
				found[root] = o
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return pickLayout(dir, "MAFW", "single/no_caption/set_{1..5}/{train,test}.txt", found)
}

// hasSetDir reports whether root holds a set_N directory, so that a copy with missing lists is
// reported as such rather than as no copy at all.
func hasSetDir(root string) bool {
	for fold := 1; fold <= NumFolds; fold++ {
		if st, err := os.Stat(filepath.Join(root, fmt.Sprintf("set_%d", fold))); err == nil && st.IsDir() {
			return true
		}
	}
	return false
}

// ImportMAFW reads MAFW's official single-labelled split lists
// (single/no_caption/set_{1..5}/{train,test}.txt; dir may also be no_caption or single) into a
// split of the 5 folds, train and test, in that order. With a mediaRoot, video_path and
// audio_path are <mediaRoot>/clips/<id>.mp4 (the audio track is in the clip file).
func ImportMAFW(dir, mediaRoot string) (*Split, error) {
	files, err := locateMAFW(dir)
	if err != nil {
		return nil, err
	}
	return importFiles(MAFW(), files, mediaRoot, ParseMAFWList)
}

// maxLine bounds a line of a split list; official lines are a few dozen bytes.
const maxLine = 1 << 16

// ParseMAFWList parses one official MAFW split list: one "<clip>.mp4 <emotion word>" per line
// (e.g. "03747.mp4 anger"), as the clips of a fold's train or test set. clip_id is the file
// name without its extension; the word is matched case-insensitively against the MAFW labels
// and their synonyms. Blank lines, a byte order mark and CRLF line ends are accepted. name is
// used in errors, which are *inputerr.Error with the line.
func ParseMAFWList(name string, r io.Reader, fold int32, kind string) ([]Clip, error) {
	if err := checkFileArgs(fold, kind); err != nil {
		return nil, err
	}
	data, err := readAllInput(name, r)
	if err != nil {
		return nil, err
	}
	ls := MAFW()
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	var clips []Clip
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 {
			return nil, inputerr.AtLine(name, line, "%s: want \"<clip>.mp4 <emotion>\"", excerpt(text))
		}
		id := strings.TrimSuffix(fields[0], path.Ext(fields[0]))
		if id == "" {
			return nil, inputerr.AtLine(name, line, "clip %s has no name", excerpt(fields[0]))
		}
		label, ok := mafwLabel(ls, fields[1])
		if !ok {
			return nil, inputerr.AtLine(name, line, "unknown emotion %s (MAFW labels: %s)", excerpt(fields[1]), labelList(ls))
		}
		clips = append(clips, Clip{
			Dataset: ls.Name, ClipID: id, Fold: fold, Split: kind, Label: label, LabelID: ls.ID(label),
		})
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, inputerr.AtLine(name, line+1, "line longer than %d bytes", maxLine)
		}
		return nil, inputerr.Wrap(name, err)
	}
	if len(clips) == 0 {
		return nil, inputerr.New(name, "no clips")
	}
	return clips, nil
}

// mafwLabel normalises an emotion word of a MAFW list to its canonical label.
func mafwLabel(ls *LabelSet, word string) (string, bool) {
	w := strings.ToLower(word)
	if ls.Contains(w) {
		return w, true
	}
	l, ok := ls.Synonyms[w]
	return l, ok
}
