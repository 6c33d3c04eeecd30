#!/usr/bin/env bash
# The window with 10,000 keys in the release app (the last step of scripts/bench-app.sh), RUNS
# times (default 3): search (keystroke → filtered list painted, 84 keystrokes typed like a
# person), selection (arrow key → detail pane painted, 60 keys), and unlock (passphrase
# submitted → list painted, beside the KDF alone).
# Usage: scripts/bench-window.sh   Figures go to docs/benchmarks.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
npm run build --silent >/dev/null
cargo build --release -q --features custom-protocol -p keyward-app
cargo build --release -q -p keyward-e2e --example bench-app
bin="$(realpath "${CARGO_TARGET_DIR:-target}")/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export BENCH_PASSPHRASE="bench passphrase for keyward"
"$bin/examples/bench-app" make-vault "$work/vault.age" 10000
for _ in $(seq "${RUNS:-3}"); do
  env -u DISPLAY "$bin/examples/bench-app" search "$work/vault.age"
  env -u DISPLAY "$bin/examples/bench-app" unlock "$work/vault.age"
done
