//! Finding `vicuna-kernels`' variant tables in its source (used by
//! build.rs, which includes this file, and tested here).

use std::fs;
use std::path::{Path, PathBuf};

pub fn rs_files(dir: &Path, acc: &mut Vec<PathBuf>) {
    let Ok(rd) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, acc);
        } else if p.extension().is_some_and(|e| e == "rs") {
            acc.push(p);
        }
    }
}

/// `pub const NAME: &[Variant<..>]`, also `&'static [..]`, a path before
/// `Variant`, or `pub static`.
pub fn table_names(text: &str) -> Vec<String> {
    let mut names = Vec::new();
    for line in text.lines() {
        let l = line.trim_start();
        let rest = l
            .strip_prefix("pub const ")
            .or_else(|| l.strip_prefix("pub static "));
        let Some(rest) = rest else { continue };
        let Some((name, ty)) = rest.split_once(':') else {
            continue;
        };
        let ty = ty.trim_start();
        let is_table = ty.starts_with('&')
            && ty.split_once('[').is_some_and(|(_, el)| {
                el.trim_start().starts_with("Variant<") || el.contains("::Variant<")
            });
        if is_table
            && name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        {
            names.push(name.trim().to_string());
        }
    }
    names
}

/// Module path segments of a file under `src/` (`string/foo.rs` ->
/// `["string", "foo"]`, `string/mod.rs` -> `["string"]`).
pub fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap();
    let mut segs: Vec<String> = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(segs.last().map(String::as_str), Some("mod" | "lib")) {
        segs.pop();
    }
    segs
}

/// The file that declares module `segs`.
fn module_file(src: &Path, segs: &[String]) -> Option<PathBuf> {
    if segs.is_empty() {
        return Some(src.join("lib.rs"));
    }
    let base = segs.iter().fold(src.to_path_buf(), |p, s| p.join(s));
    let a = base.with_extension("rs");
    let b = base.join("mod.rs");
    if a.exists() {
        Some(a)
    } else if b.exists() {
        Some(b)
    } else {
        None
    }
}

fn declares_pub_mod(text: &str, name: &str) -> bool {
    text.lines()
        .any(|l| l.trim() == format!("pub mod {name};") || l.trim() == format!("pub mod {name} {{"))
}

/// A path from outside the crate to `name` defined in module `segs`.
pub fn public_path(src: &Path, segs: &[String], name: &str) -> Option<String> {
    let all_public = (0..segs.len()).all(|i| {
        module_file(src, &segs[..i])
            .and_then(|f| fs::read_to_string(f).ok())
            .is_some_and(|t| declares_pub_mod(&t, &segs[i]))
    });
    if all_public {
        return Some(format!("vicuna_kernels::{}::{name}", segs.join("::")));
    }
    // A table in a private submodule of `string` re-exported from it.
    if segs.len() >= 2 && segs[0] == "string" {
        let text = fs::read_to_string(module_file(src, &segs[..1])?).ok()?;
        let sub = &segs[1];
        // `pub use sub::*;`, `pub use sub::NAME;`, `pub use sub::{.., NAME, ..};`
        // (statements may span lines).
        let reexported = text.split(';').any(|stmt| {
            let stmt = stmt.trim();
            let Some(body) = stmt.strip_prefix("pub use ") else {
                return false;
            };
            let Some(rest) = body.trim_start().strip_prefix(&format!("{sub}::")) else {
                return false;
            };
            rest.trim() == "*"
                || rest
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .any(|w| w == name)
        });
        if reexported {
            return Some(format!("vicuna_kernels::string::{name}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "vicuna-scan-{}-{}",
            std::process::id(),
            files.len()
        ));
        let _ = fs::remove_dir_all(&dir);
        for (p, text) in files {
            let p = dir.join(p);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn finds_table_declarations() {
        let t = "pub const MEMCPY: &[Variant<MemcpyFn>] = table!(MemcpyFn, memcpy);\n\
                 pub const STRCHR: &'static [Variant<StrchrFn>] = &[];\n\
                 pub static WCSLEN: &[crate::Variant<WcslenFn>] = &[];\n\
                 pub const LIMIT: usize = 3;\n\
                 const PRIVATE: &[Variant<F>] = &[];\n";
        assert_eq!(table_names(t), vec!["MEMCPY", "STRCHR", "WCSLEN"]);
    }

    #[test]
    fn paths_follow_public_modules_and_reexports() {
        let src = tree(&[
            ("lib.rs", "pub mod string;\n"),
            (
                "string/mod.rs",
                "pub mod wide;\nmod chr;\npub use chr::*;\nmod hidden;\nmod cmp;\n\
                 pub use cmp::{\n    STRCMP,\n    STRNCMP_X,\n};\n",
            ),
            ("string/cmp.rs", ""),
            ("string/wide.rs", ""),
            ("string/chr.rs", ""),
            ("string/hidden.rs", ""),
        ]);
        let mut files = Vec::new();
        rs_files(&src, &mut files);
        assert_eq!(files.len(), 6);
        let m = |p: &str| module_of(&src, &src.join(p));
        assert_eq!(
            public_path(&src, &m("string/mod.rs"), "MEMCPY").unwrap(),
            "vicuna_kernels::string::MEMCPY"
        );
        assert_eq!(
            public_path(&src, &m("string/wide.rs"), "WCSLEN").unwrap(),
            "vicuna_kernels::string::wide::WCSLEN"
        );
        assert_eq!(
            public_path(&src, &m("string/chr.rs"), "STRCHR").unwrap(),
            "vicuna_kernels::string::STRCHR"
        );
        assert_eq!(public_path(&src, &m("string/hidden.rs"), "STRSTR"), None);
        assert_eq!(
            public_path(&src, &m("string/cmp.rs"), "STRCMP").unwrap(),
            "vicuna_kernels::string::STRCMP"
        );
        assert_eq!(public_path(&src, &m("string/cmp.rs"), "STRNCMP"), None);
        let _ = fs::remove_dir_all(&src);
    }
}
