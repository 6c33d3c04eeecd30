#!/usr/bin/env bash
# Copies the screenshots the app's end-to-end test takes (real app, Xvfb) into docs/ for the README.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test -q --workspace --features custom-protocol --test app --test window_tasks >/dev/null
src="${CARGO_TARGET_DIR:-target}/tmp/e2e-screenshots"
cp "$src/4-wrong-passphrase.png" docs/screenshot-unlock.png
cp "$src/3-list.png" docs/screenshot-list.png
cp "$src/3b-failed-check.png" docs/screenshot-failed-check.png
cp "$src/2-add.png" docs/screenshot-add.png
cp "$src/6-import-preview.png" docs/screenshot-import.png
cp "$src/9-team.png" docs/screenshot-team.png
cp "$src/13-list-720x480-light.png" docs/screenshot-small.png
cp "$src/13-list-1440x900-dark.png" docs/screenshot-dark.png
cp "$src/13-team-join-980x680-dark.png" docs/screenshot-join.png
echo "updated docs/screenshot-*.png"
