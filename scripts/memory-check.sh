#!/usr/bin/env bash
# memory-check.sh — peak memory (max RSS, /usr/bin/time -v) of `emoeval run` against a loopback
# server that sends huge answers (`emoeval sim --faults pad=SIZE`), and the size of the
# predictions.parquet it writes. Every answer is cut to max_output_bytes (1 MiB by default), so
# memory depends on the concurrency and that limit, not on what the server sends.
#
#     bash scripts/memory-check.sh [CASE…]    # after make build; prints one line per case
#
# Cases: the 2,336 clips of DFEW fold 5 with 64 KiB answers (dfew5-64KiB) and with 1 MiB
# answers, every one at the limit (dfew5-1MiB); the 30 fold-5 test clips of the 150-clip excerpt
# in testdata/dfew with 5 MiB and 50 MiB answers (small-5MiB, small-50MiB); all at concurrency 8.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${EMOEVAL_BIN:-$root/bin/emoeval}
[ -x "$bin" ] || { echo "memory-check: build first (make build)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "memory-check: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
work=$(mktemp -d /tmp/memory-check.XXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
"$bin" datasets synth --dataset dfew --folds 5 --seed 1 -o "$work/synth.parquet" >/dev/null
"$bin" datasets import dfew --labels "$root/testdata/dfew" --media-root /data/DFEW -o "$work/small.parquet" >/dev/null

run_case() { # NAME SPLIT PAD
	local name=$1 split=$2 pad=$3
	"$bin" sim --split "$split" --addr 127.0.0.1:0 --faults pad=$pad >"$work/sim-$name.log" 2>&1 &
	local sim=$! url=""
	for _ in $(seq 100); do
		url=$(grep -o 'http://127.0.0.1:[0-9]*/v1' "$work/sim-$name.log" || true)
		[ -n "$url" ] && break
		kill -0 $sim 2>/dev/null || { cat "$work/sim-$name.log" >&2; exit 1; }
		sleep 0.1
	done
	[ -n "$url" ] || { echo "memory-check: the simulated server did not start" >&2; exit 1; }
	cat >"$work/$name.yaml" <<YAML
name: $name
dataset: {name: dfew, split: $split, folds: [5], split_kind: test}
models:
  - {name: migr, backend: openai, endpoint: $url, model: migr-sim, prompt: migr, concurrency: 8}
judges:
  - {name: lexicon, kind: lexicon}
statistics: {bootstrap: 0}
report: {formats: [md]}
YAML
	local rc=0
	GODEBUG=${GODEBUG:-} /usr/bin/time -v "$bin" run -c "$work/$name.yaml" --out "$work/run-$name" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	kill $sim 2>/dev/null || true
	wait $sim 2>/dev/null || true
	local rss samples size truncated
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/$name.err")
	samples=$(python3 -c "import json;s=json.load(open('$work/run-$name/summary.json'));print(s['models']['migr']['n'])" 2>/dev/null || echo "?")
	truncated=$(python3 -c "import json;s=json.load(open('$work/run-$name/summary.json'));print(s['models']['migr'].get('truncated',0))" 2>/dev/null || echo "?")
	size=$(stat -c %s "$work/run-$name/predictions.parquet" 2>/dev/null || echo 0)
	printf '%-14s exit %d  %5s answers  %5s truncated  peak RSS %6.0f MiB  predictions.parquet %6.1f MiB\n' \
		"$name" "$rc" "$samples" "$truncated" "$(echo "$rss / 1024" | bc -l)" "$(echo "$size / 1048576" | bc -l)"
	[ "$rc" = 0 ] || tail -3 "$work/$name.err" >&2
}
cases=("$@")
[ ${#cases[@]} -gt 0 ] || cases=(dfew5-64KiB dfew5-1MiB small-5MiB small-50MiB)
for c in "${cases[@]}"; do
	case $c in
	dfew5-64KiB) run_case "$c" "$work/synth.parquet" 64KiB ;;
	dfew5-1MiB) run_case "$c" "$work/synth.parquet" 1MiB ;; # every answer at the limit
	small-5MiB) run_case "$c" "$work/small.parquet" 5MiB ;;
	small-50MiB) run_case "$c" "$work/small.parquet" 50MiB ;;
	*) echo "memory-check: unknown case $c (dfew5-64KiB, dfew5-1MiB, small-5MiB, small-50MiB)" >&2; exit 2 ;;
	esac
done
