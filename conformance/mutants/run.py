#!/usr/bin/env python3
"""The suite's kill rate: mutants of our correct Python implementation of SIPC/1
(conformance/adapters/python/sipc1.py), each run through `sipc run --strict` and, when that
passes, a short `sipc fuzz`. A mutant the suite passes is a survivor: a missing vector, or an
equivalent mutant (explained in equivalent.txt).

Standard library only, like the adapters (an `ast` mutator in place of mutmut, whose runner
expects pytest): each mutant changes one node of the syntax tree:
  comparisons  <  <=  >  >=  ==  !=  in  not in   (each to its neighbour / negation)
  booleans     and <-> or, True <-> False
  integers     n -> n + 1
  arithmetic   + <-> -
  refusals     `raise X` -> `pass`

    python3 conformance/mutants/run.py SIPC [--jobs N] [--limit N] [--fuzz-iterations N]

SIPC is the sipc binary. Writes conformance/mutants/results.json and prints the summary; exits 1
when a mutant survives unexplained or an entry of equivalent.txt matches no survivor.
"""

import argparse
import ast
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYDIR = os.path.join(ROOT, "conformance", "adapters", "python")
TARGET = os.path.join(PYDIR, "sipc1.py")

COMPARE = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
    ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}


def sites(tree):
    """Every (node index in walk order, operator, description) that can be mutated."""
    out = []
    for i, node in enumerate(ast.walk(tree)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for j, op in enumerate(node.ops):
                if type(op) in COMPARE:
                    out.append((i, ("compare", j), line, "%s -> %s" % (type(op).__name__, COMPARE[type(op)].__name__)))
        elif isinstance(node, ast.BoolOp):
            out.append((i, ("boolop",), line, "and <-> or"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            out.append((i, ("bool",), line, "%s -> %s" % (node.value, not node.value)))
        elif isinstance(node, ast.Constant) and type(node.value) is int:
            out.append((i, ("int",), line, "%d -> %d" % (node.value, node.value + 1)))
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
            out.append((i, ("arith",), line, "+ <-> -"))
        elif isinstance(node, ast.Raise):
            out.append((i, ("raise",), line, "raise -> pass"))
    return out


def mutant_source(source, index, kind):
    tree = ast.parse(source)
    for i, node in enumerate(ast.walk(tree)):
        if i != index:
            continue
        if kind[0] == "compare":
            node.ops[kind[1]] = COMPARE[type(node.ops[kind[1]])]()
        elif kind[0] == "boolop":
            node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        elif kind[0] == "bool":
            node.value = not node.value
        elif kind[0] == "int":
            node.value = node.value + 1
        elif kind[0] == "arith":
            node.op = ast.Sub() if isinstance(node.op, ast.Add) else ast.Add()
        elif kind[0] == "raise":
            # Replace the statement in its parent's body.
            for parent in ast.walk(tree):
                for field in ("body", "orelse", "finalbody", "handlers"):
                    stmts = getattr(parent, field, None)
                    if isinstance(stmts, list) and node in stmts:
                        stmts[stmts.index(node)] = ast.Pass()
        break
    return ast.unparse(ast.fix_missing_locations(tree))


def code_at(lines, lineno):
    """The text of a line, with the line before it (` / `) when the text is not unique."""
    text = lines[lineno - 1].strip()
    if sum(line.strip() == text for line in lines) > 1 and lineno > 1:
        text = "%s / %s" % (lines[lineno - 2].strip(), text)
    return text


def run_one(sipc, source, site, fuzz_iterations):
    index, kind, line, what = site
    work = tempfile.mkdtemp(prefix="sipc-mutant-")
    try:
        with open(os.path.join(work, "sipc1.py"), "w") as f:
            f.write(mutant_source(source, index, kind))
        shutil.copy(os.path.join(PYDIR, "sipc_adapter.py"), work)
        adapter = "python3 %s" % os.path.join(work, "sipc_adapter.py")
        try:
            run = subprocess.run([sipc, "run", "--strict", "-q", "--timeout", "2", "--adapter", adapter],
                                 cwd=ROOT, capture_output=True, timeout=300)
        except subprocess.TimeoutExpired:
            return {"line": line, "mutation": what, "result": "killed", "by": "timeout"}
        if run.returncode != 0:
            return {"line": line, "mutation": what, "result": "killed", "by": "run"}
        if fuzz_iterations:
            try:
                fuzz = subprocess.run([sipc, "fuzz", "-q", "--seed", "1", "--iterations", str(fuzz_iterations),
                                       "--timeout", "2", "--max-findings", "1", "--out", os.path.join(work, "f"),
                                       "--adapter", adapter], cwd=ROOT, capture_output=True, timeout=300)
            except subprocess.TimeoutExpired:
                return {"line": line, "mutation": what, "result": "killed", "by": "fuzz timeout"}
            if fuzz.returncode != 0:
                return {"line": line, "mutation": what, "result": "killed", "by": "fuzz"}
        return {"line": line, "mutation": what, "result": "survived"}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("sipc")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--fuzz-iterations", type=int, default=2000)
    ap.add_argument("--line", type=int, default=0, help="only the mutants of this line (no results.json)")
    args = ap.parse_args()
    sipc = os.path.abspath(args.sipc)
    source = open(TARGET).read()
    all_sites = sites(ast.parse(source))
    if args.limit:
        all_sites = all_sites[: args.limit]
    if args.line:
        all_sites = [s for s in all_sites if s[2] == args.line]
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda s: run_one(sipc, source, s, args.fuzz_iterations), all_sites))
    # equivalent.txt names a mutant by its mutation and the text of its line (stable when
    # other lines move): `MUTATION @ CODE | why`.
    lines = source.splitlines()
    equivalent = {}
    path = os.path.join(HERE, "equivalent.txt")
    if os.path.exists(path):
        for raw in open(path):
            raw = raw.strip()
            if raw and not raw.startswith("#"):
                key, _, why = raw.partition(" | ")
                equivalent[key] = why
    used = set()
    for r in results:
        r["code"] = code_at(lines, r["line"])
        key = "%s @ %s" % (r["mutation"], r["code"])
        if r["result"] == "survived" and key in equivalent:
            r["result"] = "equivalent"
            r["why"] = equivalent[key]
            used.add(key)
    stale = sorted(set(equivalent) - used) if not (args.line or args.limit) else []
    for key in stale:
        print("  stale entry of equivalent.txt (no surviving mutant): %s" % key)
    killed = sum(r["result"] == "killed" for r in results)
    eq = sum(r["result"] == "equivalent" for r in results)
    survived = [r for r in results if r["result"] == "survived"]
    summary = {"target": "conformance/adapters/python/sipc1.py", "mutants": len(results), "killed": killed,
               "equivalent": eq, "survived": len(survived), "results": sorted(results, key=lambda r: (r["line"], r["mutation"]))}
    if not (args.line or args.limit):
        with open(os.path.join(HERE, "results.json"), "w") as f:
            json.dump(summary, f, indent=1)
            f.write("\n")
    print("%d mutants: %d killed, %d equivalent, %d survived" % (len(results), killed, eq, len(survived)))
    for r in sorted(survived, key=lambda r: r["line"]):
        print("  survived: %d: %s   %s" % (r["line"], r["mutation"], r["code"]))
    # A survivor is a missing vector (or an unexplained equivalent); a stale entry is an
    # explanation of nothing. Either fails (CI runs this).
    return 1 if survived or stale else 0


if __name__ == "__main__":
    sys.exit(main())
