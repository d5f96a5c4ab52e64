//! Ending the process: `exit` and its handlers, `quick_exit`, `_Exit`,
//! `abort`, `__stack_chk_fail`, `__assert_fail` (musl's src/exit and
//! src/env/__stack_chk_fail.c behaviour).
//!
//! `exit` runs, in order: the `atexit`/`__cxa_atexit` handlers, last
//! registered first (a handler may register more; they run next); the
//! program's `.fini_array` from last to first, then `_fini`; the stdio
//! flush hook; then `_Exit`. Registering never allocates with `malloc`: the
//! first 32 handlers live in a static block, further blocks of 32 come from
//! `mmap`.

use core::ffi::{c_char, c_int, c_void};

use super::lock::SpinLock;
use crate::sys;

/// A handler as `__cxa_atexit` takes it.
pub type Handler = unsafe extern "C" fn(*mut c_void);

/// Handlers per block (the static one and each mapped one).
pub const PER_BLOCK: usize = 32;

#[repr(C)]
struct Block {
    /// The block filled before this one.
    next: *mut Block,
    f: [Option<Handler>; PER_BLOCK],
    a: [*mut c_void; PER_BLOCK],
}

impl Block {
    const EMPTY: Block = Block { next: core::ptr::null_mut(), f: [None; PER_BLOCK], a: [core::ptr::null_mut(); PER_BLOCK] };
}

/// A zeroed block from `mmap` (never unmapped: handlers live until exit).
fn map_block() -> *mut Block {
    const PROT_READ_WRITE: usize = 0x1 | 0x2;
    const MAP_PRIVATE_ANONYMOUS: usize = 0x02 | 0x20;
    // SAFETY: an anonymous private mapping touches no existing memory.
    let r = unsafe {
        sys::syscall6(sys::nr::MMAP, 0, core::mem::size_of::<Block>(), PROT_READ_WRITE,
                      MAP_PRIVATE_ANONYMOUS, usize::MAX, 0)
    };
    // A zeroed block is an empty one: null `next`, `None` handlers.
    match crate::errno::Errno::from_ret(r) {
        Ok(addr) => addr as *mut Block,
        Err(_) => core::ptr::null_mut(),
    }
}

/// A handler could not be registered: no memory for another block, or the
/// handlers have already run.
#[derive(Debug, PartialEq, Eq)]
pub struct CannotRegister;

/// The registered exit handlers: a stack of blocks, the newest on top.
pub struct HandlerStack {
    /// The block being filled (null until the first registration; then it
    /// points at `builtin` or a mapped block).
    head: *mut Block,
    /// Used entries in `head`.
    slot: usize,
    /// Set once `exit` has run every handler: later registrations fail
    /// (they could never run).
    finished: bool,
    builtin: Block,
}

// SAFETY: the raw pointers are owned by the stack (into itself or into
// blocks it mapped); moving the stack between threads is fine.
unsafe impl Send for HandlerStack {}

impl Default for HandlerStack {
    fn default() -> Self {
        Self::new()
    }
}

impl HandlerStack {
    pub const fn new() -> HandlerStack {
        HandlerStack { head: core::ptr::null_mut(), slot: 0, finished: false, builtin: Block::EMPTY }
    }

    /// Registers `f(a)`. Fails when a new block cannot be mapped or the
    /// handlers have already run. The stack must not move once used.
    pub fn push(&mut self, f: Handler, a: *mut c_void) -> Result<(), CannotRegister> {
        if self.finished {
            return Err(CannotRegister);
        }
        if self.head.is_null() {
            self.head = &raw mut self.builtin;
            self.slot = 0;
        }
        if self.slot == PER_BLOCK {
            let b = map_block();
            if b.is_null() {
                return Err(CannotRegister);
            }
            // SAFETY: `b` is a fresh, zeroed, writable block.
            unsafe { (*b).next = self.head };
            self.head = b;
            self.slot = 0;
        }
        // SAFETY: `head` is `builtin` or a mapped block, both live, and
        // `slot < PER_BLOCK`.
        let h = unsafe { &mut *self.head };
        h.f[self.slot] = Some(f);
        h.a[self.slot] = a;
        self.slot += 1;
        Ok(())
    }

    /// Takes the most recently registered handler.
    pub fn pop(&mut self) -> Option<(Handler, *mut c_void)> {
        while !self.head.is_null() {
            // SAFETY: as in `push`.
            let h = unsafe { &*self.head };
            if self.slot > 0 {
                self.slot -= 1;
                return h.f[self.slot].map(|f| (f, h.a[self.slot]));
            }
            self.head = h.next;
            self.slot = PER_BLOCK;
        }
        None
    }
}

static EXIT_HANDLERS: SpinLock<HandlerStack> = SpinLock::new(HandlerStack::new());

/// Runs and removes every registered exit handler, newest first, without
/// holding the lock during a call (a handler may register another, which
/// then runs next). Afterwards registration fails.
pub fn run_exit_handlers() {
    loop {
        let next = {
            let mut g = EXIT_HANDLERS.lock();
            match g.pop() {
                Some(h) => h,
                None => {
                    g.finished = true;
                    return;
                }
            }
        };
        // SAFETY: the program registered `f` to be called with `a` at exit.
        unsafe { (next.0)(next.1) };
    }
}

/// `__cxa_atexit(3)`: 0 on success, -1 when out of memory (or after the
/// handlers have run). `dso` is ignored, as in musl (static programs only).
///
/// # Safety
/// `f` must be callable with `arg` at exit.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn __cxa_atexit(f: Handler, arg: *mut c_void, _dso: *mut c_void) -> c_int {
    match EXIT_HANDLERS.lock().push(f, arg) {
        Ok(()) => 0,
        Err(CannotRegister) => -1,
    }
}

/// Calls an `atexit` handler stored as `__cxa_atexit`'s argument.
unsafe extern "C" fn call_plain(p: *mut c_void) {
    // SAFETY: `atexit` stored a `extern "C" fn()` here.
    let f: extern "C" fn() = unsafe { core::mem::transmute(p) };
    f()
}

/// `atexit(3)`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn atexit(f: extern "C" fn()) -> c_int {
    // SAFETY: `call_plain` calls `f` back, which the caller registered.
    unsafe { __cxa_atexit(call_plain, f as *mut c_void, core::ptr::null_mut()) }
}

/// `__cxa_finalize(3)`: nothing to do in a static program (musl's is
/// empty too: handlers run at `exit`).
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn __cxa_finalize(_dso: *mut c_void) {}

/// `at_quick_exit` handlers: a fixed table of 32, as musl.
struct QuickHandlers {
    f: [Option<extern "C" fn()>; PER_BLOCK],
    count: usize,
}

static QUICK_HANDLERS: SpinLock<QuickHandlers> = SpinLock::new(QuickHandlers { f: [None; PER_BLOCK], count: 0 });

/// `at_quick_exit(3)`: 0, or -1 when 32 handlers are registered already.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn at_quick_exit(f: extern "C" fn()) -> c_int {
    let mut g = QUICK_HANDLERS.lock();
    if g.count == PER_BLOCK {
        return -1;
    }
    let n = g.count;
    g.f[n] = Some(f);
    g.count = n + 1;
    0
}

/// Runs the `at_quick_exit` handlers, newest first.
pub fn run_quick_exit_handlers() {
    loop {
        let f = {
            let mut g = QUICK_HANDLERS.lock();
            if g.count == 0 {
                return;
            }
            g.count -= 1;
            g.f[g.count]
        };
        if let Some(f) = f {
            f();
        }
    }
}

/// `_Exit(2)`: ends the process now (every thread).
#[allow(non_snake_case)]
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn _Exit(code: c_int) -> ! {
    sys::exit_group(code)
}

/// `exit(3)`.
#[cfg(all(feature = "runtime", not(test)))]
#[unsafe(no_mangle)]
pub extern "C" fn exit(code: c_int) -> ! {
    run_exit_handlers();
    super::start::run_fini();
    flush_stdio_at_exit();
    _Exit(code)
}

/// Where `exit` will flush and close stdio streams (after the `.fini_array`
/// destructors, as musl's `__stdio_exit`). vicuna has no stdio yet, so
/// there is nothing to flush.
#[cfg(all(feature = "runtime", not(test)))]
fn flush_stdio_at_exit() {}

/// `quick_exit(3)`: the `at_quick_exit` handlers, then `_Exit` (no `atexit`
/// handlers, no destructors, no stdio flush).
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn quick_exit(code: c_int) -> ! {
    run_quick_exit_handlers();
    _Exit(code)
}

/// `abort(3)` (see [`sys::abort`] for the sequence).
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn abort() -> ! {
    sys::abort()
}

/// `__stack_chk_fail`: a function's stack canary was overwritten. As musl:
/// crash at once (`SIGSEGV`), running nothing else.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn __stack_chk_fail() -> ! {
    sys::crash();
    sys::abort()
}

/// `__assert_fail`, called by `assert`: prints musl's message
/// `Assertion failed: EXPR (FILE: FUNC: LINE)` to fd 2, then aborts.
///
/// # Safety
/// Each string is null or NUL-terminated.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub unsafe extern "C" fn __assert_fail(expr: *const c_char, file: *const c_char, line: c_int, func: *const c_char) -> ! {
    use core::fmt::Write;
    let mut w = crate::diag::FdWriter::new(2);
    // SAFETY: the caller passes null or NUL-terminated strings.
    let (expr, file, func) = unsafe { (c_bytes(expr), c_bytes(file), c_bytes(func)) };
    w.write_bytes(b"Assertion failed: ");
    w.write_bytes(expr);
    w.write_bytes(b" (");
    w.write_bytes(file);
    w.write_bytes(b": ");
    w.write_bytes(func);
    let _ = writeln!(w, ": {line})");
    w.flush();
    sys::abort()
}

/// The bytes of a C string; `(null)` for a null pointer, as musl's printf
/// prints it.
///
/// # Safety
/// `s` is null or NUL-terminated and outlives the result.
unsafe fn c_bytes<'a>(s: *const c_char) -> &'a [u8] {
    if s.is_null() {
        return b"(null)";
    }
    let mut n = 0;
    // SAFETY: NUL-terminated, by the caller's guarantee.
    unsafe {
        while *s.add(n) != 0 {
            n += 1;
        }
        core::slice::from_raw_parts(s as *const u8, n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    static LOG: Mutex<Vec<usize>> = Mutex::new(Vec::new());

    unsafe extern "C" fn record(a: *mut c_void) {
        LOG.lock().unwrap().push(a as usize);
    }

    #[test]
    fn handlers_run_newest_first_across_blocks() {
        let mut s = Box::new(HandlerStack::new());
        for i in 0..100 {
            s.push(record, i as *mut c_void).unwrap();
        }
        let mut got = Vec::new();
        while let Some((f, a)) = s.pop() {
            assert_eq!(f as usize, record as Handler as usize);
            got.push(a as usize);
        }
        assert_eq!(got, (0..100).rev().collect::<Vec<_>>());
        assert!(s.pop().is_none());
    }

    #[test]
    fn registering_while_running_runs_next() {
        let mut s = Box::new(HandlerStack::new());
        for i in 0..40 {
            s.push(record, i as *mut c_void).unwrap();
        }
        let mut got = Vec::new();
        for _ in 0..5 {
            got.push(s.pop().unwrap().1 as usize);
        }
        // Registered "during" handler 35: runs right after it.
        s.push(record, 1000 as *mut c_void).unwrap();
        while let Some((_, a)) = s.pop() {
            got.push(a as usize);
        }
        let mut want: Vec<usize> = (35..40).rev().collect();
        want.push(1000);
        want.extend((0..35).rev());
        assert_eq!(got, want);
    }

    #[test]
    fn finished_stack_refuses() {
        let mut s = Box::new(HandlerStack::new());
        s.finished = true;
        assert!(s.push(record, core::ptr::null_mut()).is_err());
    }

    #[test]
    fn c_strings() {
        // SAFETY: null and a literal with its terminator.
        unsafe {
            assert_eq!(c_bytes(core::ptr::null()), b"(null)");
            assert_eq!(c_bytes(c"x == 1".as_ptr()), b"x == 1");
        }
    }
}
