#!/usr/bin/env python3
"""Fine-tunes a character bigram model on the encoded dataset: real (if tiny) training in a second or two.

Reads the model folder (download-model's artifact) and the dataset (encode-dataset's artifact), prints a
progress bar that rewrites its line with \\r, and writes a checkpoint and samples as its artifacts.
The checkpoint is saved every 50 steps and when `dstack stop` sends SIGTERM; a resumed job finds it in place
(`dstack resume` restores the job's artifacts) and carries on from the step it reached.
"""
import argparse
import json
import math
import os
import random
import signal
import sys

parser = argparse.ArgumentParser()
parser.add_argument("--run_name", required=True)
parser.add_argument("--model", required=True)
parser.add_argument("--models_dir", required=True)
parser.add_argument("--steps", type=int, default=300)
parser.add_argument("--learning_rate", type=float, default=0.5)
parser.add_argument("--sample_length", type=int, default=200)
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()

with open(os.path.join(args.models_dir, args.model, "vocab.json")) as f:
    vocab = json.load(f)
with open("datasets/input.bin", "rb") as f:
    data = f.read()
n = len(vocab)
inverse = {i: ch for ch, i in vocab.items()}

stopping = False


def on_term(signum, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_term)


def save(step, loss):
    os.makedirs("checkpoint", exist_ok=True)
    with open("checkpoint/model.json.tmp", "w") as f:
        json.dump({"run_name": args.run_name, "model": args.model, "steps_done": step, "loss": loss, "logits": logits}, f)
    os.replace("checkpoint/model.json.tmp", "checkpoint/model.json")


# Logits of a bigram model, trained by stochastic gradient descent on the cross-entropy.
rng = random.Random(args.seed)
logits = [[0.0] * n for _ in range(n)]
loss = 0.0
first = 1
if os.path.exists("checkpoint/model.json"):
    with open("checkpoint/model.json") as f:
        saved = json.load(f)
    if saved.get("model") == args.model and saved.get("steps_done", 0) < args.steps:
        logits, loss, first = saved["logits"], saved["loss"], saved["steps_done"] + 1
        print(f"resuming from the checkpoint at step {saved['steps_done']}")
for step in range(first, args.steps + 1):
    total = 0.0
    for _ in range(32):
        i = rng.randrange(len(data) - 1)
        a, b = data[i], data[i + 1]
        row = logits[a]
        peak = max(row)
        exps = [math.exp(x - peak) for x in row]
        norm = sum(exps)
        total -= math.log(exps[b] / norm)
        for j in range(n):
            grad = exps[j] / norm - (1.0 if j == b else 0.0)
            row[j] -= args.learning_rate * grad
    loss = total / 32
    if step % 10 == 0 or step == args.steps:
        done = step * 30 // args.steps
        sys.stdout.write(f"\rstep {step:4d}/{args.steps} [{'#' * done}{'.' * (30 - done)}] loss {loss:.3f}")
        sys.stdout.flush()
    if step % 50 == 0 or stopping:
        save(step, loss)
    if stopping:
        print(f"\nstopped at step {step}: checkpoint saved")
        sys.exit(0)
sys.stdout.write("\n")
save(args.steps, loss)

state = data[0]
chars = []
for _ in range(args.sample_length):
    row = logits[state]
    peak = max(row)
    weights = [math.exp(x - peak) for x in row]
    state = rng.choices(range(n), weights=weights)[0]
    chars.append(inverse[state])
os.makedirs("samples", exist_ok=True)
with open("samples/sample.txt", "w") as f:
    f.write("".join(chars))
print(f"run {args.run_name}: final loss {loss:.3f}; sample:")
print("".join(chars)[:120])
