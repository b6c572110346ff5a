#!/usr/bin/env bash
# gpu-check.sh — the ONNX backend on a GPU: predictions on cuda:0, cpu and auto agree, and the
# backend runs as fast as a bare onnxruntime_go loop (rows/s and the ratio, batch 64 and 1024).
# Without a usable GPU it says so, checks the CPU path and the device errors, and exits 0.
#
# On a machine with Go (the repository, after `make ort-gpu`):
#
#     make gpu-check                             # or: bash scripts/gpu-check.sh
#     bash scripts/gpu-check.sh bundle DIR       # binaries and libraries for a machine without Go
#
# On a GPU machine without Go, from the repository root (the script needs no other file of it):
#
#     GPU_CHECK_BUNDLE=DIR bash scripts/gpu-check.sh
#
# Settings (environment):
#   GPU_CHECK_BUNDLE  a folder made by `bundle`, or any folder holding emoeval, onnx.test and the
#                     ONNX Runtime libraries; files may be compressed (.xz .gz .zst .bz2) or in
#                     tarballs (.tgz .tar.*, e.g. the npm packages of `make ort` and `make ort-gpu`)
#   EMOEVAL_BIN       the emoeval binary (default: from the bundle, else bin/emoeval, built with go)
#   ONNX_TEST_BIN     `go test -c ./eval/backend/onnx` (default: from the bundle, else built with go)
#   ORT_BUNDLE        the folder of the ONNX Runtime libraries, same forms (default: the bundle,
#                     else ORT_DIR)
#   ORT_DIR           the libraries of `make ort-gpu` (default .ort/), used in place and by bundle
#   GPU_CHECK_OUT     the work folder, kept for inspection (default: a new one under /tmp)
#   GPU_CHECK_E2E     1: end-to-end runs even without a GPU (cpu and auto); 0: none
#
# The GPU needs the NVIDIA driver 580 or newer, and the CUDA 13 runtime, cuBLAS, cuRAND and cuDNN 9
# on the loader's path: a CUDA install (CUDA_HOME, /usr/local/cuda) or pip's nvidia-* wheels,
# whose lib folders the script finds and puts on LD_LIBRARY_PATH.
set -uo pipefail

die() { echo "gpu-check: $*" >&2; exit 2; }
say() { echo "gpu-check: $*"; }
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ortdir=${ORT_DIR:-$root/.ort}

# unpack SRC DST: copies a folder's files into DST, decompressing and extracting as it goes.
unpack() {
	local src=$1 dst=$2 f base
	mkdir -p "$dst"
	for f in "$src"/*; do
		[ -e "$f" ] || continue
		base=$(basename "$f")
		case "$base" in
		*.tgz | *.tar.gz | *.tar.xz | *.tar.zst | *.tar.bz2 | *.tar)
			tar --no-same-owner -xf "$f" -C "$dst" || die "cannot extract $f" ;;
		*.xz) xz -dc "$f" >"$dst/${base%.xz}" || die "cannot decompress $f (xz)" ;;
		*.gz) gzip -dc "$f" >"$dst/${base%.gz}" || die "cannot decompress $f (gzip)" ;;
		*.zst) zstd -qdc "$f" >"$dst/${base%.zst}" || die "cannot decompress $f (zstd)" ;;
		*.bz2) bzip2 -dc "$f" >"$dst/${base%.bz2}" || die "cannot decompress $f (bzip2)" ;;
		*) if [ -d "$f" ]; then unpack "$f" "$dst"; else cp -p "$f" "$dst/"; fi ;;
		esac
	done
}

# bundle DIR: what a machine without Go needs, compressed (xz): emoeval, onnx.test, and the ONNX
# Runtime library with the CUDA provider from .ort/ (run `make ort-gpu` first).
bundle() {
	local dir=$1 f
	command -v go >/dev/null || die "bundle needs go"
	for f in libonnxruntime.so.1.29.0 libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so; do
		[ -f "$ortdir/$f" ] || die "$ortdir/$f is missing: run make ort-gpu first"
	done
	mkdir -p "$dir"
	(cd "$root" && go build -buildvcs=auto -o "$dir/emoeval" ./cmd/emoeval && go test -c -o "$dir/onnx.test" ./eval/backend/onnx) ||
		die "build failed"
	for f in libonnxruntime.so.1.29.0 libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so; do
		cp "$ortdir/$f" "$dir/$f"
	done
	say "compressing (xz, a few minutes for the 230 MB CUDA provider)"
	xz -T0 -6 -f "$dir"/emoeval "$dir"/onnx.test "$dir"/libonnxruntime*.so* || die "xz failed"
	ls -l "$dir"
	say "bundle in $dir ($(du -sh "$dir" | cut -f1)); on the GPU machine: GPU_CHECK_BUNDLE=$dir bash scripts/gpu-check.sh"
}

if [ "${1:-}" = bundle ]; then
	[ -n "${2:-}" ] || die "usage: $0 bundle DIR"
	bundle "$2"
	exit
fi
[ $# -eq 0 ] || die "usage: $0 [bundle DIR]"

start=$SECONDS
work=${GPU_CHECK_OUT:-$(mktemp -d /tmp/gpu-check.XXXXXX)}
mkdir -p "$work" || die "cannot create $work"
say "work folder $work"
if [ -n "${GPU_CHECK_BUNDLE:-}" ]; then
	[ -d "$GPU_CHECK_BUNDLE" ] || die "GPU_CHECK_BUNDLE=$GPU_CHECK_BUNDLE is not a folder"
	unpack "$GPU_CHECK_BUNDLE" "$work/bundle"
fi

# The binaries: given, bundled, or built.
find_bin() { # NAME: the bundle's file of that name, if any
	[ -d "$work/bundle" ] && find "$work/bundle" -type f -name "$1" | head -n 1
}
EMOEVAL_BIN=${EMOEVAL_BIN:-$(find_bin emoeval)}
ONNX_TEST_BIN=${ONNX_TEST_BIN:-$(find_bin onnx.test)}
if [ -z "$EMOEVAL_BIN" ] || [ -z "$ONNX_TEST_BIN" ]; then
	command -v go >/dev/null || die "no go here: set GPU_CHECK_BUNDLE (see $0 bundle) or EMOEVAL_BIN and ONNX_TEST_BIN"
	if [ -z "$EMOEVAL_BIN" ]; then
		(cd "$root" && go build -buildvcs=auto -o "$work/emoeval" ./cmd/emoeval) || die "go build failed"
		EMOEVAL_BIN=$work/emoeval
	fi
	if [ -z "$ONNX_TEST_BIN" ]; then
		(cd "$root" && go test -c -o "$work/onnx.test" ./eval/backend/onnx) || die "go test -c failed"
		ONNX_TEST_BIN=$work/onnx.test
	fi
fi
chmod +x "$EMOEVAL_BIN" "$ONNX_TEST_BIN" 2>/dev/null
"$ONNX_TEST_BIN" -test.list '^TestGPUCheck$' >/dev/null 2>"$work/start.err" ||
	die "$ONNX_TEST_BIN does not start here ($(head -c 300 "$work/start.err")); it was built against glibc $(ldd --version 2>/dev/null | head -n1 | grep -o '[0-9.]*$') or older? Build on an older system, or use a newer one"

# The ONNX Runtime libraries, the CUDA provider beside the library (ONNX Runtime looks there).
# .ort/ is used where it is; a bundle's libraries are gathered into the work folder.
ortsrc=${ORT_BUNDLE:-}
if [ -z "$ortsrc" ] && [ -d "$work/bundle" ]; then ortsrc=$work/bundle; fi
if [ -z "$ortsrc" ]; then
	ort=$ortdir
	[ -e "$ort/libonnxruntime.so.1" ] || die "no ONNX Runtime in $ort: run make ort-gpu, or set GPU_CHECK_BUNDLE or ORT_BUNDLE"
else
	[ -d "$ortsrc" ] || die "ORT_BUNDLE=$ortsrc is not a folder"
	if [ "$ortsrc" != "$work/bundle" ]; then
		unpack "$ortsrc" "$work/ort-src"
		ortsrc=$work/ort-src
	fi
	# The library itself: libonnxruntime.so.1.29.0 (make ort), or libonnxruntime.so.1 in the
	# linux/x64 folder of the onnxruntime-node package.
	lib=$(find -L "$ortsrc" -type f -name 'libonnxruntime.so*' ! -name '*providers*' ! -path '*arm64*' ! -path '*aarch64*' \
		! -path '*darwin*' ! -path '*win32*' | sort | tail -n 1)
	[ -n "$lib" ] || die "no libonnxruntime.so.* for linux x64 in $ortsrc"
	ort=$work/ort
	mkdir -p "$ort"
	ln -f "$lib" "$ort/libonnxruntime.so.1" 2>/dev/null || cp -p "$lib" "$ort/libonnxruntime.so.1"
	for f in libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so; do
		p=$(find -L "$ortsrc" -type f -name "$f" ! -path '*arm64*' ! -path '*aarch64*' | head -n 1)
		[ -n "$p" ] && { ln -f "$p" "$ort/$f" 2>/dev/null || cp -p "$p" "$ort/$f"; }
	done
fi
for f in libonnxruntime_providers_shared.so libonnxruntime_providers_cuda.so; do
	[ -e "$ort/$f" ] || say "no $f beside the library: the check will say that CUDA cannot be used (make ort-gpu fetches it)"
done
export ONNXRUNTIME_SHARED_LIBRARY_PATH=$ort/libonnxruntime.so.1
say "ONNX Runtime: $ONNXRUNTIME_SHARED_LIBRARY_PATH"

# CUDA's libraries: a CUDA install, and the lib folders of pip's nvidia-* wheels.
cudalibs=()
for d in ${CUDA_HOME:+"$CUDA_HOME/lib64"} /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
	[ -d "$d" ] && cudalibs+=("$d")
done
if command -v python3 >/dev/null; then
	while IFS= read -r d; do cudalibs+=("$d"); done < <(python3 - <<'PY' 2>/dev/null
import glob, os, site, sys
roots = set(site.getsitepackages() + [site.getusersitepackages()] + [p for p in sys.path if p.endswith("-packages")])
for r in sorted(roots):
    for d in sorted(glob.glob(os.path.join(r, "nvidia", "*", "lib")) + glob.glob(os.path.join(r, "nvidia", "cu*", "lib"))):
        print(d)
PY
	)
fi
if [ ${#cudalibs[@]} -gt 0 ]; then
	LD_LIBRARY_PATH=$(IFS=:; echo "${cudalibs[*]}")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
	export LD_LIBRARY_PATH
	say "CUDA libraries from: ${cudalibs[*]}"
fi

# The machine's GPUs, as the driver sees them.
check=1
if command -v nvidia-smi >/dev/null && nvidia-smi -L >/dev/null 2>&1; then
	nvidia-smi --query-gpu=index,name,driver_version,memory.total --format=csv,noheader | sed 's/^/gpu-check: GPU /'
	check=require # the driver lists GPUs: not using one is a failure
else
	say "nvidia-smi lists no GPU"
fi

# The check itself.
failed=0
EMOEVAL_GPU_CHECK=$check EMOEVAL_GPU_CHECK_DIR=$work timeout 420 "$ONNX_TEST_BIN" -test.run '^TestGPUCheck$' -test.v -test.timeout 7m \
	2>&1 | tee "$work/check.log" | grep -E '^(gpu-check:|--- |FAIL|ok|PASS|panic)|_test.go:'
[ "${PIPESTATUS[0]}" -eq 0 ] || { failed=1; say "TestGPUCheck failed (log: $work/check.log)"; }
gpu=false
grep -q '"gpu": true' "$work/gpu-check.json" 2>/dev/null && gpu=true

# End to end: one configuration (a small baseline and a large candidate model, variants av,
# video and audio) run by emoeval on cuda:0, cpu and auto; the runs' predictions must agree.
e2e=${GPU_CHECK_E2E:-}
[ -z "$e2e" ] && { [ "$gpu" = true ] && e2e=1 || e2e=0; }
if [ "$e2e" = 1 ] && [ "$failed" = 0 ]; then
	split=$work/synth.parquet
	"$EMOEVAL_BIN" datasets synth --dataset dfew --folds 5 --seed 1 --features video=1024:0.35,audio=512:0.25 -o "$split" >"$work/synth.log" 2>&1 ||
		{ failed=1; say "datasets synth failed: $(tail -n 3 "$work/synth.log")"; }
	large=$work/large.onnx
	[ -f "$large" ] || large=$work/small.onnx # without a GPU the check writes the small model only
	devices="cpu auto"
	[ "$gpu" = true ] && devices="cuda:0 cpu auto"
	runs=""
	for dev in $devices; do
		[ "$failed" = 0 ] || break
		name=run-${dev/:/}
		cat >"$work/$name.yaml" <<YAML
name: $name
dataset: {name: dfew, split: $split, folds: [5], split_kind: test}
models:
  - {name: baseline, backend: onnx, path: $work/small.onnx, device: $dev, variants: [av, video, audio], inputs: {video: feat_video, audio: feat_audio}}
  - {name: candidate, backend: onnx, path: $large, device: $dev, variants: [av, video, audio], inputs: {video: feat_video, audio: feat_audio}}
comparisons: [{baseline: baseline, candidate: candidate}]
statistics: {bootstrap: 200, seed: 1}
report: {formats: [md]}
YAML
		t0=$SECONDS
		if "$EMOEVAL_BIN" run -c "$work/$name.yaml" --out "$work/$name" >"$work/$name.log" 2>&1; then
			say "emoeval run on $dev: $((SECONDS - t0)) s ($work/$name)"
			grep -iE '^(info|warning):' "$work/$name.log" | sed 's/^/gpu-check:   /'
			runs=${runs:+$runs,}$work/$name
		else
			failed=1
			say "emoeval run on $dev failed (log: $work/$name.log):"
			tail -n 5 "$work/$name.log" | sed 's/^/gpu-check:   /'
		fi
	done
	if [ "$failed" = 0 ] && [ -n "$runs" ]; then
		EMOEVAL_GPU_CHECK_RUNS=$runs "$ONNX_TEST_BIN" -test.run '^TestGPUCheckPredictions$' -test.v 2>&1 |
			tee "$work/compare.log" | grep -E '^(gpu-check:|--- FAIL)|_test.go:'
		[ "${PIPESTATUS[0]}" -eq 0 ] || { failed=1; say "the runs' predictions differ (log: $work/compare.log)"; }
	fi
fi

if [ "$gpu" != true ] && [ "$check" != require ]; then
	say "no GPU here: checked the CPU path and the device errors only ($((SECONDS - start)) s)"
fi
[ "$failed" = 0 ] && say "passed in $((SECONDS - start)) s; figures in $work/gpu-check.json" || say "FAILED after $((SECONDS - start)) s; logs in $work"
exit "$failed"
