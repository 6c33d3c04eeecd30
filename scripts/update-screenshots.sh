#!/usr/bin/env bash
# Copies the screenshots the app's end-to-end test takes (real app, Xvfb) into docs/ for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -q -p keyward-e2e --test app >/dev/null
src="${CARGO_TARGET_DIR:-target}/tmp/e2e-screenshots"
cp "$src/4-wrong-passphrase.png" docs/screenshot-unlock.png
cp "$src/3-list.png" docs/screenshot-list.png
cp "$src/3b-failed-check.png" docs/screenshot-failed-check.png
cp "$src/2-add.png" docs/screenshot-add.png
cp "$src/6-import-preview.png" docs/screenshot-import.png
cp "$src/9-team.png" docs/screenshot-team.png
echo "updated docs/screenshot-*.png"
