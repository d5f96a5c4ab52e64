//! AArch64: features come from the kernel's `AT_HWCAP`/`AT_HWCAP2` words,
//! which the caller reads from the auxiliary vector.

use super::{Caches, CpuInfo, Feature, Features};

/// `HWCAP_ASIMD` (arch/arm64/include/uapi/asm/hwcap.h).
const HWCAP_ASIMD: usize = 1 << 1;
/// `HWCAP_SVE`.
const HWCAP_SVE: usize = 1 << 22;
/// `HWCAP2_SVE2`.
const HWCAP2_SVE2: usize = 1 << 1;

/// Decodes the two hardware-capability words.
pub fn from_hwcap(hwcap: usize, hwcap2: usize) -> CpuInfo {
    let features = Features::EMPTY
        .with_if(Feature::Asimd, hwcap & HWCAP_ASIMD != 0)
        .with_if(Feature::Sve, hwcap & HWCAP_SVE != 0)
        .with_if(Feature::Sve2, hwcap2 & HWCAP2_SVE2 != 0);
    CpuInfo { vendor: [0; 12], features, caches: Caches::default() }
}
