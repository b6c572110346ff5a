# emoeval — see README.md. `make test` is what CI runs; `make demo` runs the whole pipeline on
# built-in data.
SHELL := /bin/bash
GO ?= go
ORT_VERSION := 1.29.0
ORT_SHA256 := 89688f5cf51c7e31befbb7b9101bc027799009b18d1baa9a5b1146a72e69538d
ORT_DIR := $(CURDIR)/.ort
ORT_LIB := $(ORT_DIR)/libonnxruntime.so.$(ORT_VERSION)
# .ort/libonnxruntime.so.1 always names the library of ORT_VERSION, so that the path users export
# does not change with the version.
ORT_LINK := $(ORT_DIR)/libonnxruntime.so.1
export ONNXRUNTIME_SHARED_LIBRARY_PATH ?= $(ORT_LINK)
FUZZTIME ?= 10s
BENCHTIME ?= 1s

.PHONY: all build test bench fuzz demo smoke ort ort-gpu gpu-check vet clean

all: build

# -buildvcs=auto: the binary records its commit (emoeval version, manifests) even where GOFLAGS
# says -buildvcs=false.
build:
	$(GO) build -buildvcs=auto -o bin/emoeval ./cmd/emoeval

# ort fetches the ONNX Runtime shared library from the npm registry (onnxruntime-node ships it),
# checks its sha256 and keeps it in .ort/ (git-ignored).
ort: $(ORT_LIB)
	@ln -sfn $(notdir $(ORT_LIB)) $(ORT_LINK)

$(ORT_LIB):
	@mkdir -p $(ORT_DIR)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent onnxruntime-node@$(ORT_VERSION) >/dev/null) && \
	  tar -xzf "$$tmp"/onnxruntime-node-$(ORT_VERSION).tgz -C "$$tmp" package/bin/napi-v6/linux/x64/libonnxruntime.so.1 && \
	  echo "$(ORT_SHA256)  $$tmp/package/bin/napi-v6/linux/x64/libonnxruntime.so.1" | sha256sum -c --quiet - && \
	  mv "$$tmp"/package/bin/napi-v6/linux/x64/libonnxruntime.so.1 $@.part && mv $@.part $@
	@echo "ONNX Runtime $(ORT_VERSION): $(ORT_LIB)"

# ort-gpu adds ONNX Runtime's CUDA provider beside the library of `make ort`: onnxruntime-node
# ships none, so its two libraries come from the npm package of a Unity plugin built from the same
# ONNX Runtime release (ORT_VERSION, CUDA 13), checked by sha256. Running on a GPU also needs the
# NVIDIA driver (580 or newer), the CUDA 13 runtime, cuBLAS and cuRAND and cuDNN 9 on the loader's
# path (a CUDA install, or the lib folders of pip's nvidia-*-cu13 wheels on LD_LIBRARY_PATH).
ORT_GPU_PKG := com.github.asus4.onnxruntime.linux-x64-gpu
ORT_GPU_PKG_VERSION := 0.4.9
ORT_CUDA_SHA256 := 56cf3254b118ad837ccc4ed8f6d1b23504bbf7ef91b34cbc0b289cb7f10b3037
ORT_SHARED_SHA256 := c6a12593396095f5670160e284c35d1700b7708cf3037b7042e2a5200ccae772
ORT_GPU_LIBS := $(ORT_DIR)/libonnxruntime_providers_cuda.so $(ORT_DIR)/libonnxruntime_providers_shared.so

ort-gpu: ort $(ORT_GPU_LIBS)
	@echo "ONNX Runtime $(ORT_VERSION) with its CUDA provider in $(ORT_DIR) (needs NVIDIA driver >= 580, CUDA 13, cuDNN 9):"
	@echo "export ONNXRUNTIME_SHARED_LIBRARY_PATH=$(ORT_LINK)"

# One download gives both files; each is checked before it takes its final name.
$(ORT_GPU_LIBS) &:
	@mkdir -p $(ORT_DIR)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && dir=package/Plugins/Linux/x64 && \
	  (cd "$$tmp" && npm pack --silent $(ORT_GPU_PKG)@$(ORT_GPU_PKG_VERSION) >/dev/null) && \
	  tar --no-same-owner -xzf "$$tmp"/$(ORT_GPU_PKG)-$(ORT_GPU_PKG_VERSION).tgz -C "$$tmp" \
	    $$dir/libonnxruntime_providers_cuda.so $$dir/libonnxruntime_providers_shared.so && \
	  printf '%s  %s\n' $(ORT_CUDA_SHA256) "$$tmp/$$dir/libonnxruntime_providers_cuda.so" \
	    $(ORT_SHARED_SHA256) "$$tmp/$$dir/libonnxruntime_providers_shared.so" | sha256sum -c --quiet - && \
	  for f in libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so; do \
	    mv "$$tmp/$$dir/$$f" $(ORT_DIR)/$$f.part && mv $(ORT_DIR)/$$f.part $(ORT_DIR)/$$f || exit 1; done

# gpu-check runs scripts/gpu-check.sh: the ONNX backend on cuda:0, cpu and auto, agreement and
# speed against a bare onnxruntime_go loop; without a GPU it checks the CPU path and the device
# errors and says so. For a GPU machine without Go, `bash scripts/gpu-check.sh bundle DIR` (after
# make ort-gpu) prepares the binaries and libraries it runs from: GPU_CHECK_BUNDLE=DIR.
gpu-check: ort
	bash scripts/gpu-check.sh

vet:
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || { echo "gofmt: files above need formatting"; exit 1; }
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) vet ./...

# The second line runs what cannot run under the race detector (it is ten times slower and turns
# on checkptr): the memory test of a run and the damaged-Parquet allocation test.
test: ort vet
	$(GO) test -race -count=1 ./...
	$(GO) test -count=1 -run 'TestRunMemoryDoesNotGrowWithTheAnswers|TestDamagedTablesAllocateBySize' ./pipeline ./internal/parquetio

bench: ort
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

# fuzz runs every fuzz target for FUZZTIME.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s $$pkg; \
	  done; done

demo: ort build
	./bin/emoeval demo --out demo-out

# smoke runs every ```sh block of the README's walkthrough and fails on an unexpected exit code.
smoke: ort build
	bash scripts/readme-smoke.sh README.md

clean:
	rm -rf bin demo-out tour
