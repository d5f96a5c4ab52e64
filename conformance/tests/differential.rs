//! The differential test driver (no libtest harness: it orchestrates child
//! processes so that a fault in one routine is reported, not fatal).
//!
//!  * parent: checks the registry against `libc.so`'s exports (an exported
//!    function without an entry FAILS), then runs children and collects
//!    their results into `target/conformance/differential.json`.
//!  * child `variants`: each kernel variant the CPU supports, called
//!    directly, against musl.
//!  * child `<level>` (one per level the CPU supports): `libc.so` opened
//!    with `VICUNA_CPU=<level>`, every exported function with an entry
//!    through its dispatched export, against musl; the child's
//!    `VICUNA_DIAGNOSTICS` output proves which variant ran.
//!
//! Environment: `VICUNA_CONFORMANCE_CASES` (random cases per function and
//! implementation, default 128; the deterministic sweep of every boundary
//! length at every alignment always runs), `VICUNA_CONFORMANCE_SEED`
//! (reproduce a run), `VICUNA_CONFORMANCE_ONLY` (comma-separated names),
//! `VICUNA_CONFORMANCE_VERBOSE=1` (a line per run, not per function),
//! `VICUNA_CONFORMANCE_GLIBC=1` (also report where the host glibc differs
//! from musl, as information), `VICUNA_REQUIRE_PRODUCTS=1` (fail instead of skipping the export tests
//! when `libc.so` is missing; set by scripts/test), `VICUNA_LIBC_SO`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::process::{Command, Stdio};

use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use vicuna_conformance::classes::{self, Env, Impl};
use vicuna_conformance::registry::{self, Entry};
use vicuna_conformance::{helpers, musl, vicuna};
use vicuna_kernels::Level;

const LEVELS: [Level; 5] = [Level::Generic, Level::Sse2, Level::Sse42, Level::Avx2, Level::Avx512];

fn hardware_level() -> Level {
    #[cfg(target_arch = "x86_64")]
    {
        vicuna_kernels::cpu::detect().level()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        Level::Generic
    }
}

fn supported_levels() -> Vec<Level> {
    let hw = hardware_level();
    LEVELS.into_iter().filter(|l| l.runs_under(hw)).collect()
}

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn only() -> Option<BTreeSet<String>> {
    std::env::var("VICUNA_CONFORMANCE_ONLY").ok().map(|v| v.split(',').map(str::to_string).collect())
}

/// Runs the sweep and the random cases of `entry` with `f` as the
/// implementation under test. Returns the number of cases.
fn property(entry: &Entry, f: usize, seed: u64, cases: u32) -> Result<usize, String> {
    let m = musl::lookup(entry.name).ok_or("no musl reference")?;
    let imp = Impl { f, m };
    let mut env = Env::new();
    let sweep = classes::sweep();
    for c in &sweep {
        env.reset(c);
        (entry.run)(c, &mut env, entry.cmp, imp).map_err(|msg| format!("{msg}; sweep case {c:?}"))?;
    }
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8..16].copy_from_slice(&(entry.name.len() as u64 ^ f as u64 & 0xfff).to_le_bytes());
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 4096, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let env = std::cell::RefCell::new(env);
    match runner.run(&classes::strategy(), |c| {
        let mut env = env.borrow_mut();
        env.reset(&c);
        (entry.run)(&c, &mut env, entry.cmp, imp).map_err(TestCaseError::fail)
    }) {
        Ok(()) => Ok(sweep.len() + cases as usize),
        Err(TestError::Fail(reason, c)) => Err(format!("{reason}; minimal case {c:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Child: prints `BEGIN name impl` before and `RESULT ok|FAIL name impl
/// cases detail` after each run, flushing, so a crash names its victim.
fn child(mode: &str) {
    let seed = env_num("VICUNA_CONFORMANCE_SEED", 1);
    let cases = env_num("VICUNA_CONFORMANCE_CASES", 128) as u32;
    let only = only();
    let entries = registry::entries();
    let wanted = |e: &Entry| only.as_ref().is_none_or(|o| o.contains(e.name));
    let mut out = std::io::stdout();
    let mut report = |name: &str, imp: &str, r: Result<usize, String>| {
        let line = match r {
            Ok(n) => format!("RESULT ok {name} {imp} {n} -"),
            Err(d) => format!("RESULT FAIL {name} {imp} 0 {}", d.replace('\n', " ")),
        };
        writeln!(out, "{line}").unwrap();
        out.flush().unwrap();
    };
    if mode == "variants" {
        let hw = hardware_level();
        for e in entries.iter().filter(|e| wanted(e)) {
            let Some(list) = e.variants else { continue };
            for (vname, level, f) in list() {
                if !level.runs_under(hw) {
                    continue;
                }
                let imp = format!("variant:{vname}");
                println!("BEGIN {} {imp}", e.name);
                std::io::stdout().flush().unwrap();
                report(e.name, &imp, property(e, f, seed, cases));
            }
        }
        return;
    }
    if mode == "selftest" || mode == "glibc" {
        // selftest: musl against itself, for every entry (exported or
        // not): the classes must be deterministic and stay inside their
        // buffers. glibc: the host's functions against musl, a check of
        // the dormant entries (glibc differs from musl in places).
        for e in entries.iter().filter(|e| wanted(e)) {
            let f = if mode == "glibc" {
                if e.name.ends_with("_l") {
                    continue; // glibc needs a real locale_t
                }
                let c = std::ffi::CString::new(e.name).unwrap();
                // SAFETY: dlsym with a valid C string.
                let p = unsafe { libc::dlsym(libc::RTLD_DEFAULT, c.as_ptr()) };
                if p.is_null() {
                    continue;
                }
                p as usize
            } else {
                musl::lookup(e.name).unwrap()
            };
            println!("BEGIN {} {mode}", e.name);
            std::io::stdout().flush().unwrap();
            report(e.name, mode, property(e, f, seed, cases.min(32)));
        }
        return;
    }
    let so = vicuna::libc_so();
    let lib = vicuna::Library::open(&so).unwrap_or_else(|m| panic!("{m}"));
    let exports: BTreeSet<String> = vicuna::exports(&so).unwrap().into_iter().collect();
    for e in entries.iter().filter(|e| wanted(e) && exports.contains(e.name)) {
        let f = lib.sym(e.name).expect("exported but not found by dlsym");
        let imp = format!("export@{mode}");
        println!("BEGIN {} {imp}", e.name);
        std::io::stdout().flush().unwrap();
        report(e.name, &imp, property(e, f, seed ^ 0x5555, cases));
    }
}

struct Run {
    name: String,
    imp: String,
    ok: bool,
    cases: usize,
    detail: String,
}

fn spawn(mode: &str, seed: u64) -> std::process::Child {
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.env("VICUNA_CONFORMANCE_CHILD", mode)
        .env("VICUNA_CONFORMANCE_SEED", seed.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !["variants", "selftest", "glibc"].contains(&mode) {
        cmd.env("VICUNA_CPU", mode).env("VICUNA_DIAGNOSTICS", "1");
    }
    cmd.spawn().expect("spawn child")
}

/// Collects a child's results; a child that died is a failure of the run
/// it had begun.
fn collect(mode: &str, child: std::process::Child, runs: &mut Vec<Run>) -> Result<String, String> {
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let mut begun: Option<(String, String)> = None;
    for line in stdout.lines() {
        let f: Vec<&str> = line.splitn(6, ' ').collect();
        match f[..] {
            ["BEGIN", name, imp] => begun = Some((name.into(), imp.into())),
            ["RESULT", ok, name, imp, cases, detail] => {
                begun = None;
                runs.push(Run {
                    name: name.into(),
                    imp: imp.into(),
                    ok: ok == "ok",
                    cases: cases.parse().unwrap_or(0),
                    detail: detail.into(),
                });
            }
            _ => {}
        }
    }
    if !out.status.success() {
        let what = format!("child {mode} died ({}); stderr: {}", out.status, stderr.trim_end());
        if let Some((name, imp)) = begun {
            runs.push(Run { name, imp, ok: false, cases: 0, detail: what.clone() });
        }
        return Err(what);
    }
    Ok(stderr)
}

/// One stateful family: scripts from its strategy, each run on stock musl
/// and with the overlay preloaded; transcripts must match.
fn helper_family(fam: &helpers::Family, overlay: &std::path::Path, seed: u64, cases: u32) -> Result<usize, String> {
    let exe = helpers::build(fam.program)?;
    if !overlay.exists() {
        return Err(format!("{} missing", overlay.display()));
    }
    helpers::check_interposed(&exe, overlay)?;
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    bytes[8] = 0x4d;
    let config = Config { cases, failure_persistence: None, max_shrink_iters: 512, ..Config::default() };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    match runner.run(&(fam.script)(), |script| {
        let m = helpers::run(&exe, &script, None).map_err(TestCaseError::fail)?;
        let v = helpers::run(&exe, &script, Some(overlay)).map_err(TestCaseError::fail)?;
        match helpers::first_difference(&v, &m) {
            None => Ok(()),
            Some(d) => Err(TestCaseError::fail(d)),
        }
    }) {
        Ok(()) => Ok(cases as usize),
        Err(TestError::Fail(reason, script)) => {
            Err(format!("{reason}; minimal script: {}", script.trim_end().replace('\n', "; ")))
        }
        Err(e) => Err(e.to_string()),
    }
}

fn json_str(s: &str) -> String {
    let mut o = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn json_list<'a>(v: impl IntoIterator<Item = &'a String>) -> String {
    format!("[{}]", v.into_iter().map(|s| json_str(s)).collect::<Vec<_>>().join(", "))
}

fn parent() -> i32 {
    let seed = env_num(
        "VICUNA_CONFORMANCE_SEED",
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64 & 0xffff_ffff,
    );
    println!("differential: seed {seed} (VICUNA_CONFORMANCE_SEED={seed} reproduces this run)");
    let mut problems: Vec<String> = Vec::new();
    let entries = registry::entries();
    let names: BTreeSet<&str> = entries.iter().map(|e| e.name).collect();

    // Every entry must have an in-process musl reference.
    for e in &entries {
        if !musl::in_process(e.name) {
            problems.push(format!("registry: {} has no in-process musl reference", e.name));
        }
    }
    if names.len() != entries.len() {
        problems.push("registry: duplicate names".into());
    }

    // Exports and the registry.
    let so = vicuna::libc_so();
    let require = std::env::var_os("VICUNA_REQUIRE_PRODUCTS").is_some();
    let exports: Vec<String> = if so.exists() {
        vicuna::exports(&so).unwrap_or_else(|m| {
            problems.push(m);
            Vec::new()
        })
    } else if require {
        problems.push(format!("{} missing (run scripts/build)", so.display()));
        Vec::new()
    } else {
        println!("differential: SKIPPING the export tests: {} missing (run scripts/build)", so.display());
        Vec::new()
    };
    let families = helpers::families();
    for (n, file) in registry::ELSEWHERE {
        if !std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(file).exists() {
            problems.push(format!("registry: {n} is said to be tested by {file}, which does not exist"));
        }
    }
    let exempt: BTreeSet<&str> = registry::ELSEWHERE
        .iter()
        .map(|(n, _)| *n)
        .chain(families.iter().flat_map(|f| f.names.iter().copied()))
        .collect();
    let missing: Vec<String> =
        exports.iter().filter(|n| !names.contains(n.as_str()) && !exempt.contains(n.as_str())).cloned().collect();
    for m in &missing {
        problems.push(format!("{m}: exported by libc.so but has no differential test (add it to conformance/src/registry.rs)"));
    }

    // Children: the variants, and one per level if libc.so is there.
    let levels = supported_levels();
    let mut children = vec![
        ("variants".to_string(), spawn("variants", seed)),
        ("selftest".to_string(), spawn("selftest", seed)),
    ];
    if std::env::var_os("VICUNA_CONFORMANCE_GLIBC").is_some() {
        children.push(("glibc".to_string(), spawn("glibc", seed)));
    }
    if !exports.is_empty() {
        for l in &levels {
            children.push((l.name().to_string(), spawn(l.name(), seed)));
        }
    }
    let mut runs = Vec::new();
    let mut chosen: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (mode, ch) in children {
        match collect(&mode, ch, &mut runs) {
            Err(m) => problems.push(m),
            Ok(stderr) if !["variants", "selftest", "glibc"].contains(&mode.as_str()) => {
                if !stderr.contains(&format!("vicuna: level.selected={mode}")) {
                    problems.push(format!("child {mode}: libc.so did not select level {mode}: {stderr}"));
                }
                for line in stderr.lines() {
                    if let Some((r, rest)) = line.strip_prefix("vicuna: ").and_then(|l| l.split_once(" -> ")) {
                        let v = rest.split_whitespace().next().unwrap_or("").to_string();
                        chosen.entry(r.to_string()).or_default().insert(mode.clone(), v);
                    }
                }
            }
            Ok(_) => {}
        }
    }
    // Stateful families: helper processes, stock musl against the overlay.
    let only = only();
    let helper_cases = (env_num("VICUNA_CONFORMANCE_CASES", 128) / 4).max(8) as u32;
    for fam in &families {
        let names: Vec<&str> = fam
            .names
            .iter()
            .copied()
            .filter(|n| exports.iter().any(|e| e == n) && only.as_ref().is_none_or(|o| o.contains(*n)))
            .collect();
        if names.is_empty() {
            continue;
        }
        let overlay = so.with_file_name("libvicuna-preload.so");
        let result = helper_family(fam, &overlay, seed, helper_cases);
        for n in &names {
            let (ok, cases, detail) = match &result {
                Ok(c) => (true, *c, "-".to_string()),
                Err(d) => (false, 0, d.clone()),
            };
            runs.push(Run { name: n.to_string(), imp: format!("helper:{}", fam.program), ok, cases, detail });
        }
    }

    let helper_names: BTreeSet<&str> = families.iter().flat_map(|f| f.names.iter().copied()).collect();
    let exported_tested: BTreeSet<&String> = exports
        .iter()
        .filter(|n| names.contains(n.as_str()) || helper_names.contains(n.as_str()))
        .filter(|n| only.as_ref().is_none_or(|o| o.contains(*n)))
        .collect();
    for n in &exported_tested {
        if helper_names.contains(n.as_str()) {
            continue;
        }
        for l in &levels {
            if !runs.iter().any(|r| &r.name == *n && r.imp == format!("export@{}", l.name())) {
                problems.push(format!("{n}: no result under VICUNA_CPU={}", l.name()));
            }
        }
    }

    // Report.
    let mut mismatches = 0;
    let mut selftest_failures = 0;
    let mut cases = 0;
    let verbose = std::env::var_os("VICUNA_CONFORMANCE_VERBOSE").is_some();
    let mut passed: BTreeMap<&str, Vec<(String, usize)>> = BTreeMap::new();
    for r in &runs {
        let via = r
            .imp
            .strip_prefix("export@")
            .and_then(|m| chosen.get(&r.name).and_then(|c| c.get(m)))
            .map(|v| format!(" (variant {v})"))
            .unwrap_or_default();
        if r.imp == "glibc" {
            let verdict = if r.ok { "agrees" } else { "differs" };
            println!("info glibc's {} {verdict} with musl's: {}", r.name, r.detail);
            continue;
        }
        if r.ok {
            if verbose {
                println!("ok   {} [{}{via}] {} cases", r.name, r.imp, r.cases);
            }
            let imp = if r.imp.starts_with("export@") { format!("{}{via}", r.imp) } else { r.imp.clone() };
            passed.entry(r.name.as_str()).or_default().push((imp, r.cases));
            cases += r.cases;
        } else {
            if r.imp == "selftest" {
                selftest_failures += 1;
            } else {
                mismatches += 1;
            }
            println!("FAIL {} [{}{via}]: {}", r.name, r.imp, r.detail);
        }
    }
    if !verbose {
        // One line per function: every implementation that agreed.
        for (name, imps) in &passed {
            let n: usize = imps.iter().map(|(_, c)| c).sum();
            let list: Vec<&str> = imps.iter().map(|(i, _)| i.as_str()).collect();
            println!("ok   {name}: {n} cases, {}", list.join(", "));
        }
    }
    for p in &problems {
        println!("FAIL {p}");
    }
    let real = |r: &&Run| ["export@", "variant:", "helper:"].iter().any(|p| r.imp.starts_with(p));
    let failed_names: BTreeSet<&String> = runs.iter().filter(real).filter(|r| !r.ok).map(|r| &r.name).collect();
    let tested: BTreeSet<&String> =
        runs.iter().filter(real).map(|r| &r.name).filter(|n| !failed_names.contains(n)).collect();
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/conformance");
    std::fs::create_dir_all(&dir).unwrap();
    let json = format!(
        "{{\n  \"seed\": {seed},\n  \"elsewhere\": {},\n  \"levels\": {},\n  \"exported\": {},\n  \"registered\": {},\n  \"tested\": {},\n  \"untested_exports\": {},\n  \"failed\": {},\n  \"runs\": {},\n  \"cases\": {cases},\n  \"mismatches\": {mismatches},\n  \"problems\": {}\n}}\n",
        json_list(
            &registry::ELSEWHERE
                .iter()
                .filter(|(n, _)| exports.iter().any(|e| e == n))
                .map(|(n, f)| format!("{n} ({f})"))
                .collect::<Vec<_>>()
        ),
        json_list(&levels.iter().map(|l| l.name().to_string()).collect::<Vec<_>>()),
        json_list(&exports),
        json_list(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        json_list(tested.iter().copied()),
        json_list(&missing),
        json_list(failed_names.iter().copied()),
        runs.len(),
        json_list(&problems),
    );
    std::fs::write(dir.join("differential.json"), json).unwrap();
    println!(
        "differential: {} exported, {} with differential tests here (+{} by C programs, registry::ELSEWHERE), {} runs ({} cases), {} mismatches, {} other problems",
        exports.len(),
        exported_tested.len(),
        registry::ELSEWHERE.iter().filter(|(n, _)| exports.iter().any(|e| e == n)).count(),
        runs.len(),
        cases,
        mismatches,
        problems.len()
    );
    i32::from(mismatches > 0 || selftest_failures > 0 || !problems.is_empty())
}

fn main() {
    if let Ok(mode) = std::env::var("VICUNA_CONFORMANCE_CHILD") {
        child(&mode);
        return;
    }
    std::process::exit(parent());
}
