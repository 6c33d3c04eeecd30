#!/usr/bin/env bash
# A short run of each fuzz target (30 s each by default; FUZZ_SMOKE_SECONDS to change), run by
# `make test`: a crash found in that time fails the build. Long runs: `make fuzz` (see fuzz/README.md).
# Builds with the stable toolchain (RUSTC_BOOTSTRAP lets it take the sanitizer flags), so that a
# fresh machine needs no nightly.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs="${FUZZ_SMOKE_SECONDS:-30}"
target_dir="${CARGO_TARGET_DIR:+$CARGO_TARGET_DIR/fuzz}"
target_dir="${target_dir:-target}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for spec in open_vault:seeds import_file:seeds/import provider_answer:seeds/answers signed_team:seeds/signed; do
  name="${spec%%:*}" seeds="${spec#*:}"
  mkdir -p "$work/$name"
  # Built first, so that a build that fails (a full disk, a compile error) is not reported as a crash.
  if ! RUSTC_BOOTSTRAP=1 cargo fuzz build --target-dir "$target_dir" "$name" >"$work/$name.build.log" 2>&1; then
    grep -E '^(error|warning: .*No space)|No space left' "$work/$name.build.log" | head -n 20 >&2 || true
    tail -n 20 "$work/$name.build.log" >&2
    echo "fuzz target $name did not build (nothing was fuzzed; the lines above say why)" >&2
    exit 1
  fi
  # New inputs go to the scratch folder; the seeds are only read.
  if ! RUSTC_BOOTSTRAP=1 cargo fuzz run --target-dir "$target_dir" "$name" "$work/$name" "$seeds" -- \
      -max_total_time="$secs" -print_final_stats=1 >"$work/$name.log" 2>&1; then
    tail -n 40 "$work/$name.log" >&2
    echo "fuzz target $name failed (a crash input is in fuzz/artifacts/$name/)" >&2
    exit 1
  fi
  runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$name.log" | grep -o '[0-9]*$' || echo '?')"
  echo "fuzz $name: ${secs} s, $runs executions, no crash"
done
