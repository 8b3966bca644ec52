# StateSpaceLab — build, test, demo and benchmark entry points.
#
#   make demo    the lab's main job: discretisation, RNN = CNN mode comparison, figures → results/
#   make test    the whole test suite (release build, one BLAS thread per process), then
#                `sslab notebook check` on every notebook not marked slow
#   make bench   benchmarks on the peers' workloads (JSON lines → results/bench.jsonl)
#   make notebooks  run every notebook in notebooks-md/, slow ones included (rewrites their
#                outputs and figures); 05b only where its local-only data are
#   make notebooks-check  check every notebook, slow ones included, without writing anything
#
# Each target first installs the system libraries when they are missing (Debian/Ubuntu).

SWIFT        ?= swift
APT_PACKAGES := pkgconf libopenblas-dev liblapacke-dev libfftw3-dev
SSLAB        := .build/release/sslab
RESULTS      ?= results
NOTEBOOKS    := $(sort $(wildcard notebooks-md/[0-9]*.md))
# Notebook 5b runs on the local-only system-identification data (datasets/README.md): the
# notebook targets run it only when the data directory the lab would read exists (SSLAB_DATA_DIR,
# relative to the repository root or absolute, else datasets/sysid) and otherwise say it was skipped.
NOTEBOOK_LOCAL := notebooks-md/05b-system-identification-benchmarks.md
SYSID_DIR    = $(if $(SSLAB_DATA_DIR),$(SSLAB_DATA_DIR),datasets/sysid)
# `swift test --disable-testable-imports` builds with the same flags as `swift build`, so the
# release build is shared instead of compiled twice (the tests use public API only).
TEST_FLAGS   := -c release --disable-testable-imports
# Let the Swift SIMD kernels use AVX2 when this CPU has it, and AVX-512 (znver4 on AMD,
# skylake-avx512 on Intel) when it has that too (see Package.swift); override with
# `make SSLAB_TARGET_CPU= …` for a portable build.
SSLAB_TARGET_CPU ?= $(shell f=/proc/cpuinfo; grep -qw avx2 $$f 2>/dev/null && grep -qw fma $$f 2>/dev/null && { \
  if grep -qw avx512f $$f && grep -qw avx512vl $$f && grep -qw avx512bw $$f && grep -qw avx512dq $$f; then \
    if grep -q AuthenticAMD $$f; then echo znver4; else echo skylake-avx512; fi; else echo haswell; fi; })
export SSLAB_TARGET_CPU

.PHONY: all deps build test demo bench notebooks notebooks-check notebook-local clean

all: build

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y $$missing; \
	fi

build: deps
	$(SWIFT) build -c release

# The CLI golden tests run the built executable, so build it before testing.
# Tests run in parallel; one OpenBLAS thread per call avoids oversubscribing the 2 cores.
# The notebook check re-executes the quick notebooks and fails, with a diff, if a committed
# output is stale (slow ones, marked <!-- sslab:notebook slow -->, only get their digests checked).
test: build
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test $(TEST_FLAGS)
	$(SSLAB) notebook check --skip-slow $(NOTEBOOKS)

demo: build
	$(SSLAB) demo --out $(RESULTS)

bench: build
	@mkdir -p $(RESULTS)
	$(SSLAB) bench --output $(RESULTS)/bench.jsonl

notebooks: build
	$(SSLAB) notebook run $(filter-out $(NOTEBOOK_LOCAL),$(NOTEBOOKS))
	@$(MAKE) --no-print-directory notebook-local NOTEBOOK_ACTION=run

notebooks-check: build
	$(SSLAB) notebook check $(filter-out $(NOTEBOOK_LOCAL),$(NOTEBOOKS))
	@$(MAKE) --no-print-directory notebook-local NOTEBOOK_ACTION=check

# Runs or checks notebook 5b when its data directory exists; a message otherwise.
notebook-local:
	@if [ -d "$(SYSID_DIR)" ]; then \
	  echo "$(SSLAB) notebook $(NOTEBOOK_ACTION) $(NOTEBOOK_LOCAL)"; \
	  $(SSLAB) notebook $(NOTEBOOK_ACTION) $(NOTEBOOK_LOCAL); \
	else \
	  echo "make: skipping $(NOTEBOOK_LOCAL): its local-only data directory $(SYSID_DIR) does not exist (fetch the data with datasets/fetch-sysid.sh or set SSLAB_DATA_DIR; see datasets/README.md)"; \
	fi

clean:
	rm -rf .build $(RESULTS)
