# emoeval — see README.md. `make test` is what CI runs; `make demo` runs the whole pipeline on
# built-in data.
SHELL := /bin/bash
GO ?= go
ORT_VERSION := 1.24.3
ORT_SHA256 := 92ba8e44d31b80a34f5e805076a044122c3be1fffe0d88ed790de7267b0b2682
ORT_DIR := $(CURDIR)/.ort
ORT_LIB := $(ORT_DIR)/libonnxruntime.so.$(ORT_VERSION)
export ONNXRUNTIME_SHARED_LIBRARY_PATH ?= $(ORT_LIB)
FUZZTIME ?= 10s
BENCHTIME ?= 1s

.PHONY: all build test bench fuzz demo ort vet clean

all: build

build:
	$(GO) build -o bin/emoeval ./cmd/emoeval

# ort fetches the ONNX Runtime shared library from the npm registry (onnxruntime-node ships it),
# checks its sha256 and keeps it in .ort/ (git-ignored).
ort: $(ORT_LIB)

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

clean:
	rm -rf bin demo-out
