#!/usr/bin/env bash
# Renders docs/screenshot-cli.png: a short keyward session in a real xterm under Xvfb.
# Needs: xvfb xterm imagemagick (apt-get install -y xvfb xterm imagemagick), and a built keyward.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${KEYWARD_BIN:-target/release/keyward}"
work=$(mktemp -d)
trap 'kill %1 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/demo.sh" <<DEMO
cd $work
export KEYWARD_VAULT=vault.age KEYWARD_PASSPHRASE='demo passphrase for the screenshot' USER=ana
export PS1='\$ ' PATH=$(dirname "$(realpath "$bin")"):\$PATH
run() { printf '\$ %s\n' "\$*"; eval "\$@"; }
clear
run keyward init --work-factor 12 2>/dev/null
printf 'sk-proj-Xa81pQwR7bLm2NcV9tYe4uKjH6sD3fGaZ0oPiU5yTrE1wQ\n' | keyward add openai-prod --env production --tag api >/dev/null
printf 'sk-ant-api03-Gh72kLmNpQ8rS1tUvW3xYz4aB5cD6eF7gH8iJ9kL0\n' | keyward add claude-dev --env development --tag summariser >/dev/null
printf 'gsk_R2d2C3poBb8Yy9Zz0Aa1Cc2Dd3Ee4Ff5Gg6Hh7Ii8Jj9Kk0Ll\n' | keyward add groq --tag batch >/dev/null
echo '\$ printf "sk-proj-…" | keyward add openai-prod --env production --tag api'
echo 'Added "openai-prod" (OpenAI).'
run keyward list
run keyward show claude-dev
run "keyward run --env openai-prod -- sh -c 'echo \\\$OPENAI_API_KEY | cut -c1-12'"
sleep 30
DEMO
Xvfb :77 -screen 0 1000x640x24 -nolisten tcp -noreset &
sleep 1
DISPLAY=:77 xterm -geometry 110x30+0+0 -fa 'DejaVu Sans Mono' -fs 11 -bg '#1e1f29' -fg '#e6e6e6' \
  -e bash --noprofile --norc "$work/demo.sh" &
sleep 4
DISPLAY=:77 import -window root -crop 900x415+0+0 docs/screenshot-cli.png
echo "wrote docs/screenshot-cli.png"
