# StateSpaceLab — build, test, demo and benchmark entry points.
#
#   make demo    the lab's main job: mode comparison and example experiments into results/
#   make test    the whole test suite (release build, one BLAS thread per process)
#   make bench   benchmarks on the peers' workloads (JSON lines into results/bench.jsonl)
#
# Each target first installs the system libraries when they are missing (Debian/Ubuntu).

SWIFT        ?= swift
CONFIG       ?= release
APT_PACKAGES := pkgconf libopenblas-dev liblapacke-dev libfftw3-dev
SSLAB        := .build/$(CONFIG)/sslab
RESULTS      ?= results

.PHONY: all deps build test demo bench notebooks clean

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
	$(SWIFT) build -c $(CONFIG)

# Tests run in parallel; one OpenBLAS thread per call avoids oversubscribing the 2 cores.
test: deps
	OPENBLAS_NUM_THREADS=1 $(SWIFT) test -c $(CONFIG)

demo: build
	$(SSLAB) demo --out $(RESULTS)

bench: build
	@mkdir -p $(RESULTS)
	$(SSLAB) bench --all --output $(RESULTS)/bench.jsonl

clean:
	rm -rf .build $(RESULTS)
