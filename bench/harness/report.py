"""The results as a Markdown table: medians with their spread, and our ratio to each peer (below 1 = we are faster)."""
import datetime
import os
import platform

from results import OURS


def render(results, mode, binary):
    tools = results.tools()
    peers = [t for t in tools if t != OURS]
    header = ["workload", "size", "figure"] + tools + [f"{OURS} / {p}" for p in peers]
    lines = [f"# Benchmark results ({mode})", "",
             f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.node()}: "
             f"{os.cpu_count()} cores, {platform.machine()}; dstack = {binary}", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for (workload, size, metric, unit), by_tool in results.rows():
        cells = [workload, size, f"{metric} ({unit})"]
        for tool in tools:
            figure = by_tool.get(tool)
            cells.append(_value(figure) if figure else "")
        ours = by_tool.get(OURS)
        for peer in peers:
            theirs = by_tool.get(peer)
            if ours and theirs and theirs.sample.median > 0:
                cells.append(f"{ours.sample.median / theirs.sample.median:.2f}x")
            else:
                cells.append("")
        lines.append("| " + " | ".join(cells) + " |")
    if results.notes:
        lines += [""] + [f"- {note}" for note in results.notes]
    return "\n".join(lines) + "\n"


def _value(figure):
    median = figure.sample.median
    text = f"{median:.3g}" if median < 1000 else f"{median:.0f}"
    if len(figure.sample.values) > 1:
        text += f" ±{figure.sample.spread * 100:.0f}%"
    return text
