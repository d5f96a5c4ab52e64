#!/usr/bin/env python3
"""ABI and symbol checks of the build products against musl 1.2.3.

Checks libc.so, libvicuna-preload.so, libc.a and the start files in
target/release/ (run scripts/build first), and musl's type layouts in
abi/src/musl_types.rs against musl-gcc. Prints 'ok'/'FAIL' lines and
exits non-zero on any failure.
"""
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REL = ROOT / "target" / "release"
ABI = ROOT / "abi" / "musl-1.2.3-symbols.txt"
GROUPS = ROOT / "abi" / "musl-1.2.3-symbols-grouped.tsv"
# Documented in ARCHITECTURE.md: provided by the host libc (overlay) or by
# musl (libc.a linked ahead of musl's) until vicuna owns start-up.
ALLOWED_UNDEFINED = {"environ", "getauxval", "__errno_location"}
OVERLAY_DIRS = {"src/string", "src/malloc"}
OVERLAY_EXCLUDED = {"strerror_r", "__xpg_strerror_r", "strsignal"}
OVERLAY_EXTRA = {"valloc"}  # an allocation function in musl's src/legacy (see scripts/build)
# Routines that must reach the exported entry points only from outside.
ENTRY_POINTS = {"memcpy", "memmove", "memset", "memcmp", "bcmp", "strlen"}
# The dispatched compare/copy family (src/string/compare.rs, copy.rs).
ENTRY_POINTS |= {"strcmp", "strncmp", "strcasecmp", "strncasecmp", "strcpy", "stpcpy", "strncpy", "stpncpy",
                 "strcat", "strncat", "memccpy", "mempcpy", "bzero"}
# The search family's dispatched routines (index, rindex, strcasestr are plain).
ENTRY_POINTS |= {"memchr", "memrchr", "strnlen", "strchr", "strchrnul", "strrchr",
                 "strspn", "strcspn", "strpbrk", "strstr", "memmem"}
# The dispatched wide-character routines (src/string/wide.rs).
ENTRY_POINTS |= {"wcslen", "wcsnlen", "wcschr", "wcsrchr", "wcscmp", "wcsncmp", "wmemchr", "wmemcmp", "wmemset", "wcscpy"}

failures = 0


def check(name, ok, detail=""):
    global failures
    print(f"{'ok  ' if ok else 'FAIL'} {name}" + (f": {detail}" if detail and not ok else ""))
    failures += not ok


def out(*cmd):
    return subprocess.run(cmd, check=True, text=True, capture_output=True).stdout


def musl():
    abi = {}
    for line in ABI.read_text().splitlines():
        n, t, b, s = line.split()
        abi[n] = (t, b, int(s))
    return abi


def elf_symbols(path, dynamic):
    """[(name, type, bind, size, defined)] of the non-local symbols."""
    text = out("readelf", "--dyn-syms" if dynamic else "-s", "-W", str(path))
    syms = []
    for line in text.splitlines():
        f = line.split()
        if len(f) < 8 or not f[0][:-1].isdigit() or f[4] == "LOCAL":
            continue
        syms.append((f[7].split("@")[0], f[3], f[4], int(f[2], 0), f[6] != "UND"))
    return syms


def mangled(name):
    return bool(re.match(r"_ZN|_R[A-Z]|__rust|rust_", name))


def check_exports(label, syms, abi):
    defined = [s for s in syms if s[4]]
    check(f"{label}: exports something", len(defined) > 0)
    bad = [s[0] for s in defined if s[0] not in abi]
    check(f"{label}: every export is a musl 1.2.3 name", not bad, str(bad))
    check(f"{label}: no Rust-mangled exports", not [s for s in defined if mangled(s[0])])
    wrong = [(n, t, b, abi[n][:2]) for (n, t, b, sz, d) in defined
             if n in abi and (t, b) != abi[n][:2]]
    check(f"{label}: type and binding match musl's", not wrong, str(wrong))
    sizes = [(n, sz, abi[n][2]) for (n, t, b, sz, d) in defined if t == "OBJECT" and n in abi and sz != abi[n][2]]
    check(f"{label}: data object sizes match musl's", not sizes, str(sizes))
    return {s[0] for s in defined}


def check_shared(label, path, abi):
    dyn = out("readelf", "-dW", str(path))
    check(f"{label}: no DT_NEEDED", "(NEEDED)" not in dyn)
    check(f"{label}: no text relocations", "TEXTREL" not in dyn)
    syms = elf_symbols(path, dynamic=True)
    names = check_exports(label, syms, abi)
    undefined = {s[0] for s in syms if not s[4]}
    check(f"{label}: undefined symbols only {sorted(ALLOWED_UNDEFINED)}",
          undefined <= ALLOWED_UNDEFINED, str(sorted(undefined - ALLOWED_UNDEFINED)))
    return names


def check_no_self_calls(path):
    """No kernel may call an exported entry point: inside memcpy that would
    be the compiler turning a copy loop back into a call to memcpy. Read
    from the relocations of vicuna.o, whose functions each have their own
    section (a call through the GOT names no target in a disassembly)."""
    offenders, section = [], ""
    for line in out("readelf", "-rW", str(REL / "vicuna-link" / "vicuna.o")).splitlines():
        m = re.match(r"Relocation section '([^']*)'", line)
        if m:
            section = m.group(1)
            continue
        f = line.split()
        if "vicuna_kernels" in section and len(f) >= 5 and f[4] in ENTRY_POINTS:
            offenders.append(f"{section} -> {f[4]}")
    asm = out("objdump", "-d", "--no-show-raw-insn", "-C", str(path))
    kernels = len(re.findall(r"^[0-9a-f]+ <vicuna_kernels::string::.*>:$", asm, re.M))
    check("libc.so contains the kernel variants (symbols kept for this check)", kernels >= 24, str(kernels))
    check("no kernel calls memcpy/memmove/memset/memcmp/bcmp/strlen", not offenders, str(offenders[:5]))
    # The exported entry is the whole dispatch cost: load the slot, jump.
    for name in sorted(ENTRY_POINTS):
        body = re.search(rf"^[0-9a-f]+ <{name}>:\n((?:\s+[0-9a-f]+:.*\n)+)", asm, re.M)
        if not body:
            # An alias (index = strchr): objdump labels the code with one name.
            addr = re.search(rf"^([0-9a-f]+) T {name}$", out("nm", "-D", str(path)), re.M)
            body = addr and re.search(rf"^{addr.group(1)} <[^>]+>:\n((?:\s+[0-9a-f]+:.*\n)+)", asm, re.M)
        insns = [l.split("\t")[-1].strip() for l in body.group(1).splitlines()] if body else []
        insns = [i for i in insns if i and not i.startswith(("int3", "nop", "cs nop", "data16"))]
        ok = len(insns) == 2 and insns[0].startswith("mov") and "(%rip)" in insns[0] and insns[1].startswith("jmp")
        check(f"{name}: exported entry is one slot load and one indirect jump", ok, str(insns))


TYPES_RS = ROOT / "abi" / "src" / "musl_types.rs"
TYPES_H = ROOT / "abi" / "musl_types.h"
RUST_KEYWORDS = {"type", "match", "ref", "mod", "fn", "impl", "loop", "move", "use", "where", "box", "in", "self",
                 "u8", "u16", "u32", "u64", "u128", "i8", "i16", "i32", "i64", "i128", "f32", "f64", "bool", "char", "str",
                 "usize", "isize"}  # bindgen appends "_" to these field names


def layout_assertions():
    """[(rust type, field or None, 'size'|'align'|'offset', value)] from the
    assertions bindgen wrote into abi/src/musl_types.rs."""
    found = []
    text = TYPES_RS.read_text()
    for typ, value in re.findall(r'\["Size of (\w+)"\]\[[^\]]*- (\d+)usize\]', text):
        found.append((typ, None, "size", int(value)))
    for typ, value in re.findall(r'\["Alignment of (\w+)"\]\[[^\]]*- (\d+)usize\]', text):
        found.append((typ, None, "align", int(value)))
    for typ, field, value in re.findall(r'\["Offset of field: (\w+)::(\w+)"\]\[[^\]]*- (\d+)usize\]', text):
        found.append((typ, field, "offset", int(value)))
    return found


def check_type_layouts():
    """Compiles every size/alignment/offset that musl_types.rs asserts into
    a C program built with musl-gcc against musl's own headers. Types
    bindgen invented for anonymous members have no C spelling and are
    covered through their parents' sizes."""
    pre = subprocess.run(["musl-gcc", "-E", "-P", str(TYPES_H)], text=True, capture_output=True, check=True).stdout
    tags = set(re.findall(r"\bstruct\s+(\w+)\s*\{", pre)) | set(re.findall(r"\bunion\s+(\w+)\s*\{", pre))
    unions = set(re.findall(r"\bunion\s+(\w+)\s*\{", pre))
    typedefs = set(re.findall(r"\}\s*(\w+)\s*(?:\[[^\]]*\])?\s*;", pre)) | set(re.findall(r"typedef\s[^;{}]*?\b(\w+)\s*;", pre))
    checks, skipped = [], 0
    for typ, field, what, value in layout_assertions():
        if "__bindgen" in typ or (field and (field.startswith(("__bindgen", "_bitfield")))):
            skipped += 1
            continue
        if typ in typedefs:
            c = typ
        elif typ in tags:
            c = ("union " if typ in unions else "struct ") + typ
        else:
            skipped += 1
            continue
        if what == "size":
            checks.append((f"sizeof({c})", value, f"size of {c}"))
        elif what == "align":
            checks.append((f"_Alignof({c})", value, f"alignment of {c}"))
        else:
            f = field[:-1] if field.endswith("_") and field[:-1] in RUST_KEYWORDS else field
            checks.append((f"offsetof({c}, {f})", value, f"offset of {c}.{f}"))
    body = "".join(f'\tn++; if ((size_t)({e}) != {v}u) {{ bad++; printf("%s: musl-gcc %zu, musl_types.rs {v}\\n", "{d}", (size_t)({e})); }}\n'
                   for (e, v, d) in checks)
    src = ('#include "musl_types.h"\n#include <stddef.h>\n#include <stdio.h>\n'
           f"int main(void)\n{{\n\tint n = 0, bad = 0;\n{body}\tprintf(\"%d checked, %d wrong\\n\", n, bad);\n\treturn bad != 0;\n}}\n")
    import tempfile
    with tempfile.TemporaryDirectory(prefix="vicuna-layout-") as tmp:
        c_file = Path(tmp) / "layout.c"
        c_file.write_text(src)
        exe = Path(tmp) / "layout"
        p = subprocess.run(["musl-gcc", "-I", str(TYPES_H.parent), str(c_file), "-o", str(exe)], text=True, capture_output=True)
        if p.returncode != 0:
            check("musl type layouts compile with musl-gcc", False, p.stderr[-2000:])
            return
        r = subprocess.run([str(exe)], text=True, capture_output=True)
    types = len({t for (t, f, w, v) in layout_assertions() if w == "size" and "__bindgen" not in t})
    check(f"musl type layouts: {len(checks)} sizes/alignments/offsets of {types} types in abi/src/musl_types.rs "
          f"match musl-gcc ({skipped} of anonymous members covered by their parents)",
          r.returncode == 0, r.stdout[-3000:])
    # The committed file is what the generator makes, when bindgen is here.
    if shutil.which("bindgen"):
        with tempfile.TemporaryDirectory(prefix="vicuna-gen-") as tmp:
            fresh = Path(tmp) / "musl_types.rs"
            g = subprocess.run([str(ROOT / "scripts" / "gen-musl-types"), str(fresh)], text=True, capture_output=True)
            same = g.returncode == 0 and fresh.read_text() == TYPES_RS.read_text()
            check("abi/src/musl_types.rs is up to date with scripts/gen-musl-types", same, g.stderr[-1000:])
    else:
        print("skip abi/src/musl_types.rs freshness (bindgen not installed; scripts/gen-musl-types needs it)")


def main():
    abi = musl()
    libc = check_shared("libc.so", REL / "libc.so", abi)
    overlay = check_shared("libvicuna-preload.so", REL / "libvicuna-preload.so", abi)
    dirs = {}
    for line in GROUPS.read_text().splitlines()[1:]:
        c = line.split("\t")
        dirs[c[0]] = c[5]
    foreign = sorted(n for n in overlay if dirs.get(n) not in OVERLAY_DIRS and n not in OVERLAY_EXTRA)
    check("overlay exports only string/memory and malloc names", not foreign, str(foreign))
    clash = sorted(overlay & OVERLAY_EXCLUDED)
    check("overlay exports nothing whose glibc counterpart differs (strerror_r, strsignal)", not clash, str(clash))
    check("overlay exports no errno, stdio or pthread names",
          not {n for n in overlay if n in {"__errno_location", "errno", "stdout", "stdin", "stderr"}
               or (n.startswith(("pthread_", "f", "__stdio")) and n != "free")})
    check("overlay exports are a subset of libc.so's", overlay <= libc, str(sorted(overlay - libc)))
    check("the string/memory slice is exported by both", ENTRY_POINTS <= overlay and ENTRY_POINTS <= libc)

    archive = elf_symbols(REL / "libc.a", dynamic=False)
    names_a = check_exports("libc.a", archive, abi)
    check("libc.a defines the same names libc.so exports", names_a == libc, str(sorted(names_a ^ libc)))
    sections = out("readelf", "-SW", str(REL / "libc.a"))
    check("libc.a carries no LLVM bitcode sections", ".llvmbc" not in sections)

    # The standalone product (scripts/build: the `runtime` feature).
    standalone = REL / "standalone" / "libc.a"
    names_sa = check_exports("standalone libc.a", elf_symbols(standalone, dynamic=False), abi)
    check("standalone libc.a defines every name libc.a does", names_a <= names_sa, str(sorted(names_a - names_sa)))
    runtime = {"__libc_start_main", "__errno_location", "environ", "__environ", "getauxval", "exit",
               "atexit", "getenv", "__stack_chk_guard"}
    check("standalone libc.a defines the runtime (start-up, errno, environ, exit)", runtime <= names_sa,
          str(sorted(runtime - names_sa)))
    # The POSIX wrappers (src/rt/posix/, posix.c): standalone only.
    posix = set("""open openat creat read write readv writev pread pwrite close lseek dup dup2 dup3 pipe pipe2
        fcntl ioctl stat fstat lstat fstatat access faccessat unlink unlinkat rename mkdir rmdir chdir getcwd
        isatty truncate ftruncate fsync mmap munmap mprotect madvise getpid getppid getuid geteuid getgid
        getegid kill raise signal sigaction sigprocmask sigemptyset sigfillset sigaddset sigdelset sigismember
        sigsuspend alarm pause sleep usleep sysconf getpagesize uname fork _Fork execve execv execvp execl
        waitpid wait opendir readdir closedir setjmp _setjmp longjmp _longjmp sigsetjmp __sigsetjmp
        siglongjmp""".split())
    check("standalone libc.a defines the POSIX wrappers", posix <= names_sa, str(sorted(posix - names_sa)))
    check("the default libc.a has none of the POSIX wrappers", not (posix & names_a), str(sorted(posix & names_a)))
    internal = [s[0] for s in elf_symbols(standalone, dynamic=False) if s[0].startswith("__vicuna_")]
    check("standalone libc.a: the C/Rust links (__vicuna_*) are not global", not internal, str(internal))

    for crt in ["crt1.o", "Scrt1.o", "rcrt1.o"]:
        syms = {(s[0], s[4]) for s in elf_symbols(REL / crt, dynamic=False)}
        check(f"{crt}: defines _start, calls __libc_start_main(main, ...)",
              ("_start", True) in syms and ("__libc_start_main", False) in syms and ("main", False) in syms)
    crti = {(s[0], s[4]) for s in elf_symbols(REL / "crti.o", dynamic=False)}
    check("crti.o: defines _init and _fini", ("_init", True) in crti and ("_fini", True) in crti)
    check_no_self_calls(REL / "libc.so")
    check_type_layouts()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
