#!/usr/bin/env python3
"""Turns bench-strings' JSON into the markdown report, one SVG chart per
size, and the issue-3 target checks (printed and written into the report).

    python3 benches/report.py RESULTS.json OUTDIR [--command "..."]

Writes OUTDIR/strings.md and OUTDIR/strings-<size>.svg. Only the standard
library is used; the charts are written as plain SVG.
"""
import argparse
import datetime
import json
import math
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHART_SIZES = [16, 132, 4100, 65536, 1 << 20]
SERIES = [("vicuna", "#1f6fb5"), ("glibc", "#e4882a"), ("musl", "#8c8c8c")]

# The targets of issue 3.
TARGET_SIZES = [132, 4100]
MUSL_3X = ["strlen", "strchr", "memchr", "strcmp", "memcmp"]
BANDWIDTH_FUNCS = ["memcpy", "memset"]
BANDWIDTH_SIZES = [65536, 1 << 20]
HUGE = 64 << 20


def size_label(n):
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} MiB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n >> 10} KiB"
    return f"{n} B"


def fmt_ns(v):
    if isinstance(v, str):
        return "wrong" if v.startswith("wrong") else v
    if v < 10:
        return f"{v:.2f}"
    if v < 100:
        return f"{v:.1f}"
    return f"{v:,.0f}"


def num(v):
    return v if isinstance(v, (int, float)) else None


class Results:
    def __init__(self, data):
        self.d = data
        self.impls = data["impls"]
        self.rows = data["rows"]
        self.funcs = [f["name"] for f in data["functions"]]
        self.inputs = {f["name"]: f["input"] for f in data["functions"]}
        self.by_key = {(r["func"], r["size"], r["placement"]): r for r in self.rows}

    def cell(self, func, size, placement, impl):
        r = self.by_key.get((func, size, placement))
        if r is None:
            return None
        return r["cells"][self.impls.index(impl)]

    def ns(self, func, size, placement, impl):
        return num(self.cell(func, size, placement, impl))

    def sizes(self, placement):
        return sorted({r["size"] for r in self.rows if r["placement"] == placement})

    def measured(self, size, placement):
        return any(r["size"] == size and r["placement"] == placement for r in self.rows)


# ---------------------------------------------------------------- targets

def check_targets(res):
    """Returns [(target, verdict, detail)]; verdict is PASS, FAIL or
    NOT MEASURED."""
    out = []
    placements = ["aligned", "misaligned"]

    # 1 and 2: vicuna vs glibc at 132 and 4100 bytes.
    if not all(res.measured(n, "aligned") for n in TARGET_SIZES):
        out.append(("132 B and 4100 B: vicuna <= glibc for every function", "NOT MEASURED",
                    "this run did not measure both sizes"))
        out.append(("132 B and 4100 B: geometric mean vicuna/glibc <= 0.90", "NOT MEASURED", ""))
    else:
        ratios, slower, missing = [], [], set()
        for f in res.funcs:
            for n in TARGET_SIZES:
                for p in placements:
                    v, g = res.ns(f, n, p, "vicuna"), res.ns(f, n, p, "glibc")
                    if v is None or g is None:
                        missing.add(f)
                        continue
                    ratios.append(v / g)
                    if v > g:
                        slower.append((v / g, f"{f} {n} B {p}"))
        slower.sort(reverse=True)
        detail = []
        if missing:
            detail.append(f"not in vicuna yet ({len(missing)}): " + ", ".join(sorted(missing, key=res.funcs.index)))
        if slower:
            detail.append(f"slower than glibc in {len(slower)} of {len(ratios)} rows: "
                          + ", ".join(f"{name} ({r:.2f}x)" for r, name in slower[:12])
                          + (" ..." if len(slower) > 12 else ""))
        else:
            detail.append(f"all {len(ratios)} measured rows (aligned and misaligned) at or below glibc")
        out.append(("132 B and 4100 B: vicuna <= glibc for every function",
                    "PASS" if not missing and not slower else "FAIL", "; ".join(detail)))
        if ratios:
            gm = math.exp(sum(math.log(r) for r in ratios) / len(ratios))
            verdict = "PASS" if gm <= 0.90 and not missing else "FAIL"
            d = f"geometric mean {gm:.3f} over {len(ratios)} rows"
            if missing:
                d += f" ({len(missing)} functions missing, so the target is not met)"
            out.append(("132 B and 4100 B: geometric mean vicuna/glibc <= 0.90", verdict, d))
        else:
            out.append(("132 B and 4100 B: geometric mean vicuna/glibc <= 0.90", "FAIL",
                        "no function measured for both"))

    # 3: vicuna vs stock musl at 4100 bytes.
    if not res.measured(4100, "aligned"):
        out.append(("4100 B: >= 3x musl (strlen strchr memchr strcmp memcmp), >= 10x memmove backward",
                    "NOT MEASURED", ""))
    else:
        for funcs, want in [(MUSL_3X, 3.0), (["memmove"], 10.0)]:
            bad, good, missing = [], [], []
            for f in funcs:
                for p in placements:
                    v, m = res.ns(f, 4100, p, "vicuna"), res.ns(f, 4100, p, "musl")
                    if v is None or m is None:
                        missing.append(f"{f} {p}")
                        continue
                    (good if m / v >= want else bad).append(f"{f} {p} {m / v:.1f}x")
            name = (f"4100 B: >= {want:g}x faster than musl: " + " ".join(funcs)
                    + (" (backward overlap)" if funcs == ["memmove"] else ""))
            detail = []
            if missing:
                detail.append("not in vicuna yet: " + ", ".join(missing))
            if bad:
                detail.append("below: " + ", ".join(bad))
            if good:
                detail.append("met: " + ", ".join(good))
            out.append((name, "PASS" if not bad and not missing else "FAIL", "; ".join(detail)))

    # 4: memcpy/memset bandwidth within 10% of the best implementation.
    if not all(res.measured(n, "aligned") for n in BANDWIDTH_SIZES):
        out.append(("memcpy/memset at 64 KiB and 1 MiB within 10% of the best bandwidth", "NOT MEASURED", ""))
    else:
        bad, good = [], []
        for f in BANDWIDTH_FUNCS:
            for n in BANDWIDTH_SIZES:
                for p in placements:
                    r = res.by_key.get((f, n, p))
                    if r is None:
                        continue
                    vals = [(num(c), i) for i, c in zip(res.impls, r["cells"]) if num(c) is not None]
                    v = res.ns(f, n, p, "vicuna")
                    if v is None or not vals:
                        bad.append(f"{f} {size_label(n)} {p}: vicuna n/a")
                        continue
                    best, who = min(vals)
                    share = best / v  # vicuna's bandwidth as a share of the best
                    s = f"{f} {size_label(n)} {p} {share * 100:.0f}% of {who}"
                    (good if share >= 0.90 else bad).append(s)
        detail = ("below: " + ", ".join(bad) + "; " if bad else "") + "ok: " + ", ".join(good)
        out.append(("memcpy/memset at 64 KiB and 1 MiB within 10% of the best bandwidth",
                    "PASS" if not bad else "FAIL", detail))

    # 5: 64 MiB memcpy at least 1.5x glibc.
    v, g = res.ns("memcpy", HUGE, "aligned", "vicuna"), res.ns("memcpy", HUGE, "aligned", "glibc")
    if ("memcpy", HUGE, "aligned") not in res.by_key:
        out.append(("64 MiB memcpy >= 1.5x glibc", "NOT MEASURED", ""))
    elif v is None or g is None:
        out.append(("64 MiB memcpy >= 1.5x glibc", "FAIL", "vicuna or glibc n/a"))
    else:
        out.append(("64 MiB memcpy >= 1.5x glibc", "PASS" if g / v >= 1.5 else "FAIL",
                    f"{g / v:.2f}x ({HUGE / v:.1f} vs {HUGE / g:.1f} GB/s)"))
    return out


# ---------------------------------------------------------------- charts

def nice_below(v):
    """The largest 1, 2 or 5 times a power of ten at or below v."""
    e = math.floor(math.log10(v))
    return max(m * 10 ** e for m in (1, 2, 5) if m * 10 ** e <= v)


def nice_above(v):
    """The smallest 1, 2 or 5 times a power of ten at or above v."""
    e = math.floor(math.log10(v))
    return min(m * 10 ** k for k in (e, e + 1) for m in (1, 2, 5) if m * 10 ** k >= v)


def nice_ticks(lo, hi):
    ticks = []
    e = math.floor(math.log10(lo))
    while 10 ** e <= hi * 1.0001:
        for m in (1, 2, 5):
            t = m * 10 ** e
            if lo <= t <= hi * 1.0001:
                ticks.append(t)
        e += 1
    return ticks


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def chart(res, size, path):
    funcs = res.funcs
    vals = [res.ns(f, size, "aligned", s) for f in funcs for s, _ in SERIES]
    present = [v for v in vals if v is not None]
    if not present:
        return False
    lo, hi = nice_below(min(present) * 0.9), nice_above(max(present) * 1.25)
    bar, gap, left, right, top = 8, 7, 110, 70, 58
    group = bar * len(SERIES) + gap
    width = 900
    plot_w = width - left - right
    height = top + group * len(funcs) + 40

    def x(v):
        return left + plot_w * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
         f'<rect width="{width}" height="{height}" fill="white"/>',
         f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15" font-weight="bold">'
         f'String operations, {esc(size_label(size))} (aligned): ns per call, lower is better</text>']
    lx = left
    for s, color in SERIES:
        o.append(f'<rect x="{lx}" y="32" width="12" height="10" fill="{color}"/>'
                 f'<text x="{lx + 16}" y="41">{esc(s)}</text>')
        lx += 90
    o.append(f'<text x="{width - right}" y="41" text-anchor="end" fill="#555">log scale</text>')
    for t in nice_ticks(lo, hi):
        tx = x(t)
        o.append(f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{height - 36}" stroke="#ddd"/>'
                 f'<text x="{tx:.1f}" y="{height - 22}" text-anchor="middle" fill="#555">{t:g}</text>')
    o.append(f'<text x="{left + plot_w / 2}" y="{height - 6}" text-anchor="middle">ns per call</text>')
    for i, f in enumerate(funcs):
        gy = top + i * group
        o.append(f'<text x="{left - 6}" y="{gy + group / 2:.1f}" text-anchor="end" '
                 f'dominant-baseline="middle">{esc(f)}</text>')
        for j, (s, color) in enumerate(SERIES):
            v = res.ns(f, size, "aligned", s)
            by = gy + j * bar
            if v is None:
                o.append(f'<text x="{left + 3}" y="{by + bar - 1}" font-size="8" fill="{color}">n/a</text>')
                continue
            w = max(x(v) - left, 1)
            o.append(f'<rect x="{left}" y="{by}" width="{w:.1f}" height="{bar - 1}" fill="{color}">'
                     f'<title>{esc(f)} {esc(s)}: {v:.2f} ns</title></rect>'
                     f'<text x="{left + w + 3:.1f}" y="{by + bar - 1}" font-size="8">{fmt_ns(v)}</text>')
    o.append(f'<line x1="{left}" y1="{top - 4}" x2="{left}" y2="{height - 36}" stroke="#333"/>')
    o.append("</svg>")
    Path(path).write_text("\n".join(o) + "\n")
    return True


# ---------------------------------------------------------------- markdown

def machine():
    model = "?"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} CPUs, Linux {platform.release()}"


def commit():
    try:
        return subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def table(res, size, placements, lines):
    variants = [i for i in res.impls if i.startswith("vicuna/")]
    head = ["function", "placement", "**vicuna**", *variants, "glibc", "musl", "vicuna/glibc", "musl/vicuna"]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * 2 + "---:|" * (len(head) - 2))
    for f in res.funcs:
        for p in placements:
            r = res.by_key.get((f, size, p))
            if r is None:
                continue
            cells = dict(zip(res.impls, r["cells"]))
            v, g, m = num(cells["vicuna"]), num(cells["glibc"]), num(cells["musl"])
            row = [f, p, f"**{fmt_ns(cells['vicuna'])}**", *[fmt_ns(cells[x]) for x in variants],
                   fmt_ns(cells["glibc"]), fmt_ns(cells["musl"]),
                   f"{v / g:.2f}" if v and g else "", f"{m / v:.1f}" if v and m else ""]
            lines.append("| " + " | ".join(row) + " |")


def bandwidth(res, lines):
    rows = [(f, n, p) for f in BANDWIDTH_FUNCS for n in BANDWIDTH_SIZES + [HUGE]
            for p in ("aligned", "misaligned") if (f, n, p) in res.by_key]
    if not rows:
        return
    lines += ["## Bandwidth (GB/s, higher is better)", "",
              "From the same medians: bytes per call / ns per call.", ""]
    head = ["function", "size", "placement", *res.impls]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * 3 + "---:|" * len(res.impls))
    for f, n, p in rows:
        cells = res.by_key[(f, n, p)]["cells"]
        vals = [f"{n / c:.1f}" if num(c) else fmt_ns(c) for c in cells]
        lines.append("| " + " | ".join([f, size_label(n), p, *vals]) + " |")
    lines.append("")


def markdown(res, outdir, charts, targets, command):
    d = res.d
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = ["# String and memory routines: vicuna vs glibc 2.36 vs musl 1.2.3", "",
         f"Generated by `{command}` on {now}, commit `{commit()}`, {d['mode']} run "
         f"({d['rounds']} rounds, {d['block_us']:g} µs blocks timed with the "
         f"{'thread CPU-time' if d.get('clock', 'wall') == 'thread-cpu' else 'wall'} clock, "
         f"{d['seconds']:.0f} s).",
         f"Machine: {machine()}; vicuna dispatches for `{d['cpu_level']}`"
         + (f" (capped by VICUNA_CPU={d['vicuna_cpu_env']})" if d["vicuna_cpu_env"] else "") + ".", "",
         "Numbers are **median ns per call, lower is better** (ratios: below 1 in "
         "`vicuna/glibc` and above 1 in `musl/vicuna` favour vicuna). This is a "
         "shared 2-core VM: differences of a few percent are noise.", "",
         "## Target checks (issue 3)", "",
         "| target | result | detail |", "|---|---|---|"]
    for name, verdict, detail in targets:
        L.append(f"| {name} | **{verdict}** | {esc(detail)} |")
    L += ["", "Rows with vicuna `n/a` are functions vicuna does not have yet; they count as not met.", ""]
    if charts:
        L += ["## Charts (aligned inputs)", ""]
        for n, fname in charts:
            L.append(f"![{size_label(n)}]({fname})")
        L.append("")
    L += ["## Implementations", "",
          "- **vicuna**: the exported, dispatched entry points, from `dlopen` of "
          "`target/release/libvicuna-preload.so` (what a program calls: one load and one "
          "indirect jump, then the variant).",
          "- **vicuna/<variant>**: each variant from `vicuna_kernels`' tables, called directly; "
          "`not runnable` = the CPU lacks its instructions, `n/a` = no such variant (yet).",
          "- **glibc**: the host's glibc 2.36 from `dlopen(\"libc.so.6\")` + `dlsym` (its IFUNC "
          "choice for this CPU).",
          "- **musl**: stock musl 1.2.3, Debian's `libc.a` members renamed `musl_*` with objcopy.",
          "", "Dispatched variant per function on this machine: "
          + ", ".join(f"{k} → {v}" for k, v in sorted(d["dispatched"].items())) + ".", "",
          "## Method", "",
          "- One process; for each case every implementation is checked first (return value "
          "against what the input implies, written bytes against glibc's; a wrong result is "
          "reported and fails the run), then timed in blocks of calls "
          "on the same buffers, the implementations interleaved block by block with the "
          "order rotated every round; the figure is the median over rounds. Blocks are "
          "timed with `CLOCK_THREAD_CPUTIME_ID` (so time the thread spent preempted by other "
          "processes is not counted; `--wall` uses the wall clock). Absolute numbers move with "
          "the host's load; ratios between implementations of one case are the stable part.",
          "- `aligned`: both buffers 64-byte aligned, the second one 2 KiB into its page (so "
          "source and destination never share a 4 KiB page offset). `misaligned`: the same "
          "plus 1 byte on the first pointer argument and 3 on the second (1 and 3 elements for the wide functions). `4k-alias` (memcpy "
          "only): source at page offset 1, destination at page offset 3 — glibc bug 30994, "
          "where `rep movsb` slows down.",
          "- Inputs per function (n = size in bytes; wide functions use n/4 elements):", "",
          "| function | input |", "|---|---|"]
    for f in res.funcs:
        L.append(f"| {f} | {esc(res.inputs[f])} |")
    L.append("")
    for n in res.sizes("aligned"):
        if n == HUGE:
            continue
        L += [f"## {size_label(n)}", ""]
        table(res, n, ["aligned", "misaligned"], L)
        L.append("")
    if HUGE in res.sizes("aligned"):
        L += [f"## {size_label(HUGE)} (memory-bound; memcpy and memset only)", ""]
        table(res, HUGE, ["aligned"], L)
        L.append("")
    alias = res.sizes("4k-alias")
    if alias:
        L += ["## memcpy with source and destination 2 bytes apart in page offset (glibc bug 30994)", ""]
        variants = [i for i in res.impls if i.startswith("vicuna/")]
        head = ["size", "**vicuna**", *variants, "glibc", "musl", "vicuna/glibc"]
        L.append("| " + " | ".join(head) + " |")
        L.append("|---|" + "---:|" * (len(head) - 1))
        for n in alias:
            cells = dict(zip(res.impls, res.by_key[("memcpy", n, "4k-alias")]["cells"]))
            v, g = num(cells["vicuna"]), num(cells["glibc"])
            L.append("| " + " | ".join([size_label(n) if n % 1024 == 0 else f"{n} B",
                                        f"**{fmt_ns(cells['vicuna'])}**",
                                        *[fmt_ns(cells[x]) for x in variants],
                                        fmt_ns(cells["glibc"]), fmt_ns(cells["musl"]),
                                        f"{v / g:.2f}" if v and g else ""]) + " |")
        L.append("")
    bandwidth(res, L)
    wrong = [(r["func"], r["size"], r["placement"], i, c) for r in res.rows
             for i, c in zip(res.impls, r["cells"]) if isinstance(c, str) and c.startswith("wrong")]
    if wrong:
        L += ["## Wrong results", ""]
        L += [f"- {i} {f} {n} {p}: {esc(c)}" for f, n, p, i, c in wrong]
        L.append("")
    (outdir / "strings.md").write_text("\n".join(L))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("json")
    ap.add_argument("outdir")
    ap.add_argument("--command", default="scripts/bench-strings")
    a = ap.parse_args()
    res = Results(json.loads(Path(a.json).read_text()))
    outdir = Path(a.outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    for old in outdir.glob("strings-*.svg"):
        old.unlink()
    charts = []
    for n in CHART_SIZES:
        fname = f"strings-{size_label(n).replace(' ', '').lower()}.svg"
        if chart(res, n, outdir / fname):
            charts.append((n, fname))
    targets = check_targets(res)
    markdown(res, outdir, charts, targets, a.command)
    width = max(len(t[0]) for t in targets)
    if res.d["mode"] == "quick":
        print("target checks (issue 3) -- quick smoke run, timings not meaningful:")
    else:
        print("target checks (issue 3):")
    for name, verdict, detail in targets:
        print(f"  {verdict:12} {name:{width}}  {detail}")
    print(f"report: {outdir / 'strings.md'}")


if __name__ == "__main__":
    main()
