#!/usr/bin/env python3
"""Encodes a text file as one byte per character (lower-cased, unknown characters dropped)."""
import argparse

parser = argparse.ArgumentParser()
parser.add_argument("--input", required=True)
parser.add_argument("--output", required=True)
args = parser.parse_args()

alphabet = sorted(set(" abcdefghijklmnopqrstuvwxyz.,;:!?'\n"))
index = {ch: i for i, ch in enumerate(alphabet)}
with open(args.input, encoding="utf-8") as f:
    text = f.read().lower()
tokens = bytes(index[ch] for ch in text if ch in index)
with open(args.output, "wb") as f:
    f.write(tokens)
print(f"encoded {len(text)} characters into {len(tokens)} tokens -> {args.output}")
