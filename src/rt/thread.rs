//! The thread structure. There is one per thread (only the main thread
//! exists so far); the thread pointer register locates it, and compiled
//! code reads two of its fields directly, so their offsets are ABI:
//!
//! | offset (x86_64) | field | who reads it |
//! |---|---|---|
//! | 0x00 | `self_ptr`: the structure's own address | `%fs:0` (TLS variant II code computing addresses) |
//! | 0x08 | `dtv`: dynamic thread vector (null until `dlopen` exists) | `__tls_get_addr`, later |
//! | 0x10, 0x18 | `prev`, `next`: the thread list (self-linked for the main thread) | pthreads, later |
//! | 0x20 | `sysinfo`: reserved (musl keeps `AT_SYSINFO` here) | — |
//! | 0x28 | `canary`: the stack-protector value | `%fs:0x28` (gcc/clang `-fstack-protector`) |
//! | 0x30 | `tid` | `raise` |
//! | 0x34 | `errno_val` | `__errno_location` |
//! | 0x38 | `exit_futex`: the kernel's `clear_child_tid` word | the kernel |
//!
//! On x86_64 (TLS variant II) the thread pointer (`%fs` base) is the
//! structure's address and the static TLS block lies just below it. On
//! aarch64 (variant I) `TPIDR_EL0` points just past the structure and the
//! TLS block starts at `TPIDR_EL0 + 16` (rounded up to its alignment); the
//! canary there is read from the global `__stack_chk_guard`, not from the
//! thread. See [`super::tls`] for the block placement.

use core::ffi::c_int;
use core::mem::offset_of;

/// One thread's control block.
#[repr(C)]
pub struct Thread {
    pub self_ptr: *mut Thread,
    pub dtv: *mut usize,
    pub prev: *mut Thread,
    pub next: *mut Thread,
    pub sysinfo: usize,
    pub canary: usize,
    pub tid: c_int,
    pub errno_val: c_int,
    pub exit_futex: c_int,
    _pad: c_int,
}

// The fields compiled code depends on (see the module documentation).
const _: () = assert!(offset_of!(Thread, self_ptr) == 0);
#[cfg(target_pointer_width = "64")]
const _: () = assert!(offset_of!(Thread, canary) == 0x28);
const _: () = assert!(core::mem::size_of::<Thread>().is_multiple_of(16));

impl Thread {
    /// A thread structure with every field empty, to be placed with
    /// [`Thread::init_at`].
    pub const EMPTY: Thread = Thread {
        self_ptr: core::ptr::null_mut(),
        dtv: core::ptr::null_mut(),
        prev: core::ptr::null_mut(),
        next: core::ptr::null_mut(),
        sysinfo: 0,
        canary: 0,
        tid: 0,
        errno_val: 0,
        exit_futex: 0,
        _pad: 0,
    };

    /// Writes an empty, self-linked structure to `at`.
    ///
    /// # Safety
    /// `at` is valid for writing a `Thread` and suitably aligned.
    pub unsafe fn init_at(at: *mut Thread) {
        // SAFETY: the caller guarantees `at` is writable and aligned.
        unsafe {
            at.write(Thread::EMPTY);
            (*at).self_ptr = at;
            (*at).prev = at;
            (*at).next = at;
        }
    }
}

/// Makes `tp` the calling thread's thread pointer.
///
/// # Safety
/// `tp` must be laid out as [`super::tls`] places it and stay valid for
/// the thread's life; every TLS access and `errno` go through it afterwards.
#[cfg(all(feature = "runtime", not(test)))]
pub unsafe fn set_thread_pointer(tp: usize) -> Result<(), crate::errno::Errno> {
    #[cfg(target_arch = "x86_64")]
    {
        const ARCH_SET_FS: usize = 0x1002;
        // SAFETY: arch_prctl only sets the %fs base; the caller vouches for tp.
        let r = unsafe { crate::sys::syscall2(crate::sys::nr::ARCH_PRCTL, ARCH_SET_FS, tp) };
        crate::errno::Errno::from_ret(r).map(|_| ())
    }
    // aarch64: untested here (no aarch64 Rust target); TPIDR_EL0 is
    // writable from user mode.
    #[cfg(target_arch = "aarch64")]
    {
        // SAFETY: writes the thread-pointer register only.
        unsafe { core::arch::asm!("msr tpidr_el0, {0}", in(reg) tp, options(nostack, preserves_flags)) };
        Ok(())
    }
}

/// The calling thread's structure.
#[cfg(all(feature = "runtime", not(test)))]
#[inline(always)]
pub fn current() -> *mut Thread {
    #[cfg(target_arch = "x86_64")]
    {
        let p: *mut Thread;
        // SAFETY: start-up sets %fs before any other code of the program
        // runs, and %fs:0 holds the structure's own address.
        unsafe {
            core::arch::asm!("mov {0}, qword ptr fs:[0]", out(reg) p,
                             options(nostack, readonly, preserves_flags, pure))
        };
        p
    }
    #[cfg(target_arch = "aarch64")]
    {
        let tp: usize;
        // SAFETY: reads the thread-pointer register, set at start-up to
        // just past the thread structure.
        unsafe {
            core::arch::asm!("mrs {0}, tpidr_el0", out(reg) tp,
                             options(nostack, nomem, preserves_flags, pure))
        };
        (tp - core::mem::size_of::<Thread>()) as *mut Thread
    }
}

/// Where the calling thread's `errno` lives.
#[cfg(all(feature = "runtime", not(test)))]
#[inline(always)]
pub fn errno_location() -> *mut c_int {
    // SAFETY: `current` is the calling thread's live structure; taking a
    // field's address does not access it.
    unsafe { &raw mut (*current()).errno_val }
}

/// `__errno_location()`: the address of the calling thread's `errno`.
#[cfg(all(feature = "runtime", not(test)))]
#[unsafe(no_mangle)]
pub extern "C" fn __errno_location() -> *mut c_int {
    errno_location()
}
