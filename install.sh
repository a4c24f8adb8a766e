#!/usr/bin/env bash
# Builds dstack in Release and installs it as PREFIX/bin/dstack (default PREFIX: ~/.local).
# Running it again upgrades in place: the new build is staged beside the old one and swapped in with a rename,
# and a fresh build id tells a still-running background server that it is out of date.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: ./install.sh [--prefix DIR]

Builds dstack in Release and installs it as DIR/bin/dstack (default DIR: ~/.local).
Needs: the .NET 10 SDK, git and bash.
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

src="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mkdir -p "$prefix/bin" "$prefix/lib"
prefix="$(cd "$prefix" && pwd)"
lib="$prefix/lib/dstack"
stage="$prefix/lib/.dstack-stage-$$"
trap 'rm -rf "$stage"' EXIT

echo "Building dstack (Release)..."
dotnet publish "$src/src/Dstack.Cli/Dstack.Cli.csproj" -c Release -o "$stage" --nologo -v quiet -clp:ErrorsOnly >/dev/null
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
