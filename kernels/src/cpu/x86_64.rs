//! x86_64: features from `cpuid`, OS register-state support from `xgetbv`,
//! cache geometry from the deterministic cache-parameter leaves.

use core::arch::x86_64::{CpuidResult, __cpuid_count, _xgetbv};

use super::{Caches, CpuInfo, Feature, Features};

#[allow(unused_unsafe)]
fn cpuid(leaf: u32, sub: u32) -> CpuidResult {
    // SAFETY: `cpuid` exists on every x86_64 processor and only reads
    // identification registers; it has no memory effects.
    unsafe { __cpuid_count(leaf, sub) }
}

const fn bit(reg: u32, n: u32) -> bool {
    reg & (1 << n) != 0
}

/// Reads XCR0. Only call when CPUID.1:ECX.OSXSAVE is set.
#[target_feature(enable = "xsave")]
unsafe fn xcr0() -> u64 {
    // SAFETY: the caller checked OSXSAVE, so `xgetbv` with ECX=0 is enabled.
    unsafe { _xgetbv(0) }
}

/// Reads the processor's features and cache sizes.
pub fn detect() -> CpuInfo {
    use Feature::*;
    let l0 = cpuid(0, 0);
    let max_leaf = l0.eax;
    let mut vendor = [0u8; 12];
    for (i, reg) in [l0.ebx, l0.edx, l0.ecx].into_iter().enumerate() {
        let bytes = reg.to_le_bytes();
        let mut j = 0;
        while j < 4 {
            vendor[i * 4 + j] = bytes[j];
            j += 1;
        }
    }

    let l1 = cpuid(1, 0);
    let mut f = Features::EMPTY
        .with_if(Sse2, bit(l1.edx, 26))
        .with_if(Sse3, bit(l1.ecx, 0))
        .with_if(Ssse3, bit(l1.ecx, 9))
        .with_if(Sse41, bit(l1.ecx, 19))
        .with_if(Sse42, bit(l1.ecx, 20))
        .with_if(Movbe, bit(l1.ecx, 22))
        .with_if(Popcnt, bit(l1.ecx, 23))
        .with_if(Avx, bit(l1.ecx, 28));

    if bit(l1.ecx, 27) {
        // SAFETY: OSXSAVE (CPUID.1:ECX bit 27) is set, checked just above.
        let xcr0 = unsafe { xcr0() };
        f = f
            .with_if(OsYmm, xcr0 & 0x6 == 0x6)
            .with_if(OsZmm, xcr0 & 0xe6 == 0xe6);
    }

    if max_leaf >= 7 {
        let l7 = cpuid(7, 0);
        f = f
            .with_if(Bmi1, bit(l7.ebx, 3))
            .with_if(Avx2, bit(l7.ebx, 5))
            .with_if(Bmi2, bit(l7.ebx, 8))
            .with_if(Erms, bit(l7.ebx, 9))
            .with_if(Avx512f, bit(l7.ebx, 16))
            .with_if(Avx512dq, bit(l7.ebx, 17))
            .with_if(Avx512cd, bit(l7.ebx, 28))
            .with_if(Avx512bw, bit(l7.ebx, 30))
            .with_if(Avx512vl, bit(l7.ebx, 31))
            .with_if(Avx512vbmi, bit(l7.ecx, 1))
            .with_if(Avx512vbmi2, bit(l7.ecx, 6))
            .with_if(Fsrm, bit(l7.edx, 4));
    }

    let max_ext = cpuid(0x8000_0000, 0).eax;
    let mut topoext = false;
    if max_ext >= 0x8000_0001 {
        let e1 = cpuid(0x8000_0001, 0);
        f = f.with_if(Lzcnt, bit(e1.ecx, 5));
        topoext = bit(e1.ecx, 22);
    }

    let caches = if &vendor == b"GenuineIntel" && max_leaf >= 4 {
        deterministic_caches(4)
    } else if topoext && max_ext >= 0x8000_001d {
        deterministic_caches(0x8000_001d)
    } else {
        Caches::default()
    };
    let caches = if caches.l1d == 0 { legacy_amd_caches(max_ext) } else { caches };

    CpuInfo { vendor, features: f, caches }
}

/// Walks a deterministic cache-parameter leaf (Intel leaf 4, AMD leaf
/// 0x8000001D: same layout) and keeps the data and unified caches.
fn deterministic_caches(leaf: u32) -> Caches {
    let mut c = Caches::default();
    for sub in 0..16 {
        let r = cpuid(leaf, sub);
        let kind = r.eax & 0x1f; // 0 = no more caches, 1 = data, 2 = code, 3 = unified
        if kind == 0 {
            break;
        }
        if kind == 2 {
            continue;
        }
        let level = (r.eax >> 5) & 0x7;
        let ways = (r.ebx >> 22) + 1;
        let partitions = ((r.ebx >> 12) & 0x3ff) + 1;
        let line = (r.ebx & 0xfff) + 1;
        let sets = r.ecx + 1;
        let size = ways.saturating_mul(partitions).saturating_mul(line).saturating_mul(sets);
        match level {
            1 => {
                c.l1d = size;
                c.line = line;
            }
            2 => c.l2 = size,
            3 => c.l3 = size,
            _ => {}
        }
    }
    c
}

/// AMD's older extended leaves 0x80000005/6, for processors without
/// topology extensions.
fn legacy_amd_caches(max_ext: u32) -> Caches {
    let mut c = Caches::default();
    if max_ext >= 0x8000_0005 {
        let r = cpuid(0x8000_0005, 0);
        c.l1d = (r.ecx >> 24) * 1024;
        c.line = r.ecx & 0xff;
    }
    if max_ext >= 0x8000_0006 {
        let r = cpuid(0x8000_0006, 0);
        c.l2 = (r.ecx >> 16) * 1024;
        c.l3 = (r.edx >> 18) * 512 * 1024;
        if c.line == 0 {
            c.line = r.ecx & 0xff;
        }
    }
    c
}
