#!/usr/bin/env bash
# The installable packages of Keyward (.deb and .rpm): the desktop app, the `keyward` command
# line on the PATH, a desktop entry, icons and the licence. Built offline by Tauri's bundler
# (the prebuilt `tauri` CLI from the npm registry, in package.json); AppImage is not offered:
# its bundler downloads tools from GitHub.
#
#   scripts/package.sh              release build, .deb and .rpm (what `make package` runs)
#   scripts/package.sh --debug      the debug build (the package test in `make test`)
#   --no-build                      package what is built already
#   KEYWARD_BUNDLES=deb             only some of the formats
set -euo pipefail
cd "$(dirname "$0")/.."
profile=release cargo_profile=--release bundle_profile= build=1
for arg in "$@"; do
  case "$arg" in
    --debug) profile=debug cargo_profile= bundle_profile=--debug ;;
    --no-build) build= ;;
    *) echo "usage: scripts/package.sh [--debug] [--no-build]" >&2; exit 2 ;;
  esac
done
target="$(cargo metadata --format-version 1 --no-deps | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')"
if [ -n "$build" ]; then
  npm run --silent build
  cargo build $cargo_profile --features custom-protocol -p keyward-app -p keyward-cli
fi
cli="$target/$profile/keyward"
[ -x "$cli" ] || { echo "no command line at $cli: build it first (without --no-build)" >&2; exit 1; }
# The command line goes to /usr/bin beside the app; its path is only known here.
extra=$(node -e 'const f={"/usr/bin/keyward":process.argv[1]};console.log(JSON.stringify({bundle:{linux:{deb:{files:f},rpm:{files:f}}}}))' "$cli")
npx --no-install tauri bundle $bundle_profile --ci --bundles "${KEYWARD_BUNDLES:-deb,rpm}" --config "$extra"
ls -1 "$target/$profile/bundle"/{deb,rpm}/*.{deb,rpm} 2>/dev/null || true
