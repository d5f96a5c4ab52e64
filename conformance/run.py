#!/usr/bin/env python3
"""C-level conformance runner for what vicuna implements today.

Builds the programs in conformance/c/ with gcc (glibc) and musl-gcc and runs
them (a) against stock musl, (b) with the overlay preloaded into glibc and
musl programs, (c) statically linked with vicuna's libc.a ahead of musl's,
each under every VICUNA_CPU level this CPU supports, and checks that the
output agrees with stock musl's. It also runs the start-file tests and the
ABI checks (abi_check.py). Expects `scripts/build` to have run.

Prints one line per test and a closing 'conformance: N passed, M failed'.
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


def record(name, ok, detail=""):
    results.append((name, ok))
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))


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


def build():
    cflags = ["-O2", "-fno-builtin", "-Wall"]
    progs = {}
    for src in ["slice", "which"]:
        sh(["gcc", *cflags, str(C / f"{src}.c"), "-o", str(BIN / f"{src}.glibc")])
        sh(["musl-gcc", *cflags, str(C / f"{src}.c"), "-o", str(BIN / f"{src}.musl")])
    # (c) static, vicuna's libc.a ahead of musl's; the linker reports where
    # each routine's definition came from.
    trace = [f"-Wl,--trace-symbol={s}" for s in ["memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen"]]
    p = sh(["musl-gcc", "-static", *cflags, str(C / "slice.c"), str(LIBC_A), *trace, "-o", str(BIN / "slice.static")])
    progs["static_trace"] = p.stdout + p.stderr
    return progs


def test_slice(progs):
    ref = sh([str(BIN / "slice.musl")], check=False)
    record("slice: stock musl passes its own checks", ref.returncode == 0 and "0 failures" in ref.stdout, ref.stdout)
    defs = re.findall(r"(\S+): definition of (\w+)", progs["static_trace"])
    from_vicuna = {sym for (where, sym) in defs if "libc.a(vicuna.o)" in where}
    record("static link: all six routines come from vicuna's libc.a",
           from_vicuna == {"memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen"}, progs["static_trace"])
    for level in supported_levels():
        env = {"VICUNA_CPU": level, "VICUNA_DIAGNOSTICS": "1"}
        runs = {
            "glibc+overlay": ([str(BIN / "slice.glibc")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl+overlay": ([str(BIN / "slice.musl")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl-static+libc.a": ([str(BIN / "slice.static")], {}),
        }
        for how, (cmd, extra) in runs.items():
            p = sh(cmd, env={**env, **extra}, check=False)
            chose = f"memcpy -> {level}" in p.stderr
            record(f"slice [{how}, VICUNA_CPU={level}] agrees with stock musl",
                   p.returncode == 0 and p.stdout == ref.stdout and chose,
                   f"rc={p.returncode} chose={chose}\n{p.stdout}\n{p.stderr[-400:]}")


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


def test_malloc():
    """The malloc family: musl's edge cases, which object serves the calls,
    musl's own stdio on vicuna's allocator (static), stress (threads, fork,
    RLIMIT_AS) and hardening (misuse aborts with a message)."""
    cflags = ["-O2", "-fno-builtin", "-Wall", "-Wno-free-nonheap-object", "-Wno-alloc-size-larger-than"]
    progs = ["malloc_edge", "malloc_stress", "malloc_bad", "malloc_which"]
    trace = [f"-Wl,--trace-symbol={s}" for s in ["malloc", "free", "calloc", "realloc"]]
    static_trace = ""
    for src in progs:
        sh(["gcc", *cflags, "-pthread", str(C / f"{src}.c"), "-o", str(BIN / f"{src}.glibc"), "-ldl"])
        sh(["musl-gcc", *cflags, str(C / f"{src}.c"), "-o", str(BIN / f"{src}.musl")])
        p = sh(["musl-gcc", "-static", *cflags, str(C / f"{src}.c"), str(LIBC_A), *trace,
                "-o", str(BIN / f"{src}.static")])
        static_trace += p.stdout + p.stderr
    defs = re.findall(r"(\S+): definition of (\w+)", static_trace)
    from_vicuna = {sym for (where, sym) in defs if "libc.a(vicuna.o)" in where}
    from_musl = {sym for (where, sym) in defs if "libc.a(vicuna.o)" not in where}
    record("malloc static link: malloc/free/calloc/realloc come from vicuna's libc.a, none from musl's",
           from_vicuna == {"malloc", "free", "calloc", "realloc"} and not from_musl, static_trace[-2000:])

    def configs(name):
        return {
            "glibc+overlay": ([str(BIN / f"{name}.glibc")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl+overlay": ([str(BIN / f"{name}.musl")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl-static+libc.a": ([str(BIN / f"{name}.static")], {}),
        }

    ref = sh([str(BIN / "malloc_edge.musl")], check=False)
    record("malloc_edge: stock musl runs it", ref.returncode == 0 and ref.stdout.endswith("done\n"), ref.stdout)
    for how, (cmd, env) in configs("malloc_edge").items():
        for check in ["0", "1"]:
            p = sh(cmd, env={**env, "VICUNA_MALLOC_CHECK": check}, check=False)
            record(f"malloc_edge [{how}, VICUNA_MALLOC_CHECK={check}]: same as stock musl",
                   p.returncode == 0 and p.stdout == ref.stdout, p.stdout + p.stderr[-400:])

    for flavour in ["glibc", "musl"]:
        p = sh([str(BIN / f"malloc_which.{flavour}"), "where"], env={"LD_PRELOAD": str(OVERLAY)}, check=False)
        lines = p.stdout.splitlines()
        record(f"malloc_which [{flavour}+overlay]: the whole family lands in libvicuna-preload.so",
               p.returncode == 0 and len(lines) == 8 and all(l.endswith("libvicuna-preload.so") for l in lines),
               p.stdout + p.stderr)
    ref = sh([str(BIN / "malloc_which.musl")], check=False)
    for how, (cmd, env) in configs("malloc_which").items():
        p = sh(cmd, env=env, check=False)
        record(f"malloc_which [{how}]: stdio, getline, strdup on vicuna's malloc agree with musl",
               p.returncode == 0 and p.stdout == ref.stdout and ref.returncode == 0, p.stdout + p.stderr[-400:])

    for how, (cmd, env) in configs("malloc_stress").items():
        p = sh(cmd, env=env, check=False)
        record(f"malloc_stress [{how}]: threads, fork, RSS after free, RLIMIT_AS", p.returncode == 0, p.stdout + p.stderr[-400:])

    misuse = {"double": "double free", "double-big": "already freed", "interior": "not returned by malloc",
              "static": "not returned by malloc", "wild": "not returned by malloc",
              "double-remote": "double free", "write-after-free": "corrupted free list"}
    for how, (cmd, env) in configs("malloc_bad").items():
        ok = sh(cmd + ["ok"], env=env, check=False)
        bad = []
        for what, msg in misuse.items():
            p = sh(cmd + [what], env=env, check=False)
            if p.returncode != -6 or "vicuna: malloc:" not in p.stderr or msg not in p.stderr:
                bad.append(f"{what}: rc={p.returncode} {p.stderr.strip()[-200:]}")
        record(f"malloc_bad [{how}]: double/invalid frees and a corrupted link abort with a message",
               ok.returncode == 0 and not bad, "; ".join(bad))


def main():
    global BIN
    with tempfile.TemporaryDirectory(prefix="vicuna-conf-") as tmp:
        BIN = Path(tmp)
        progs = build()
        test_which()
        test_malloc()
        test_slice(progs)
        test_start_files()
        test_aarch64_start_files()
        test_abi()
    failed = sum(1 for _, ok in results if not ok)
    print(f"conformance: {len(results) - failed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
