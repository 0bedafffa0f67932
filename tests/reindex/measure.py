#!/usr/bin/env python3
"""The re-indexing figures: how long `index` takes, from process start to exit, when nothing changed and when one
paragraph of a note was edited, on a copy of the notes or on ten copies whose texts share nothing.

Makes the copy in WORK (kept, so that the ten copies' cold build, several minutes, is paid once), indexes it cold, then
runs `index` RUNS times after an edit (one sentence appended to one line of `ml-script.md`, a different sentence each
time; in the fifth copy for ten) and RUNS times with nothing changed. Prints each figure's median and range: wall time,
the program's own time (`seconds` of `index --json`) and peak memory; then one JSON object with them all.

    tests/reindex/measure.py [--copies 1|10] [--runs N] [--work DIR] [--corpus DIR] [--line N]

Ten copies: the first as it is, each other with two neighbouring letters of every word of four or more letters swapped
(a different pair per copy), so that hardly a passage or line window is shared (only those of short words alone, or whose
swapped letters are alike) and nearly every one is embedded. The program is
run as `dotnet src/MlTutor.Cli/bin/Release/net10.0/mltutor.dll` (what `./mltutor` runs once its set-up is complete;
the script runs `./mltutor --version` first to complete it).
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAM = ["dotnet", os.path.join(ROOT, "src", "MlTutor.Cli", "bin", "Release", "net10.0", "mltutor.dll")]
EDITED_NOTE = "ml-script.md"
EDIT_MARK = re.compile(r" Edited at \d+\.$")


def swap_letters(word, copy):
    n = len(word)
    p = (copy + n) % (n - 2) + 1
    return word[:p] + word[p + 1] + word[p] + word[p + 2:]


def make_corpus(source, corpus, copies):
    os.makedirs(corpus)
    for copy in range(copies):
        for name in sorted(n for n in os.listdir(source) if os.path.isfile(os.path.join(source, n))):
            with open(os.path.join(source, name), encoding="utf-8") as f:
                text = f.read()
            if copy:
                text = re.sub(r"[A-Za-z]{4,}", lambda m: swap_letters(m.group(0), copy), text)
            target = name if copies == 1 else f"c{copy}-{name}"
            with open(os.path.join(corpus, target), "w", encoding="utf-8") as f:
                f.write(text)


def edit(path, line):
    """Appends a sentence to the line (1-based), replacing the one an earlier edit appended."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    lines[line - 1] = EDIT_MARK.sub("", lines[line - 1]) + f" Edited at {time.time_ns()}."
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def run_index(corpus, index):
    """One `index --json`: wall seconds, the program's own seconds, peak RSS in MB, and its report."""
    # Waited for with wait4, for the child's own peak memory: its messages go to a file rather than a second pipe.
    with tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        process = subprocess.Popen([*PROGRAM, "--corpus", corpus, "--index", index, "index", "--json"],
                                   stdout=subprocess.PIPE, stderr=err, text=True)
        out = process.stdout.read()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"index failed (exit {os.waitstatus_to_exitcode(status)}) on {corpus}:\n{err.read()}")
    report = json.loads(out.strip().splitlines()[-1])
    return wall, report["seconds"], usage.ru_maxrss / 1024, report


def summary(samples):
    return {"median": round(statistics.median(samples), 3), "min": round(min(samples), 3), "max": round(max(samples), 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, choices=(1, 10), default=1)
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--work", help="folder for the copy and its index (default: a folder under the system's temp folder)")
    parser.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus"))
    parser.add_argument("--line", type=int, default=965, help=f"the line of {EDITED_NOTE} edited")
    args = parser.parse_args()

    subprocess.run([os.path.join(ROOT, "mltutor"), "--version"], check=True, stdout=subprocess.DEVNULL)
    work = args.work or os.path.join(os.environ.get("TMPDIR", "/tmp"), f"mltutor-reindex-{args.copies}x")
    corpus, index = os.path.join(work, "corpus"), os.path.join(work, "index")
    if not os.path.isdir(corpus):
        print(f"making {args.copies} cop{'y' if args.copies == 1 else 'ies'} of {args.corpus} in {corpus}", file=sys.stderr)
        make_corpus(args.corpus, corpus, args.copies)
    figures = {"copies": args.copies, "runs": args.runs}
    if not os.path.isdir(index):
        print("indexing cold", file=sys.stderr)
        wall, own, rss, report = run_index(corpus, index)
        figures["cold"] = {"wallSeconds": round(wall, 2), "seconds": own, "peakMegabytes": round(rss), "chunks": report["chunks"]}
    run_index(corpus, index)  # whatever an earlier run left changed is indexed before the first figure

    edited = os.path.join(corpus, EDITED_NOTE if args.copies == 1 else f"c4-{EDITED_NOTE}")
    kinds = {"edit": [], "unchanged": []}
    for run in range(args.runs):
        edit(edited, args.line)
        time.sleep(1)  # as a person saves, then runs index: the note's time stamp is not this second's
        kinds["edit"].append(run_index(corpus, index))
        kinds["unchanged"].append(run_index(corpus, index))
        if kinds["edit"][-1][3]["embedded"] < 1:
            sys.exit("the edit embedded nothing: " + json.dumps(kinds["edit"][-1][3]))
        if not kinds["unchanged"][-1][3]["upToDate"]:
            sys.exit("index after the edit's was not up to date: " + json.dumps(kinds["unchanged"][-1][3]))
        print(f"run {run + 1}: edit {kinds['edit'][-1][0]:.2f} s, unchanged {kinds['unchanged'][-1][0]:.2f} s", file=sys.stderr)
    for kind, samples in kinds.items():
        figures[kind] = {"wallSeconds": summary([s[0] for s in samples]), "seconds": summary([s[1] for s in samples]),
                         "peakMegabytes": summary([s[2] for s in samples])}
        f = figures[kind]
        print(f"{kind:9}  wall {f['wallSeconds']['median']:.2f} s ({f['wallSeconds']['min']:.2f}-{f['wallSeconds']['max']:.2f})"
              f"  in-process {f['seconds']['median']:.2f} s ({f['seconds']['min']:.2f}-{f['seconds']['max']:.2f})"
              f"  peak {f['peakMegabytes']['median']:.0f} MB ({f['peakMegabytes']['min']:.0f}-{f['peakMegabytes']['max']:.0f})")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
