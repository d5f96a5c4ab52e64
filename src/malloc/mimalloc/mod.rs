//! The mimalloc-style backend (the design of Leijen, Zorn and de Moura's
//! mimalloc, written anew for vicuna):
//!
//! * Memory comes in 4 MiB *segments*, mapped with `mmap` and aligned to
//!   4 MiB, so the segment of a block is found by masking its address. A
//!   small segment holds 64 pages of 64 KiB (blocks up to 8 KiB), a medium
//!   one 4 pages of 1 MiB (blocks up to 128 KiB). Bigger requests get a
//!   *huge* segment of their own, unmapped again on `free`.
//! * Every page holds blocks of one size class and keeps three free lists
//!   (*sharding*): `free`, which `malloc` pops; `local_free`, which the
//!   owning thread's `free` pushes; and the atomic `thread_free`, which
//!   other threads push with a CAS, so cross-thread frees take no lock. The
//!   owner moves the other two into `free` when it runs dry.
//! * Each thread owns a *heap*: per size class a queue of pages, and a
//!   direct table from small sizes to a page with free blocks, so the common
//!   `malloc` is a TLS load, two loads and a store. Full pages sit in a
//!   separate queue; the first remote free into one puts it on its heap's
//!   atomic `delayed` list so the owner takes it back.
//! * A page whose blocks are all free is retired to its segment and its
//!   memory returned to the kernel (`MADV_DONTNEED`) after a delay; a heap
//!   keeps at most one wholly free segment of each kind and unmaps others.
//! * Heaps are never freed. A thread finds one at its first allocation: an
//!   unowned one, or one whose owner thread no longer exists (`tgkill(pid,
//!   tid, 0)` fails with ESRCH, or the owner's tid is the caller's own, so
//!   it was reused), taking over its pages, queues and pending remote
//!   frees; otherwise it maps a new one. So a dead thread's memory goes to
//!   the next new thread without any thread-exit hook or pthread import.
//! * The pid is read from a `MADV_WIPEONFORK` word, so after `fork` the
//!   child's surviving thread re-registers its heap on its next slow path;
//!   the heaps of the parent's other threads are left alone (their memory
//!   is the parent's, shared copy-on-write). No global lock exists, so none
//!   can be held across `fork`.
//! * Checks: `free` takes only pointers in segments of its own heap on the
//!   fast path (others through the segment map and cookie), in pages in
//!   use, 16-byte aligned; the slow paths also check the exact block start.
//!   Free-list links are XOR-encoded with a per-page key and always decode
//!   into the block's segment (lists end at the segment address): `malloc`
//!   aborts on a popped link that does not, and `free` looks a block whose
//!   first word does (`malloc` clears it) up in its page's lists, so a
//!   double free aborts. With `VICUNA_MALLOC_CHECK=1` every `malloc` and
//!   `free` takes the slow paths, with exact checks and list validation.

pub mod class;
pub mod os;

use core::mem::size_of;
use core::ptr::null_mut;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering};

use class::*;
use os::*;

const IN_FULL: usize = 1;
const IN_USE: u8 = 1;
const IN_USE_HUGE: u8 = 2;
const KIND_SMALL: u8 = 0;
const KIND_MEDIUM: u8 = 1;
const KIND_HUGE: u8 = 2;
const SMALL_PAGE_SHIFT: u32 = 16;
const MEDIUM_PAGE_SHIFT: u32 = 20;
const MAX_PAGES: usize = SEGMENT_SIZE >> SMALL_PAGE_SHIFT;
/// Bytes of fresh blocks threaded onto a page's free list at a time, so a
/// page's memory is touched only as it is used.
const EXTEND_BYTES: usize = 4 * 1024;

/// One page's bookkeeping (in the segment header, not in the page).
#[repr(C)]
pub struct Page {
    /// Head of the list `malloc` pops (a decoded pointer).
    free: *mut u8,
    used: u32,
    capacity: u32,
    /// Blocks carved from the page so far.
    reserved: u32,
    // The next four bytes are read as one word by `free`'s fast path
    // (`flags_word`): IN_USE there means in use, not full, no aligned block
    // (a page in use is never on the purge list).
    /// 0: free; IN_USE: a page of blocks; IN_USE_HUGE: a huge block.
    in_use: u8,
    in_full: bool,
    has_aligned: bool,
    in_purge: bool,
    bin: u8,
    block_size: usize,
    /// ceil(2^64 / block_size), for offsets below 2^32 (D. Lemire's
    /// fast division): the block index of `off` is the high word of
    /// `off * divisor`, and `off` is a block start iff the low word is at
    /// most `divisor - 1`, so `free` checks block starts with one multiply.
    divisor: u64,
    start: *mut u8,
    local_free: *mut u8,
    key: usize,
    thread_free: AtomicUsize,
    heap: AtomicPtr<Heap>,
    next: *mut Page,
    prev: *mut Page,
    delayed_next: *mut Page,
    in_delayed: AtomicBool,
    freed_at: u64,
}

impl Page {
    const fn empty() -> Page {
        Page {
            free: null_mut(),
            used: 0,
            capacity: 0,
            reserved: 0,
            in_use: 0,
            in_full: false,
            has_aligned: false,
            in_purge: false,
            bin: 0,
            block_size: 0,
            divisor: 0,
            start: null_mut(),
            local_free: null_mut(),
            key: 0,
            thread_free: AtomicUsize::new(0),
            heap: AtomicPtr::new(null_mut()),
            next: null_mut(),
            prev: null_mut(),
            delayed_next: null_mut(),
            in_delayed: AtomicBool::new(false),
            freed_at: 0,
        }
    }
}

const _: () = {
    assert!(core::mem::offset_of!(Page, in_use) % 4 == 0);
    assert!(core::mem::offset_of!(Page, in_full) == core::mem::offset_of!(Page, in_use) + 1);
    assert!(core::mem::offset_of!(Page, has_aligned) == core::mem::offset_of!(Page, in_use) + 2);
    assert!(core::mem::offset_of!(Page, in_purge) == core::mem::offset_of!(Page, in_use) + 3);
    // A power of two, so `free` finds a page descriptor by a shift.
    assert!(size_of::<Page>() == 128);
};

/// `in_use`, `in_full`, `has_aligned` and `in_purge` in one load: `IN_USE`
/// exactly when the page is an in-use page of blocks, not full, with no
/// aligned block.
#[inline(always)]
unsafe fn flags_word(p: *const Page) -> u32 {
    // SAFETY: the four bytes from `in_use` (checked above to be 4-aligned
    // and followed by `in_full`, `has_aligned`, `in_purge`) are initialised
    // fields of one live `Page`.
    u32::from_le(unsafe { (&raw const (*p).in_use).cast::<u32>().read() })
}

struct SyncPage(Page);
// SAFETY: the empty page is never written; it only ever reads as "no free
// block", which sends `malloc` to its slow path.
unsafe impl Sync for SyncPage {}
static EMPTY_PAGE: SyncPage = SyncPage(Page::empty());

fn empty_page() -> *mut Page {
    &EMPTY_PAGE.0 as *const Page as *mut Page
}

/// The header at the start of every segment.
#[repr(C)]
pub struct Segment {
    /// First, so a page descriptor is the segment address plus a shift.
    pages: [Page; MAX_PAGES],
    cookie: usize,
    kind: u8,
    page_shift: u32,
    npages: u32,
    used_pages: u32,
    free_mask: u64,
    in_list: bool,
    heap: *mut Heap,
    next: *mut Segment,
    prev: *mut Segment,
    /// The whole mapping (for huge segments).
    map_len: usize,
    /// For a huge block aligned to >= 4 MiB: the chunk the block starts in.
    below_chunk: usize,
}

const HDR: usize = (size_of::<Segment>() + OS_PAGE - 1) & !(OS_PAGE - 1);

#[derive(Clone, Copy)]
struct Queue {
    first: *mut Page,
    last: *mut Page,
}

/// A thread's heap.
#[repr(C)]
pub struct Heap {
    direct: [*mut Page; DIRECT_SLOTS],
    bins: [Queue; NBINS],
    full: Queue,
    delayed: AtomicPtr<Page>,
    /// pid << 32 | tid of the owning thread; 0 when unowned.
    owner: AtomicU64,
    next_heap: *mut Heap,
    /// Segments with free pages, per kind (small, medium).
    segs: [*mut Segment; 2],
    /// Wholly free segments kept, per kind.
    free_segs: [u32; 2],
    purge_first: *mut Page,
    purge_last: *mut Page,
    /// A direct-mapped table of this heap's segments (by address bits):
    /// frees into them skip the segment-map lookup. An entry is cleared
    /// before its segment is unmapped.
    owned: [usize; OWNED_SLOTS],
}

static HEAPS: AtomicPtr<Heap> = AtomicPtr::new(null_mut());
const OWNED_SLOTS: usize = 16;

#[inline(always)]
fn owned_slot(chunk: usize) -> usize {
    (chunk >> SEGMENT_SHIFT) & (OWNED_SLOTS - 1)
}

// ---------------------------------------------------------------------------
// Hardening.

static STRICT: AtomicU8 = AtomicU8::new(0);

#[inline(always)]
fn strict() -> bool {
    match STRICT.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => strict_init(),
    }
}

#[cold]
#[inline(never)]
fn strict_init() -> bool {
    // Under glibc the loader allocates before `environ` is set: decide later.
    if !crate::platform::environ_ready() {
        return false;
    }
    let on = matches!(crate::platform::getenv(b"VICUNA_MALLOC_CHECK"), Some(v) if !v.is_empty() && v != b"0");
    STRICT.store(if on { 2 } else { 1 }, Ordering::Relaxed);
    let h = tls_get() as *mut Heap;
    if on && !h.is_null() {
        // Blocks allocated before the variable was read (under glibc, by
        // the loader, on the thread running now): send this heap's mallocs
        // and frees to the checking slow paths too.
        // SAFETY: the calling thread's own heap.
        unsafe {
            for i in 0..DIRECT_SLOTS {
                (*h).direct[i] = empty_page();
            }
            (*h).owned = [0; OWNED_SLOTS];
        }
    }
    on
}

#[cold]
#[inline(never)]
fn corrupt(what: &str, p: usize) -> ! {
    use core::fmt::Write;
    let mut w = crate::diag::FdWriter::new(2);
    let _ = writeln!(w, "vicuna: malloc: {what} ({p:#x}); aborting");
    w.flush();
    crate::sys::abort()
}

// ---------------------------------------------------------------------------
// Free-list links are stored XOR-encoded with the page's key. A list ends
// at any segment-aligned value (`is_end`): null in the page's fields, and in
// a block the address of the block's own segment, so that every link stored
// in a block decodes to an address in that block's segment (which `pop`
// and `free` check with one comparison).

#[inline(always)]
fn is_end(b: *mut u8) -> bool {
    b as usize & SEGMENT_MASK == 0
}

#[inline(always)]
unsafe fn read_next(b: *mut u8, key: usize) -> *mut u8 {
    // SAFETY: `b` is a block of at least 16 bytes.
    (unsafe { (b as *mut usize).read() } ^ key) as *mut u8
}

/// Stores the link to `next` (a block of `b`'s segment, or an end) in `b`.
#[inline(always)]
unsafe fn write_next(b: *mut u8, next: *mut u8, key: usize) {
    let link = next as usize | (b as usize & !SEGMENT_MASK);
    // SAFETY: as in `read_next`.
    unsafe { (b as *mut usize).write(link ^ key) }
}

/// Pops the first free block `b` of a page whose free list is not empty.
/// The next link must stay in `b`'s segment (see `is_end`): a link
/// overwritten after its block was freed aborts here instead of sending a
/// later `malloc` to an arbitrary address. The block's first word is
/// cleared, so a block freed without being written does not look like a
/// free-list link to `free`'s double-free check.
#[inline(always)]
unsafe fn pop(p: *mut Page, b: *mut u8) -> *mut u8 {
    // SAFETY: the caller owns `p`; `b` is its free-list head, a block of
    // at least 16 bytes.
    unsafe {
        let next = read_next(b, (*p).key);
        if (next as usize ^ b as usize) >= SEGMENT_SIZE {
            corrupt("corrupted free list (write after free?)", b as usize);
        }
        (*p).free = next;
        (*p).used += 1;
        (b as *mut usize).write(0);
        b
    }
}

// ---------------------------------------------------------------------------
// Queues (owner-only).

unsafe fn q_remove(q: &mut Queue, p: *mut Page) {
    // SAFETY: `p` is in `q`; the links are the owner's.
    unsafe {
        let (prev, next) = ((*p).prev, (*p).next);
        if prev.is_null() {
            q.first = next
        } else {
            (*prev).next = next
        }
        if next.is_null() {
            q.last = prev
        } else {
            (*next).prev = prev
        }
        (*p).next = null_mut();
        (*p).prev = null_mut();
    }
}

unsafe fn q_push_front(q: &mut Queue, p: *mut Page) {
    // SAFETY: `p` is in no queue.
    unsafe {
        (*p).prev = null_mut();
        (*p).next = q.first;
        if q.first.is_null() {
            q.last = p
        } else {
            (*q.first).prev = p
        }
        q.first = p;
    }
}

unsafe fn q_push_back(q: &mut Queue, p: *mut Page) {
    // SAFETY: `p` is in no queue.
    unsafe {
        (*p).next = null_mut();
        (*p).prev = q.last;
        if q.last.is_null() {
            q.first = p
        } else {
            (*q.last).next = p
        }
        q.last = p;
    }
}

/// Points the direct-table slots of class `c` at its first page.
unsafe fn set_direct(h: *mut Heap, c: usize) {
    let size = class_size(c);
    if size > DIRECT_MAX {
        return;
    }
    let lo = if c == 0 {
        0
    } else {
        class_size(c - 1) / 16 + 1
    };
    // SAFETY: `h` is the caller's heap.
    unsafe {
        let first = (*h).bins[c].first;
        // With VICUNA_MALLOC_CHECK every malloc takes the slow path.
        let p = if first.is_null() || STRICT.load(Ordering::Relaxed) == 2 {
            empty_page()
        } else {
            first
        };
        for i in lo..=size / 16 {
            (*h).direct[i] = p;
        }
    }
}

// ---------------------------------------------------------------------------
// Heaps.

#[inline(always)]
fn owner_word(pid: u32, tid: u32) -> u64 {
    (pid as u64) << 32 | tid as u64
}

/// The calling thread's heap, acquired at its first allocation.
#[inline]
unsafe fn heap() -> *mut Heap {
    let h = tls_get() as *mut Heap;
    if !h.is_null() {
        return h;
    }
    // SAFETY: called only from allocation paths.
    unsafe { acquire() }
}

#[cold]
unsafe fn acquire() -> *mut Heap {
    let pid = os::pid();
    let tid = crate::sys::gettid() as u32;
    let me = owner_word(pid, tid);
    // With many live threads, checking each owner would make thread start
    // quadratic: at most `CHECKS` liveness checks here (heaps past them are
    // found by `reclaim_dead_heaps`, which leaves them unowned).
    const CHECKS: usize = 16;
    let mut checks = 0;
    let mut h = HEAPS.load(Ordering::Acquire);
    while !h.is_null() {
        // SAFETY: heaps are never unmapped; `next_heap` is set before a
        // heap is published and never changes.
        let (owner, next) = unsafe { (&(*h).owner, (*h).next_heap) };
        let o = owner.load(Ordering::Acquire);
        let (opid, otid) = ((o >> 32) as u32, o as u32);
        let dead = o == 0
            || (opid == pid
                && (otid == tid
                    || (checks < CHECKS && {
                        checks += 1;
                        !thread_alive(pid, otid)
                    })));
        if dead
            && owner
                .compare_exchange(o, me, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            tls_set(h as usize);
            return h;
        }
        h = next;
    }
    let len = (size_of::<Heap>() + OS_PAGE - 1) & !(OS_PAGE - 1);
    let h = map(len) as *mut Heap;
    if h.is_null() {
        return h;
    }
    // SAFETY: a fresh zeroed mapping: every pointer field is null, every
    // counter 0; only the direct table needs the empty page.
    unsafe {
        for i in 0..DIRECT_SLOTS {
            (*h).direct[i] = empty_page();
        }
        (*h).owner.store(me, Ordering::Relaxed);
        let mut head = HEAPS.load(Ordering::Relaxed);
        loop {
            (*h).next_heap = head;
            match HEAPS.compare_exchange_weak(head, h, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => break,
                Err(x) => head = x,
            }
        }
    }
    tls_set(h as usize);
    h
}

/// Detaches the calling thread from its heap, which the next new thread
/// takes over. For a runtime that owns thread exit; the host-libc builds
/// rely on the liveness check in `acquire` instead.
pub fn thread_exit() {
    let h = tls_get() as *mut Heap;
    if !h.is_null() {
        // SAFETY: heaps are never unmapped.
        unsafe { (*h).owner.store(0, Ordering::Release) };
        tls_set(0);
    }
}

/// After `fork` the surviving thread's heap still names the parent's pid
/// and tid: re-register it so no other thread of the child takes it.
#[inline]
unsafe fn refresh_owner(h: *mut Heap) {
    let pid = os::pid();
    // SAFETY: `h` is the caller's heap.
    let owner = unsafe { &(*h).owner };
    if (owner.load(Ordering::Relaxed) >> 32) as u32 != pid {
        owner.store(
            owner_word(pid, crate::sys::gettid() as u32),
            Ordering::Release,
        );
    }
}

/// Takes back the full pages that other threads have freed into.
unsafe fn process_delayed(h: *mut Heap) {
    // SAFETY: `h` is the caller's heap; pages on its delayed list are its own
    // and stay mapped (a page on the list is never retired).
    unsafe {
        if (*h).delayed.load(Ordering::Relaxed).is_null() {
            return;
        }
        let mut p = (*h).delayed.swap(null_mut(), Ordering::Acquire);
        while !p.is_null() {
            let next = (*p).delayed_next;
            (*p).in_delayed.store(false, Ordering::Release);
            if (*p).in_full {
                unfull(h, p);
            }
            p = next;
        }
    }
}

#[inline(never)]
unsafe fn unfull(h: *mut Heap, p: *mut Page) {
    // SAFETY: `p` is an in-full page of `h`.
    unsafe {
        (*p).in_full = false;
        q_remove(&mut (*h).full, p);
        (*p).thread_free.fetch_and(!IN_FULL, Ordering::AcqRel);
        let c = (*p).bin as usize;
        let was_empty = (*h).bins[c].first.is_null();
        q_push_back(&mut (*h).bins[c], p);
        if was_empty {
            set_direct(h, c);
        }
    }
}

/// Moves a page with no free block to the full queue; false (and the page
/// stays) when remote frees arrived meanwhile.
unsafe fn mark_full(h: *mut Heap, p: *mut Page) -> bool {
    // SAFETY: `p` is a page of `h` in its bin queue.
    unsafe {
        let c = (*p).bin as usize;
        let was_first = (*h).bins[c].first == p;
        q_remove(&mut (*h).bins[c], p);
        if was_first {
            set_direct(h, c);
        }
        (*p).in_full = true;
        q_push_back(&mut (*h).full, p);
        let old = (*p).thread_free.fetch_or(IN_FULL, Ordering::AcqRel);
        if old & !IN_FULL != 0 {
            unfull(h, p);
            return false;
        }
        true
    }
}

// ---------------------------------------------------------------------------
// Pages.

/// Moves `local_free` and `thread_free` into `free`.
unsafe fn collect(p: *mut Page) {
    // SAFETY: the caller owns `p`.
    unsafe {
        let key = (*p).key;
        if is_end((*p).free) && !is_end((*p).local_free) {
            (*p).free = (*p).local_free;
            (*p).local_free = null_mut();
        }
        if (*p).thread_free.load(Ordering::Relaxed) & !IN_FULL == 0 {
            return;
        }
        let head = ((*p).thread_free.swap(0, Ordering::Acquire) & !IN_FULL) as *mut u8;
        let mut n: u32 = 0;
        let mut tail = head;
        loop {
            if n >= (*p).capacity || !in_page(p, tail) {
                corrupt("double free or corrupted free list detected", tail as usize);
            }
            n += 1;
            let next = read_next(tail, key);
            if is_end(next) {
                break;
            }
            tail = next;
        }
        if n > (*p).used {
            corrupt("double free detected", head as usize);
        }
        write_next(tail, (*p).free, key);
        (*p).free = head;
        (*p).used -= n;
    }
}

/// Whether `b` is the start of a block already carved from `p`.
#[inline]
fn in_page(p: *const Page, b: *mut u8) -> bool {
    // SAFETY: reads bookkeeping of a page in a mapped segment.
    unsafe {
        let start = (*p).start as usize;
        let a = b as usize;
        if a < start {
            return false;
        }
        let off = a - start;
        if off >= (*p).reserved as usize * (*p).block_size {
            return false;
        }
        let q = index_of(off, (*p).divisor);
        q * (*p).block_size == off
    }
}

/// Whether `b` is on the list starting at `head` (bounded, validated walk).
unsafe fn on_list(p: *mut Page, mut cur: *mut u8, b: *mut u8) -> bool {
    // SAFETY: only blocks that `in_page` accepts are dereferenced.
    unsafe {
        let mut n = 0;
        while !is_end(cur) && n <= (*p).capacity {
            if cur == b {
                return true;
            }
            if !in_page(p, cur) {
                return false;
            }
            cur = read_next(cur, (*p).key);
            n += 1;
        }
        false
    }
}

/// VICUNA_MALLOC_CHECK: every link of the owner's lists must lead to a
/// block of the page, and the lists together hold at most `capacity -
/// used` blocks (catches writes into freed blocks).
#[cold]
#[inline(never)]
unsafe fn check_page(p: *mut Page) {
    // SAFETY: the caller owns `p`; only validated blocks are read.
    unsafe {
        let mut n = 0;
        for head in [(*p).free, (*p).local_free] {
            let mut cur = head;
            while !is_end(cur) {
                if n > (*p).capacity || !in_page(p, cur) {
                    corrupt("corrupted free list (write after free?)", cur as usize);
                }
                cur = read_next(cur, (*p).key);
                n += 1;
            }
        }
        if n + (*p).used > (*p).reserved {
            corrupt("corrupted free list (write after free?)", p as usize);
        }
    }
}

/// Threads the next blocks of the page onto its (empty) free list.
unsafe fn extend(p: *mut Page) {
    // SAFETY: the caller owns `p`, which has blocks left to carve.
    unsafe {
        let bsize = (*p).block_size;
        let left = ((*p).capacity - (*p).reserved) as usize;
        let n = (EXTEND_BYTES / bsize).clamp(1, left);
        let first = (*p).start.add((*p).reserved as usize * bsize);
        let key = (*p).key;
        let mut b = first;
        for _ in 1..n {
            let next = b.add(bsize);
            write_next(b, next, key);
            b = next;
        }
        write_next(b, (*p).free, key);
        (*p).free = first;
        (*p).reserved += n as u32;
    }
}

unsafe fn segment_of_page(p: *mut Page) -> *mut Segment {
    (p as usize & !SEGMENT_MASK) as *mut Segment
}

/// The memory of page `i` of a small or medium segment.
fn page_area(seg: *mut Segment, i: usize, shift: u32) -> (usize, usize) {
    let base = seg as usize + (i << shift);
    let start = if i == 0 { seg as usize + HDR } else { base };
    (start, base + (1 << shift))
}

unsafe fn purge_unlink(h: *mut Heap, p: *mut Page) {
    // SAFETY: `p` is on `h`'s purge list.
    unsafe {
        let mut q = Queue {
            first: (*h).purge_first,
            last: (*h).purge_last,
        };
        q_remove(&mut q, p);
        (*h).purge_first = q.first;
        (*h).purge_last = q.last;
        (*p).in_purge = false;
    }
}

/// Returns the memory of pages retired long enough ago to the kernel.
unsafe fn purge_due(h: *mut Heap, force: bool) {
    let now = ticks();
    // SAFETY: the purge list holds retired pages of `h`'s segments.
    unsafe {
        while !(*h).purge_first.is_null() {
            let p = (*h).purge_first;
            if !force && now.wrapping_sub((*p).freed_at) < PURGE_DELAY {
                break;
            }
            purge_unlink(h, p);
            let seg = segment_of_page(p);
            let i = (p as usize - (*seg).pages.as_ptr() as usize) / size_of::<Page>();
            let (start, end) = page_area(seg, i, (*seg).page_shift);
            decommit(start as *mut u8, end - start);
        }
    }
}

unsafe fn seg_list_remove(h: *mut Heap, s: *mut Segment) {
    // SAFETY: `s` is on `h`'s list of its kind.
    unsafe {
        let k = (*s).kind as usize;
        let (prev, next) = ((*s).prev, (*s).next);
        if prev.is_null() {
            (*h).segs[k] = next
        } else {
            (*prev).next = next
        }
        if !next.is_null() {
            (*next).prev = prev;
        }
        (*s).in_list = false;
    }
}

unsafe fn seg_list_push(h: *mut Heap, s: *mut Segment) {
    // SAFETY: `s` is on no list.
    unsafe {
        let k = (*s).kind as usize;
        (*s).prev = null_mut();
        (*s).next = (*h).segs[k];
        if !(*s).next.is_null() {
            (*(*s).next).prev = s;
        }
        (*h).segs[k] = s;
        (*s).in_list = true;
    }
}

/// Returns the memory of heaps whose threads died to the kernel: the
/// blocks other threads freed into them are collected, empty pages and
/// segments released, and the heap left unowned for the next new thread.
/// At most `RECLAIM_CHECKS` liveness checks per call.
pub fn reclaim_dead_heaps() {
    const RECLAIM_CHECKS: usize = 32;
    let pid = os::pid();
    let tid = crate::sys::gettid() as u32;
    let me = owner_word(pid, tid);
    let mine = tls_get() as *mut Heap;
    let mut checks = 0;
    let mut h = HEAPS.load(Ordering::Acquire);
    while !h.is_null() && checks < RECLAIM_CHECKS {
        // SAFETY: heaps are never unmapped; a heap claimed with the CAS is
        // ours alone until its owner word is released.
        unsafe {
            let (owner, next) = (&(*h).owner, (*h).next_heap);
            let o = owner.load(Ordering::Acquire);
            let (opid, otid) = ((o >> 32) as u32, o as u32);
            // Unowned heaps too: remote frees keep arriving after a reclaim.
            let dead = o == 0
                || (opid == pid && otid != tid && {
                    checks += 1;
                    !thread_alive(pid, otid)
                });
            if h != mine
                && dead
                && owner
                    .compare_exchange(o, me, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
            {
                collect_heap(h);
                owner.store(0, Ordering::Release);
            }
            h = next;
        }
    }
}

/// Collects every page of a heap nobody runs on and releases what is free.
unsafe fn collect_heap(h: *mut Heap) {
    // SAFETY: the caller holds `h` exclusively.
    unsafe {
        process_delayed(h);
        for c in 0..NBINS {
            let mut p = (*h).bins[c].first;
            while !p.is_null() {
                let next = (*p).next;
                collect(p);
                if (*p).used == 0 {
                    retire_page(h, p, true);
                }
                p = next;
            }
        }
        purge_due(h, true);
        for k in 0..2 {
            let mut s = (*h).segs[k];
            while !s.is_null() {
                let next = (*s).next;
                if (*s).used_pages == 0 {
                    release_segment(h, s);
                    (*h).free_segs[k] -= 1;
                }
                s = next;
            }
        }
    }
}

static SEGMENTS_MADE: AtomicUsize = AtomicUsize::new(0);

unsafe fn new_segment(h: *mut Heap, kind: u8) -> *mut Segment {
    // Every fourth new segment, see whether dead threads left memory.
    if SEGMENTS_MADE.fetch_add(1, Ordering::Relaxed) % 4 == 3 {
        reclaim_dead_heaps();
    }
    let base = map_aligned(SEGMENT_SIZE, SEGMENT_SIZE);
    if base.is_null() {
        return null_mut();
    }
    if !map_set(base as usize, MAP_HEADER) {
        // SAFETY: our fresh mapping.
        unsafe { unmap(base, SEGMENT_SIZE) };
        return null_mut();
    }
    let s = base as *mut Segment;
    let shift = if kind == KIND_SMALL {
        SMALL_PAGE_SHIFT
    } else {
        MEDIUM_PAGE_SHIFT
    };
    let npages = (SEGMENT_SIZE >> shift) as u32;
    // SAFETY: a fresh zeroed mapping big enough for the header.
    unsafe {
        (*s).cookie = base as usize ^ secret();
        (*s).kind = kind;
        (*s).page_shift = shift;
        (*s).npages = npages;
        (*s).free_mask = if npages == 64 {
            u64::MAX
        } else {
            (1u64 << npages) - 1
        };
        (*s).heap = h;
        (*s).map_len = SEGMENT_SIZE;
        seg_list_push(h, s);
        (*h).free_segs[kind as usize] += 1;
    }
    s
}

unsafe fn release_segment(h: *mut Heap, s: *mut Segment) {
    // SAFETY: `s` is a wholly free segment of `h`.
    unsafe {
        for i in 0..(*s).npages as usize {
            let p = &raw mut (*s).pages[i];
            if (*p).in_purge {
                purge_unlink(h, p);
            }
        }
        if (*s).in_list {
            seg_list_remove(h, s);
        }
        let slot = owned_slot(s as usize);
        if (*h).owned[slot] == s as usize {
            (*h).owned[slot] = 0;
        }
        map_clear(s as usize, MAP_HEADER);
        unmap(s as *mut u8, SEGMENT_SIZE);
    }
}

/// Takes a page for class `c` from the heap's segments (or a new one) and
/// puts it at the front of the class's queue.
unsafe fn fresh_page(h: *mut Heap, c: usize) -> *mut Page {
    let bsize = class_size(c);
    let kind = if bsize <= MAX_SMALL_PAGE_BLOCK {
        KIND_SMALL
    } else {
        KIND_MEDIUM
    };
    // SAFETY: the caller owns `h`; segments on its lists are its own.
    unsafe {
        purge_due(h, false);
        let mut s = (*h).segs[kind as usize];
        if s.is_null() {
            s = new_segment(h, kind);
            if s.is_null() {
                return null_mut();
            }
        }
        let i = (*s).free_mask.trailing_zeros() as usize;
        (*s).free_mask &= !(1u64 << i);
        if (*s).used_pages == 0 {
            (*h).free_segs[kind as usize] -= 1;
        }
        (*s).used_pages += 1;
        if (*s).free_mask == 0 {
            seg_list_remove(h, s);
        }
        let p = &raw mut (*s).pages[i];
        if (*p).in_purge {
            purge_unlink(h, p);
        }
        let (area, end) = page_area(s, i, (*s).page_shift);
        // Colour: shift each page's blocks by a multiple of 512 bytes,
        // varying with the page and segment, so the first blocks of
        // different pages do not all fall into the same few cache sets
        // (page starts are 64 KiB-aligned). The skipped bytes are never
        // touched.
        let start = area + ((i + (s as usize >> SEGMENT_SHIFT)) % 8) * 512;
        (*p).free = null_mut();
        (*p).local_free = null_mut();
        (*p).used = 0;
        (*p).reserved = 0;
        (*p).capacity = ((end - start) / bsize) as u32;
        (*p).block_size = bsize;
        (*p).divisor = divisor_of((*p).block_size);
        (*p).start = start as *mut u8;
        (*p).bin = c as u8;
        (*p).in_full = false;
        (*p).has_aligned = false;
        (*p).key = secret() ^ (p as usize).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (*p).thread_free.store(0, Ordering::Relaxed);
        (*p).heap.store(h, Ordering::Relaxed);
        (*p).in_use = IN_USE;
        extend(p);
        q_push_front(&mut (*h).bins[c], p);
        set_direct(h, c);
        p
    }
}

/// Gives an empty page back to its segment (keeping the last page of a
/// class, so a class that empties and refills does not thrash).
#[inline(never)]
unsafe fn retire(h: *mut Heap, p: *mut Page) {
    // SAFETY: forwarded.
    unsafe { retire_page(h, p, false) }
}

/// As `retire`; `all` retires the last page of a class too.
unsafe fn retire_page(h: *mut Heap, p: *mut Page, all: bool) {
    // SAFETY: `p` is a page of `h` in its bin queue with no block in use.
    unsafe {
        let c = (*p).bin as usize;
        let q = &mut (*h).bins[c];
        if (!all && q.first == p && q.last == p) || (*p).in_delayed.load(Ordering::Acquire) {
            return;
        }
        let was_first = q.first == p;
        q_remove(q, p);
        if was_first {
            set_direct(h, c);
        }
        (*p).in_use = 0;
        (*p).free = null_mut();
        (*p).local_free = null_mut();
        let s = segment_of_page(p);
        let i = (p as usize - (*s).pages.as_ptr() as usize) / size_of::<Page>();
        (*s).free_mask |= 1u64 << i;
        (*s).used_pages -= 1;
        if !(*s).in_list {
            seg_list_push(h, s);
        }
        (*p).freed_at = ticks();
        (*p).in_purge = true;
        let mut pq = Queue {
            first: (*h).purge_first,
            last: (*h).purge_last,
        };
        q_push_back(&mut pq, p);
        (*h).purge_first = pq.first;
        (*h).purge_last = pq.last;
        let k = (*s).kind as usize;
        if (*s).used_pages == 0 {
            if (*h).free_segs[k] >= 1 {
                release_segment(h, s);
            } else {
                (*h).free_segs[k] += 1;
            }
        }
        purge_due(h, false);
    }
}

/// A page of class `c` with a free block, at the front of its queue.
unsafe fn find_page(h: *mut Heap, c: usize) -> *mut Page {
    // SAFETY: the caller owns `h`.
    unsafe {
        let mut p = (*h).bins[c].first;
        while !p.is_null() {
            let next = (*p).next;
            collect(p);
            if is_end((*p).free) && (*p).reserved < (*p).capacity {
                extend(p);
            }
            if !is_end((*p).free) {
                if (*h).bins[c].first != p {
                    q_remove(&mut (*h).bins[c], p);
                    q_push_front(&mut (*h).bins[c], p);
                    set_direct(h, c);
                }
                return p;
            }
            if !mark_full(h, p) {
                collect(p);
                if !is_end((*p).free) {
                    q_remove(&mut (*h).bins[c], p);
                    q_push_front(&mut (*h).bins[c], p);
                    set_direct(h, c);
                    return p;
                }
            }
            p = next;
        }
        fresh_page(h, c)
    }
}

// ---------------------------------------------------------------------------
// Huge blocks.

/// Freed huge segments kept mapped for reuse: at most `HUGE_CACHE_SLOTS`
/// of at most `HUGE_CACHE_MAX` bytes each, unmapped once idle for
/// `PURGE_DELAY` ticks. Slots are claimed and emptied with CAS, so any
/// thread may use them and no lock is held across `fork`.
const HUGE_CACHE_SLOTS: usize = 4;
const HUGE_CACHE_MAX: usize = 16 << 20;
static HUGE_CACHE: [AtomicUsize; HUGE_CACHE_SLOTS] =
    [const { AtomicUsize::new(0) }; HUGE_CACHE_SLOTS];

unsafe fn huge_release(s: *mut Segment) {
    // SAFETY: `s` is a huge segment nobody else can reach any more.
    unsafe {
        map_clear(s as usize, MAP_HEADER);
        let len = (*s).map_len;
        unmap(s as *mut u8, len);
    }
}

/// Unmaps cached huge segments idle for longer than the purge delay.
fn huge_cache_purge() {
    let now = ticks();
    for slot in &HUGE_CACHE {
        let e = slot.load(Ordering::Relaxed);
        // SAFETY: a cached segment stays mapped while it is in its slot; the
        // read may race with a reuse, which only makes the CAS fail.
        if e != 0
            && now.wrapping_sub(unsafe { (*(e as *mut Segment)).pages[0].freed_at }) > PURGE_DELAY
            && slot
                .compare_exchange(e, 0, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            // SAFETY: taken out of the cache by the CAS.
            unsafe { huge_release(e as *mut Segment) };
        }
    }
}

/// Takes a cached huge segment of `total..=2*total` bytes.
fn huge_cache_take(total: usize) -> *mut Segment {
    for slot in &HUGE_CACHE {
        let e = slot.load(Ordering::Acquire);
        if e == 0 {
            continue;
        }
        // SAFETY: as in `huge_cache_purge`.
        let len = unsafe { (*(e as *mut Segment)).map_len };
        if len >= total
            && len / 2 <= total
            && slot
                .compare_exchange(e, 0, Ordering::AcqRel, Ordering::Relaxed)
                .is_ok()
        {
            return e as *mut Segment;
        }
    }
    null_mut()
}

unsafe fn huge_alloc(size: usize, align: usize, zero: bool) -> *mut u8 {
    let Some(len) = size.checked_add(OS_PAGE - 1).map(|l| l & !(OS_PAGE - 1)) else {
        return null_mut();
    };
    if align < SEGMENT_SIZE {
        let off = (HDR + align - 1) & !(align - 1);
        if let Some(total) = off.checked_add(len) {
            let s = huge_cache_take(total);
            if !s.is_null() {
                // SAFETY: a cached segment, now ours alone.
                unsafe {
                    let p = &raw mut (*s).pages[0];
                    let block = s as usize + off;
                    (*p).start = block as *mut u8;
                    (*p).block_size = s as usize + (*s).map_len - block;
                    (*p).divisor = divisor_of((*p).block_size);
                    (*p).thread_free.store(0, Ordering::Relaxed);
                    (*p).in_use = IN_USE_HUGE;
                    if zero {
                        crate::string::mem::memset(block as *mut _, 0, size);
                    }
                    return block as *mut u8;
                }
            }
        }
    }
    huge_cache_purge();
    let (seg, block, map_len) = if align < SEGMENT_SIZE {
        let off = (HDR + align - 1) & !(align - 1);
        let Some(total) = off.checked_add(len) else {
            return null_mut();
        };
        let seg = map_aligned(total, SEGMENT_SIZE);
        if seg.is_null() {
            return null_mut();
        }
        (seg as usize, seg as usize + off, total)
    } else {
        // Header in the chunk just below the block.
        let Some(total) = align.checked_add(len) else {
            return null_mut();
        };
        let a = map_aligned(total, align);
        if a.is_null() {
            return null_mut();
        }
        let block = a as usize + align;
        let seg = block - SEGMENT_SIZE;
        // SAFETY: the head below the header chunk is ours and unused.
        unsafe { unmap(a, seg - a as usize) };
        (seg, block, SEGMENT_SIZE + len)
    };
    let below = block - seg >= SEGMENT_SIZE;
    if !map_set(seg, MAP_HEADER) || (below && !map_set(block, MAP_HEADER_BELOW)) {
        map_clear(seg, MAP_HEADER);
        // SAFETY: our fresh mapping.
        unsafe { unmap(seg as *mut u8, map_len) };
        return null_mut();
    }
    let s = seg as *mut Segment;
    // SAFETY: a fresh zeroed mapping holding the header.
    unsafe {
        (*s).cookie = seg ^ secret();
        (*s).kind = KIND_HUGE;
        (*s).page_shift = 63;
        (*s).npages = 1;
        (*s).used_pages = 1;
        (*s).map_len = map_len;
        (*s).below_chunk = if below { block } else { 0 };
        let p = &raw mut (*s).pages[0];
        (*p).start = block as *mut u8;
        (*p).block_size = seg + map_len - block;
        (*p).divisor = divisor_of((*p).block_size);
        (*p).capacity = 1;
        (*p).reserved = 1;
        (*p).used = 1;
        (*p).in_use = IN_USE_HUGE;
    }
    block as *mut u8
}

#[cold]
#[inline(never)]
unsafe fn huge_free(s: *mut Segment, p: *mut Page, b: usize) {
    // SAFETY: `s` is a huge segment found through the segment map.
    unsafe {
        if b != (*p).start as usize {
            corrupt("free of a pointer not returned by malloc", b);
        }
        // The page's thread-free word doubles as the huge block's freed flag.
        if (*p)
            .thread_free
            .compare_exchange(0, 1, Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
        {
            corrupt("double free detected", b);
        }
        if (*s).below_chunk != 0 {
            map_clear((*s).below_chunk, MAP_HEADER_BELOW);
            huge_release(s);
            return;
        }
        if (*s).map_len <= HUGE_CACHE_MAX {
            (*p).in_use = 0;
            (*p).freed_at = ticks();
            for slot in &HUGE_CACHE {
                if slot
                    .compare_exchange(0, s as usize, Ordering::AcqRel, Ordering::Relaxed)
                    .is_ok()
                {
                    huge_cache_purge();
                    return;
                }
            }
            // Full: swap out the first entry.
            let old = HUGE_CACHE[0].swap(s as usize, Ordering::AcqRel);
            if old != 0 {
                huge_release(old as *mut Segment);
            }
            return;
        }
        huge_release(s);
    }
}

// ---------------------------------------------------------------------------
// Entry points used by `crate::malloc`.

/// The page holding `p`, or None if `p` is not in one of our segments.
#[inline]
fn lookup(p: usize) -> Option<(*mut Segment, *mut Page)> {
    let chunk = p & !SEGMENT_MASK;
    let seg = match map_get(p) {
        MAP_HEADER => chunk,
        MAP_HEADER_BELOW => chunk - SEGMENT_SIZE,
        _ => return None,
    };
    let s = seg as *mut Segment;
    // SAFETY: the map says a live segment header is at `seg`.
    unsafe {
        // Before the secret exists there is no segment, and a zero secret
        // never matches a cookie (`secret` is odd).
        if (*s).cookie != seg ^ secret_if_set() {
            return None;
        }
        // `p - seg` is below SEGMENT_SIZE (or, for a huge block above its
        // header chunk, shifted by 63), so `i < npages <= MAX_PAGES`.
        let i = (p - seg) >> (*s).page_shift;
        let page = (&raw mut (*s).pages).cast::<Page>().add(i);
        if (*page).in_use == 0 {
            return None;
        }
        Some((s, page))
    }
}

/// The block index of offset `off` (`< 2^32`) in a page whose
/// [`Page::divisor`] is `divisor`.
#[inline(always)]
fn index_of(off: usize, divisor: u64) -> usize {
    ((off as u128 * divisor as u128) >> 64) as usize
}

/// ceil(2^64 / size) for [`Page::divisor`] (0 for an unset size).
const fn divisor_of(size: usize) -> u64 {
    if size == 0 { 0 } else { u64::MAX / size as u64 + 1 }
}

/// The start of the block holding `p`, which must be a block start or (in
/// pages with over-aligned allocations) inside one.
#[inline]
unsafe fn block_of(page: *mut Page, p: usize) -> (usize, usize) {
    // SAFETY: `page` is in use.
    unsafe {
        let start = (*page).start as usize;
        if p < start {
            corrupt("free of a pointer not returned by malloc", p);
        }
        let off = p - start;
        let q = index_of(off, (*page).divisor);
        let b = start + q * (*page).block_size;
        if q >= (*page).reserved as usize || (b != p && !(*page).has_aligned) {
            corrupt("free of a pointer not returned by malloc", p);
        }
        (b, q)
    }
}

/// A block of `size` bytes from the calling thread's direct table, or
/// null when there is none at hand (the size is too big, the thread has no
/// heap yet, or the page has no free block).
#[inline(always)]
pub fn alloc_fast(size: usize) -> *mut u8 {
    let h = tls_get() as *mut Heap;
    if size <= DIRECT_MAX && !h.is_null() {
        // SAFETY: the direct table of the thread's own heap points to pages
        // it owns (or the never-written empty page).
        unsafe {
            let page = (*h).direct[(size + 15) >> 4];
            let b = (*page).free;
            if !is_end(b) {
                return pop(page, b);
            }
        }
    }
    null_mut()
}

/// Allocates `size` bytes, 16-byte aligned; null when memory is exhausted.
#[inline]
pub fn alloc(size: usize) -> *mut u8 {
    let b = alloc_fast(size);
    if !b.is_null() {
        return b;
    }
    alloc_slow(size)
}

#[cold]
#[inline(never)]
fn alloc_slow(size: usize) -> *mut u8 {
    // SAFETY: everything below runs on the calling thread's own heap.
    unsafe {
        let h = heap();
        if h.is_null() {
            return null_mut();
        }
        if size > MAX_SMALL {
            return huge_alloc(size, 16, false);
        }
        let check = strict();
        refresh_owner(h);
        process_delayed(h);
        let p = find_page(h, class_of(size));
        if p.is_null() {
            return null_mut();
        }
        if check {
            check_page(p);
        }
        pop(p, (*p).free)
    }
}

/// Allocates `size` bytes aligned to `align` (a power of two).
pub fn alloc_aligned(align: usize, size: usize) -> *mut u8 {
    if align <= 16 {
        return alloc(size);
    }
    // At least one byte: the aligned pointer must lie inside the block (for
    // size 0 it could otherwise be the start of the next block).
    let Some(padded) = size.max(1).checked_add(align - 16) else {
        return null_mut();
    };
    if padded > MAX_SMALL {
        // SAFETY: initialises the heap first (huge blocks need none, but the
        // pid and secret are set up there).
        if unsafe { heap() }.is_null() {
            return null_mut();
        }
        // SAFETY: plain mapping work.
        return unsafe { huge_alloc(size, align, false) };
    }
    let p = alloc(padded);
    if p.is_null() {
        return p;
    }
    let a = (p as usize + align - 1) & !(align - 1);
    if a != p as usize {
        let Some((_, page)) = lookup(p as usize) else {
            corrupt("internal error: fresh block not found", p as usize)
        };
        // SAFETY: the page belongs to this thread's heap (the block was just
        // taken from it).
        unsafe { (*page).has_aligned = true };
    }
    a as *mut u8
}

/// Allocates a block in a mapping of its own (the huge-block path) whatever
/// its size: the `mmap` backend. `free` and `usable_size` handle such blocks
/// like any other.
pub fn alloc_direct(size: usize, align: usize, zero: bool) -> *mut u8 {
    // SAFETY: sets up the pid and secret first; then plain mapping work.
    unsafe {
        if heap().is_null() {
            return null_mut();
        }
        huge_alloc(size.max(1), align.max(16), zero)
    }
}

/// Resizes a huge block to `n` (> MAX_SMALL) bytes without copying: in
/// place with `mremap`, or by moving its pages to a fresh aligned
/// reservation. Null when the block is not such a block or the kernel
/// refuses; the caller then copies.
///
/// # Safety
/// `p` is a live block of this allocator.
pub unsafe fn resize(p: *mut u8, n: usize) -> *mut u8 {
    let a = p as usize;
    if n <= MAX_SMALL {
        return null_mut();
    }
    let Some((s, page)) = lookup(a) else {
        return null_mut();
    };
    // SAFETY: a live huge segment, owned by whoever owns the block (the
    // caller), so nothing else touches its header meanwhile.
    unsafe {
        if (*page).in_use != IN_USE_HUGE || (*s).below_chunk != 0 || (*page).start as usize != a {
            return null_mut();
        }
        let off = a - s as usize;
        let Some(len) = off.checked_add(n).and_then(|l| l.checked_add(OS_PAGE - 1)) else {
            return null_mut();
        };
        let len = len & !(OS_PAGE - 1);
        let old = (*s).map_len;
        if len == old || remap(s as *mut u8, old, len, 0) {
            (*s).map_len = len;
            (*page).block_size = s as usize + len - a;
            (*page).divisor = divisor_of((*page).block_size);
            return p;
        }
        let dst = map_aligned(len, SEGMENT_SIZE);
        if dst.is_null() {
            return null_mut();
        }
        if !map_set(dst as usize, MAP_HEADER) {
            unmap(dst, len);
            return null_mut();
        }
        if !remap(s as *mut u8, old, len, dst as usize) {
            map_clear(dst as usize, MAP_HEADER);
            unmap(dst, len);
            return null_mut();
        }
        map_clear(s as usize, MAP_HEADER);
        let t = dst as *mut Segment;
        (*t).cookie = dst as usize ^ secret();
        (*t).map_len = len;
        let tp = &raw mut (*t).pages[0];
        (*tp).start = dst.add(off);
        (*tp).block_size = len - off;
        (*tp).divisor = divisor_of((*tp).block_size);
        dst.add(off)
    }
}

/// Allocates `size` zeroed bytes.
pub fn alloc_zeroed(size: usize) -> *mut u8 {
    if size > MAX_SMALL {
        // SAFETY: the heap is set up first; fresh mappings are zero and
        // reused ones are cleared by `huge_alloc`.
        unsafe {
            if heap().is_null() {
                return null_mut();
            }
            return huge_alloc(size, 16, true);
        }
    }
    let p = alloc(size);
    if !p.is_null() {
        // SAFETY: `p` holds `size` bytes.
        unsafe { crate::string::mem::memset(p.cast(), 0, size) };
    }
    p
}

/// Frees a block (`p` non-null).
///
/// Checked on every free: `p` lies in one of this allocator's segments, in
/// a page in use, at the start of a block already handed out (or, in a
/// page with aligned blocks, inside one); a block whose first word decodes
/// to a free-list link of its segment is looked up in its page's lists, so
/// freeing a block twice aborts unless it was written in between. With
/// `VICUNA_MALLOC_CHECK=1` every free is looked up and the page's lists
/// are validated.
///
/// # Safety
/// `p` was returned by this allocator and not freed since; anything else is
/// detected (as far as the checks reach) and aborts.
#[inline(always)]
pub unsafe fn free(p: *mut u8) {
    let a = p as usize;
    let h = tls_get() as *mut Heap;
    let chunk = a & !SEGMENT_MASK;
    // SAFETY: a segment of the caller's own heap is live while the heap has
    // it in `owned` (filled only when VICUNA_MALLOC_CHECK is known to be
    // off); anything else goes through the validating lookup. The fast
    // local path calls nothing; the rare cases are tail calls.
    unsafe {
        if h.is_null() || chunk != (*h).owned[owned_slot(chunk)] {
            return free_lookup(h, a);
        }
        let s = chunk as *mut Segment;
        let page = (&raw mut (*s).pages)
            .cast::<Page>()
            .add((a - chunk) >> (*s).page_shift);
        // A block start among the blocks carved so far: anything else is
        // not a pointer malloc returned (the slow path says which).
        let off = a.wrapping_sub((*page).start as usize);
        let divisor = (*page).divisor;
        if flags_word(page) != IN_USE as u32
            || off >= (*page).reserved as usize * (*page).block_size
            || (off as u64).wrapping_mul(divisor) > divisor.wrapping_sub(1)
        {
            return free_local_slow(h, page, a);
        }
        let key = (*page).key;
        let b = a as *mut u8;
        if (read_next(b, key) as usize ^ a) < SEGMENT_SIZE {
            return free_local_slow(h, page, a);
        }
        write_next(b, (*page).local_free, key);
        (*page).local_free = b;
        (*page).used = (*page).used.wrapping_sub(1);
        if (*page).used as i32 <= 0 {
            local_free_after(h, page);
        }
    }
}

/// A free outside the fast path: not in a segment of the caller's heap, or
/// the caller has no heap.
#[cold]
#[inline(never)]
unsafe fn free_lookup(h: *mut Heap, a: usize) {
    let Some((s, page)) = lookup(a) else {
        corrupt(
            "free of a pointer not returned by malloc, or already freed",
            a,
        )
    };
    // SAFETY: `lookup` found a live segment and an in-use page.
    unsafe {
        if (*page).in_use == IN_USE_HUGE {
            return huge_free(s, page, a);
        }
        if (*page).heap.load(Ordering::Relaxed) != h {
            let (b, _) = block_of(page, a);
            return remote_free(page, b as *mut u8);
        }
        if !strict() && STRICT.load(Ordering::Relaxed) == 1 {
            (*h).owned[owned_slot(s as usize)] = s as usize;
        }
        free_local_slow(h, page, a)
    }
}

/// A free into a page of the caller's heap that the fast path declined:
/// the page is not in use, full or has aligned blocks, the pointer is not a
/// block start, the block looks already freed, or checking is on.
#[cold]
#[inline(never)]
unsafe fn free_local_slow(h: *mut Heap, page: *mut Page, a: usize) {
    // SAFETY: `page` is a page descriptor of a live segment of `h`.
    unsafe {
        if (*page).in_use != IN_USE {
            corrupt(
                "free of a pointer not returned by malloc, or already freed",
                a,
            );
        }
        let (b, _) = block_of(page, a);
        let b = b as *mut u8;
        let key = (*page).key;
        let link = read_next(b, key) as usize;
        let strict = strict();
        if strict || (link ^ b as usize) < SEGMENT_SIZE {
            let tf = ((*page).thread_free.load(Ordering::Acquire) & !IN_FULL) as *mut u8;
            if on_list(page, (*page).free, b)
                || on_list(page, (*page).local_free, b)
                || on_list(page, tf, b)
            {
                corrupt("double free detected", b as usize);
            }
        }
        if strict {
            check_page(page);
        }
        write_next(b, (*page).local_free, key);
        (*page).local_free = b;
        (*page).used = (*page).used.wrapping_sub(1);
        if (*page).used as i32 <= 0 || (*page).in_full {
            local_free_after(h, page);
        }
    }
}

/// The rare ends of a local free: the page was full, is now empty, or its
/// count went below zero (a double free the checks missed).
#[inline(never)]
unsafe fn local_free_after(h: *mut Heap, page: *mut Page) {
    // SAFETY: `page` belongs to `h`, the caller's heap.
    unsafe {
        if (*page).used as i32 <= -1 {
            corrupt("double free detected", (*page).local_free as usize);
        }
        if (*page).in_full {
            unfull(h, page);
        }
        if (*page).used == 0 {
            retire(h, page);
        }
    }
}

#[inline(never)]
unsafe fn remote_free(page: *mut Page, b: *mut u8) {
    // SAFETY: `page` is live; the thread-free list and the delayed list are
    // the only parts of another thread's page touched, both atomically.
    unsafe {
        let key = (*page).key;
        // A block whose first word is a free-list link (`malloc` clears it,
        // and a program's data decodes into the segment with probability
        // about 2^-42) is already free: on the thread-free list, or on the
        // owner's lists, which only the owner may read. With checking on,
        // every block is looked up in the thread-free list.
        let link = read_next(b, key) as usize;
        if (link ^ b as usize) < SEGMENT_SIZE {
            corrupt("double free detected", b as usize);
        }
        if strict()
            && on_list(
                page,
                ((*page).thread_free.load(Ordering::Acquire) & !IN_FULL) as *mut u8,
                b,
            )
        {
            corrupt("double free detected", b as usize);
        }
        let tf = &(*page).thread_free;
        let mut old = tf.load(Ordering::Relaxed);
        loop {
            if old & IN_FULL != 0 && !(*page).in_delayed.swap(true, Ordering::AcqRel) {
                // Tell the owner first, while our block still counts as used,
                // so the page cannot be retired under us.
                let h = (*page).heap.load(Ordering::Relaxed);
                let mut head = (*h).delayed.load(Ordering::Relaxed);
                loop {
                    (*page).delayed_next = head;
                    match (*h).delayed.compare_exchange_weak(
                        head,
                        page,
                        Ordering::Release,
                        Ordering::Relaxed,
                    ) {
                        Ok(_) => break,
                        Err(x) => head = x,
                    }
                }
            }
            write_next(b, (old & !IN_FULL) as *mut u8, key);
            match tf.compare_exchange_weak(old, b as usize, Ordering::Release, Ordering::Relaxed) {
                Ok(_) => return,
                Err(x) => old = x,
            }
        }
    }
}

/// Bytes usable from `p` to the end of its block.
///
/// # Safety
/// As for [`free`].
pub unsafe fn usable_size(p: *mut u8) -> usize {
    let a = p as usize;
    let Some((s, page)) = lookup(a) else {
        corrupt("malloc_usable_size of a pointer not returned by malloc", a)
    };
    // SAFETY: a live page.
    unsafe {
        if (*s).kind == KIND_HUGE {
            return (*page).start as usize + (*page).block_size - a;
        }
        let (b, _) = block_of(page, a);
        b + (*page).block_size - a
    }
}

/// Returns retired pages' memory to the kernel now (for tests and for a
/// future `malloc_trim`-like hook).
pub fn purge_now() {
    let h = tls_get() as *mut Heap;
    if !h.is_null() {
        // SAFETY: the thread's own heap.
        unsafe { purge_due(h, true) };
    }
}

#[cfg(test)]
mod tests;
