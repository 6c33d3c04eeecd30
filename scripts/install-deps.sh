#!/usr/bin/env bash
# Installs what Keyward needs on Debian/Ubuntu and is not there yet. Idempotent and quiet
# when everything is present. Usage: scripts/install-deps.sh run|test|fuzz
set -euo pipefail
purpose="${1:-test}"

say() { printf '==> %s\n' "$*"; }

if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is not installed: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi

# System packages: age and expect drive the interop tests; xvfb/xclip the clipboard test;
# g++ builds libFuzzer for the fuzz target's compile check.
apt_packages=()
case "$purpose" in
  test) apt_packages=(age expect xvfb xauth xclip util-linux g++) ;;
  run) apt_packages=() ;;
  fuzz) apt_packages=() ;;
esac
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Rust components used by `make test`.
if command -v rustup >/dev/null 2>&1; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || { say "adding rustup component $c"; rustup component add "$c"; }
  done
fi

if [ "$purpose" = fuzz ]; then
  rustup toolchain list | grep -q '^nightly' || { say "installing the nightly toolchain"; rustup toolchain install nightly --profile minimal; }
  command -v cargo-fuzz >/dev/null 2>&1 || { say "installing cargo-fuzz"; cargo install cargo-fuzz --locked; }
fi
