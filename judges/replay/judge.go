package replay

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/emoeval/emoeval/datasets"
	"github.com/emoeval/emoeval/eval/parse"
	"github.com/emoeval/emoeval/internal/inputerr"
	"github.com/emoeval/emoeval/judges"
)

// Judge replays stored judge replies. The replies are one model's explanations judged by one
// judge; they are matched to items by clip id (datasets.NormalizeID).
type Judge struct {
	name       string
	path       string
	labels     *datasets.LabelSet
	protocol   parse.Protocol
	replies    map[string]Reply // by normalised clip id
	ids        []string         // clip ids as written, in file order, each clip once
	duplicates int
}

var _ judges.Judge = (*Judge)(nil)

// New reads a judge-reply file (format as FormatOf gives it) for the judge called name. Only a
// judgments.parquet file says whose replies it holds: of several judges, the rows of judge name
// are taken; of several models, the rows of model (which must then be given); a model given
// must be in the file. Other formats hold one judge's replies for one model. Judgment.Input is
// the file's input column where it has one, else "think" (the authors' judge input).
//
// Two replies for one clip (after datasets.NormalizeID): under migr the last one wins, as in the
// authors' consistency script, which reads the replies into a Python dict (Duplicates counts the
// replies so replaced); under robust they are an input error naming both lines, since which reply
// is meant cannot be known and robust never chooses silently.
func New(name, path, format string, labels *datasets.LabelSet, protocol parse.Protocol, model string) (*Judge, error) {
	all, err := ReadReplies(path, format)
	if err != nil {
		return nil, err
	}
	replies, err := selectRows(path, all, name, model)
	if err != nil {
		return nil, err
	}
	j := &Judge{name: name, path: path, labels: labels, protocol: protocol, replies: make(map[string]Reply, len(replies))}
	for _, r := range replies {
		key := datasets.NormalizeID(r.ClipID)
		prev, seen := j.replies[key]
		switch {
		case !seen:
			j.ids = append(j.ids, r.ClipID)
		case protocol == parse.ProtocolRobust:
			return nil, placeErr(path, format, r.Line, "a second reply for clip %q (the first is at %s %d); "+
				"under --protocol robust every clip needs exactly one reply", r.ClipID, placeWord(format), prev.Line)
		default:
			j.duplicates++
		}
		j.replies[key] = r
	}
	return j, nil
}

// Duplicates is the number of replies that a later reply for the same clip replaced (migr).
func (j *Judge) Duplicates() int { return j.duplicates }

// placeErr is an input error at a line of a text file or a row of a Parquet file.
func placeErr(path, format string, n int, msg string, args ...any) error {
	if format == FormatParquet {
		return inputerr.AtRow(path, n, msg, args...)
	}
	return inputerr.AtLine(path, n, msg, args...)
}

func placeWord(format string) string {
	if format == FormatParquet {
		return "row"
	}
	return "line"
}

// selectRows keeps the replies of one judge and one model where the file says whose they are.
// A file with one judge is taken whatever that judge is called there; a model given must match.
func selectRows(path string, rows []Reply, judge, model string) ([]Reply, error) {
	judgeOf := func(r Reply) string { return r.Judge }
	modelOf := func(r Reply) string { return r.Model }
	if judgesIn := distinct(rows, judgeOf); len(judgesIn) > 1 {
		if rows = filter(rows, judgeOf, judge); len(rows) == 0 {
			return nil, inputerr.New(path, "the file holds the replies of several judges (%s), none called %q",
				strings.Join(judgesIn, ", "), judge)
		}
	}
	models := distinct(rows, modelOf)
	switch {
	case len(models) == 0: // the file does not say
	case model == "" && len(models) > 1:
		return nil, inputerr.New(path, "the file holds replies for several models (%s): name the model", strings.Join(models, ", "))
	case model != "":
		if rows = filter(rows, modelOf, model); len(rows) == 0 {
			return nil, inputerr.New(path, "no replies for model %q (the file has: %s)", model, strings.Join(models, ", "))
		}
	}
	return rows, nil
}

func filter(rows []Reply, key func(Reply) string, want string) []Reply {
	var out []Reply
	for _, r := range rows {
		if key(r) == want {
			out = append(out, r)
		}
	}
	return out
}

// distinct returns the non-empty values of key, sorted.
func distinct(rows []Reply, key func(Reply) string) []string {
	seen := map[string]bool{}
	for _, r := range rows {
		if v := key(r); v != "" {
			seen[v] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}

// Name is the judge's name.
func (j *Judge) Name() string { return j.name }

// Path is the file the replies were read from.
func (j *Judge) Path() string { return j.path }

// Len is the number of replies.
func (j *Judge) Len() int { return len(j.replies) }

// Judge returns the stored reply's emotion for each item: under migr the authors' consistency
// script's label (parse.MigrLabel; unknown when it would fail), under robust parse.RobustLabel
// with its normalisations. What a judgments.parquet file kept of the original judgment (raw
// reply, fallback, error, normalisations) is carried over. An item without a reply gets unknown
// and an error.
func (j *Judge) Judge(ctx context.Context, items []judges.Item) ([]judges.Judgment, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]judges.Judgment, len(items))
	for i, it := range items {
		jm := judges.Judgment{Judge: j.name, Model: it.Model, ClipID: it.ClipID, Input: parse.InputThink, Emotion: datasets.Unknown}
		r, ok := j.replies[datasets.NormalizeID(it.ClipID)]
		if !ok {
			jm.Error = fmt.Sprintf("no reply for clip %s in %s", it.ClipID, j.path)
			out[i] = jm
			continue
		}
		if r.Input != "" {
			jm.Input = r.Input
		}
		jm.ReplyRaw, jm.Fallback, jm.Error = r.ReplyRaw, r.Fallback, r.Error
		var norms []string
		if r.Normalized != "" {
			norms = strings.Split(r.Normalized, ",")
		}
		if j.protocol == parse.ProtocolRobust {
			var more []string
			jm.Emotion, more = parse.RobustLabel(j.labels, r.Text)
			norms = append(norms, more...)
		} else {
			jm.Emotion = parse.MigrLabel(j.labels, r.Text)
		}
		slices.Sort(norms)
		jm.Normalized = strings.Join(slices.Compact(norms), ",")
		out[i] = jm
	}
	return out, nil
}

// Unmatched returns the clip ids of replies (as written, in file order) that match none of
// clipIDs: replies for clips outside the split being scored.
func (j *Judge) Unmatched(clipIDs []string) []string {
	want := make(map[string]bool, len(clipIDs))
	for _, id := range clipIDs {
		want[datasets.NormalizeID(id)] = true
	}
	var out []string
	for _, id := range j.ids {
		if !want[datasets.NormalizeID(id)] {
			out = append(out, id)
		}
	}
	return out
}
