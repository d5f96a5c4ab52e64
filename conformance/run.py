#!/usr/bin/env python3
"""C-level conformance runner for what vicuna implements today.

Builds the programs in conformance/c/ with gcc (glibc) and musl-gcc and runs
them (a) against stock musl, (b) with the overlay preloaded into glibc and
musl programs, (c) statically linked with vicuna's libc.a ahead of musl's,
each under every VICUNA_CPU level this CPU supports, and checks that the
output agrees with stock musl's. It also runs the start-file tests and the
ABI checks (abi_check.py). Expects `scripts/build` to have run.

Programs: every conformance/c/*.c except the special tests (which.c,
crt.c) is discovered and run the way slice.c is: it must be self-checking,
print output that stock musl's run reproduces line for line, and exit 0.
Drop a file there to add one. A program that calls a string/malloc
function the overlay does not export yet would get glibc's under the
glibc+overlay configuration, so that configuration is skipped for it (with
a note) until vicuna exports the function (src/string names only).

Prints one line per test, 'runner: N programs, M agree with stock musl in
every configuration', and a closing 'conformance: N passed, M failed'.
"""
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
C = ROOT / "conformance" / "c"
REL = ROOT / "target" / "release"
OVERLAY = REL / "libvicuna-preload.so"
LIBC_A = REL / "libc.a"
MUSL_LIB = Path("/usr/lib/x86_64-linux-musl")
LEVELS = ["generic", "sse2", "avx2", "avx512"]

results = []
LOG = []  # every line printed, saved to target/conformance/run.log for summary.py


def say(*args, **kw):
    line = " ".join(str(a) for a in args)
    LOG.append(line)
    print(line, **kw)


def record(name, ok, detail=""):
    results.append((name, ok))
    say(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))


def sh(cmd, env=None, check=True):
    e = dict(os.environ)
    e.pop("LD_PRELOAD", None)
    if env:
        e.update(env)
    p = subprocess.run(cmd, env=e, text=True, capture_output=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    return p


def supported_levels():
    p = sh([str(BIN / "which.glibc")], env={"LD_PRELOAD": str(OVERLAY), "VICUNA_DIAGNOSTICS": "1"})
    hw = re.search(r"level.hardware=(\S+)", p.stderr).group(1)
    return LEVELS[: LEVELS.index(hw) + 1] if hw in LEVELS else ["generic"]


# Tests with their own logic, not discovered as programs.
SPECIAL = {"which", "crt"}
CFLAGS = ["-O2", "-fno-builtin", "-Wall"]


def programs():
    return sorted(p.stem for p in C.glob("*.c") if p.stem not in SPECIAL)


def exports_of(so):
    out = sh(["readelf", "--dyn-syms", "-W", str(so)]).stdout
    names = set()
    for line in out.splitlines():
        f = line.split()
        if len(f) >= 8 and f[0].endswith(":") and f[6] != "UND" and f[4] != "LOCAL":
            names.add(f[7].split("@")[0])
    return names


def string_dir_names():
    """musl's src/string names: a program's output can depend on which
    implementation of these it gets (malloc's choice cannot change a
    self-checking program's output)."""
    names = set()
    for line in (ROOT / "abi" / "musl-1.2.3-symbols-grouped.tsv").read_text().splitlines()[1:]:
        c = line.split("\t")
        if c[5] == "src/string":
            names.add(c[0])
    return names


def build():
    """Builds which.{glibc,musl} and, per program, .glibc, .musl and .static
    (vicuna's libc.a ahead of musl's; the linker reports where each
    exported routine's definition came from)."""
    progs = {"exports": exports_of(REL / "libc.so"), "overlay": exports_of(OVERLAY), "trace": {}, "pending": {}}
    sh(["gcc", *CFLAGS, str(C / "which.c"), "-o", str(BIN / "which.glibc")])
    sh(["musl-gcc", *CFLAGS, str(C / "which.c"), "-o", str(BIN / "which.musl")])
    string_names = string_dir_names()
    for name in programs():
        src = str(C / f"{name}.c")
        sh(["gcc", *CFLAGS, src, "-o", str(BIN / f"{name}.glibc")])
        sh(["musl-gcc", *CFLAGS, src, "-o", str(BIN / f"{name}.musl")])
        trace = [f"-Wl,--trace-symbol={s}" for s in sorted(progs["exports"])]
        p = sh(["musl-gcc", "-static", *CFLAGS, src, str(LIBC_A), *trace, "-o", str(BIN / f"{name}.static")])
        progs["trace"][name] = p.stdout + p.stderr
        used = {l.split()[-1].split("@")[0] for l in sh(["nm", "-u", str(BIN / f"{name}.glibc")]).stdout.splitlines()}
        progs["pending"][name] = sorted((used & string_names) - progs["overlay"])
    return progs


def test_programs(progs):
    """Each discovered program: stock musl passes it; the static link takes
    vicuna's routines from libc.a; under every level, with the overlay in
    musl (and glibc) programs and statically, the output equals musl's."""
    agree = 0
    levels = supported_levels()
    for name in programs():
        before = sum(1 for _, ok in results if not ok)
        ref = sh([str(BIN / f"{name}.musl")], check=False)
        record(f"{name}: stock musl passes its own checks", ref.returncode == 0 and "0 failures" in ref.stdout,
               ref.stdout[-2000:])
        defs = re.findall(r"(\S+): definition of (\w+)", progs["trace"][name])
        foreign = sorted({sym for (where, sym) in defs if "libc.a(vicuna.o)" not in where})
        from_vicuna = sorted({sym for (where, sym) in defs if "libc.a(vicuna.o)" in where})
        record(f"{name} static link: vicuna's routines ({len(from_vicuna)}) come from its libc.a",
               not foreign and bool(from_vicuna), f"from musl: {foreign}")
        pending = progs["pending"][name]
        if pending:
            say(f"note {name}: glibc+overlay skipped: the overlay does not export {' '.join(pending)} yet")
        for level in levels:
            env = {"VICUNA_CPU": level, "VICUNA_DIAGNOSTICS": "1"}
            runs = {
                "musl+overlay": ([str(BIN / f"{name}.musl")], {"LD_PRELOAD": str(OVERLAY)}),
                "musl-static+libc.a": ([str(BIN / f"{name}.static")], {}),
            }
            if not pending:
                runs["glibc+overlay"] = ([str(BIN / f"{name}.glibc")], {"LD_PRELOAD": str(OVERLAY)})
            for how, (cmd, extra) in runs.items():
                p = sh(cmd, env={**env, **extra}, check=False)
                chose = f"level.selected={level}" in p.stderr
                record(f"{name} [{how}, VICUNA_CPU={level}] agrees with stock musl",
                       p.returncode == 0 and p.stdout == ref.stdout and chose,
                       f"rc={p.returncode} chose={chose}\n{p.stdout[-1500:]}\n{p.stderr[-400:]}")
        if sum(1 for _, ok in results if not ok) == before:
            agree += 1
    say(f"runner: {len(programs())} programs, {agree} agree with stock musl in every configuration")


def test_which():
    for flavour, host in [("glibc", "libc.so.6"), ("musl", "ld-musl-x86_64.so.1")]:
        prog = str(BIN / f"which.{flavour}")
        plain = sh([prog], check=False).stdout
        record(f"which [{flavour}, no overlay]: routines come from the host libc",
               all(line.endswith(host) for line in plain.splitlines()), plain)
        pre = sh([prog], env={"LD_PRELOAD": str(OVERLAY)}, check=False)
        lines = pre.stdout.splitlines()
        record(f"which [{flavour}+overlay]: all six routines land in libvicuna-preload.so",
               pre.returncode == 0 and len(lines) == 6 and all(l.endswith("libvicuna-preload.so") for l in lines),
               pre.stdout + pre.stderr)


def test_start_files():
    src = str(C / "crt.c")
    args = ["one", "two words"]
    env = {"CRT_TEST": "set"}
    ref = sh(["musl-gcc", "-static", src, "-o", str(BIN / "crt.musl")])
    want = sh([str(BIN / "crt.musl"), *args], env=env, check=False)
    crt = lambda n: str(REL / n)
    variants = {
        "crt1.o (static)": ["musl-gcc", "-static", "-nostartfiles", crt("crt1.o"), crt("crti.o"), src, crt("crtn.o")],
        "Scrt1.o (dynamic PIE)": ["musl-gcc", "-nostartfiles", crt("Scrt1.o"), crt("crti.o"), src, crt("crtn.o")],
        "rcrt1.o (static PIE)": ["musl-gcc", "-fPIE", "-nostartfiles", "-Wl,-static", "-Wl,-pie",
                                 "-Wl,--no-dynamic-linker", "-Wl,-z,text", crt("rcrt1.o"), crt("crti.o"), src, crt("crtn.o")],
    }
    for name, cmd in variants.items():
        out = BIN / ("crt." + name.split()[0])
        sh(cmd + ["-o", str(out)])
        got = sh([str(out), *args], env=env, check=False)
        record(f"start files {name}: same output and status as musl's",
               (got.returncode, got.stdout) == (want.returncode, want.stdout) and want.returncode == 7,
               f"got rc={got.returncode} {got.stdout!r}, want rc={want.returncode} {want.stdout!r}")
    # The static PIE really is position independent and self-relocating.
    kind = sh(["readelf", "-h", str(BIN / "crt.rcrt1.o")]).stdout
    record("rcrt1.o program is a static PIE (ET_DYN, no interpreter)",
           "DYN" in kind and "INTERP" not in sh(["readelf", "-l", str(BIN / "crt.rcrt1.o")]).stdout)


def test_aarch64_start_files():
    gcc = "aarch64-linux-gnu-gcc"
    if sh(["which", gcc], check=False).returncode != 0:
        record("aarch64 start files assemble", False, f"{gcc} not installed")
        return
    arch = ROOT / "arch" / "aarch64"
    ok, detail = True, ""
    for src, pic in [("src/crt/crt1.c", False), ("src/crt/crt1.c", True), ("src/crt/rcrt1.c", True),
                     ("arch/aarch64/crti.s", False), ("arch/aarch64/crtn.s", False)]:
        out = BIN / ("a64-" + Path(src).stem + ("-pic" if pic else "") + ".o")
        p = sh([gcc, "-c", "-O2", "-ffreestanding", "-fno-stack-protector", "-I", str(arch),
                *(["-fPIC"] if pic else []), str(ROOT / src), "-o", str(out)], check=False)
        if p.returncode != 0:
            ok, detail = False, p.stderr
        elif src.endswith(".c") and "_start" not in sh(["aarch64-linux-gnu-nm", str(out)]).stdout:
            ok, detail = False, f"{out.name} lacks _start"
    record("aarch64 start files assemble", ok, detail)


def test_abi():
    p = sh([sys.executable, str(ROOT / "conformance" / "abi_check.py")], check=False)
    for line in p.stdout.splitlines():
        m = re.match(r"(ok  |FAIL) (.*)", line)
        if m:
            record("abi: " + m.group(2), m.group(1) == "ok  ")
    if p.returncode != 0 and not any(not ok for (n, ok) in results if n.startswith("abi:")):
        record("abi_check.py ran", False, p.stdout + p.stderr)


def main():
    global BIN
    with tempfile.TemporaryDirectory(prefix="vicuna-conf-") as tmp:
        BIN = Path(tmp)
        progs = build()
        test_which()
        test_programs(progs)
        test_start_files()
        test_aarch64_start_files()
        test_abi()
    failed = sum(1 for _, ok in results if not ok)
    say(f"conformance: {len(results) - failed} passed, {failed} failed")
    (REL.parent / "conformance").mkdir(parents=True, exist_ok=True)
    (REL.parent / "conformance" / "run.log").write_text("\n".join(LOG) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
