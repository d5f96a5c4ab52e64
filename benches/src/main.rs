//! `bench-strings`: vicuna's string/memory routines against glibc and
//! stock musl, in one process.
//!
//!     bench-strings [--quick] [--out FILE.json] [--vicuna-so PATH]
//!                   [--only f,g,..] [--rounds N] [--block-us N] [--wall]
//!
//! Implementations, each reached through a plain function pointer so every
//! one is called from the same call site:
//! - `vicuna`: the dispatched entry points, from `dlopen` of the overlay
//!   `target/release/libvicuna-preload.so` (what programs call);
//! - `vicuna/<variant>`: every variant in `vicuna_kernels`' tables that
//!   this CPU can run, called directly (found by build.rs);
//! - `glibc`: the host's, from `dlopen("libc.so.6")` + `dlsym` (IFUNC
//!   resolved, so the variant glibc picks for this CPU);
//! - `musl`: stock musl 1.2.3's objects, renamed `musl_*` by build.rs.
//!
//! Every implementation's result is checked first (return value against
//! what the input implies, output bytes against glibc's); a wrong one is
//! reported, not timed, and makes the run fail. Writes JSON (for
//! `benches/report.py`) and prints a one-line summary per function.

mod buf;
mod measure;
#[cfg(test)]
mod scan;
mod spec;

use std::ffi::{CStr, CString, c_char, c_int, c_void};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use measure::{Cell, Timing};
use spec::{FUNCTIONS, Placement, Spec};
use vicuna_kernels::Level;

/// One variant from a kernels table, with its function erased to an address.
pub struct KernelVariant {
    pub name: &'static str,
    pub level: Level,
    pub addr: usize,
}

include!(concat!(env!("OUT_DIR"), "/kernel_tables.rs"));

mod musl {
    include!(concat!(env!("OUT_DIR"), "/musl_functions.rs"));
}

unsafe extern "C" {
    fn dlopen(file: *const c_char, mode: c_int) -> *mut c_void;
    fn dlsym(handle: *mut c_void, name: *const c_char) -> *mut c_void;
    fn dlerror() -> *const c_char;
}
const RTLD_NOW: c_int = 2;

fn open(path: &str) -> Result<*mut c_void, String> {
    let c = CString::new(path).unwrap();
    // SAFETY: `c` is a valid C string; dlopen has no other precondition.
    let h = unsafe { dlopen(c.as_ptr(), RTLD_NOW) };
    if h.is_null() {
        // SAFETY: dlerror returns a C string describing the failure.
        let e = unsafe { CStr::from_ptr(dlerror()) };
        return Err(format!("dlopen {path}: {}", e.to_string_lossy()));
    }
    Ok(h)
}

fn lookup(h: *mut c_void, name: &str) -> Option<usize> {
    let c = CString::new(name).unwrap();
    // SAFETY: `h` came from dlopen; `c` is a valid C string.
    let p = unsafe { dlsym(h, c.as_ptr()) };
    (!p.is_null()).then_some(p as usize)
}

/// Per implementation column, per function: its address or why not.
enum Avail {
    Addr(usize),
    NotAvailable,
    NotRunnable,
}

struct Impl {
    name: String,
    get: Box<dyn Fn(&str) -> Avail>,
}

struct Args {
    quick: bool,
    out: Option<PathBuf>,
    vicuna_so: PathBuf,
    only: Option<Vec<String>>,
    rounds: Option<usize>,
    block_us: Option<f64>,
}

fn parse_args() -> Args {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut a = Args {
        quick: false,
        out: None,
        vicuna_so: root.join("target/release/libvicuna-preload.so"),
        only: None,
        rounds: None,
        block_us: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut val = || {
            it.next()
                .unwrap_or_else(|| usage(&format!("{arg} needs a value")))
        };
        match arg.as_str() {
            "--quick" => a.quick = true,
            "--wall" => measure::WALL_CLOCK.store(true, std::sync::atomic::Ordering::Relaxed),
            "--out" => a.out = Some(val().into()),
            "--vicuna-so" => a.vicuna_so = val().into(),
            "--only" => a.only = Some(val().split(',').map(String::from).collect()),
            "--rounds" => a.rounds = Some(val().parse().unwrap_or_else(|_| usage("bad --rounds"))),
            "--block-us" => {
                a.block_us = Some(val().parse().unwrap_or_else(|_| usage("bad --block-us")))
            }
            "-h" | "--help" => usage(""),
            other => usage(&format!("unknown argument {other}")),
        }
    }
    a
}

fn usage(msg: &str) -> ! {
    if !msg.is_empty() {
        eprintln!("bench-strings: {msg}");
    }
    eprintln!(
        "usage: bench-strings [--quick] [--out FILE.json] [--vicuna-so PATH] [--only f,g] \
         [--rounds N] [--block-us N] [--wall]"
    );
    std::process::exit(2)
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn main() {
    let args = parse_args();
    let level = vicuna_kernels::cpu::detect().level();

    let vicuna = open(args.vicuna_so.to_str().unwrap()).unwrap_or_else(|e| {
        eprintln!("bench-strings: {e}\n(run scripts/build first)");
        std::process::exit(2)
    });
    let glibc = open("libc.so.6").unwrap_or_else(|e| {
        eprintln!("bench-strings: {e}");
        std::process::exit(2)
    });
    let tables = kernel_tables();
    let musl_fns = musl::musl_functions();

    // Variant columns: every variant name any table has, lowest level first.
    let mut variant_names: Vec<(Level, &'static str)> = Vec::new();
    for (_, vs) in &tables {
        for v in vs {
            if !variant_names.iter().any(|(_, n)| *n == v.name) {
                variant_names.push((v.level, v.name));
            }
        }
    }
    variant_names.sort_by_key(|&(l, n)| (l as u8, n));

    let vh = vicuna as usize;
    let gh = glibc as usize;
    let mut impls: Vec<Impl> = vec![Impl {
        name: "vicuna".into(),
        get: Box::new(move |f| {
            lookup(vh as *mut c_void, f).map_or(Avail::NotAvailable, Avail::Addr)
        }),
    }];
    for &(_, vname) in &variant_names {
        let table: Vec<(&'static str, Level, usize, &'static str)> = tables
            .iter()
            .flat_map(|(f, vs)| vs.iter().map(move |v| (*f, v.level, v.addr, v.name)))
            .filter(|t| t.3 == vname)
            .collect();
        impls.push(Impl {
            name: format!("vicuna/{vname}"),
            get: Box::new(move |f| match table.iter().find(|t| t.0 == f) {
                None => Avail::NotAvailable,
                Some(t) if !t.1.runs_under(level) => Avail::NotRunnable,
                Some(t) => Avail::Addr(t.2),
            }),
        });
    }
    let glibc_index = impls.len();
    impls.push(Impl {
        name: "glibc".into(),
        get: Box::new(move |f| {
            lookup(gh as *mut c_void, f).map_or(Avail::NotAvailable, Avail::Addr)
        }),
    });
    impls.push(Impl {
        name: "musl".into(),
        get: Box::new(move |f| {
            musl_fns
                .iter()
                .find(|m| m.0 == f)
                .map_or(Avail::NotAvailable, |m| Avail::Addr(m.1))
        }),
    });

    // What dispatch picks on this CPU (same rule as dispatch: the last
    // table entry that runs at the level; VICUNA_CPU may cap it).
    let dispatched: Vec<(&str, &str)> = tables
        .iter()
        .filter_map(|(f, vs)| {
            vs.iter()
                .rev()
                .find(|v| v.level.runs_under(level))
                .map(|v| (*f, v.name))
        })
        .collect();

    let (sizes, timing, alias_sizes, huge): (Vec<usize>, Timing, Vec<usize>, bool) = if args.quick {
        (
            vec![16, 4100],
            Timing {
                rounds: 3,
                block_ns: 20_000.0,
            },
            vec![8192],
            false,
        )
    } else {
        (
            vec![16, 132, 4100, 65536, 1 << 20],
            Timing {
                rounds: 41,
                block_ns: 300_000.0,
            },
            vec![2112, 8192, 65536, 262144, 1 << 20],
            true,
        )
    };
    let timing = Timing {
        rounds: args.rounds.unwrap_or(timing.rounds),
        block_ns: args.block_us.map_or(timing.block_ns, |u| u * 1000.0),
    };

    // The cases: every function x size x {aligned, misaligned}, then the
    // extra rows (64 MiB memcpy/memset, glibc bug 30994 for memcpy).
    let mut cases: Vec<(&'static Spec, usize, Placement)> = Vec::new();
    for f in FUNCTIONS {
        if args
            .only
            .as_ref()
            .is_some_and(|o| !o.iter().any(|x| x == f.name))
        {
            continue;
        }
        for &n in &sizes {
            for p in [Placement::Aligned, Placement::Misaligned] {
                cases.push((f, n, p));
            }
        }
        if f.name == "memcpy" {
            for &n in &alias_sizes {
                cases.push((f, n, Placement::PageAlias));
            }
        }
        if huge && (f.name == "memcpy" || f.name == "memset") {
            cases.push((f, 64 << 20, Placement::Aligned));
        }
    }

    let started = Instant::now();
    let mut rows = String::new();
    let mut wrong = 0;
    let mut last_fn = "";
    for (f, n, p) in &cases {
        if f.name != last_fn && !args.quick {
            eprintln!("[{:6.1}s] {}", started.elapsed().as_secs_f64(), f.name);
            last_fn = f.name;
        }
        let avail: Vec<Avail> = impls.iter().map(|i| (i.get)(f.name)).collect();
        let addrs: Vec<Option<usize>> = avail
            .iter()
            .map(|a| {
                if let Avail::Addr(x) = a {
                    Some(*x)
                } else {
                    None
                }
            })
            .collect();
        let mut case = spec::make_case(f, *n, *p);
        let res = measure::measure(f.shape, &mut case, &addrs, Some(glibc_index), &timing);
        drop(case);
        let cells: Vec<Cell> = avail
            .iter()
            .zip(res)
            .map(|(a, r)| match (a, r) {
                (Avail::NotAvailable, _) => Cell::NotAvailable,
                (Avail::NotRunnable, _) => Cell::NotRunnable,
                (Avail::Addr(_), Some(Ok(ns))) => Cell::Ns(ns),
                (Avail::Addr(_), Some(Err(e))) => Cell::Wrong(e),
                (Avail::Addr(_), None) => Cell::Wrong("not measured".into()),
            })
            .collect();
        for (i, c) in cells.iter().enumerate() {
            if let Cell::Wrong(e) = c {
                wrong += 1;
                eprintln!(
                    "WRONG: {} {} {} {}: {e}",
                    impls[i].name,
                    f.name,
                    n,
                    p.label()
                );
            }
        }
        let cells_json: Vec<String> = cells
            .iter()
            .map(|c| match c {
                Cell::Ns(ns) => format!("{ns:.3}"),
                Cell::NotAvailable => json_str("n/a"),
                Cell::NotRunnable => json_str("not runnable"),
                Cell::Wrong(e) => json_str(&format!("wrong: {e}")),
            })
            .collect();
        if !rows.is_empty() {
            rows.push_str(",\n");
        }
        let _ = write!(
            rows,
            "    {{\"func\": {}, \"size\": {n}, \"placement\": {}, \"cells\": [{}]}}",
            json_str(f.name),
            json_str(p.label()),
            cells_json.join(", ")
        );
    }
    let elapsed = started.elapsed().as_secs_f64();
    eprintln!("[{elapsed:6.1}s] done, {} cases", cases.len());

    let mut j = String::from("{\n");
    let _ = writeln!(
        j,
        "  \"mode\": {},",
        json_str(if args.quick { "quick" } else { "full" })
    );
    let _ = writeln!(j, "  \"cpu_level\": {},", json_str(level.name()));
    let cap = std::env::var("VICUNA_CPU").unwrap_or_default();
    let _ = writeln!(j, "  \"vicuna_cpu_env\": {},", json_str(&cap));
    let _ = writeln!(j, "  \"rounds\": {},", timing.rounds);
    let clock = if measure::WALL_CLOCK.load(std::sync::atomic::Ordering::Relaxed) {
        "wall"
    } else {
        "thread-cpu"
    };
    let _ = writeln!(j, "  \"clock\": {},", json_str(clock));
    let _ = writeln!(j, "  \"block_us\": {},", timing.block_ns / 1000.0);
    let _ = writeln!(j, "  \"seconds\": {elapsed:.1},");
    let names: Vec<String> = impls.iter().map(|i| json_str(&i.name)).collect();
    let _ = writeln!(j, "  \"impls\": [{}],", names.join(", "));
    let d: Vec<String> = dispatched
        .iter()
        .map(|(f, v)| format!("{}: {}", json_str(f), json_str(v)))
        .collect();
    let _ = writeln!(j, "  \"dispatched\": {{{}}},", d.join(", "));
    let fs: Vec<String> = FUNCTIONS
        .iter()
        .map(|f| {
            format!(
                "{{\"name\": {}, \"input\": {}}}",
                json_str(f.name),
                json_str(f.input)
            )
        })
        .collect();
    let _ = writeln!(j, "  \"functions\": [\n    {}\n  ],", fs.join(",\n    "));
    let _ = writeln!(j, "  \"rows\": [\n{rows}\n  ]\n}}");
    match &args.out {
        Some(p) => std::fs::write(p, j).unwrap_or_else(|e| {
            eprintln!("bench-strings: writing {}: {e}", p.display());
            std::process::exit(2)
        }),
        None => print!("{j}"),
    }
    if wrong > 0 {
        eprintln!("bench-strings: {wrong} wrong results");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_holds_the_kernel_tables() {
        let tables = kernel_tables();
        let memcpy = &tables
            .iter()
            .find(|t| t.0 == "memcpy")
            .expect("memcpy table")
            .1;
        assert_eq!(memcpy.len(), vicuna_kernels::string::MEMCPY.len());
        for (v, k) in memcpy.iter().zip(vicuna_kernels::string::MEMCPY) {
            assert_eq!(v.name, k.name);
            assert_eq!(v.addr, k.func as usize);
        }
        for (f, _) in &tables {
            assert!(spec::FUNCTIONS.iter().any(|s| s.name == *f), "{f}");
        }
    }

    #[test]
    fn musl_provides_every_function_when_present() {
        let m = musl::musl_functions();
        if std::path::Path::new("/usr/lib/x86_64-linux-musl/libc.a").exists() {
            assert_eq!(m.len(), spec::FUNCTIONS.len());
        }
        // A renamed musl routine runs and calls its renamed helpers
        // (musl_strstr -> musl_memchr/musl_memcmp/musl_strchr).
        if let Some(&(_, addr)) = m.iter().find(|f| f.0 == "strstr") {
            type F = unsafe extern "C" fn(*const c_char, *const c_char) -> *mut c_char;
            // SAFETY: `addr` is musl's strstr; both strings are NUL-terminated.
            let f: F = unsafe { std::mem::transmute::<usize, F>(addr) };
            let h = c"a haystack with a needle in it";
            // SAFETY: valid C strings.
            let r = unsafe { f(h.as_ptr(), c"needle".as_ptr()) };
            assert_eq!(r as usize - h.as_ptr() as usize, 18);
        }
    }
}
