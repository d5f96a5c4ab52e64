//! Builds the reference: stock musl 1.2.3's own code, callable beside
//! vicuna's in one test process under the names `musl_<name>`.
//!
//! 1. `objcopy --prefix-symbols=musl_` renames every symbol of Debian's
//!    `libc.a`, defined and undefined alike, so musl's `strstr` becomes
//!    `musl_strstr` and calls `musl_memchr` (`_GLOBAL_OFFSET_TABLE_` is
//!    renamed back: the linker owns it).
//! 2. `ld -r` links `shim.c` ahead of the renamed archive with `-u musl_X`
//!    for every name musl exports from the directories in `REF_DIRS`, and
//!    so pulls in exactly their closure. The shim maps musl's errno onto
//!    the test process's errno. Any undefined `musl_*` symbol left fails
//!    the build.
//! 3. The disassembly (with relocations) of the result tells which
//!    functions reach musl's thread pointer (`%fs`, other than the stack
//!    canary at `%fs:0x28`, which glibc keeps at the same place): those
//!    read musl's thread structure (locale, errno) and must not be called
//!    in a glibc process; the registry tests them in musl helper processes
//!    instead. The list goes to `musl_ref.rs` as `TP_DEPENDENT`.
//! 4. `musl_ref.rs` also declares every root and gives `lookup(name)`.
use std::collections::{BTreeMap, BTreeSet};
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// musl source directories whose exported functions are linked as the
/// in-process reference. Add a directory here when vicuna grows into it.
const REF_DIRS: &[&str] = &["src/string", "src/ctype"];

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    if !out.status.success() {
        panic!("{cmd:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    }
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let musl_a = env::var("VICUNA_MUSL_LIBC_A").unwrap_or_else(|_| "/usr/lib/x86_64-linux-musl/libc.a".into());
    let groups = manifest.join("../abi/musl-1.2.3-symbols-grouped.tsv");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=shim.c");
    println!("cargo:rerun-if-changed={}", groups.display());
    println!("cargo:rerun-if-changed={musl_a}");
    println!("cargo:rerun-if-env-changed=VICUNA_MUSL_LIBC_A");
    if !Path::new(&musl_a).exists() {
        panic!("{musl_a} not found: install Debian's musl-dev (scripts/setup does)");
    }

    // 1. Rename.
    let prefixed = out.join("musl-prefixed.a");
    let renamed = out.join("musl-renamed.a");
    run(Command::new("objcopy").arg("--prefix-symbols=musl_").arg(&musl_a).arg(&prefixed));
    run(Command::new("objcopy")
        .arg("--redefine-sym=musl__GLOBAL_OFFSET_TABLE_=_GLOBAL_OFFSET_TABLE_")
        .arg(&prefixed)
        .arg(&renamed));

    // 2. The roots and their closure.
    let mut roots = BTreeSet::new();
    for line in fs::read_to_string(&groups).unwrap().lines().skip(1) {
        let c: Vec<&str> = line.split('\t').collect();
        if c.len() > 5 && c[2] == "FUNC" && REF_DIRS.contains(&c[5]) {
            roots.insert(c[0].to_string());
        }
    }
    let shim = cc::Build::new().file("shim.c").opt_level(2).compile_intermediates();
    let reference = out.join("musl_ref.o");
    let mut ld = Command::new("ld");
    ld.arg("-r").arg("-o").arg(&reference);
    for r in &roots {
        ld.arg("-u").arg(format!("musl_{r}"));
    }
    ld.args(&shim).arg(&renamed);
    run(&mut ld);
    let nm = run(Command::new("nm").arg("-u").arg(&reference));
    let unresolved: Vec<&str> =
        nm.split_whitespace().filter(|s| s.starts_with("musl_")).collect();
    if !unresolved.is_empty() {
        panic!("the musl reference has unresolved symbols: {unresolved:?}");
    }
    let defined = run(Command::new("nm").arg("--defined-only").arg(&reference));
    let defined: BTreeSet<&str> =
        defined.lines().filter_map(|l| l.split_whitespace().nth(2)).collect();
    for r in &roots {
        assert!(defined.contains(format!("musl_{r}").as_str()), "musl_{r} missing from the reference");
    }
    let lib = out.join("libmusl_ref.a");
    let _ = fs::remove_file(&lib);
    run(Command::new("ar").arg("crs").arg(&lib).arg(&reference));

    // 3. Which functions reach the thread pointer, directly or by calls.
    let dis = run(Command::new("objdump").arg("-dr").arg("--no-show-raw-insn").arg(&reference));
    let mut calls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut tp: BTreeSet<String> = BTreeSet::new();
    let mut current = String::new();
    for line in dis.lines() {
        if let Some(name) = line.strip_suffix(">:").and_then(|l| l.split_once(" <")).map(|(_, n)| n) {
            current = name.to_string();
            calls.entry(current.clone()).or_default();
            continue;
        }
        if current.is_empty() {
            continue;
        }
        if line.contains("%fs:") && !line.contains("%fs:0x28") {
            tp.insert(current.clone());
        }
        if let Some(pos) = line.find("R_X86_64_")
            && let Some(target) = line[pos..].split_whitespace().nth(1) {
                let target = target.split(['+', '-']).next().unwrap_or("");
                if target.starts_with("musl_") {
                    calls.get_mut(&current).unwrap().insert(target.to_string());
                }
            }
    }
    loop {
        let more: Vec<String> = calls
            .iter()
            .filter(|(f, cs)| !tp.contains(*f) && cs.iter().any(|c| tp.contains(c)))
            .map(|(f, _)| f.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        tp.extend(more);
    }

    // 4. Declarations and lookup.
    let mut rs = String::from("// Generated by build.rs: the musl_* reference functions.\n");
    rs.push_str("unsafe extern \"C\" {\n");
    for r in &roots {
        rs.push_str(&format!("    fn musl_{r}();\n"));
    }
    rs.push_str("}\n\n/// The address of musl's `name`, if it is in the reference.\npub fn lookup(name: &str) -> Option<usize> {\n    match name {\n");
    for r in &roots {
        rs.push_str(&format!("        {r:?} => Some(musl_{r} as *const () as usize),\n"));
    }
    rs.push_str("        _ => None,\n    }\n}\n\n/// Every function linked in (the roots).\npub const ROOTS: &[&str] = &[\n");
    for r in &roots {
        rs.push_str(&format!("    {r:?},\n"));
    }
    rs.push_str("];\n\n/// Roots whose code reaches musl's thread pointer: not callable in a\n/// glibc process.\npub const TP_DEPENDENT: &[&str] = &[\n");
    for r in &roots {
        if tp.contains(&format!("musl_{r}")) {
            rs.push_str(&format!("    {r:?},\n"));
        }
    }
    rs.push_str("];\n");
    fs::write(out.join("musl_ref.rs"), rs).unwrap();

    println!("cargo:rustc-link-search=native={}", out.display());
    println!("cargo:rustc-link-lib=static=musl_ref");
}
