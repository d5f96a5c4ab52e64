#!/usr/bin/env python3
"""One-screen conformance summary of vicuna against stock musl 1.2.3.

    python3 conformance/summary.py           # runs everything below
    python3 conformance/summary.py --reuse   # reuses the results of the
                                             # last `cargo test` and run.py
                                             # (as scripts/test does)

Runs (expects `scripts/build` to have run):
  1. the differential property tests (`cargo test -p vicuna-conformance
     --test differential`), unless --reuse: results in
     target/conformance/differential.json;
  2. the C-level runner, conformance/run.py, which also runs the ABI checks
     (conformance/abi_check.py); its full output is printed first (with
     --reuse: read from target/conformance/run.log instead).
Then prints: functions exported, functions with differential tests,
mismatches, ABI check results, the runner's counts and the fuzz corpora,
and exits non-zero if anything failed.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "target" / "conformance" / "differential.json"
CORPUS = ROOT / "conformance" / "fuzz" / "corpus"


def main():
    reuse = "--reuse" in sys.argv[1:]
    problems = []
    if not reuse or not REPORT.exists():
        env = dict(os.environ, VICUNA_REQUIRE_PRODUCTS="1")
        p = subprocess.run(["cargo", "test", "-q", "-p", "vicuna-conformance", "--test", "differential"],
                           cwd=ROOT, env=env, text=True, capture_output=True)
        for line in p.stdout.splitlines():
            if line.startswith(("FAIL", "differential:")):
                print(line)
        if p.returncode != 0 and not REPORT.exists():
            print(p.stdout[-3000:] + p.stderr[-3000:])
            problems.append("differential tests did not run")
    d = json.loads(REPORT.read_text()) if REPORT.exists() else {}

    log = ROOT / "target" / "conformance" / "run.log"
    if reuse and log.exists():
        text = log.read_text()
        run = subprocess.CompletedProcess([], 0 if re.search(r"conformance: \d+ passed, 0 failed", text) else 1, text, "")
    else:
        run = subprocess.run([sys.executable, str(ROOT / "conformance" / "run.py")], text=True, capture_output=True)
        print(run.stdout, end="")
        print(run.stderr, end="", file=sys.stderr)
    abi_ok = len(re.findall(r"^ok   abi: ", run.stdout, re.M))
    abi_fail = len(re.findall(r"^FAIL abi: ", run.stdout, re.M))
    runner = re.search(r"runner: (\d+) programs, (\d+) agree", run.stdout)
    total = re.search(r"conformance: (\d+) passed, (\d+) failed", run.stdout)
    layouts = re.search(r"musl type layouts: (\d+) sizes/alignments/offsets of (\d+) types", run.stdout)

    exported = d.get("exported", [])
    elsewhere = [e.split(" ")[0] for e in d.get("elsewhere", [])]
    tested = set(d.get("tested", [])) | set(elsewhere)
    untested = [n for n in exported if n not in tested]
    corpora = {t.name: len(list(t.iterdir())) for t in sorted(CORPUS.iterdir()) if t.is_dir()} if CORPUS.exists() else {}

    print()
    print("=== vicuna conformance summary (reference: stock musl 1.2.3) ===")
    print(f"functions exported by libc.so:      {len(exported)}")
    print(f"  with differential tests (passing): {len(tested & set(exported))}"
          + (f"   UNTESTED OR FAILING: {' '.join(untested)}" if untested else ""))
    if elsewhere:
        print(f"    of which by C programs run by run.py: {len(elsewhere)} ({', '.join(d.get('elsewhere', []))})")
    reg = d.get("registered", [])
    print(f"  registry entries: {len(reg)} ({len(set(reg) - set(exported))} dormant until exported)")
    print(f"differential runs:                  {d.get('runs', 0)} ({d.get('cases', 0)} cases; "
          f"levels {' '.join(d.get('levels', []))}; seed {d.get('seed')})")
    print(f"mismatches:                         {d.get('mismatches', '?')}"
          + (f" in {' '.join(d.get('failed', []))}" if d.get("failed") else ""))
    for p in d.get("problems", []):
        print(f"  problem: {p}")
    print(f"ABI checks:                         {abi_ok} passed, {abi_fail} failed"
          + (f" (incl. {layouts.group(1)} layout facts of {layouts.group(2)} musl types)" if layouts else ""))
    if runner:
        print(f"C runner:                           {runner.group(1)} programs, "
              f"{runner.group(2)} agree with stock musl in every configuration")
    if total:
        print(f"C runner checks (incl. ABI):        {total.group(1)} passed, {total.group(2)} failed")
    if corpora:
        print(f"fuzz corpora (replayed by cargo test): "
              + ", ".join(f"{k} {v}" for k, v in corpora.items()))

    if d.get("mismatches", 1) or d.get("problems") or untested:
        problems.append("differential")
    if abi_fail or not abi_ok:
        problems.append("abi")
    if run.returncode != 0 or not runner or runner.group(1) != runner.group(2):
        problems.append("runner")
    print("result:", "PASS" if not problems else "FAIL (" + ", ".join(problems) + ")")
    # The closing count CI reads: exported functions that pass their
    # differential tests, against those untested or failing.
    passing = len(tested & set(exported)) - len(d.get("failed", []))
    print(f"functions: {passing} passed, {len(exported) - passing} failed")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
