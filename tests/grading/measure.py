#!/usr/bin/env python3
"""The grading figures on a grading set (../shared/eval/grading.dev.jsonl by default).

Runs `mltutor grade --batch --json` on every answer of the set (question and answer only: the grader finds the
reference in the notes) and prints: the share of (strong > partial > wrong/off-topic) pairs ordered by score, the
share of wrong and off-topic answers that fail, and the share of strong answers that pass.

    tests/grading/measure.py [GRADING.jsonl] [-- extra mltutor options, e.g. --corpus DIR --index DIR]
"""
import json, os, subprocess, sys, tempfile
from collections import defaultdict

RANK = {"strong": 3, "partial": 2, "wrong": 1, "off-topic": 1}

def main():
    args = sys.argv[1:]
    extra = []
    if "--" in args:
        extra = args[args.index("--") + 1:]
        args = args[:args.index("--")]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    path = args[0] if args else os.path.join(root, "..", "shared", "eval", "grading.dev.jsonl")
    items = [json.loads(l) for l in open(path) if l.strip()]
    grades = {}
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as batch:
        for item in items:
            for a in item["answers"]:
                key = f'{item["id"]}/{a["grade"]}'
                grades[key] = a["grade"]
                batch.write(json.dumps({"id": key, "question": item["question"], "answer": a["text"]}) + "\n")
    out = subprocess.run([os.path.join(root, "mltutor"), "grade", "--json", "--batch", batch.name, *extra],
                         capture_output=True, text=True)
    os.unlink(batch.name)
    if out.returncode != 0:
        sys.exit(out.stderr)
    results = {r["id"]: r for r in map(json.loads, out.stdout.splitlines())}

    by_item = defaultdict(dict)
    for key, r in results.items():
        by_item[key.split("/")[0]][grades[key]] = r
    ordered = total = 0
    for item, answers in sorted(by_item.items()):
        for hi, a in answers.items():
            for lo, b in answers.items():
                if RANK[hi] > RANK[lo]:
                    total += 1
                    ordered += a["score"] > b["score"]
        if os.environ.get("VERBOSE"):
            print(item, "  ".join(f'{g}={a["score"]:.2f}/{a["verdict"]}' for g, a in answers.items()))
    bad = [r for k, r in results.items() if grades[k] in ("wrong", "off-topic")]
    strong = [r for k, r in results.items() if grades[k] == "strong"]
    print(f"pairs ordered: {ordered}/{total} = {ordered / total:.0%}")
    print(f"wrong and off-topic failing: {sum(r['verdict'] == 'fail' for r in bad)}/{len(bad)} = {sum(r['verdict'] == 'fail' for r in bad) / len(bad):.0%}")
    print(f"strong passing: {sum(r['verdict'] == 'pass' for r in strong)}/{len(strong)} = {sum(r['verdict'] == 'pass' for r in strong) / len(strong):.0%}")

if __name__ == "__main__":
    main()
