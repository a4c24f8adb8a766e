#!/usr/bin/env bash
# Runs the README's walkthrough in a throwaway sandbox (a copy of this repository's example pipeline pushed to a
# bare remote) and prints each command with its real output, so the README can be kept true.
# usage: docs/walkthrough.sh [DSTACK_BINARY]
set -euo pipefail
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dstack="${1:-$(command -v dstack)}"
sandbox="$(mktemp -d "${TMPDIR:-/tmp}/dstack-walkthrough.XXXXXX")"
export DSTACK_HOME="$sandbox/home" GIT_AUTHOR_NAME=walkthrough GIT_AUTHOR_EMAIL=w@example.com GIT_COMMITTER_NAME=walkthrough GIT_COMMITTER_EMAIL=w@example.com
trap '"$dstack" server stop >/dev/null 2>&1 || true; rm -rf "$sandbox"' EXIT

git init -q --bare -b main "$sandbox/remote.git"
git clone -q "$sandbox/remote.git" "$sandbox/repo" 2>/dev/null
cd "$sandbox/repo"
git checkout -q -b main
cp -r "$src/.dstack" "$src/example" .
git add -A && git commit -qm "example pipeline" && git push -q -u origin main

# Show what a terminal shows: of a line rewritten with \r, only its last state.
screen() { python3 -c 'import sys
for line in sys.stdin.buffer.read().decode("utf-8", "replace").split("\n"):
    parts = [p for p in line.split("\r") if p]
    print(parts[-1] if parts else "")' | sed -e '${/^$/d;}'; }
show() { printf '\n$ %s\n' "$*"; "$dstack" "${@:2}" 2>&1 | screen || true; }
wait_for() { for _ in $(seq 1 600); do if eval "$1"; then return 0; fi; sleep 0.1; done; echo "walkthrough: timed out waiting for: $1" >&2; exit 1; }
show dstack --version
show dstack run --help
show dstack run finetune-model --help
show dstack init
show dstack run finetune-model --steps 100 -f
run="$("$dstack" status --last 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["runName"])')"
job="$("$dstack" status --last 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["jobs"][-1]["jobId"])')"
show dstack status
show dstack status --last 1 --json
show dstack logs "$job"
show dstack artifacts "$run"
show dstack artifacts -t "$job"
show dstack artifacts "$job" -o "$sandbox/out"
show dstack artifacts "$job" -o "$sandbox/out"

# Reuse: an unchanged re-run runs nothing; a dry run says what a changed variable would re-run and why; tags.
again="$("$dstack" run finetune-model --steps 100 2>"$sandbox/notes" | tail -n 1)"
printf '\n$ dstack run finetune-model --steps 100\n%s\n%s\n' "$again" "$(cat "$sandbox/notes")"
show dstack status "$again"
show dstack run finetune-model --steps 120 --dry-run
show dstack tag "$run" baseline
show dstack status --last 2

# Stop and resume: a long training run, stopped gracefully, then resumed from its checkpoint.
long="$("$dstack" run finetune-model --steps 60000 2>"$sandbox/notes" | tail -n 1)"
wait_for '"$dstack" logs "$long" 2>/dev/null | grep -q "step  *[0-9]*0/60000"'
printf '\n$ dstack run finetune-model --steps 60000\n%s\n%s\n' "$long" "$(cat "$sandbox/notes")"
show dstack stop "$long"
wait_for '"$dstack" status "$long" --json | python3 -c "import json,sys; sys.exit(0 if json.load(sys.stdin)[0][\"status\"] == \"STOPPED\" else 1)"'
show dstack status "$long"
tuned="$("$dstack" status "$long" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["jobs"][-1]["jobId"])')"
show dstack resume "$tuned"
show dstack logs -f "$tuned"
show dstack status "$long"
show dstack stop "$long"
show dstack prune --dry-run
show dstack prune
show dstack server stop
