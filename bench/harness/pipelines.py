"""The same two pipeline shapes written for each tool.

fan-out N: `produce` writes a file; N jobs each read it and write a small result; `gather` reads all N results.
chain N: N jobs, each reading the previous one's result and writing its own.
Every job is a real process doing a little file work, the same shell command under every tool (dstack keeps each
result as a one-file artifact where make writes the file), so what differs between tools is their own overhead.
"""


def dstack_yaml(shape, n):
    lines = ["workflows:"]
    if shape == "fanout":
        lines += ["  - name: produce", "    commands: [echo input > shared.txt]", "    artifacts: [shared.txt]"]
        for i in range(1, n + 1):
            lines += [f"  - name: w{i}", "    depends-on: [produce]",
                      f"    commands: [cat shared.txt > r{i}.txt]", f"    artifacts: [r{i}.txt]"]
        deps = ", ".join(f"w{i}" for i in range(1, n + 1))
        lines += ["  - name: gather", f"    depends-on: [{deps}]", "    commands: [cat r*.txt | wc -l]"]
    else:
        for i in range(1, n + 1):
            step = [f"  - name: c{i}"]
            if i > 1:
                step.append(f"    depends-on: [c{i - 1}]")
            read = f"cat c{i - 1}.txt > /dev/null && " if i > 1 else ""
            step += [f"    commands: [{read}echo {i} > c{i}.txt]", f"    artifacts: [c{i}.txt]"]
            lines += step
    return "\n".join(lines) + "\n"


def dstack_target(shape, n):
    return "gather" if shape == "fanout" else f"c{n}"


def makefile(shape, n):
    if shape == "fanout":
        results = " ".join(f"r{i}.txt" for i in range(1, n + 1))
        return (f"all: gather.txt\n\nshared.txt:\n\techo input > $@\n\n"
                f"r%.txt: shared.txt\n\tcat shared.txt > $@\n\n"
                f"gather.txt: {results}\n\tcat $^ | wc -l > $@\n")
    rules = ["all: c%d.txt\n" % n, "c1.txt:\n\techo 1 > $@\n"]
    for i in range(2, n + 1):
        rules.append(f"c{i}.txt: c{i - 1}.txt\n\tcat $< > /dev/null && echo {i} > $@\n")
    return "\n".join(rules)


def dodo(shape, n):
    head = "DOIT_CONFIG = {'default_tasks': ['all'], 'verbosity': 0}\n\n"
    if shape == "fanout":
        return head + f"""N = {n}


def task_produce():
    return {{'actions': ['echo input > shared.txt'], 'targets': ['shared.txt']}}


def task_work():
    for i in range(1, N + 1):
        yield {{'name': str(i), 'actions': [f'cat shared.txt > r{{i}}.txt'], 'file_dep': ['shared.txt'], 'targets': [f'r{{i}}.txt']}}


def task_all():
    results = [f'r{{i}}.txt' for i in range(1, N + 1)]
    return {{'actions': ['cat r*.txt | wc -l > gather.txt'], 'file_dep': results, 'targets': ['gather.txt']}}
"""
    return head + f"""N = {n}


def task_chain():
    for i in range(1, N + 1):
        deps = [f'c{{i - 1}}.txt'] if i > 1 else []
        read = f'cat c{{i - 1}}.txt > /dev/null && ' if i > 1 else ''
        yield {{'name': str(i), 'actions': [f'{{read}}echo {{i}} > c{{i}}.txt'], 'file_dep': deps, 'targets': [f'c{{i}}.txt']}}


def task_all():
    return {{'actions': None, 'task_dep': ['chain:{n}']}}
"""


def snakefile(shape, n):
    if shape == "fanout":
        return f"""N = {n}

rule all:
    input: "gather.txt"

rule produce:
    output: "shared.txt"
    shell: "echo input > {{output}}"

rule work:
    input: "shared.txt"
    output: "r{{i}}.txt"
    shell: "cat {{input}} > {{output}}"

rule gather:
    input: expand("r{{i}}.txt", i=range(1, N + 1))
    output: "gather.txt"
    shell: "cat {{input}} | wc -l > {{output}}"
"""
    return f"""N = {n}

rule all:
    input: "c{n}.txt"

rule first:
    output: "c1.txt"
    shell: "echo 1 > {{output}}"

rule step:
    input: lambda w: f"c{{int(w.i) - 1}}.txt"
    output: "c{{i,[0-9]+}}.txt"
    shell: "cat {{input}} > /dev/null && echo {{wildcards.i}} > {{output}}"

ruleorder: first > step
"""
