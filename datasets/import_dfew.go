package datasets

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/internal/inputerr"
)

// NumFolds is the number of folds of the DFEW and MAFW protocols.
const NumFolds = 5

// MediaPath is where a clip's file is under a media root, in the data set's own layout: DFEW
// <root>/clip/<id>.mp4, MAFW <root>/clips/<id>.mp4. The importers use it for both video_path and
// audio_path, because the audio track is inside the clip file. It returns "" for an empty root
// or another dataset.
func MediaPath(dataset, root, clipID string) string {
	if root == "" {
		return ""
	}
	switch dataset {
	case "dfew":
		return filepath.Join(root, "clip", clipID+".mp4")
	case "mafw":
		return filepath.Join(root, "clips", clipID+".mp4")
	}
	return ""
}

// fileKey names one official split file: a fold's train or test list.
type fileKey struct {
	fold int32
	kind string
}

// officialFiles is one copy of a dataset's split files, found under the directory a user gave.
type officialFiles struct {
	root  string
	files map[fileKey]string
	// expected names a missing file the way this layout would name it.
	expected func(fileKey) string
}

// missing lists the files of folds 1..5 that are not there; an importer needs all of them.
func (o *officialFiles) missing() error {
	var names []string
	for fold := int32(1); fold <= NumFolds; fold++ {
		for _, kind := range []string{Train, Test} {
			if _, ok := o.files[fileKey{fold, kind}]; !ok {
				names = append(names, o.expected(fileKey{fold, kind}))
			}
		}
	}
	if len(names) == 0 {
		return nil
	}
	return inputerr.New(o.root, "missing split files (all five folds are needed): %s", strings.Join(names, ", "))
}

var (
	dfewSingleFile = regexp.MustCompile(`(?i)^single_(train|test)set_([1-5])\.csv$`)
	dfewSetFile    = regexp.MustCompile(`(?i)^set_([1-5])\.csv$`)
)

// maxSearchDepth bounds the search for split files below the directory a user names.
const maxSearchDepth = 4

// locateDFEW finds DFEW's split files under dir, in either layout: single_{train,test}set_N.csv
// in one directory, or EmoLabel_DataSplit's train(single-labeled)/set_N.csv and
// test(single-labeled)/set_N.csv.
func locateDFEW(dir string) (*officialFiles, error) {
	found := map[string]*officialFiles{}
	add := func(root, layout string, key fileKey, path string) {
		o := found[root+"\x00"+layout]
		if o == nil {
			o = &officialFiles{root: root, files: map[fileKey]string{}}
			if layout == "single" {
				o.expected = func(k fileKey) string { return fmt.Sprintf("single_%sset_%d.csv", k.kind, k.fold) }
			} else {
				o.expected = func(k fileKey) string { return fmt.Sprintf("%s(single-labeled)/set_%d.csv", k.kind, k.fold) }
			}
			found[root+"\x00"+layout] = o
		}
		if _, dup := o.files[key]; !dup {
			o.files[key] = path
		}
	}
	err := walkDir(dir, func(path string) {
		base, parent := filepath.Base(path), filepath.Dir(path)
		if m := dfewSingleFile.FindStringSubmatch(base); m != nil {
			fold, _ := strconv.Atoi(m[2])
			add(parent, "single", fileKey{int32(fold), strings.ToLower(m[1])}, path)
			return
		}
		if m := dfewSetFile.FindStringSubmatch(base); m != nil {
			kindDir := strings.ToLower(filepath.Base(parent))
			if strings.Contains(kindDir, "multi") {
				return
			}
			fold, _ := strconv.Atoi(m[1])
			for _, kind := range []string{Train, Test} {
				if strings.HasPrefix(kindDir, kind) {
					add(filepath.Dir(parent), "set", fileKey{int32(fold), kind}, path)
				}
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return pickLayout(dir, "DFEW", "single_{train,test}set_{1..5}.csv or train(single-labeled)/set_{1..5}.csv and test(single-labeled)/set_{1..5}.csv", found)
}

// walkDir calls fn with every regular file at most maxSearchDepth levels below dir, skipping
// hidden directories and clip folders.
func walkDir(dir string, fn func(path string)) error {
	info, err := os.Stat(dir)
	if err != nil {
		return inputerr.Wrap(dir, err)
	}
	if !info.IsDir() {
		return inputerr.New(dir, "not a directory: give the directory that holds the split files")
	}
	return filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return inputerr.Wrap(path, err)
		}
		rel, _ := filepath.Rel(dir, path)
		depth := strings.Count(rel, string(filepath.Separator))
		if d.IsDir() {
			// All-digit directories are per-clip frame folders (00001/…): thousands of them,
			// and never split files.
			if path != dir && (strings.HasPrefix(d.Name(), ".") || depth >= maxSearchDepth || allDigits(d.Name())) {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			fn(path)
		}
		return nil
	})
}

func allDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// pickLayout chooses the one copy of the split files under dir; several copies are ambiguous
// unless one is in dir itself.
func pickLayout(dir, dataset, want string, found map[string]*officialFiles) (*officialFiles, error) {
	if len(found) == 0 {
		return nil, inputerr.New(dir, "no %s split files found (looked for %s)", dataset, want)
	}
	var roots []string
	var only *officialFiles
	for _, o := range found {
		if filepath.Clean(o.root) == filepath.Clean(dir) {
			return o, o.missing()
		}
		roots = append(roots, o.root)
		only = o
	}
	if len(found) > 1 {
		sort.Strings(roots)
		return nil, inputerr.New(dir, "several copies of the %s split files: %s; give one of these directories", dataset, strings.Join(roots, ", "))
	}
	return only, only.missing()
}

// ImportDFEW reads DFEW's official single-labelled split files under dir (see locateDFEW) into
// a split of the 5 folds, train and test, in that order. With a mediaRoot, video_path and
// audio_path are <mediaRoot>/clip/<id>.mp4 (the audio track is in the clip file).
func ImportDFEW(dir, mediaRoot string) (*Split, error) {
	files, err := locateDFEW(dir)
	if err != nil {
		return nil, err
	}
	return importFiles(DFEW(), files, mediaRoot, ParseDFEWCSV)
}

// parseFunc parses one official split file.
type parseFunc func(name string, r io.Reader, fold int32, kind string) ([]Clip, error)

func importFiles(ls *LabelSet, files *officialFiles, mediaRoot string, parse parseFunc) (*Split, error) {
	s := &Split{Dataset: ls.Name, Labels: ls}
	for fold := int32(1); fold <= NumFolds; fold++ {
		for _, kind := range []string{Train, Test} {
			path := files.files[fileKey{fold, kind}]
			clips, err := parseFile(path, fold, kind, parse)
			if err != nil {
				return nil, err
			}
			for i := range clips {
				clips[i].VideoPath = MediaPath(ls.Name, mediaRoot, clips[i].ClipID)
				clips[i].AudioPath = clips[i].VideoPath
			}
			s.Clips = append(s.Clips, clips...)
		}
	}
	return s, nil
}

func parseFile(path string, fold int32, kind string, parse parseFunc) ([]Clip, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, inputerr.Wrap(path, err)
	}
	defer f.Close()
	return parse(path, f, fold, kind)
}

// checkFileArgs rejects a fold or split kind no official file can have (a caller's mistake).
func checkFileArgs(fold int32, kind string) error {
	if fold < 1 {
		return fmt.Errorf("fold %d: folds are numbered from 1", fold)
	}
	if kind != Train && kind != Test {
		return fmt.Errorf("split kind %q: want %q or %q", kind, Train, Test)
	}
	return nil
}

const utf8BOM = "\xEF\xBB\xBF"

// readAllInput reads a whole split file, dropping a UTF-8 byte order mark; an empty file (or
// one of white space only) is an error.
func readAllInput(name string, r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, inputerr.Wrap(name, err)
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, inputerr.New(name, "empty file")
	}
	return data, nil
}

// excerpt quotes a piece of a user's file for an error message, cut to a readable length.
func excerpt(s string) string {
	const max = 40
	if r := []rune(s); len(r) > max {
		s = string(r[:max]) + "…"
	}
	return strconv.Quote(s)
}

// ParseDFEWCSV parses one official DFEW split file (header video_name,label; one clip per row:
// the integer clip id and the numeric label 1..7) as the clips of a fold's train or test set.
// clip_id is the id zero-padded to 5 digits. A byte order mark and CRLF line ends are accepted.
// name is used in errors, which are *inputerr.Error with the line.
func ParseDFEWCSV(name string, r io.Reader, fold int32, kind string) ([]Clip, error) {
	if err := checkFileArgs(fold, kind); err != nil {
		return nil, err
	}
	data, err := readAllInput(name, r)
	if err != nil {
		return nil, err
	}
	ls := DFEW()
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return nil, csvError(name, err)
	}
	idCol, labelCol := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "video_name":
			idCol = i
		case "label":
			labelCol = i
		}
	}
	if idCol < 0 || labelCol < 0 {
		return nil, inputerr.AtLine(name, 1, "header %s: want video_name,label", excerpt(strings.Join(header, ",")))
	}
	nCols := len(header)
	var clips []Clip
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, csvError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != nCols {
			return nil, inputerr.AtLine(name, line, "%d fields, the header has %d (video_name,label)", len(rec), nCols)
		}
		idText, labelText := strings.TrimSpace(rec[idCol]), strings.TrimSpace(rec[labelCol])
		id, err := strconv.Atoi(idText)
		if err != nil || id < 1 {
			return nil, inputerr.AtLine(name, line, "video_name %s: want a positive integer clip id", excerpt(idText))
		}
		labelID, err := strconv.Atoi(labelText)
		if err != nil {
			return nil, inputerr.AtLine(name, line, "label %s: want a numeric DFEW label id 1..7", excerpt(labelText))
		}
		label, ok := ls.ByID(int32(labelID))
		if !ok {
			return nil, inputerr.AtLine(name, line, "unknown label id %d (DFEW ids are 1..7: %s)", labelID, labelList(ls))
		}
		clips = append(clips, Clip{
			Dataset: ls.Name, ClipID: fmt.Sprintf("%05d", id), Fold: fold, Split: kind,
			Label: label, LabelID: int32(labelID),
		})
	}
	if len(clips) == 0 {
		return nil, inputerr.New(name, "no clips: the file has only a header")
	}
	return clips, nil
}

// csvError turns a CSV syntax error into an input error at its line.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &inputerr.Error{File: name, Line: pe.Line, Msg: "malformed CSV", Err: pe.Err}
	}
	return inputerr.Wrap(name, err)
}
