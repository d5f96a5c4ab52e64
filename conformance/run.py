#!/usr/bin/env python3
"""C-level conformance runner for what vicuna implements today.

Builds the programs in conformance/c/ with gcc (glibc) and musl-gcc and runs
them (a) against stock musl, (b) with the overlay preloaded into glibc and
musl programs, (c) statically linked with vicuna's libc.a ahead of musl's,
each under every VICUNA_CPU level this CPU supports, and checks that the
output agrees with stock musl's. It also runs the start-file tests, the
standalone programs (conformance/c/standalone/, linked with vicuna's
standalone libc.a and no musl code) and the ABI checks (abi_check.py).
Expects `scripts/build` to have run.

Programs: every conformance/c/*.c is a program. Those with their own test
function below (SPECIAL, or named in a string literal here) are run by it; every other one is discovered and
run the slice.c way by test_programs(): it must be self-checking, print
output that stock musl's run reproduces line for line, and exit 0, and is
run with the overlay in musl and glibc programs and statically with
libc.a under every level. Drop a file there to add one. A program that
calls a src/string function the overlay does not export yet would get
glibc's under glibc+overlay, so that configuration is skipped for it (with
a note) until vicuna exports the function.

Prints one line per test, 'runner: N programs, M agree with stock musl in
every configuration', and a closing 'conformance: N passed, M failed';
the output is also saved in target/conformance/run.log for summary.py.
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


def build():
    cflags = ["-O2", "-fno-builtin", "-Wall"]
    progs = {}
    for src in ["slice", "which", "search"]:
        sh(["gcc", *cflags, str(C / f"{src}.c"), "-o", str(BIN / f"{src}.glibc")])
        sh(["musl-gcc", *cflags, str(C / f"{src}.c"), "-o", str(BIN / f"{src}.musl")])
    # (c) static, vicuna's libc.a ahead of musl's; the linker reports where
    # each routine's definition came from.
    trace = [f"-Wl,--trace-symbol={s}" for s in ["memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen"]]
    p = sh(["musl-gcc", "-static", *cflags, str(C / "slice.c"), str(LIBC_A), *trace, "-o", str(BIN / "slice.static")])
    progs["static_trace"] = p.stdout + p.stderr
    trace = [f"-Wl,--trace-symbol={s}" for s in SEARCH]
    p = sh(["musl-gcc", "-static", *cflags, str(C / "search.c"), str(LIBC_A), *trace, "-o", str(BIN / "search.static")])
    progs["search_trace"] = p.stdout + p.stderr
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


SEARCH = ["memchr", "memrchr", "strnlen", "strchr", "strchrnul", "strrchr", "index", "rindex",
          "strspn", "strcspn", "strpbrk", "strstr", "memmem", "strcasestr"]


def test_search(progs):
    """search.c: the search family agrees with stock musl under each level
    (sse4.2 too, which picks the strspn/strcspn/strpbrk variants)."""
    ref = sh([str(BIN / "search.musl")], check=False)
    record("search: stock musl passes its own checks", ref.returncode == 0 and "0 failures" in ref.stdout, ref.stdout)
    defs = re.findall(r"(\S+): definition of (\w+)", progs["search_trace"])
    from_vicuna = {sym for (where, sym) in defs if "libc.a(vicuna.o)" in where}
    record("static link: the search family comes from vicuna's libc.a", from_vicuna == set(SEARCH),
           progs["search_trace"])
    levels = supported_levels()
    if "avx2" in levels:
        levels.insert(levels.index("avx2"), "sse4.2")
    for level in levels:
        env = {"VICUNA_CPU": level, "VICUNA_DIAGNOSTICS": "1"}
        probe = "strspn" if level == "sse4.2" else "strstr"
        runs = {
            "glibc+overlay": ([str(BIN / "search.glibc")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl+overlay": ([str(BIN / "search.musl")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl-static+libc.a": ([str(BIN / "search.static")], {}),
        }
        for how, (cmd, extra) in runs.items():
            p = sh(cmd, env={**env, **extra}, check=False)
            chose = f"{probe} -> {level}" in p.stderr
            record(f"search [{how}, VICUNA_CPU={level}] agrees with stock musl",
                   p.returncode == 0 and p.stdout == ref.stdout and chose,
                   f"rc={p.returncode} chose={chose}\n{p.stdout}\n{p.stderr[-400:]}")


WIDE = ["wcslen", "wcsnlen", "wcschr", "wcsrchr", "wcscmp", "wcsncmp", "wmemchr", "wmemcmp", "wmemset", "wcscpy",
        "wcpcpy", "wcpncpy", "wcscat", "wcsncat", "wcsncpy", "wcsspn", "wcscspn", "wcspbrk", "wcsstr", "wcstok",
        "wcswcs", "wmemcpy", "wmemmove", "wcscasecmp", "wcsncasecmp", "wcscasecmp_l", "wcsncasecmp_l"]


def test_wide():
    """wide.c: the wide-character routines. Its stdout must equal stock
    musl's. The 'overflow-sign' lines on its stderr are the cases where
    musl's *l - *r overflows and has the wrong sign: vicuna must give the
    true one."""
    cflags = ["-O2", "-fno-builtin", "-Wall"]
    src = str(C / "wide.c")
    sh(["gcc", *cflags, src, "-o", str(BIN / "wide.glibc")])
    sh(["musl-gcc", *cflags, src, "-o", str(BIN / "wide.musl")])
    trace = [f"-Wl,--trace-symbol={s}" for s in WIDE]
    p = sh(["musl-gcc", "-static", *cflags, src, str(LIBC_A), *trace, "-o", str(BIN / "wide.static")])
    defs = re.findall(r"(\S+): definition of (\w+)", p.stdout + p.stderr)
    from_vicuna = {sym for (where, sym) in defs if "libc.a(vicuna.o)" in where}
    record("static link: all wide routines come from vicuna's libc.a", from_vicuna == set(WIDE),
           str(sorted(set(WIDE) - from_vicuna)))

    # towlower/towupper over every code point: stock musl against the static
    # link with vicuna's libc.a (the overlay does not carry <wctype.h>).
    case_src = str(C / "static" / "casemap.c")
    sh(["musl-gcc", *cflags, case_src, "-o", str(BIN / "casemap.musl")])
    case_trace = [f"-Wl,--trace-symbol={s}" for s in ["towlower", "towupper"]]
    p = sh(["musl-gcc", "-static", *cflags, case_src, str(LIBC_A), *case_trace, "-o", str(BIN / "casemap.static")])
    case_defs = {sym for (where, sym) in re.findall(r"(\S+): definition of (\w+)", p.stdout + p.stderr)
                 if "libc.a(vicuna.o)" in where}
    want, got = sh([str(BIN / "casemap.musl")]), sh([str(BIN / "casemap.static")])
    record("casemap: towlower/towupper equal stock musl's for every code point 0..0x10FFFF",
           case_defs == {"towlower", "towupper"} and got.stdout == want.stdout and "change case" in want.stdout,
           f"from vicuna: {sorted(case_defs)}; musl says {want.stdout[-60:]!r}, vicuna {got.stdout[-60:]!r}")

    def split(p):
        """(stdout lines, [(sign got, true sign)] from the stderr lines)."""
        signs = [re.match(r"overflow-sign .*: got (-?\d+) want (-?\d+)$", l) for l in p.stderr.splitlines()
                 if l.startswith("overflow-sign")]
        return p.stdout.splitlines(), [(m.group(1), m.group(2)) if m else None for m in signs]

    ref = sh([str(BIN / "wide.musl")], check=False)
    ref_main, ref_signs = split(ref)
    record("wide: stock musl passes its own checks", ref.returncode == 0 and "wide: 0 failures" in ref.stdout, ref.stdout)
    record("wide: stock musl's wcscmp/wcsncmp/wmemcmp give the wrong sign on overflowing differences (vicuna's documented exception)",
           len(ref_signs) == 21 and any(s and s[0] != s[1] for s in ref_signs), str(ref_signs))
    for level in supported_levels():
        env = {"VICUNA_CPU": level, "VICUNA_DIAGNOSTICS": "1"}
        runs = {
            "glibc+overlay": ([str(BIN / "wide.glibc")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl+overlay": ([str(BIN / "wide.musl")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl-static+libc.a": ([str(BIN / "wide.static")], {}),
        }
        for how, (cmd, extra) in runs.items():
            p = sh(cmd, env={**env, **extra}, check=False)
            main_lines, signs = split(p)
            chose = f"wcslen -> {level}" in p.stderr and f"wcscmp -> {level}" in p.stderr
            true_signs = len(signs) == len(ref_signs) and all(s and s[0] == s[1] for s in signs)
            record(f"wide [{how}, VICUNA_CPU={level}] agrees with stock musl (true signs on overflow)",
                   p.returncode == 0 and main_lines == ref_main and true_signs and chose,
                   f"rc={p.returncode} chose={chose} true_signs={true_signs}\n{p.stdout[-1500:]}\n{p.stderr[-400:]}")


# Tests with their own logic, not discovered as programs: these, and any
# program a test function of this file names in a string literal ("x" or
# "x.c"), so that a branch adding a dedicated test merges without the
# program also being run the generic way.
SPECIAL = {"which", "crt", "slice", "search", "compare", "wide"}


def dedicated():
    return SPECIAL | set(re.findall(r'"(\w+)(?:\.c)?"', Path(__file__).read_text()))
CFLAGS = ["-O2", "-fno-builtin", "-Wall"]


def programs():
    skip = dedicated()
    return sorted(p.stem for p in C.glob("*.c") if p.stem not in skip)


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


def build_programs():
    """Per discovered program, builds .glibc, .musl and .static
    (vicuna's libc.a ahead of musl's; the linker reports where each
    exported routine's definition came from)."""
    progs = {"exports": exports_of(REL / "libc.so"), "overlay": exports_of(OVERLAY), "trace": {}, "pending": {}}
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
    levels = supported_levels()
    for name in programs():
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


def runner_summary():
    """Counts the programs (every conformance/c/*.c but which.c and crt.c)
    whose every check passed: checks are named after their program."""
    names = sorted(p.stem for p in C.glob("*.c") if p.stem not in {"which", "crt"})
    agree = sum(1 for n in names
                if any(r.startswith((f"{n}:", f"{n} ")) for r, _ in results)
                and all(ok for r, ok in results if r.startswith((f"{n}:", f"{n} "))))
    say(f"runner: {len(names)} programs, {agree} agree with stock musl in every configuration")


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


COMPARE_DISPATCHED = ["strcmp", "strncmp", "strcasecmp", "strncasecmp", "strcpy", "stpcpy", "strncpy",
                      "stpncpy", "strcat", "strncat", "memccpy", "mempcpy", "bzero"]
COMPARE_SCALAR = ["strcasecmp_l", "strncasecmp_l", "__strcasecmp_l", "__strncasecmp_l", "strverscmp",
                  "explicit_bzero", "bcopy", "strlcpy", "strlcat", "swab", "strtok", "strtok_r", "strsep"]


def test_compare():
    """compare.c (the compare/copy family) as slice.c: stock musl's output
    must equal the output under glibc+overlay, musl+overlay and static
    libc.a at every level, each run choosing that level's variants."""
    cflags = ["-O2", "-fno-builtin", "-Wall"]
    src = str(C / "compare.c")
    sh(["gcc", *cflags, src, "-o", str(BIN / "compare.glibc")])
    sh(["musl-gcc", *cflags, src, "-o", str(BIN / "compare.musl")])
    names = COMPARE_DISPATCHED + COMPARE_SCALAR
    trace = [f"-Wl,--trace-symbol={s}" for s in names]
    p = sh(["musl-gcc", "-static", *cflags, src, str(LIBC_A), *trace, "-o", str(BIN / "compare.static")])
    defs = re.findall(r"(\S+): definition of (\w+)", p.stdout + p.stderr)
    from_vicuna = {sym for (where, sym) in defs if "libc.a(vicuna.o)" in where}
    record("static link: the compare/copy family comes from vicuna's libc.a",
           from_vicuna == set(names), str(sorted(set(names) - from_vicuna)))
    # glibc's loader names where each symbol binds: all in the overlay.
    p = sh([str(BIN / "compare.glibc")], env={"LD_PRELOAD": str(OVERLAY), "LD_BIND_NOW": "1",
                                              "LD_DEBUG": "bindings"}, check=False)
    bound = set(re.findall(r"compare\.glibc \[0\] to \S*libvicuna-preload\.so \[0\]: normal symbol `(\w+)'", p.stderr))
    record("compare [glibc+overlay]: every routine binds to libvicuna-preload.so",
           set(names) <= bound, str(sorted(set(names) - bound)))
    ref = sh([str(BIN / "compare.musl")], check=False)
    record("compare: stock musl passes its own checks", ref.returncode == 0 and "0 failures" in ref.stdout, ref.stdout)
    for level in supported_levels():
        env = {"VICUNA_CPU": level, "VICUNA_DIAGNOSTICS": "1"}
        runs = {
            "glibc+overlay": ([str(BIN / "compare.glibc")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl+overlay": ([str(BIN / "compare.musl")], {"LD_PRELOAD": str(OVERLAY)}),
            "musl-static+libc.a": ([str(BIN / "compare.static")], {}),
        }
        for how, (cmd, extra) in runs.items():
            p = sh(cmd, env={**env, **extra}, check=False)
            # Each routine runs its variant for this level: the one named
            # after it, or at avx512 the last (highest) one in its table.
            chose = True
            for r in COMPARE_DISPATCHED:
                m = re.search(rf"{r} -> (\S+) \(([^)]*)\)", p.stderr)
                want = m and (m.group(2).split()[-1] if level == "avx512" else level)
                chose &= bool(m) and m.group(1) == want
            record(f"compare [{how}, VICUNA_CPU={level}] agrees with stock musl",
                   p.returncode == 0 and p.stdout == ref.stdout and chose,
                   f"rc={p.returncode} chose={chose}\n{p.stdout[-1500:]}\n{p.stderr[-600:]}")


def test_abi():
    p = sh([sys.executable, str(ROOT / "conformance" / "abi_check.py")], check=False)
    for line in p.stdout.splitlines():
        m = re.match(r"(ok  |FAIL) (.*)", line)
        if m:
            record("abi: " + m.group(2), m.group(1) == "ok  ")
    if p.returncode != 0 and not any(not ok for (n, ok) in results if n.startswith("abi:")):
        record("abi_check.py ran", False, p.stdout + p.stderr)


STANDALONE = REL / "standalone"
SA_SRC = C / "standalone"
# (program, extra cflags, [(args, expected status)]); negative: killed by
# that signal. Each runs under stock musl and linked with vicuna alone.
SA_CASES = [
    ("start", [], [(["one", "two words", ""], 3)]),
    ("tls", [], [([], 0)]),
    ("tls_big", [], [([], 0)]),
    ("ssp", ["-fstack-protector-all"], [([], 0), (["fail"], -11), (["smash"], -11)]),
    ("exit", [], [(["return"], 7), (["call"], 5), (["quick"], 9), (["_Exit"], 11), (["many"], 0),
                 (["nested"], 13)]),
    ("abort", [], [(["plain"], -6), (["blocked"], -6), (["ignored"], -6), (["assert"], -6),
                   (["raise"], -15), (["kill"], -10)]),
    ("secure", [], []),
    ("posix_fs", [], [([], 0)]),
    ("posix_sig", [], [([], 0)]),
    ("posix_proc", [], [([], 0)]),
]
SA_ENV = {"STANDALONE_A": "1=2", "STANDALONE_EMPTY": "", "VICUNA_DIAGNOSTICS": "", "VICUNA_CPU": ""}
# musl-internal names: none may appear in a program linked with vicuna alone.
MUSL_INTERNALS = {"__init_libc", "__libc", "__funcs_on_exit", "__stdio_exit", "__init_tls", "__init_ssp",
                  "__libc_start_init", "__syscall_ret"}


def test_standalone():
    """Programs linked against target/release/standalone/libc.a and nothing
    of musl's (musl's headers only), against the same source on stock
    musl: same stdout, stderr and exit status."""
    sa = lambda n: str(STANDALONE / n)
    dirs = {k: BIN / f"sa-{k}" for k in ["musl", "vicuna", "pie"]}
    for d in dirs.values():
        d.mkdir()
    cflags = ["-O2", "-Wall", "-fno-builtin"]
    for name, extra, cases in SA_CASES:
        src = str(SA_SRC / f"{name}.c")
        sh(["musl-gcc", "-static", *cflags, *extra, src, "-o", str(dirs["musl"] / name)])
        p = sh(["musl-gcc", "-static", "-nostdlib", *cflags, *extra, sa("crt1.o"), sa("crti.o"), src,
                sa("libc.a"), "-lgcc", sa("crtn.o"), "-Wl,--trace", "-o", str(dirs["vicuna"] / name)])
        inputs = [l for l in p.stdout.splitlines() if l.strip()]
        musl_inputs = [l for l in inputs if "musl" in l]
        internals = set(sh(["nm", str(dirs["vicuna"] / name)]).stdout.split()) & MUSL_INTERNALS
        record(f"standalone {name}: linked from vicuna alone (no musl object or internal)",
               not musl_inputs and not internals and any("standalone/libc.a" in l for l in inputs),
               f"{musl_inputs} {sorted(internals)}")
        for args, status in cases:
            want = sh([str(dirs["musl"] / name), *args], env=SA_ENV, check=False)
            got = sh([str(dirs["vicuna"] / name), *args], env=SA_ENV, check=False)
            same = (got.returncode, got.stdout, got.stderr) == (want.returncode, want.stdout, want.stderr)
            record(f"standalone {name} {' '.join(args)}: same output and status as stock musl ({status})",
                   same and got.returncode == status and got.stdout,
                   f"rc {got.returncode} vs musl {want.returncode}\n{got.stdout}{got.stderr}---\n{want.stdout}{want.stderr}")

    # Static PIE (rcrt1.o) in standalone mode: it relocates itself, then the
    # runtime finds its TLS image through _DYNAMIC.
    for name, args, status in [("start", ["a", "b c"], 3), ("tls", [], 0), ("tls_big", [], 0), ("exit", ["return"], 7),
                                ("posix_sig", [], 0), ("posix_fs", [], 0), ("posix_proc", [], 0)]:
        out = dirs["pie"] / name
        sh(["musl-gcc", "-fPIE", "-nostdlib", *cflags, "-Wl,-static", "-Wl,-pie", "-Wl,--no-dynamic-linker",
            "-Wl,-z,text", sa("rcrt1.o"), sa("crti.o"), str(SA_SRC / f"{name}.c"), sa("libc.a"), "-lgcc",
            sa("crtn.o"), "-o", str(out)])
        kind = sh(["readelf", "-h", str(out)]).stdout
        want = sh([str(dirs["musl"] / name), *args], env=SA_ENV, check=False)
        got = sh([str(out), *args], env=SA_ENV, check=False)
        record(f"standalone static PIE (rcrt1.o) {name}: same output and status as stock musl",
               "DYN" in kind and (got.returncode, got.stdout) == (want.returncode, want.stdout) == (status, want.stdout),
               f"rc {got.returncode} vs {want.returncode}\n{got.stdout}---\n{want.stdout}")

    # Start-up fills the dispatch slots and prints the diagnostics report.
    p = sh([str(dirs["vicuna"] / "tls")], env={**SA_ENV, "VICUNA_DIAGNOSTICS": "1", "VICUNA_CPU": "sse2"}, check=False)
    routines = ["memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen"]
    record("standalone: start-up fills the dispatch slots (VICUNA_DIAGNOSTICS report, VICUNA_CPU cap)",
           p.returncode == 0 and all(f"vicuna: {r} -> sse2" in p.stderr for r in routines),
           p.stderr[-600:])

    # A set-user-id program (root only: make it owned by nobody) with fd 0
    # closed: privileged start-up (AT_SECURE, secure_getenv, /dev/null).
    if os.geteuid() == 0 and not (os.statvfs(BIN).f_flag & os.ST_NOSUID):
        runs = {}
        for k in ["musl", "vicuna"]:
            prog = dirs[k] / "secure"
            os.chown(prog, 65534, 65534)
            os.chmod(prog, 0o4755)
            runs[k] = subprocess.run([str(prog)], env={**os.environ, **SA_ENV}, text=True, capture_output=True,
                                     preexec_fn=lambda: os.close(0))
        g, w = runs["vicuna"], runs["musl"]
        record("standalone secure (set-user-id, fd 0 closed): same as stock musl",
               (g.returncode, g.stdout) == (w.returncode, w.stdout) and "AT_SECURE=1" in g.stdout
               and "secure_getenv=(null)" in g.stdout and "read(0, 0 bytes)=0" in g.stdout,
               f"{g.stdout}---\n{w.stdout}")


def test_interpose():
    """A program's own malloc replaces vicuna's for vicuna's callers too:
    strdup/strndup/wcsdup in the overlay allocate with it (libc.so and the
    overlay keep the malloc family preemptible)."""
    src = str(C / "dynamic" / "interpose.c")
    for cc, flavour in [("gcc", "glibc"), ("musl-gcc", "musl")]:
        exe = BIN / f"interpose.{flavour}"
        sh([cc, "-O1", "-fno-builtin", src, "-o", str(exe)])
        p = sh([str(exe)], env={"LD_PRELOAD": str(OVERLAY)}, check=False)
        ok = p.returncode == 0 and "interposed inter wide: 3 blocks from the program's malloc" in p.stdout
        record(f"interpose [{flavour}+overlay]: strdup/strndup/wcsdup use the program's malloc", ok,
               f"rc={p.returncode} {p.stdout}{p.stderr}")


def test_messages():
    """strerror/strsignal texts: a static program on vicuna's libc.a prints
    exactly what stock musl prints (glibc's texts differ, so no overlay)."""
    src = str(C / "static" / "messages.c")
    names = ["strerror", "strerror_l", "strerror_r", "__xpg_strerror_r", "strsignal"]
    trace = [f"-Wl,--trace-symbol={n}" for n in names]
    sh(["musl-gcc", "-O1", "-fno-builtin", src, "-o", str(BIN / "messages.musl")])
    p = sh(["musl-gcc", "-static", "-O1", "-fno-builtin", src, str(LIBC_A), *trace, "-o", str(BIN / "messages.static")])
    mine = {sym for (where, sym) in re.findall(r"(\S+): definition of (\w+)", p.stdout + p.stderr)
            if "libc.a(vicuna.o)" in where}
    want, got = sh([str(BIN / "messages.musl")]), sh([str(BIN / "messages.static")])
    record("messages: strerror/strerror_r/strsignal texts equal stock musl's",
           mine == set(names) and got.stdout == want.stdout and want.stdout.count("\n") > 1000,
           f"from vicuna: {sorted(mine)}")


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
              "double-remote": "double free", "double-owner-remote": "double free", "write-after-free": "corrupted free list",
              "interior-late": "not returned by malloc"}
    for how, (cmd, env) in configs("malloc_bad").items():
        ok = sh(cmd + ["ok"], env=env, check=False)
        bad = []
        for what, msg in misuse.items():
            p = sh(cmd + [what], env=env, check=False)
            if p.returncode != -6 or "vicuna: malloc:" not in p.stderr or msg not in p.stderr:
                bad.append(f"{what}: rc={p.returncode} {p.stderr.strip()[-200:]}")
        record(f"malloc_bad [{how}]: double/invalid frees and a corrupted link abort with a message",
               ok.returncode == 0 and not bad, "; ".join(bad))
        # The strict mode catches the same misuse (and walks the lists).
        p = sh(cmd + ["interior-late"], env={**env, "VICUNA_MALLOC_CHECK": "1"}, check=False)
        record(f"malloc_bad [{how}, VICUNA_MALLOC_CHECK=1]: an aligned interior pointer aborts with a message",
               p.returncode == -6 and "not returned by malloc" in p.stderr, p.stderr[-300:])


def main():
    global BIN
    with tempfile.TemporaryDirectory(prefix="vicuna-conf-") as tmp:
        BIN = Path(tmp)
        progs = build()
        test_which()
        test_malloc()
        test_slice(progs)
        test_compare()
        test_search(progs)
        test_programs(build_programs())

        test_wide()
        test_messages()
        test_interpose()
        test_start_files()
        test_aarch64_start_files()
        test_standalone()
        test_abi()
    runner_summary()
    failed = sum(1 for _, ok in results if not ok)
    say(f"conformance: {len(results) - failed} passed, {failed} failed")
    (REL.parent / "conformance").mkdir(parents=True, exist_ok=True)
    (REL.parent / "conformance" / "run.log").write_text("\n".join(LOG) + "\n")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
