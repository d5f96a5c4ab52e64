//! `__libc_start_main`: what runs between the start file's `_start` and
//! `main` (and, from `exit`, after it). ARCHITECTURE.md ("Runtime") lists
//! the order.

use core::ffi::{c_char, c_int};
use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use super::auxv::{self, AT_EGID, AT_EUID, AT_EXECFN, AT_GID, AT_PHDR, AT_PHNUM, AT_RANDOM, AT_SECURE, AT_UID};
use super::thread::{self, Thread};
use super::tls::{self, Image, Phdr, Plan};
use crate::sys::{self, nr};

type MainFn = unsafe extern "C" fn(c_int, *mut *mut c_char, *mut *mut c_char) -> c_int;
type VoidFn = unsafe extern "C" fn();

unsafe extern "C" {
    // src/rt/data.c
    static mut __environ: *mut *mut c_char;
    static mut __progname: *mut c_char;
    static mut __progname_full: *mut c_char;
    static mut __stack_chk_guard: usize;
    fn __vicuna_rt_arrays(out: *mut [*const VoidFn; 4]);
    fn __vicuna_rt_dynamic() -> usize;
}

/// The program's `_fini`, as `crt1` passed it; `exit` calls it last.
static FINI: AtomicUsize = AtomicUsize::new(0);

/// Room for the main thread's structure and a small TLS block, so that
/// most programs need no `mmap` at start-up.
#[repr(C, align(64))]
struct BuiltinTls(core::cell::UnsafeCell<[u8; 1024]>);
// SAFETY: used once, by start-up, before any other thread exists.
unsafe impl Sync for BuiltinTls {}
static BUILTIN_TLS: BuiltinTls = BuiltinTls(core::cell::UnsafeCell::new([0; 1024]));

/// The entry point `crt1.o`, `Scrt1.o` and `rcrt1.o` call (musl's
/// signature; `init` is `_init`, `fini` is `_fini`, the last argument is
/// unused).
///
/// # Safety
/// Called once, by the start file, with the kernel's `argc`/`argv` (the
/// environment and auxiliary vector follow `argv` on the stack).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn __libc_start_main(
    main: MainFn,
    argc: c_int,
    argv: *mut *mut c_char,
    init: Option<VoidFn>,
    fini: Option<VoidFn>,
    _ldso: Option<VoidFn>,
) -> c_int {
    // SAFETY: the kernel's layout: argv[argc] is null and envp follows.
    let envp = unsafe { argv.add(argc as usize + 1) };
    // SAFETY: as above; argv[0] is the name or, with argc 0, null.
    unsafe { init_libc(envp, *argv) };
    FINI.store(fini.map_or(0, |f| f as usize), Relaxed);
    // SAFETY: the libc is initialised; the program's code may run.
    unsafe { stage2(main, argc, argv, envp, init) }
}

/// Everything that needs no program code: environment, auxiliary vector,
/// privilege check, program name, thread pointer and TLS, canary, standard
/// descriptors.
///
/// The environment, the vector and the privilege verdict come first and
/// without any call to a dispatched routine (no large local to zero, no
/// copies): the first such call fixes the dispatch level, which reads
/// `VICUNA_CPU` and `AT_SECURE` through them.
///
/// # Safety
/// As for `__libc_start_main`.
#[inline(never)]
unsafe fn init_libc(envp: *mut *mut c_char, argv0: *mut c_char) {
    // SAFETY: envp is null-terminated and the auxiliary vector follows it,
    // ended by AT_NULL; __environ is written only here.
    unsafe {
        __environ = envp;
        let mut n = 0;
        while !(*envp.add(n)).is_null() {
            n += 1;
        }
        auxv::save(envp.add(n + 1) as *mut usize);
    }
    let at = |ty| auxv::get(ty).unwrap_or(0);
    let secure = !(at(AT_UID) == at(AT_EUID) && at(AT_GID) == at(AT_EGID) && at(AT_SECURE) == 0);
    auxv::set_secure(secure);

    // SAFETY: argv[0] and AT_EXECFN are null or NUL-terminated strings that
    // live as long as the process; the name objects are written only here.
    unsafe {
        let mut name = argv0;
        if name.is_null() {
            name = at(AT_EXECFN) as *mut c_char;
        }
        if name.is_null() {
            static EMPTY: u8 = 0;
            name = &raw const EMPTY as *mut c_char;
        }
        __progname_full = name;
        __progname = name;
        let mut i = 0;
        while *name.add(i) != 0 {
            if *name.add(i) == b'/' as c_char {
                __progname = name.add(i + 1);
            }
            i += 1;
        }
    }

    // SAFETY: AT_PHDR/AT_PHNUM describe the program's mapped headers.
    unsafe { init_main_thread(at(AT_PHDR), at(AT_PHNUM)) };
    // SAFETY: AT_RANDOM is null or 16 readable random bytes.
    unsafe { init_canary(at(AT_RANDOM)) };
    if secure {
        reopen_standard_fds();
    }
}

/// Places the main thread's structure and TLS block, copies the TLS image
/// and installs the thread pointer.
///
/// # Safety
/// `phdr` is 0 or the address of `phnum` mapped program headers.
unsafe fn init_main_thread(phdr: usize, phnum: usize) {
    let phdrs: &[Phdr] = if phdr == 0 {
        &[]
    } else {
        // SAFETY: the kernel maps the headers it points at.
        unsafe { core::slice::from_raw_parts(phdr as *const Phdr, phnum) }
    };
    // SAFETY: returns an address; no preconditions.
    let dynamic = unsafe { __vicuna_rt_dynamic() };
    let image = tls::find(phdrs, phdr, dynamic).unwrap_or(Image { addr: 0, filesz: 0, memsz: 0, align: 1 });
    let (size, align) = (core::mem::size_of::<Thread>(), 16);
    #[cfg(target_arch = "x86_64")]
    let plan = Plan::variant_two(image, size, align);
    #[cfg(target_arch = "aarch64")]
    let plan = Plan::variant_one(image, size, align);

    let base = if plan.size <= core::mem::size_of::<BuiltinTls>() {
        BUILTIN_TLS.0.get() as usize
    } else {
        const PROT_READ_WRITE: usize = 0x3;
        const MAP_PRIVATE_ANONYMOUS: usize = 0x22;
        // SAFETY: a fresh anonymous mapping.
        let r = unsafe { sys::syscall6(nr::MMAP, 0, plan.size, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, usize::MAX, 0) };
        match crate::errno::Errno::from_ret(r) {
            Ok(a) => a,
            Err(_) => fail(),
        }
    };
    let at = plan.place(base);
    // SAFETY: the plan keeps the block and the structure inside the region
    // (`plan.size` bytes at `base`, ours alone) and apart; the image is the
    // program's mapped PT_TLS segment.
    unsafe {
        tls::fill(at.block as *mut u8, &image);
        let t = at.thread as *mut Thread;
        Thread::init_at(t);
        (*t).tid = sys::syscall1(nr::SET_TID_ADDRESS, &raw mut (*t).exit_futex as usize) as c_int;
        if thread::set_thread_pointer(at.tp).is_err() {
            fail();
        }
    }
}

/// Seeds the stack-protector value from `AT_RANDOM` (or, without it, from
/// an address), with its second byte zeroed as musl does on 64-bit
/// targets: a string overflow then cannot reproduce it.
///
/// # Safety
/// `random` is 0 or the address of at least 8 readable bytes; the thread
/// pointer is installed.
unsafe fn init_canary(random: usize) {
    // SAFETY: as documented; the guard is written only here.
    unsafe {
        let mut g = if random != 0 {
            (random as *const usize).read_unaligned()
        } else {
            (&raw const __stack_chk_guard as usize).wrapping_mul(1103515245)
        };
        g &= !0xff00;
        __stack_chk_guard = g;
        (*thread::current()).canary = g;
    }
}

/// In a privileged process, makes sure descriptors 0, 1 and 2 are open
/// (on `/dev/null`) so that files it opens cannot become its standard
/// streams.
fn reopen_standard_fds() {
    #[repr(C)]
    struct PollFd {
        fd: c_int,
        events: i16,
        revents: i16,
    }
    const POLLNVAL: i16 = 0x20;
    const AT_FDCWD: isize = -100;
    const O_RDWR: usize = 2;
    let mut fds = [0, 1, 2].map(|fd| PollFd { fd, events: 0, revents: 0 });
    let timeout = [0i64; 2];
    // SAFETY: three pollfds and a zero timespec, alive across the call.
    unsafe { sys::syscall5(nr::PPOLL, fds.as_mut_ptr() as usize, 3, timeout.as_ptr() as usize, 0, 8) };
    for p in &fds {
        if p.revents & POLLNVAL != 0 {
            // SAFETY: a NUL-terminated path.
            let r = unsafe {
                sys::syscall4(nr::OPENAT, AT_FDCWD as usize, c"/dev/null".as_ptr() as usize, O_RDWR, 0)
            };
            if r < 0 {
                fail();
            }
        }
    }
}

/// Start-up cannot go on: crash as musl does.
fn fail() -> ! {
    sys::crash();
    sys::exit_group(127)
}

/// The part that runs program code: dispatch slots, `_init`, the
/// `.init_array` constructors, `main`, `exit`.
///
/// # Safety
/// `init_libc` has run.
#[inline(never)]
unsafe fn stage2(main: MainFn, argc: c_int, argv: *mut *mut c_char, envp: *mut *mut c_char, init: Option<VoidFn>) -> ! {
    crate::dispatch::init();
    // SAFETY: the program's own initialisers, in the order musl runs them.
    unsafe {
        if let Some(f) = init {
            f();
        }
        let [start, end, _, _] = arrays();
        let mut p = start;
        while p < end {
            (*p)();
            p = p.add(1);
        }
        super::exit::exit(main(argc, argv, envp))
    }
}

/// Bounds of `.init_array` and `.fini_array`.
fn arrays() -> [*const VoidFn; 4] {
    let mut out = [core::ptr::null(); 4];
    // SAFETY: writes four pointers to `out`.
    unsafe { __vicuna_rt_arrays(&mut out) };
    out
}

/// `exit`'s part after the handlers: `.fini_array` last to first, then
/// `_fini`.
pub fn run_fini() {
    let [_, _, start, end] = arrays();
    let mut p = end;
    // SAFETY: the program's destructors, each called once, in reverse.
    unsafe {
        while p > start {
            p = p.sub(1);
            (*p)();
        }
        let fini = FINI.load(Relaxed);
        if fini != 0 {
            let f: VoidFn = core::mem::transmute(fini);
            f();
        }
    }
}
