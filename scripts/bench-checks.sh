#!/usr/bin/env bash
# Whole-app figures for key checks: the real `keyward test --all` checking 200 keys against the
# fake providers (127.0.0.1, answering after 100 ms): wall time and peak memory (max RSS).
set -euo pipefail
cd "$(dirname "$0")/.."
keys="${1:-200}"
cargo build --release -q -p keyward-cli -p fake-providers
bin="${CARGO_TARGET_DIR:-target}/release"
work=$(mktemp -d)
"$bin/fake-providers" 100 > "$work/addr" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
while [ ! -s "$work/addr" ]; do sleep 0.05; done
base="$(cat "$work/addr")/openai/v1"
export KEYWARD_VAULT="$work/vault.age" KEYWARD_PASSPHRASE="bench passphrase"
"$bin/keyward" init --work-factor 10 >/dev/null 2>&1
for i in $(seq 1 "$keys"); do
  echo "sk-proj-bench-$i" | "$bin/keyward" add "key-$i" --base-url "$base" >/dev/null 2>&1
done
/usr/bin/time -v "$bin/keyward" test --all --json > "$work/out.json" 2> "$work/time.txt" || true
wall=$(grep "Elapsed (wall clock)" "$work/time.txt" | awk '{print $NF}')
rss=$(grep "Maximum resident set size" "$work/time.txt" | awk '{print $NF}')
valid=$(grep -o '"status": "valid"' "$work/out.json" | wc -l)
echo "keyward test --all: $keys keys ($valid valid), wall $wall, peak memory $((rss / 1024)) MB (max RSS)"
