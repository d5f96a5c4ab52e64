//! Run-time CPU dispatch without IFUNC.
//!
//! Every dispatched routine is reached through one slot: an atomic function
//! pointer that starts out pointing at the routine's resolver. The first
//! call, whoever makes it and however early, runs the resolver, which picks
//! the variant, stores it in the slot and calls it; every later call is one
//! load and one indirect jump. A constructor in `.init_array` fills all
//! slots eagerly, and the standalone start-up will do the same.
//!
//! The level is the hardware's (cpuid/xgetbv on x86_64, `AT_HWCAP` on
//! aarch64), capped by `VICUNA_CPU=generic|sse2|sse4.2|avx2|avx512` unless
//! the process is `AT_SECURE`.

use core::sync::atomic::{AtomicU8, Ordering::Relaxed};

use vicuna_kernels::cpu::CpuInfo;
use vicuna_kernels::{Level, Variant, variant};

use crate::platform;

/// What `VICUNA_CPU` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cap {
    /// Not set.
    Unset,
    /// Set to a known level and applied (it may be above the hardware's,
    /// in which case the hardware level stands).
    Applied(Level),
    /// Set, but the process is `AT_SECURE`, so ignored.
    IgnoredSecure,
    /// Set to something that is not a level name; ignored.
    Invalid,
}

/// The outcome of CPU detection and the cap.
#[derive(Clone, Copy, Debug)]
pub struct Selection {
    pub cpu: CpuInfo,
    pub cap: Cap,
    /// The level variants are chosen for.
    pub level: Level,
}

/// Reads the processor and the environment. Cheap, but not free: the
/// result's level is cached by [`level`].
pub fn select() -> Selection {
    let cpu = detect_cpu();
    let cap = read_cap(platform::getenv(b"VICUNA_CPU"), platform::is_secure());
    Selection { cpu, cap, level: apply_cap(cpu.level(), cap) }
}

/// Interprets a `VICUNA_CPU` value; privileged processes ignore it.
pub fn read_cap(value: Option<&[u8]>, secure: bool) -> Cap {
    match value {
        None => Cap::Unset,
        Some(_) if secure => Cap::IgnoredSecure,
        Some(v) => Level::parse(v).map_or(Cap::Invalid, Cap::Applied),
    }
}

/// The level to dispatch for: the cap when it lies at or below the hardware
/// level on the same architecture, else the hardware level.
pub fn apply_cap(hardware: Level, cap: Cap) -> Level {
    match cap {
        Cap::Applied(l) if l.runs_under(hardware) => l,
        _ => hardware,
    }
}

#[cfg(target_arch = "x86_64")]
fn detect_cpu() -> CpuInfo {
    vicuna_kernels::cpu::detect()
}

#[cfg(target_arch = "aarch64")]
fn detect_cpu() -> CpuInfo {
    vicuna_kernels::cpu::from_hwcap(
        platform::auxval(platform::AT_HWCAP),
        platform::auxval(platform::AT_HWCAP2),
    )
}

/// No level cached yet.
const UNKNOWN: u8 = u8::MAX;
static LEVEL: AtomicU8 = AtomicU8::new(UNKNOWN);

/// The dispatch level, computed once. Racing first calls compute the same
/// value, so no lock is needed.
pub fn level() -> Level {
    if let Some(l) = Level::from_u8(LEVEL.load(Relaxed)) {
        return l;
    }
    let s = select();
    vicuna_kernels::tuning::configure(&s.cpu.caches);
    vicuna_kernels::tuning::configure_features(s.cpu.features);
    LEVEL.store(s.level as u8, Relaxed);
    s.level
}

/// The variant of `table` that runs at the dispatch level.
pub fn choose<F: Copy>(table: &'static [Variant<F>]) -> &'static Variant<F> {
    variant::best(table, level())
}

/// One dispatched routine, as diagnostics and the eager fill see it.
pub struct Routine {
    pub name: &'static str,
    /// Resolves the slot now (idempotent) and names the variant in it.
    pub resolve: fn() -> &'static str,
    /// Names of all variants, lowest level first.
    pub variants: fn() -> &'static [&'static str],
}

/// Defines dispatched C entry points. For each routine it generates a slot
/// holding the current implementation, a resolver that is the slot's first
/// value, and the exported function, which only loads the slot and calls
/// through it (compiled to a load and a tail jump).
macro_rules! dispatched {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $table:path; )*) => {
        $(
            mod $name {
                use super::*;
                use core::sync::atomic::{AtomicPtr, Ordering::Relaxed};

                pub(super) type Fn = unsafe extern "C" fn($($ty),*) -> $ret;

                /// The current implementation. Only ever holds values of
                /// type `Fn`: `resolve`, or an entry of the table.
                pub(super) static SLOT: AtomicPtr<()> = AtomicPtr::new(resolve as Fn as *mut ());

                /// Picks the variant and installs it.
                pub(super) fn install() -> &'static vicuna_kernels::Variant<Fn> {
                    // Park the portable variant in the slot first: should
                    // selection itself call this routine (a compiler-made
                    // memcpy, say), the call completes instead of recursing.
                    SLOT.store($table[0].func as *mut (), Relaxed);
                    let v = $crate::dispatch::choose($table);
                    SLOT.store(v.func as *mut (), Relaxed);
                    v
                }

                /// The slot's first value.
                unsafe extern "C" fn resolve($($arg: $ty),*) -> $ret {
                    let f = install().func;
                    // SAFETY: same signature and contract as the caller's.
                    unsafe { f($($arg),*) }
                }

                pub(super) fn resolve_now() -> &'static str {
                    install().name
                }

                pub(super) fn variants() -> &'static [&'static str] {
                    const N: usize = $table.len();
                    const NAMES: [&str; N] = {
                        let mut names = [""; N];
                        let mut i = 0;
                        while i < N {
                            names[i] = $table[i].name;
                            i += 1;
                        }
                        names
                    };
                    &NAMES
                }
            }

            $(#[$doc])*
            ///
            /// # Safety
            /// As the C function of the same name.
            #[cfg_attr(not(test), unsafe(no_mangle))]
            pub unsafe extern "C" fn $name($($arg: $ty),*) -> $ret {
                // SAFETY: the slot only ever holds functions of type
                // `$name::Fn` (see `SLOT`), so the transmute restores the
                // pointer's real type.
                let f: $name::Fn = unsafe { core::mem::transmute($name::SLOT.load(core::sync::atomic::Ordering::Relaxed)) };
                // SAFETY: every implementation has this function's contract,
                // which the caller upholds.
                unsafe { f($($arg),*) }
            }
        )*

        /// Every routine this module dispatches.
        pub static ROUTINES: &[$crate::dispatch::Routine] = &[
            $( $crate::dispatch::Routine {
                name: stringify!($name),
                resolve: $name::resolve_now,
                variants: $name::variants,
            }, )*
        ];
    };
}
pub(crate) use dispatched;

/// Every family of dispatched routines (each `dispatched!` invocation's
/// `ROUTINES`).
pub static ROUTINE_SETS: &[&[Routine]] = &[
    crate::string::mem::ROUTINES,
    crate::string::compare::ROUTINES,
    crate::string::copy::ROUTINES,
    crate::string::search::ROUTINES,
    crate::string::wide::ROUTINES,
];

/// Every dispatched routine.
pub fn routines() -> impl Iterator<Item = &'static Routine> {
    ROUTINE_SETS.iter().flat_map(|set| set.iter())
}

/// Fills every slot now, and prints diagnostics when `VICUNA_DIAGNOSTICS`
/// asks for them.
pub fn init() {
    for r in routines() {
        (r.resolve)();
    }
    let asked = platform::getenv(b"VICUNA_DIAGNOSTICS").is_some_and(|v| !v.is_empty() && v != b"0");
    if asked && !platform::is_secure() {
        crate::diag::print();
    }
}

/// Runs [`init`] when the library is loaded (the overlay, and `libc.a`
/// under musl's start-up), before `main`. The standalone runtime calls
/// [`init`] from `__libc_start_main` instead.
#[cfg(not(any(test, feature = "runtime")))]
#[used]
#[unsafe(link_section = ".init_array")]
static INIT: extern "C" fn() = {
    extern "C" fn run() {
        init()
    }
    run
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_only_lowers() {
        assert_eq!(apply_cap(Level::Avx2, Cap::Unset), Level::Avx2);
        assert_eq!(apply_cap(Level::Avx2, Cap::Applied(Level::Sse2)), Level::Sse2);
        assert_eq!(apply_cap(Level::Avx2, Cap::Applied(Level::Generic)), Level::Generic);
        assert_eq!(apply_cap(Level::Avx2, Cap::Applied(Level::Avx512)), Level::Avx2);
        assert_eq!(apply_cap(Level::Avx512, Cap::Applied(Level::Neon)), Level::Avx512);
        assert_eq!(apply_cap(Level::Avx512, Cap::IgnoredSecure), Level::Avx512);
        assert_eq!(apply_cap(Level::Avx512, Cap::Invalid), Level::Avx512);
    }

    #[test]
    fn secure_processes_ignore_the_cap() {
        assert_eq!(read_cap(Some(b"sse2"), true), Cap::IgnoredSecure);
        assert_eq!(read_cap(Some(b"sse2"), false), Cap::Applied(Level::Sse2));
        assert_eq!(read_cap(Some(b"sse4.2"), false), Cap::Applied(Level::Sse42));
        assert_eq!(read_cap(Some(b"AVX2"), false), Cap::Invalid);
        assert_eq!(read_cap(None, true), Cap::Unset);
    }

    #[test]
    fn selection_reads_the_environment() {
        // SAFETY: the tests in this crate that read VICUNA_CPU run here only.
        unsafe { std::env::set_var("VICUNA_CPU", "sse2") };
        let s = select();
        assert_eq!(s.cap, Cap::Applied(Level::Sse2));
        assert_eq!(s.level, Level::Sse2.min(s.cpu.level()));
        // SAFETY: as above.
        unsafe { std::env::set_var("VICUNA_CPU", "bogus") };
        assert_eq!(select().cap, Cap::Invalid);
        unsafe { std::env::remove_var("VICUNA_CPU") };
        let s = select();
        assert_eq!(s.cap, Cap::Unset);
        assert_eq!(s.level, s.cpu.level());
    }
}
