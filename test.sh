#!/usr/bin/env bash
# Runs every test: builds the solution, installs dstack into a temporary prefix with ./install.sh (the
# end-to-end tests drive that installed binary, as a user would), runs each test project, and ends with
# the line "N passed, N failed". Needs only what README.md lists: the .NET 10 SDK, git, bash, python3.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root="$(pwd)"

for tool in dotnet git bash python3 setsid; do
  command -v "$tool" >/dev/null 2>&1 || { echo "test.sh: '$tool' is missing; see README.md" >&2; echo "0 passed, 1 failed"; exit 1; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/dstack-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
results="$work/results"
mkdir -p "$results"

echo "== build"
if ! dotnet build Dstack.sln -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "test.sh: the build failed"; echo "0 passed, 1 failed"; exit 1
fi

echo "== install into $work/prefix"
if ! ./install.sh --prefix "$work/prefix"; then
  echo "test.sh: install.sh failed"; echo "0 passed, 1 failed"; exit 1
fi
export DSTACK_BIN="$work/prefix/bin/dstack"
# The tests start their own servers with their own DSTACK_HOME; never touch the user's.
export DSTACK_HOME="$work/home-unused"

passed=0; failed=0; broken=0
for project in tests/*/*.csproj; do
  name="$(basename "$project" .csproj)"
  echo "== $name"
  dotnet test "$project" -c Release --no-build --nologo \
    --blame-hang-timeout 10m \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
    --results-directory "$results" 2>&1 | grep -vE '^\s*$'
  trx="$results/$name.trx"
  if [ ! -f "$trx" ]; then
    echo "test.sh: $name produced no results (crashed or did not build)"; broken=$((broken + 1)); continue
  fi
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)"
  p="$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  f="$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  t="$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")"
  e="$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")"
  p=${p:-0}; f=${f:-0}; t=${t:-0}; e=${e:-0}
  # A test that did not execute (aborted run, hang) counts as failed.
  f=$((f + t - e))
  passed=$((passed + p)); failed=$((failed + f))
done
failed=$((failed + broken))

echo "== bench smoke"
if [ -x bench/run ]; then
  if bench/run --smoke >"$work/bench.log" 2>&1; then passed=$((passed + 1)); echo "bench/run --smoke: ok"
  else failed=$((failed + 1)); echo "bench/run --smoke failed:"; tail -n 30 "$work/bench.log"; fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
