//! `sysconf(3)` with musl 1.2.3's answers: fixed values for most names,
//! resource limits for `_SC_CHILD_MAX`/`_SC_OPEN_MAX`, the CPU affinity
//! mask for the processor counts, `sysinfo` for the page counts. Names
//! outside musl's table (or gaps in it) are `EINVAL`.

use core::ffi::{c_int, c_long};

use super::{PAGE_SIZE, nr};
use crate::errno::{Errno, set_errno};
use crate::sys::{syscall2, syscall3};

/// How a name's value is found.
#[derive(Clone, Copy)]
enum V {
    /// A constant (-1: no limit / unsupported).
    N(c_long),
    /// `_POSIX_VERSION` (200809).
    Ver,
    /// The soft limit of this `RLIMIT_*`; -1 when unlimited.
    Rlim(usize),
    /// The number of CPUs in the affinity mask.
    Cpus,
    /// Total (true) or available (false) physical pages.
    Pages(bool),
}

const VER: Option<V> = Some(V::Ver);
const fn n(v: c_long) -> Option<V> {
    Some(V::N(v))
}

/// Indexed by the `_SC_*` number (musl's `<unistd.h>`, 0..=248).
const TABLE: [Option<V>; 249] = {
    let mut t: [Option<V>; 249] = [None; 249];
    t[0] = n(131072); // ARG_MAX
    t[1] = Some(V::Rlim(6)); // CHILD_MAX: RLIMIT_NPROC
    t[2] = n(100); // CLK_TCK
    t[3] = n(32); // NGROUPS_MAX
    t[4] = Some(V::Rlim(7)); // OPEN_MAX: RLIMIT_NOFILE
    t[5] = n(-1); // STREAM_MAX
    t[6] = n(6); // TZNAME_MAX
    t[7] = n(1); // JOB_CONTROL
    t[8] = n(1); // SAVED_IDS
    t[9] = VER; // REALTIME_SIGNALS
    t[10] = n(-1); // PRIORITY_SCHEDULING
    t[11] = VER; // TIMERS
    t[12] = VER; // ASYNCHRONOUS_IO
    t[13] = n(-1); // PRIORITIZED_IO
    t[14] = n(-1); // SYNCHRONIZED_IO
    t[15] = VER; // FSYNC
    t[16] = VER; // MAPPED_FILES
    t[17] = VER; // MEMLOCK
    t[18] = VER; // MEMLOCK_RANGE
    t[19] = VER; // MEMORY_PROTECTION
    t[20] = VER; // MESSAGE_PASSING
    t[21] = VER; // SEMAPHORES
    t[22] = VER; // SHARED_MEMORY_OBJECTS
    t[23] = n(-1); // AIO_LISTIO_MAX
    t[24] = n(-1); // AIO_MAX
    t[25] = n(0); // AIO_PRIO_DELTA_MAX
    t[26] = n(0x7fff_ffff); // DELAYTIMER_MAX
    t[27] = n(-1); // MQ_OPEN_MAX
    t[28] = n(32768); // MQ_PRIO_MAX
    t[29] = VER; // VERSION
    t[30] = n(PAGE_SIZE as c_long); // PAGE_SIZE
    t[31] = n(30); // RTSIG_MAX: _NSIG - 1 - 31 - 3
    t[32] = n(256); // SEM_NSEMS_MAX
    t[33] = n(0x7fff_ffff); // SEM_VALUE_MAX
    t[34] = n(-1); // SIGQUEUE_MAX
    t[35] = n(-1); // TIMER_MAX
    t[36] = n(99); // BC_BASE_MAX
    t[37] = n(2048); // BC_DIM_MAX
    t[38] = n(99); // BC_SCALE_MAX
    t[39] = n(1000); // BC_STRING_MAX
    t[40] = n(2); // COLL_WEIGHTS_MAX
    t[42] = n(-1); // EXPR_NEST_MAX
    t[43] = n(-1); // LINE_MAX
    t[44] = n(255); // RE_DUP_MAX
    t[46] = VER; // 2_VERSION
    t[47] = VER; // 2_C_BIND
    t[48] = n(-1); // 2_C_DEV
    t[49] = n(-1); // 2_FORT_DEV
    t[50] = n(-1); // 2_FORT_RUN
    t[51] = n(-1); // 2_SW_DEV
    t[52] = n(-1); // 2_LOCALEDEF
    t[60] = n(1024); // IOV_MAX
    t[67] = VER; // THREADS
    t[68] = VER; // THREAD_SAFE_FUNCTIONS
    t[69] = n(-1); // GETGR_R_SIZE_MAX
    t[70] = n(-1); // GETPW_R_SIZE_MAX
    t[71] = n(256); // LOGIN_NAME_MAX
    t[72] = n(32); // TTY_NAME_MAX
    t[73] = n(4); // THREAD_DESTRUCTOR_ITERATIONS
    t[74] = n(128); // THREAD_KEYS_MAX
    t[75] = n(2048); // THREAD_STACK_MIN
    t[76] = n(-1); // THREAD_THREADS_MAX
    t[77] = VER; // THREAD_ATTR_STACKADDR
    t[78] = VER; // THREAD_ATTR_STACKSIZE
    t[79] = VER; // THREAD_PRIORITY_SCHEDULING
    t[80] = n(-1); // THREAD_PRIO_INHERIT
    t[81] = n(-1); // THREAD_PRIO_PROTECT
    t[82] = VER; // THREAD_PROCESS_SHARED
    t[83] = Some(V::Cpus); // NPROCESSORS_CONF
    t[84] = Some(V::Cpus); // NPROCESSORS_ONLN
    t[85] = Some(V::Pages(true)); // PHYS_PAGES
    t[86] = Some(V::Pages(false)); // AVPHYS_PAGES
    t[87] = n(-1); // ATEXIT_MAX
    t[88] = n(-1); // PASS_MAX
    t[89] = n(700); // XOPEN_VERSION
    t[90] = n(700); // XOPEN_XCU_VERSION
    t[91] = n(1); // XOPEN_UNIX
    t[92] = n(-1); // XOPEN_CRYPT
    t[93] = n(1); // XOPEN_ENH_I18N
    t[94] = n(1); // XOPEN_SHM
    t[95] = n(-1); // 2_CHAR_TERM
    t[97] = n(-1); // 2_UPE
    t[98] = n(-1); // XOPEN_XPG2
    t[99] = n(-1); // XOPEN_XPG3
    t[100] = n(-1); // XOPEN_XPG4
    t[109] = n(20); // NZERO
    t[125] = n(-1); // XBS5_ILP32_OFF32
    t[126] = n(-1); // XBS5_ILP32_OFFBIG
    t[127] = n(1); // XBS5_LP64_OFF64
    t[128] = n(-1); // XBS5_LPBIG_OFFBIG
    t[129] = n(-1); // XOPEN_LEGACY
    t[130] = n(-1); // XOPEN_REALTIME
    t[131] = n(-1); // XOPEN_REALTIME_THREADS
    t[132] = VER; // ADVISORY_INFO
    t[133] = VER; // BARRIERS
    t[137] = VER; // CLOCK_SELECTION
    t[138] = VER; // CPUTIME
    t[139] = VER; // THREAD_CPUTIME
    t[149] = VER; // MONOTONIC_CLOCK
    t[153] = VER; // READER_WRITER_LOCKS
    t[154] = VER; // SPIN_LOCKS
    t[155] = n(1); // REGEXP
    t[157] = n(1); // SHELL
    t[159] = VER; // SPAWN
    t[160] = n(-1); // SPORADIC_SERVER
    t[161] = n(-1); // THREAD_SPORADIC_SERVER
    t[164] = VER; // TIMEOUTS
    t[165] = n(-1); // TYPED_MEMORY_OBJECTS
    t[168] = n(-1); // 2_PBS
    t[169] = n(-1); // 2_PBS_ACCOUNTING
    t[170] = n(-1); // 2_PBS_LOCATE
    t[171] = n(-1); // 2_PBS_MESSAGE
    t[172] = n(-1); // 2_PBS_TRACK
    t[173] = n(40); // SYMLOOP_MAX
    t[174] = n(0); // STREAMS
    t[175] = n(-1); // 2_PBS_CHECKPOINT
    t[176] = n(-1); // V6_ILP32_OFF32
    t[177] = n(-1); // V6_ILP32_OFFBIG
    t[178] = n(1); // V6_LP64_OFF64
    t[179] = n(-1); // V6_LPBIG_OFFBIG
    t[180] = n(255); // HOST_NAME_MAX
    t[181] = n(-1); // TRACE
    t[182] = n(-1); // TRACE_EVENT_FILTER
    t[183] = n(-1); // TRACE_INHERIT
    t[184] = n(-1); // TRACE_LOG
    t[235] = VER; // IPV6
    t[236] = VER; // RAW_SOCKETS
    t[237] = n(-1); // V7_ILP32_OFF32
    t[238] = n(-1); // V7_ILP32_OFFBIG
    t[239] = n(1); // V7_LP64_OFF64
    t[240] = n(-1); // V7_LPBIG_OFFBIG
    t[241] = n(-1); // SS_REPL_MAX
    t[242] = n(-1); // TRACE_EVENT_NAME_MAX
    t[243] = n(-1); // TRACE_NAME_MAX
    t[244] = n(-1); // TRACE_SYS_MAX
    t[245] = n(-1); // TRACE_USER_EVENT_MAX
    t[246] = n(0); // XOPEN_STREAMS
    t[247] = n(-1); // THREAD_ROBUST_PRIO_INHERIT
    t[248] = n(-1); // THREAD_ROBUST_PRIO_PROTECT
    t
};

/// `sysconf(3)`.
#[cfg_attr(all(feature = "runtime", not(test)), unsafe(no_mangle))]
pub extern "C" fn sysconf(name: c_int) -> c_long {
    let Some(Some(v)) = usize::try_from(name).ok().and_then(|i| TABLE.get(i).copied()) else {
        set_errno(Errno::EINVAL);
        return -1;
    };
    match v {
        V::N(x) => x,
        V::Ver => 200809,
        V::Rlim(res) => {
            let mut lim = [0u64; 2];
            // SAFETY: `lim` is a `struct rlimit`.
            unsafe { syscall2(nr::GETRLIMIT, res, lim.as_mut_ptr() as usize) };
            if lim[0] == !0 { -1 } else { lim[0].min(c_long::MAX as u64) as c_long }
        }
        V::Cpus => {
            let mut set = [0u8; 128];
            set[0] = 1;
            // SAFETY: `set` is writable for its size.
            unsafe { syscall3(nr::SCHED_GETAFFINITY, 0, set.len(), set.as_mut_ptr() as usize) };
            set.iter().map(|b| b.count_ones() as c_long).sum()
        }
        V::Pages(total) => {
            let mut si = [0u64; 14];
            // SAFETY: `si` is a `struct sysinfo` (112 bytes).
            unsafe { crate::sys::syscall1(nr::SYSINFO, si.as_mut_ptr() as usize) };
            let unit = match si[13] as u32 { 0 => 1, u => u as u64 };
            let mem = if total { si[4] } else { si[5].wrapping_add(si[7]) };
            let pages = mem.wrapping_mul(unit) / PAGE_SIZE as u64;
            pages.min(c_long::MAX as u64) as c_long
        }
    }
}
