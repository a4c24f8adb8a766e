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

show() { printf '\n$ %s\n' "$*"; "$dstack" "${@:2}" 2>&1 | tr '\r' '\n' || true; }
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
show dstack server stop
