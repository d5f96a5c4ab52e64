//! Instruction-set levels that variants are written for.

/// One rung of the dispatch ladder. On x86_64 each level implies the ones
/// below it; on aarch64 only `Generic` and `Neon` apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    /// Portable Rust, no vector instructions assumed.
    Generic = 0,
    /// The x86_64 baseline.
    Sse2 = 1,
    /// SSE4.2 with SSSE3 and POPCNT.
    Sse42 = 2,
    /// AVX2 with BMI1/BMI2 and OS support for the YMM state.
    Avx2 = 3,
    /// AVX-512 F/BW/VL with OS support for the ZMM and mask state.
    Avx512 = 4,
    /// AArch64 Advanced SIMD.
    Neon = 5,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 6] = [
        Level::Generic,
        Level::Sse2,
        Level::Sse42,
        Level::Avx2,
        Level::Avx512,
        Level::Neon,
    ];

    /// The name used by `VICUNA_CPU` and by diagnostics.
    pub const fn name(self) -> &'static str {
        match self {
            Level::Generic => "generic",
            Level::Sse2 => "sse2",
            Level::Sse42 => "sse4.2",
            Level::Avx2 => "avx2",
            Level::Avx512 => "avx512",
            Level::Neon => "neon",
        }
    }

    /// Parses a `VICUNA_CPU` value. Accepts the names above plus `sse42`.
    pub fn parse(s: &[u8]) -> Option<Level> {
        if s == b"sse42" {
            return Some(Level::Sse42);
        }
        Level::ALL.into_iter().find(|l| l.name().as_bytes() == s)
    }

    /// Converts back from the `repr(u8)` value.
    pub const fn from_u8(v: u8) -> Option<Level> {
        match v {
            0 => Some(Level::Generic),
            1 => Some(Level::Sse2),
            2 => Some(Level::Sse42),
            3 => Some(Level::Avx2),
            4 => Some(Level::Avx512),
            5 => Some(Level::Neon),
            _ => None,
        }
    }

    /// Whether a variant written for `self` may run on a machine (or under
    /// a cap) whose level is `ceiling`. Levels of the other architecture
    /// never qualify.
    pub const fn runs_under(self, ceiling: Level) -> bool {
        match (self, ceiling) {
            (Level::Generic, _) => true,
            (Level::Neon, Level::Neon) => true,
            (Level::Neon, _) | (_, Level::Neon) => false,
            _ => self as u8 <= ceiling as u8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for l in Level::ALL {
            assert_eq!(Level::parse(l.name().as_bytes()), Some(l));
            assert_eq!(Level::from_u8(l as u8), Some(l));
        }
        assert_eq!(Level::parse(b"sse42"), Some(Level::Sse42));
        assert_eq!(Level::parse(b"avx"), None);
        assert_eq!(Level::parse(b""), None);
    }

    #[test]
    fn ladder() {
        assert!(Level::Sse2.runs_under(Level::Avx512));
        assert!(!Level::Avx512.runs_under(Level::Avx2));
        assert!(Level::Generic.runs_under(Level::Neon));
        assert!(!Level::Sse2.runs_under(Level::Neon));
        assert!(!Level::Neon.runs_under(Level::Avx512));
    }
}
