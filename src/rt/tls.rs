//! Static TLS for the main thread: the `PT_TLS` segment found through
//! `AT_PHDR`/`AT_PHNUM`, and where its block and the thread structure go.
//!
//! Variant II (x86_64): the thread pointer `tp` is the address of the
//! [`Thread`](super::thread::Thread); the TLS block ends at `tp`:
//!
//! ```text
//!   block = tp - off                       tp
//!   | .tdata (filesz) | .tbss (zeroed) | pad | Thread ... |
//! ```
//!
//! `off` is at least `memsz` and makes `block` congruent to the image's
//! address modulo `p_align`, with `tp` aligned to `p_align`: the offsets the
//! static linker wrote into local-exec code (`%fs:-off+x`).
//!
//! Variant I (aarch64): `tp` points just past the structure; the block
//! starts at `tp + off`, `off` = 16 (two reserved words) rounded so that the
//! block is congruent to the image modulo `p_align`:
//!
//! ```text
//!   | Thread ... | tp: 16 bytes | pad | .tdata | .tbss |
//! ```
//!
//! Both layouts are computed on every architecture (and tested here); only
//! the running architecture's is used.

/// An ELF64 program header.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Phdr {
    pub p_type: u32,
    pub p_flags: u32,
    pub p_offset: u64,
    pub p_vaddr: u64,
    pub p_paddr: u64,
    pub p_filesz: u64,
    pub p_memsz: u64,
    pub p_align: u64,
}

pub const PT_DYNAMIC: u32 = 2;
pub const PT_PHDR: u32 = 6;
pub const PT_TLS: u32 = 7;

/// The TLS initialisation image, at its run-time address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Image {
    pub addr: usize,
    pub filesz: usize,
    pub memsz: usize,
    /// A power of two, at least 1.
    pub align: usize,
}

/// The program's TLS image, if it has one, at its run-time address. The
/// load base of a position-independent executable (0 for a fixed one)
/// comes from `PT_DYNAMIC` and `dynamic`, the run-time address of
/// `_DYNAMIC` (0 when the program has none), or else from `PT_PHDR` and
/// `phdr_addr`, where the headers are mapped (`AT_PHDR`). A static PIE has
/// no `PT_PHDR`.
pub fn find(phdrs: &[Phdr], phdr_addr: usize, dynamic: usize) -> Option<Image> {
    let by_dynamic = phdrs
        .iter()
        .find(|p| p.p_type == PT_DYNAMIC && dynamic != 0)
        .map(|p| dynamic.wrapping_sub(p.p_vaddr as usize));
    let by_phdr = phdrs
        .iter()
        .find(|p| p.p_type == PT_PHDR)
        .map(|p| phdr_addr.wrapping_sub(p.p_vaddr as usize));
    let base = by_dynamic.or(by_phdr).unwrap_or(0);
    phdrs.iter().find(|p| p.p_type == PT_TLS).map(|p| Image {
        addr: base.wrapping_add(p.p_vaddr as usize),
        filesz: p.p_filesz as usize,
        memsz: p.p_memsz as usize,
        align: (p.p_align as usize).max(1).next_power_of_two(),
    })
}

/// Where the pieces go inside a region of memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    /// The thread pointer.
    pub tp: usize,
    /// The thread structure.
    pub thread: usize,
    /// The start of the TLS block (`memsz` bytes).
    pub block: usize,
}

/// The size of a region for the block and the thread structure, and how to
/// place them in it at any base address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    pub image: Image,
    pub variant_one: bool,
    /// Bytes to reserve; any base address works (slack for alignment is
    /// included).
    pub size: usize,
    /// Alignment of the thread pointer.
    pub align: usize,
    /// Distance between the thread pointer and the block start.
    pub off: usize,
    thread_size: usize,
}

/// Gap between the thread pointer and the first TLS block in variant I.
pub const VARIANT_ONE_GAP: usize = 16;

impl Plan {
    /// Variant II (x86_64): block below the thread pointer.
    pub fn variant_two(image: Image, thread_size: usize, thread_align: usize) -> Plan {
        let a = image.align;
        let align = a.max(thread_align);
        let off = image.memsz + (0usize.wrapping_sub(image.memsz.wrapping_add(image.addr)) & (a - 1));
        Plan { image, variant_one: false, size: off + thread_size + align - 1, align, off, thread_size }
    }

    /// Variant I (aarch64): block above the thread pointer.
    pub fn variant_one(image: Image, thread_size: usize, thread_align: usize) -> Plan {
        let a = image.align;
        let align = a.max(thread_align);
        let off = VARIANT_ONE_GAP + (image.addr.wrapping_sub(VARIANT_ONE_GAP) & (a - 1));
        Plan { image, variant_one: true, size: thread_size + align - 1 + off + image.memsz, align, off, thread_size }
    }

    /// Places the pieces in `[base, base + self.size)`.
    pub fn place(&self, base: usize) -> Placement {
        let up = |x: usize| (x + self.align - 1) & !(self.align - 1);
        if self.variant_one {
            let tp = up(base + self.thread_size);
            Placement { tp, thread: tp - self.thread_size, block: tp + self.off }
        } else {
            let tp = up(base + self.off);
            Placement { tp, thread: tp, block: tp - self.off }
        }
    }
}

/// Copies the initialisation image into the block and zeroes the rest
/// (`.tbss`). Plain byte loops: this runs before the dispatched `memcpy`
/// may be used (the crate is `no_builtins`, so they stay loops).
///
/// # Safety
/// `block` is writable for `image.memsz` bytes and does not overlap the
/// image, which is readable for `image.filesz` bytes.
pub unsafe fn fill(block: *mut u8, image: &Image) {
    let src = image.addr as *const u8;
    for i in 0..image.filesz.min(image.memsz) {
        // SAFETY: in bounds of both, by the caller's guarantee.
        unsafe { block.add(i).write(src.add(i).read()) };
    }
    for i in image.filesz.min(image.memsz)..image.memsz {
        // SAFETY: in bounds of the block.
        unsafe { block.add(i).write(0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image(addr: usize, filesz: usize, memsz: usize, align: usize) -> Image {
        Image { addr, filesz, memsz, align }
    }

    #[test]
    fn finds_pt_tls_and_the_pie_base() {
        let mut h = [Phdr::default(); 3];
        h[0] = Phdr { p_type: PT_PHDR, p_vaddr: 0x40, ..Default::default() };
        h[1] = Phdr { p_type: 1, p_vaddr: 0, ..Default::default() };
        h[2] = Phdr { p_type: PT_TLS, p_vaddr: 0x3000, p_filesz: 8, p_memsz: 24, p_align: 64, ..Default::default() };
        assert_eq!(find(&h, 0x7000_0040, 0), Some(image(0x7000_3000, 8, 24, 64)));
        // Fixed-address executable without PT_PHDR: base 0.
        assert_eq!(find(&h[1..], 0x40_0040, 0), Some(image(0x3000, 8, 24, 64)));
        assert_eq!(find(&h[..2], 0x40, 0), None);
        // Static PIE: no PT_PHDR, the base comes from _DYNAMIC.
        h[0] = Phdr { p_type: PT_DYNAMIC, p_vaddr: 0x5000, ..Default::default() };
        assert_eq!(find(&h, 0x7000_0040, 0x7000_5000), Some(image(0x7000_3000, 8, 24, 64)));
        assert_eq!(find(&h, 0x40, 0), Some(image(0x3000, 8, 24, 64)));
        // p_align 0 means no constraint.
        h[2].p_align = 0;
        assert_eq!(find(&h, 0x40, 0).unwrap().align, 1);
    }

    /// The offsets ld writes for local-exec code, for an image whose
    /// address is aligned: variant II `round_up(memsz, align)` below tp,
    /// variant I `round_up(16, align)` above it.
    #[test]
    fn offsets_match_the_linker() {
        for align in [1usize, 8, 16, 64, 4096] {
            for memsz in [0usize, 1, 8, 63, 64, 65, 8192] {
                let img = image(0x40_0000, memsz.min(5), memsz, align);
                let two = Plan::variant_two(img, 64, 16);
                assert_eq!(two.off, memsz.div_ceil(align) * align, "align {align} memsz {memsz}");
                let one = Plan::variant_one(img, 64, 16);
                assert_eq!(one.off, 16usize.div_ceil(align) * align, "align {align}");
            }
        }
    }

    #[test]
    fn placement_fits_and_is_congruent() {
        for variant_one in [false, true] {
            for align in [1usize, 4, 16, 64, 256] {
                for addr_mis in [0usize, 3, 17] {
                    let addr = 0x60_0000 + (addr_mis % align);
                    for memsz in [0usize, 1, 100, 4096] {
                        let img = image(addr, memsz / 2, memsz, align);
                        let plan = if variant_one {
                            Plan::variant_one(img, 64, 16)
                        } else {
                            Plan::variant_two(img, 64, 16)
                        };
                        for base in [0x1000usize, 0x1001, 0x1038, 0x10ff] {
                            let p = plan.place(base);
                            assert_eq!(p.tp % plan.align, 0);
                            assert_eq!(p.thread % 16, 0);
                            assert_eq!(p.block % align, addr % align, "{plan:?} base {base:#x}");
                            // Everything inside the region, nothing overlapping.
                            assert!(p.block >= base && p.thread >= base);
                            assert!(p.block + memsz <= base + plan.size);
                            assert!(p.thread + 64 <= base + plan.size);
                            let (lo, hi) = if p.thread < p.block { (p.thread + 64, p.block) } else { (p.block + memsz, p.thread) };
                            assert!(lo <= hi, "{plan:?} {p:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn fill_copies_tdata_and_zeroes_tbss() {
        let tdata = [1u8, 2, 3, 4, 5];
        let img = image(tdata.as_ptr() as usize, 5, 12, 1);
        let mut block = [0xaau8; 12];
        // SAFETY: block holds memsz bytes; the image filesz.
        unsafe { fill(block.as_mut_ptr(), &img) };
        assert_eq!(block, [1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 0]);
    }
}
