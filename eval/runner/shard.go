package runner

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"

	"github.com/emoeval/emoeval/datasets"
)

// Shard selects the clips of shard Index (0-based) out of Count, by a stable hash of the
// normalised clip id, so that every process of a sharded run agrees without coordination.
type Shard struct {
	Index, Count int
}

// ParseShard reads "I/N" (0 ≤ I < N).
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	if !ok {
		return Shard{}, fmt.Errorf("shard %q: use I/N, e.g. 0/4", s)
	}
	idx, err1 := strconv.Atoi(strings.TrimSpace(i))
	cnt, err2 := strconv.Atoi(strings.TrimSpace(n))
	if err1 != nil || err2 != nil || cnt < 1 || idx < 0 || idx >= cnt {
		return Shard{}, fmt.Errorf("shard %q: use I/N with 0 ≤ I < N, e.g. 0/4", s)
	}
	return Shard{Index: idx, Count: cnt}, nil
}

// ShardFromEnv derives the shard index from a Kubernetes Indexed Job (JOB_COMPLETION_INDEX,
// 0-based) or a Slurm array (SLURM_ARRAY_TASK_ID, taken relative to SLURM_ARRAY_TASK_MIN,
// default 0), given the shard count. ok is false when neither variable is set.
func ShardFromEnv(getenv func(string) (string, bool), count int) (s Shard, ok bool, err error) {
	if v, set := getenv("JOB_COMPLETION_INDEX"); set && v != "" {
		s, err = ParseShard(v + "/" + strconv.Itoa(count))
		return s, true, err
	}
	if v, set := getenv("SLURM_ARRAY_TASK_ID"); set && v != "" {
		id, err := strconv.Atoi(v)
		if err != nil {
			return Shard{}, true, fmt.Errorf("SLURM_ARRAY_TASK_ID=%q is not a number", v)
		}
		if m, set := getenv("SLURM_ARRAY_TASK_MIN"); set && m != "" {
			lo, err := strconv.Atoi(m)
			if err != nil {
				return Shard{}, true, fmt.Errorf("SLURM_ARRAY_TASK_MIN=%q is not a number", m)
			}
			id -= lo
		}
		s, err = ParseShard(strconv.Itoa(id) + "/" + strconv.Itoa(count))
		return s, true, err
	}
	return Shard{}, false, nil
}

// String is "I/N".
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Contains reports whether a clip belongs to this shard.
func (s Shard) Contains(clipID string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(datasets.NormalizeID(clipID)))
	return int(h.Sum64()%uint64(s.Count)) == s.Index
}

// Filter returns the clips of this shard, in order.
func (s Shard) Filter(clips []datasets.Clip) []datasets.Clip {
	if s.Count <= 1 {
		return clips
	}
	var out []datasets.Clip
	for _, c := range clips {
		if s.Contains(c.ClipID) {
			out = append(out, c)
		}
	}
	return out
}
