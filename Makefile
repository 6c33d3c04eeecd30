# Keyward. `make run` and `make test` install what is missing first (see scripts/install-deps.sh).
SHELL := /bin/bash
CARGO ?= cargo
# The app is always built with its UI embedded (no dev server needed), in tests too.
APP_FEATURES := --features custom-protocol

.PHONY: run test lint ui package icons deps-run deps-test deps-package bench fuzz audit

run: deps-run ui
	$(CARGO) build --release $(APP_FEATURES) -p keyward-app -p keyward-cli
	@echo "Starting Keyward (the command line is at target/release/keyward)."
	$(CARGO) run --quiet --release $(APP_FEATURES) -p keyward-app

test: deps-test ui lint
	node scripts/check-npm-deps.mjs
	$(CARGO) deny --log-level error check bans licenses sources
	npm test --silent
	$(CARGO) build --workspace --all-targets $(APP_FEATURES)
	scripts/fuzz-smoke.sh
	@# Tests talk to 127.0.0.1 only: no proxy from the environment may carry their keys elsewhere.
	set -o pipefail; env -u http_proxy -u https_proxy -u all_proxy -u HTTP_PROXY -u HTTPS_PROXY -u ALL_PROXY \
	  $(CARGO) test --workspace --no-fail-fast $(APP_FEATURES) 2>&1 \
	  | awk '{ print; fflush() } /^test result:/ { p += $$4; f += $$6 } END { printf "all tests: %d passed, %d failed\n", p, f }'

lint:
	$(CARGO) fmt --all --check
	$(CARGO) clippy --workspace --all-targets $(APP_FEATURES) -- -D warnings
	npm run --silent check

# The frontend (Svelte + Vite) into ui/dist, which the app embeds.
ui:
	npm run --silent build

deps-run:
	@scripts/install-deps.sh run

deps-package:
	@scripts/install-deps.sh package

# The installable packages (.deb, .rpm) of the release app and the CLI, built offline; they are
# written to target/release/bundle/ (or $CARGO_TARGET_DIR's).
package: deps-package
	scripts/package.sh

# The desktop icons at every size desktop environments ask for, from the one source image.
icons:
	npx --no-install tauri icon src-tauri/icons/icon.png -o src-tauri/icons/hicolor --png 16,24,32,48,64,128,256,512

deps-test:
	@scripts/install-deps.sh test

# Known vulnerabilities and unmaintained crates (RustSec), where GitHub can be reached for the
# advisory database; reviewed exceptions are in deny.toml.
audit:
	$(CARGO) deny check advisories

# Criterion benchmarks of the core (figures in docs/benchmarks.md).
bench:
	$(CARGO) bench -p keyward-core

# Fuzz decrypt + parse of vault files; FUZZ_SECONDS=600 for a long run.
FUZZ_SECONDS ?= 60
fuzz:
	@scripts/install-deps.sh fuzz
	mkdir -p fuzz/corpus/open_vault
	cd fuzz && $(CARGO) +nightly fuzz run open_vault corpus/open_vault seeds -- -max_total_time=$(FUZZ_SECONDS)
