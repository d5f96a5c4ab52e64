//! Signals: `sigaction` (with the `SA_RESTORER` trampoline and musl's
//! `struct sigaction` converted to the kernel's), `signal`,
//! `sigprocmask`, the `sigset_t` operations, `sigsuspend`, `alarm`,
//! `pause`, `sleep`, `usleep`, and the tail of `sigsetjmp`.

use core::ffi::{c_int, c_uint, c_ulong, c_void};
use core::sync::atomic::{AtomicBool, Ordering};

use super::{arg, int_ret, nr};
use crate::errno::{Errno, set_errno};
use crate::sys::{syscall0, syscall2, syscall3, syscall4};

/// `_NSIG / 8`: the kernel's signal-set size.
const SET_BYTES: usize = 8;
const SA_RESTORER: c_ulong = 0x0400_0000;
const SA_RESTART: c_int = 0x1000_0000;
const SIG_BLOCK: c_int = 0;
const SIG_SETMASK: usize = 2;
const SIG_UNBLOCK: usize = 1;
/// Signals 32..34, which musl keeps for itself: `sigfillset` leaves them
/// out, `sigprocmask` hides them from the old mask, `sigaction` and
/// `sigaddset` refuse them.
const RESERVED: u64 = 0x3_8000_0000;

/// musl's `struct sigaction` on x86_64 (152 bytes; see
/// abi/src/musl_types.rs).
#[repr(C)]
pub struct Sigaction {
    handler: usize,
    mask: [u64; 16],
    flags: c_int,
    restorer: usize,
}

/// The kernel's `struct sigaction` on x86_64 (musl's `k_sigaction`).
#[repr(C)]
struct KSigaction {
    handler: usize,
    flags: c_ulong,
    restorer: usize,
    mask: u64,
}

#[cfg(all(feature = "runtime", not(test)))]
unsafe extern "C" {
    /// `rt_sigreturn` trampoline (src/rt/posix.c).
    fn __vicuna_restore_rt();
}

/// The address of the signal-return trampoline (none in unit tests, which
/// do not link the C shims and never install handlers through this).
fn restorer() -> usize {
    #[cfg(all(feature = "runtime", not(test)))]
    return __vicuna_restore_rt as *const () as usize;
    #[cfg(not(all(feature = "runtime", not(test))))]
    0
}

/// Whether the first handler has unblocked musl's two implementation
/// signals (33, 34), as musl does once in a single-threaded process.
static UNMASKED: AtomicBool = AtomicBool::new(false);

/// An invalid signal number for `sigaction`: outside 1..64 or one of
/// musl's reserved 32..34.
fn bad_signal(sig: c_int) -> bool {
    (sig as c_uint).wrapping_sub(32) < 3 || (sig as c_uint).wrapping_sub(1) >= 64
}

/// `sigaction(2)`.
///
/// # Safety
/// `sa` and `old` are null or point to `struct sigaction`s; the handler
/// is the caller's to vouch for.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigaction(sig: c_int, sa: *const Sigaction, old: *mut Sigaction) -> c_int {
    if bad_signal(sig) {
        set_errno(Errno::EINVAL);
        return -1;
    }
    let mut ksa = KSigaction { handler: 0, flags: 0, restorer: 0, mask: 0 };
    let mut kold = KSigaction { handler: 0, flags: 0, restorer: 0, mask: 0 };
    // SAFETY: the caller vouches for `sa`.
    if let Some(sa) = unsafe { sa.as_ref() } {
        if sa.handler > 1 && !UNMASKED.swap(true, Ordering::Relaxed) {
            let set: u64 = 3 << 32;
            // SAFETY: an 8-byte set that outlives the call.
            unsafe { syscall4(nr::RT_SIGPROCMASK, SIG_UNBLOCK, &set as *const u64 as usize, 0, SET_BYTES) };
        }
        ksa.handler = sa.handler;
        ksa.flags = sa.flags as c_uint as c_ulong | SA_RESTORER;
        ksa.restorer = restorer();
        ksa.mask = sa.mask[0];
    }
    let new = if sa.is_null() { 0 } else { &ksa as *const KSigaction as usize };
    let oldp = if old.is_null() { 0 } else { &mut kold as *mut KSigaction as usize };
    // SAFETY: both structures are the kernel's layout and outlive the call.
    let r = unsafe { syscall4(nr::RT_SIGACTION, arg(sig), new, oldp, SET_BYTES) };
    // SAFETY: the caller vouches for `old`.
    if let (0, Some(old)) = (r, unsafe { old.as_mut() }) {
        old.handler = kold.handler;
        old.flags = kold.flags as c_int;
        old.mask[0] = kold.mask;
    }
    int_ret(r)
}

/// `signal(3)`: `sigaction` with `SA_RESTART` and an empty mask; returns
/// the previous handler, or `SIG_ERR` (-1).
///
/// # Safety
/// The handler is the caller's to vouch for.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn signal(sig: c_int, handler: usize) -> usize {
    let sa = Sigaction { handler, mask: [0; 16], flags: SA_RESTART, restorer: 0 };
    let mut old = Sigaction { handler: 0, mask: [0; 16], flags: 0, restorer: 0 };
    // SAFETY: both structures are valid.
    if unsafe { sigaction(sig, &sa, &mut old) } < 0 {
        return !0;
    }
    old.handler
}

/// `sigprocmask(2)`: `EINVAL` for an unknown `how` (only when `set` is
/// given); the old mask never shows signals 32..34.
///
/// # Safety
/// `set` and `old` are null or point to `sigset_t`s.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigprocmask(how: c_int, set: *const u64, old: *mut u64) -> c_int {
    if !set.is_null() && (how as c_uint).wrapping_sub(SIG_BLOCK as c_uint) > 2 {
        set_errno(Errno::EINVAL);
        return -1;
    }
    // SAFETY: the caller vouches for the sets (8 bytes used of each).
    let r = unsafe { syscall4(nr::RT_SIGPROCMASK, arg(how), set as usize, old as usize, SET_BYTES) };
    if r == 0 && !old.is_null() {
        // SAFETY: as above.
        unsafe { *old &= !RESERVED };
    }
    int_ret(r)
}

/// `sigemptyset(3)` (clears the 64 bits the kernel uses, as musl).
///
/// # Safety
/// `set` points to a `sigset_t`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigemptyset(set: *mut u64) -> c_int {
    // SAFETY: the caller vouches for the set.
    unsafe { *set = 0 };
    0
}

/// `sigfillset(3)`: every signal but 32..34.
///
/// # Safety
/// `set` points to a `sigset_t`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigfillset(set: *mut u64) -> c_int {
    // SAFETY: the caller vouches for the set.
    unsafe { *set = !RESERVED };
    0
}

/// `sigaddset(3)`: `EINVAL` outside 1..64 and for 32..34.
///
/// # Safety
/// `set` points to a `sigset_t`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigaddset(set: *mut u64, sig: c_int) -> c_int {
    if bad_signal(sig) {
        set_errno(Errno::EINVAL);
        return -1;
    }
    // SAFETY: the caller vouches for the set.
    unsafe { *set |= 1 << (sig - 1) };
    0
}

/// `sigdelset(3)`: `EINVAL` outside 1..64 and for 32..34.
///
/// # Safety
/// `set` points to a `sigset_t`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigdelset(set: *mut u64, sig: c_int) -> c_int {
    if bad_signal(sig) {
        set_errno(Errno::EINVAL);
        return -1;
    }
    // SAFETY: the caller vouches for the set.
    unsafe { *set &= !(1 << (sig - 1)) };
    0
}

/// `sigismember(3)`: 0 (no error) outside 1..64.
///
/// # Safety
/// `set` points to a `sigset_t`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigismember(set: *const u64, sig: c_int) -> c_int {
    let s = (sig as c_uint).wrapping_sub(1);
    if s >= 64 {
        return 0;
    }
    // SAFETY: the caller vouches for the set.
    (unsafe { *set } >> s & 1) as c_int
}

/// `sigsuspend(2)`: always -1 (`EINTR` once a handler has run).
///
/// # Safety
/// `mask` points to a `sigset_t`; handlers run.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn sigsuspend(mask: *const u64) -> c_int {
    // SAFETY: the kernel reads 8 bytes of the caller's set.
    int_ret(unsafe { syscall2(nr::RT_SIGSUSPEND, mask as usize, SET_BYTES) })
}

/// `pause(2)`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn pause() -> c_int {
    // SAFETY: no arguments.
    int_ret(unsafe { syscall0(nr::PAUSE) })
}

/// `alarm(2)` through `setitimer(ITIMER_REAL)`: the seconds left of the
/// previous alarm, rounded up when microseconds remain.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn alarm(seconds: c_uint) -> c_uint {
    let new: [i64; 4] = [0, 0, seconds as i64, 0];
    let mut old = [0i64; 4];
    // SAFETY: two `struct itimerval`s (interval, value).
    unsafe { syscall3(nr::SETITIMER, 0, new.as_ptr() as usize, old.as_mut_ptr() as usize) };
    (old[2] + (old[3] != 0) as i64) as c_uint
}

/// `nanosleep` for `CLOCK_REALTIME`: the kernel result.
fn nanosleep(ts: &mut [i64; 2]) -> isize {
    // SAFETY: `ts` is a `struct timespec`, used as request and remainder.
    unsafe { syscall2(nr::NANOSLEEP, ts.as_ptr() as usize, ts.as_mut_ptr() as usize) }
}

/// `sleep(3)`: 0, or the whole seconds left when a signal interrupted it
/// (`errno` then `EINTR`, as musl's `nanosleep` leaves it).
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn sleep(seconds: c_uint) -> c_uint {
    let mut ts = [seconds as i64, 0];
    if int_ret(nanosleep(&mut ts)) != 0 { ts[0] as c_uint } else { 0 }
}

/// `usleep(3)`: 0, or -1 with `errno` (`EINTR`, or `EINVAL`).
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn usleep(us: c_uint) -> c_int {
    let mut ts = [(us / 1_000_000) as i64, (us % 1_000_000) as i64 * 1000];
    int_ret(nanosleep(&mut ts))
}

/// The tail of `sigsetjmp(env, 1)` (src/rt/posix.c), reached on both of
/// its returns: 0 saves the signal mask into `env->__ss`, non-zero (the
/// value of a `longjmp`) restores it. Returns `ret`.
///
/// # Safety
/// `env` is a `sigjmp_buf`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn __vicuna_sigsetjmp_tail(env: *mut c_void, ret: c_int) -> c_int {
    // SAFETY: `__ss` is at offset 72 of the 200-byte `sigjmp_buf`.
    let ss = unsafe { env.cast::<u8>().add(72) } as usize;
    // SAFETY: 8 bytes of `__ss` are read or written.
    unsafe {
        if ret != 0 {
            syscall4(nr::RT_SIGPROCMASK, SIG_SETMASK, ss, 0, SET_BYTES);
        } else {
            syscall4(nr::RT_SIGPROCMASK, SIG_SETMASK, 0, ss, SET_BYTES);
        }
    }
    ret
}
