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
# g++ builds libFuzzer for the fuzz targets' 30-second runs; dpkg and desktop-file-utils install
# and check the .deb in the package test.
apt_packages=()
# libwebkit2gtk-4.1-dev builds the desktop app; webkit2gtk-driver drives it in tests.
app_packages=(libwebkit2gtk-4.1-dev build-essential pkg-config libssl-dev)
case "$purpose" in
  test) apt_packages=("${app_packages[@]}" age expect git gnome-keyring dbus libsecret-tools parcellite xvfb xauth xclip util-linux g++ webkit2gtk-driver openssh-client dpkg desktop-file-utils) ;;
  run|package) apt_packages=("${app_packages[@]}") ;;
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

# Node.js 20+ and npm build the UI (Debian's own nodejs is too old for Vite 7).
if [ "$purpose" != fuzz ]; then
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    echo "Node.js 20 or newer (with npm) is needed to build the UI: install it from nodejs.org or your distribution." >&2
    exit 1
  fi
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$node_major" -lt 20 ]; then
    echo "Node.js $node_major is too old to build the UI: Node.js 20 or newer is needed." >&2
    exit 1
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing the UI's npm packages (package-lock.json)"
    # `npm install` with the lock file, not `npm ci`: with omit-lockfile-registry-resolved set
    # (as on this project's machines) npm 11 writes lock entries that `npm ci` then rejects.
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error
  fi
fi

# Rust components used by `make test`.
if command -v rustup >/dev/null 2>&1; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || { say "adding rustup component $c"; rustup component add "$c"; }
  done
fi

# tauri-driver drives the app through WebKitWebDriver in the end-to-end tests.
if [ "$purpose" = test ] && ! command -v tauri-driver >/dev/null 2>&1; then
  say "installing tauri-driver"
  cargo install tauri-driver --locked --quiet
fi

# cargo-deny checks the Rust dependencies (licences, sources, bans) in `make test`.
if [ "$purpose" = test ] && ! command -v cargo-deny >/dev/null 2>&1; then
  say "installing cargo-deny"
  cargo install cargo-deny --locked --quiet
fi

# cargo-fuzz: `make test` runs each fuzz target for 30 s.
if [ "$purpose" = test ] && ! command -v cargo-fuzz >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --locked --quiet
fi

if [ "$purpose" = fuzz ]; then
  rustup toolchain list | grep -q '^nightly' || { say "installing the nightly toolchain"; rustup toolchain install nightly --profile minimal; }
  command -v cargo-fuzz >/dev/null 2>&1 || { say "installing cargo-fuzz"; cargo install cargo-fuzz --locked; }
fi
