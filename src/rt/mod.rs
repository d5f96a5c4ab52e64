//! The standalone runtime (cargo feature `runtime`): what a program linked
//! against vicuna's `libc.a` alone needs around `main` — start-up, the main
//! thread's structure and static TLS, `errno`, `exit` and its handlers,
//! the environment, the auxiliary vector and a first set of system-call
//! wrappers. ARCHITECTURE.md ("Runtime") describes the layouts and the
//! start-up order.
//!
//! Everything here follows musl 1.2.3's behaviour and ABI. The exported C
//! entry points exist only in `runtime` builds (`scripts/build` makes them
//! into `target/release/standalone/libc.a`); the default products never
//! contain them, because they cannot be mixed with musl's own start-up.
//! The pure parts (TLS layout, environment lookup, the handler lists) are
//! also compiled for `cargo test`, which checks them against the host.

pub mod auxv;
pub mod env;
pub mod exit;
pub mod lock;
#[cfg(target_arch = "x86_64")]
pub mod posix;
#[cfg(all(feature = "runtime", not(test)))]
mod start;
pub mod thread;
pub mod tls;
pub mod unistd;
