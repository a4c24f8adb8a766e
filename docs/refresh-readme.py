#!/usr/bin/env python3
"""Puts the real output of docs/walkthrough.sh into README.md: each ```console block that starts with `$ dstack`
gets the next command's output, in order, with the walkthrough's temp paths shown as a user's would be.
usage: docs/walkthrough.sh DSTACK > walk.txt && docs/refresh-readme.py walk.txt"""
import re
import sys

README = "README.md"


def sections(text):
    """The walkthrough's output split per command: each starts with its `$ dstack ...` line."""
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("$ dstack"):
            current = [line]
            found.append(current)
        elif current is not None:
            current.append(line)
    return ["\n".join(s).rstrip("\n") for s in found]


def shorten(text):
    sandbox = re.search(r"/tmp/dstack-walkthrough\.[A-Za-z0-9]+", text)
    if sandbox is None:
        return text
    root = sandbox.group(0)
    return (text.replace(root + "/home", "~/.dstack")
            .replace(root + "/remote.git", "git@github.com:you/gpt-2-tiny.git")
            .replace(root, "~/src/gpt-2-tiny"))


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        outputs = sections(shorten(f.read()))
    with open(README, encoding="utf-8") as f:
        readme = f.read()
    blocks = list(re.finditer(r"```console\n(\$ dstack[^\n]*)\n(.*?)```", readme, re.S))
    if len(blocks) != len(outputs):
        sys.exit(f"README.md has {len(blocks)} console blocks but the walkthrough printed {len(outputs)} commands")
    result, end = [], 0
    for block, output in zip(blocks, outputs):
        result.append(readme[end:block.start()])
        result.append(f"```console\n{output}\n```")
        end = block.end()
    result.append(readme[end:])
    with open(README, "w", encoding="utf-8") as f:
        f.write("".join(result))
    print(f"refreshed {len(blocks)} blocks of README.md")


if __name__ == "__main__":
    main()
