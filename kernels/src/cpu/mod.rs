//! What the processor offers, read once from the hardware (x86_64) or from
//! the kernel's hardware-capability words (aarch64).

#[cfg(target_arch = "x86_64")]
mod x86_64;
#[cfg(target_arch = "x86_64")]
pub use x86_64::detect;

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(target_arch = "aarch64")]
pub use aarch64::from_hwcap;

use crate::Level;

/// A named CPU feature. The discriminant is the bit in [`Features`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Feature {
    Sse2,
    Sse3,
    Ssse3,
    Sse41,
    Sse42,
    Popcnt,
    Avx,
    Avx2,
    Bmi1,
    Bmi2,
    Lzcnt,
    Movbe,
    Avx512f,
    Avx512bw,
    Avx512vl,
    Avx512dq,
    Avx512cd,
    Avx512vbmi,
    Avx512vbmi2,
    /// Enhanced `rep movsb`/`rep stosb`.
    Erms,
    /// Fast short `rep movsb`.
    Fsrm,
    /// The OS saves the XMM and YMM state (XCR0 bits 1 and 2).
    OsYmm,
    /// The OS saves the opmask and ZMM state (XCR0 bits 5, 6 and 7).
    OsZmm,
    /// AArch64 Advanced SIMD (`HWCAP_ASIMD`).
    Asimd,
    /// AArch64 SVE (`HWCAP_SVE`).
    Sve,
    /// AArch64 SVE2 (`HWCAP2_SVE2`).
    Sve2,
}

impl Feature {
    pub const ALL: [Feature; 26] = [
        Feature::Sse2,
        Feature::Sse3,
        Feature::Ssse3,
        Feature::Sse41,
        Feature::Sse42,
        Feature::Popcnt,
        Feature::Avx,
        Feature::Avx2,
        Feature::Bmi1,
        Feature::Bmi2,
        Feature::Lzcnt,
        Feature::Movbe,
        Feature::Avx512f,
        Feature::Avx512bw,
        Feature::Avx512vl,
        Feature::Avx512dq,
        Feature::Avx512cd,
        Feature::Avx512vbmi,
        Feature::Avx512vbmi2,
        Feature::Erms,
        Feature::Fsrm,
        Feature::OsYmm,
        Feature::OsZmm,
        Feature::Asimd,
        Feature::Sve,
        Feature::Sve2,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Feature::Sse2 => "sse2",
            Feature::Sse3 => "sse3",
            Feature::Ssse3 => "ssse3",
            Feature::Sse41 => "sse4.1",
            Feature::Sse42 => "sse4.2",
            Feature::Popcnt => "popcnt",
            Feature::Avx => "avx",
            Feature::Avx2 => "avx2",
            Feature::Bmi1 => "bmi1",
            Feature::Bmi2 => "bmi2",
            Feature::Lzcnt => "lzcnt",
            Feature::Movbe => "movbe",
            Feature::Avx512f => "avx512f",
            Feature::Avx512bw => "avx512bw",
            Feature::Avx512vl => "avx512vl",
            Feature::Avx512dq => "avx512dq",
            Feature::Avx512cd => "avx512cd",
            Feature::Avx512vbmi => "avx512vbmi",
            Feature::Avx512vbmi2 => "avx512vbmi2",
            Feature::Erms => "erms",
            Feature::Fsrm => "fsrm",
            Feature::OsYmm => "os-ymm",
            Feature::OsZmm => "os-zmm",
            Feature::Asimd => "asimd",
            Feature::Sve => "sve",
            Feature::Sve2 => "sve2",
        }
    }
}

/// A set of [`Feature`]s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Features(u32);

impl Features {
    pub const EMPTY: Features = Features(0);

    pub const fn has(self, f: Feature) -> bool {
        self.0 & (1 << f as u8) != 0
    }

    pub const fn with(self, f: Feature) -> Features {
        Features(self.0 | (1 << f as u8))
    }

    pub const fn with_if(self, f: Feature, cond: bool) -> Features {
        if cond { self.with(f) } else { self }
    }

    const fn has_all(self, fs: &[Feature]) -> bool {
        let mut i = 0;
        while i < fs.len() {
            if !self.has(fs[i]) {
                return false;
            }
            i += 1;
        }
        true
    }

    /// The highest dispatch level these features fully support.
    pub const fn level(self) -> Level {
        use Feature::*;
        if self.has(Asimd) {
            return Level::Neon;
        }
        if !self.has(Sse2) {
            return Level::Generic;
        }
        let sse42 = self.has_all(&[Ssse3, Sse41, Sse42, Popcnt]);
        let avx2 = sse42 && self.has_all(&[Avx, Avx2, Bmi1, Bmi2, OsYmm]);
        let avx512 = avx2 && self.has_all(&[Avx512f, Avx512bw, Avx512vl, OsZmm]);
        if avx512 {
            Level::Avx512
        } else if avx2 {
            Level::Avx2
        } else if sse42 {
            Level::Sse42
        } else {
            Level::Sse2
        }
    }
}

/// Data-cache sizes in bytes (0 where unknown), used to place the
/// thresholds for `rep movsb` and non-temporal stores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Caches {
    pub line: u32,
    pub l1d: u32,
    pub l2: u32,
    /// The L3 slice this core shares (one CCX on AMD), not the socket total.
    pub l3: u32,
}

/// Everything dispatch needs to know about the processor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CpuInfo {
    /// The CPUID vendor string on x86_64 (`"AuthenticAMD"`, ...), zeros elsewhere.
    pub vendor: [u8; 12],
    pub features: Features,
    pub caches: Caches,
}

impl CpuInfo {
    /// The highest level the hardware (and OS) supports.
    pub const fn level(&self) -> Level {
        self.features.level()
    }

    /// The vendor string as text (empty when unknown).
    pub fn vendor_str(&self) -> &str {
        let len = self.vendor.iter().position(|&b| b == 0).unwrap_or(12);
        core::str::from_utf8(&self.vendor[..len]).unwrap_or("?")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Feature::*;

    fn set(fs: &[Feature]) -> Features {
        fs.iter().fold(Features::EMPTY, |acc, &f| acc.with(f))
    }

    #[test]
    fn level_needs_every_feature_of_the_rung() {
        let sse42 = [Sse2, Sse3, Ssse3, Sse41, Sse42, Popcnt];
        assert_eq!(set(&[]).level(), Level::Generic);
        assert_eq!(set(&[Sse2]).level(), Level::Sse2);
        assert_eq!(set(&sse42).level(), Level::Sse42);
        let mut avx2 = sse42.to_vec();
        avx2.extend([Avx, Avx2, Bmi1, Bmi2]);
        // Without OS support for the YMM state, AVX2 must not be used.
        assert_eq!(set(&avx2).level(), Level::Sse42);
        avx2.push(OsYmm);
        assert_eq!(set(&avx2).level(), Level::Avx2);
        let mut avx512 = avx2.clone();
        avx512.extend([Avx512f, Avx512bw, Avx512vl]);
        assert_eq!(set(&avx512).level(), Level::Avx2);
        avx512.push(OsZmm);
        assert_eq!(set(&avx512).level(), Level::Avx512);
        assert_eq!(set(&[Asimd]).level(), Level::Neon);
    }

    #[test]
    fn feature_bits_are_distinct() {
        for (i, f) in Feature::ALL.iter().enumerate() {
            assert_eq!(*f as usize, i);
            assert!(Features::EMPTY.with(*f).has(*f));
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn detection_agrees_with_std() {
        let info = detect();
        let f = info.features;
        assert_eq!(f.has(Sse2), std::is_x86_feature_detected!("sse2"));
        assert_eq!(f.has(Sse42), std::is_x86_feature_detected!("sse4.2"));
        assert_eq!(f.has(Avx2) && f.has(OsYmm), std::is_x86_feature_detected!("avx2"));
        assert_eq!(f.has(Bmi2), std::is_x86_feature_detected!("bmi2"));
        assert_eq!(
            f.has(Avx512bw) && f.has(OsZmm),
            std::is_x86_feature_detected!("avx512bw")
        );
        assert_eq!(
            f.has(Avx512vl) && f.has(OsZmm),
            std::is_x86_feature_detected!("avx512vl")
        );
        assert!(info.caches.line >= 32, "{:?}", info.caches);
        assert!(info.caches.l1d >= 8 * 1024, "{:?}", info.caches);
        assert!(info.caches.l2 >= info.caches.l1d, "{:?}", info.caches);
        assert!(!info.vendor_str().is_empty());
    }
}
