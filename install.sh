#!/usr/bin/env bash
# Builds dstack in Release and installs it as PREFIX/bin/dstack (default PREFIX: ~/.local), with dstackd (its server
# and runner) beside it in PREFIX/lib/dstack.
# Running it again upgrades in place: the new build is staged beside the old one and swapped in with a rename,
# and a fresh build id tells a still-running background server that it is out of date.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: ./install.sh [--prefix DIR]

Builds dstack in Release and installs it as DIR/bin/dstack (default DIR: ~/.local).
Needs: the .NET 10 SDK, a C toolchain (gcc or clang, for Native AOT), git and bash.
USAGE
}

prefix="${HOME}/.local"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || { echo "install.sh: --prefix needs a folder" >&2; exit 2; }; prefix="$2"; shift 2 ;;
    --prefix=*) prefix="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install.sh: unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

for tool in dotnet git bash; do
  command -v "$tool" >/dev/null 2>&1 || { echo "install.sh: '$tool' is not installed; see README.md (needs the .NET 10 SDK, git and bash)" >&2; exit 1; }
done

if ! command -v cc >/dev/null 2>&1 && ! command -v gcc >/dev/null 2>&1 && ! command -v clang >/dev/null 2>&1; then
  echo "install.sh: no C toolchain found (gcc or clang): Native AOT links with it; install one (apt-get install gcc)" >&2; exit 1
fi

src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$prefix/bin" "$prefix/lib"
prefix="$(cd "$prefix" && pwd)"
lib="$prefix/lib/dstack"
stage="$prefix/lib/.dstack-stage-$$"
trap 'rm -rf "$stage"' EXIT

# Native AOT: one self-contained machine-code binary that starts in milliseconds (a JIT start costs 100+ ms on every
# command typed and every job the runner starts). See docs/adr/0008-native-aot.md.
case "$(uname -m)" in
  x86_64|amd64) rid=linux-x64 ;;
  aarch64|arm64) rid=linux-arm64 ;;
  *) echo "install.sh: no Native AOT build for $(uname -m); supported: x86_64, aarch64" >&2; exit 1 ;;
esac
echo "Building dstack (Release, Native AOT for $rid; a few minutes)..."
# Two binaries side by side: `dstack`, the CLI, small so every command starts fast, and `dstackd`, the server and the
# runner, which `dstack server` and `dstack runner` become (docs/adr/0011-small-cli-binary.md).
for project in Dstack.Cli Dstack.Daemon; do
  dotnet publish "$src/src/$project/$project.csproj" -c Release -r "$rid" -p:PublishAot=true -o "$stage" --nologo -v quiet -clp:ErrorsOnly >/dev/null
done
# Debug symbols stay out of the install; the two binaries and the SQLite library beside them are all it needs.
rm -f "$stage"/*.dbg "$stage"/*.pdb "$stage"/*.runtimeconfig.json "$stage"/*.deps.json
commit="$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "${commit}-$(date -u +%Y%m%d%H%M%S)-$$" > "$stage/build-id"

# Swap the new build in with renames, so a command started meanwhile sees either the old or the new one whole.
if [ -d "$lib" ]; then mv "$lib" "$lib.old-$$"; fi
mv "$stage" "$lib"
rm -rf "$lib.old-$$"
ln -sfn "../lib/dstack/dstack" "$prefix/bin/dstack"

echo "Installed $("$prefix/bin/dstack" --version) as $prefix/bin/dstack"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "Add it to your PATH:  export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
