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

.PHONY: all build test bench fuzz demo smoke ort vet clean

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

vet:
	@test -z "$$(gofmt -l . | tee /dev/stderr)" || { echo "gofmt: files above need formatting"; exit 1; }
	@$(GO) mod tidy -diff || { echo "go.mod/go.sum are not tidy: run go mod tidy"; exit 1; }
	$(GO) vet ./...

test: ort vet
	$(GO) test -race -count=1 ./...

bench: ort
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

# fuzz runs every fuzz target for FUZZTIME.
fuzz:
	@set -e; for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
	    echo "== $$pkg $$t"; $(GO) test -run '^$$' -fuzz "^$$t\$$" -fuzztime $(FUZZTIME) $$pkg; \
	  done; done

demo: ort build
	./bin/emoeval demo --out demo-out

# smoke runs every ```sh block of the README's walkthrough and fails on an unexpected exit code.
smoke: ort build
	bash scripts/readme-smoke.sh README.md

clean:
	rm -rf bin demo-out tour
