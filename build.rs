//! Compiles what stable Rust cannot express: the C start files
//! (`crt1.o`, `Scrt1.o`, `rcrt1.o`, `crti.o`, `crtn.o`) for the target
//! architecture. They are not linked into the staticlib; `scripts/build`
//! picks them up from `$OUT_DIR/crt/` and installs them beside `libc.a`.

use std::path::{Path, PathBuf};
use std::{env, fs};

fn compile(arch_dir: &Path, source: &str, pic: bool) -> PathBuf {
    let mut b = cc::Build::new();
    b.file(source)
        .include(arch_dir)
        .pic(pic)
        .opt_level(2)
        .warnings(true)
        // The start files run before TLS and the stack canary exist, and
        // must not call back into the library for memcpy/memset.
        .flag("-fno-stack-protector")
        .flag("-ffreestanding")
        .flag("-fno-builtin")
        .flag("-fno-asynchronous-unwind-tables");
    let objs = b.compile_intermediates();
    assert_eq!(objs.len(), 1, "{source}: expected one object");
    objs.into_iter().next().unwrap()
}

fn main() {
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap();
    let out = PathBuf::from(env::var("OUT_DIR").unwrap()).join("crt");
    fs::create_dir_all(&out).unwrap();
    let arch_dir = PathBuf::from("arch").join(&arch);
    let products = [
        ("crt1.o", "src/crt/crt1.c".to_string(), false),
        ("Scrt1.o", "src/crt/crt1.c".to_string(), true),
        ("rcrt1.o", "src/crt/rcrt1.c".to_string(), true),
        ("crti.o", format!("arch/{arch}/crti.s"), false),
        ("crtn.o", format!("arch/{arch}/crtn.s"), false),
    ];
    for (name, source, pic) in products {
        // Each object needs its own cc::Build run; keep their intermediate
        // files apart.
        let obj = compile(&arch_dir, &source, pic);
        fs::copy(&obj, out.join(name)).unwrap();
        println!("cargo:rerun-if-changed={source}");
    }
    println!("cargo:rerun-if-changed=arch/{arch}/crt_arch.h");

    // The standalone runtime's data objects (aliases, weak references),
    // linked into the staticlib.
    if env::var_os("CARGO_FEATURE_RUNTIME").is_some() {
        let mut b = cc::Build::new();
        b.file("src/rt/data.c");
        // The POSIX wrappers (src/rt/posix/) exist for x86_64 only.
        if arch == "x86_64" {
            b.file("src/rt/posix.c");
        }
        b.pic(true)
            .opt_level(2)
            .warnings(true)
            .flag("-fno-stack-protector")
            .flag("-ffreestanding")
            .flag("-fno-asynchronous-unwind-tables")
            .compile("vicuna_rt");
    }
    println!("cargo:rerun-if-changed=src/rt/data.c");
    println!("cargo:rerun-if-changed=src/rt/posix.c");
    println!("cargo:rerun-if-changed=build.rs");
}
