# Keyward. `make run` and `make test` install what is missing first (see scripts/install-deps.sh).
SHELL := /bin/bash
CARGO ?= cargo

.PHONY: run test lint deps-run deps-test bench fuzz fuzz-deps

run: deps-run
	$(CARGO) build --release -p keyward-cli
	@echo
	@echo "The desktop app is not built yet; this is the keyward command line:"
	@echo
	$(CARGO) run --quiet --release -p keyward-cli -- --help

test: deps-test lint
	$(CARGO) build --workspace --all-targets
	$(CARGO) check --manifest-path fuzz/Cargo.toml
	set -o pipefail; $(CARGO) test --workspace 2>&1 | tee /dev/stderr \
	  | awk '/^test result:/ { p += $$4; f += $$6 } END { printf "all tests: %d passed, %d failed\n", p, f }'

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

deps-run:
	@scripts/install-deps.sh run

deps-test:
	@scripts/install-deps.sh test

# Criterion benchmarks of the core (figures in docs/benchmarks.md).
bench:
	$(CARGO) bench -p keyward-core

# Fuzz decrypt + parse of vault files; FUZZ_SECONDS=600 for a long run.
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/install-deps.sh fuzz
	mkdir -p fuzz/corpus/open_vault
	cd fuzz && $(CARGO) +nightly fuzz run open_vault corpus/open_vault seeds -- -max_total_time=$(FUZZ_SECONDS)
