#!/usr/bin/env python3
"""Stands in for downloading a pretrained model: writes a small, deterministic "model" folder."""
import argparse
import json
import os
import random

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--models_dir", required=True)
args = parser.parse_args()

folder = os.path.join(args.models_dir, args.model)
os.makedirs(folder, exist_ok=True)
alphabet = sorted(set(" abcdefghijklmnopqrstuvwxyz.,;:!?'\n"))
with open(os.path.join(folder, "vocab.json"), "w") as f:
    json.dump({ch: i for i, ch in enumerate(alphabet)}, f)
with open(os.path.join(folder, "hparams.json"), "w") as f:
    json.dump({"model": args.model, "n_vocab": len(alphabet)}, f)
rng = random.Random(args.model)
with open(os.path.join(folder, "weights.bin"), "wb") as f:
    f.write(bytes(rng.randrange(256) for _ in range(64 * 1024)))
print(f"downloaded model {args.model} into {folder} ({len(alphabet)} tokens)")
