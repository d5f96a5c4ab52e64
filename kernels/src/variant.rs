//! A variant table entry: one implementation of a routine for one level.

use crate::Level;

/// One implementation of a dispatched routine.
#[derive(Clone, Copy)]
pub struct Variant<F: Copy> {
    /// Shown by diagnostics and test names, e.g. `"avx2"`.
    pub name: &'static str,
    /// The lowest level whose instructions it needs.
    pub level: Level,
    pub func: F,
}

/// Picks the best variant that runs under `ceiling`. Tables list variants
/// lowest level first and always start with a generic one, so there is
/// always an answer.
pub fn best<F: Copy>(table: &[Variant<F>], ceiling: Level) -> &Variant<F> {
    let mut chosen = &table[0];
    for v in table {
        if v.level.runs_under(ceiling) {
            chosen = v;
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn best_picks_highest_allowed() {
        let t = [
            Variant { name: "generic", level: Level::Generic, func: 0u8 },
            Variant { name: "sse2", level: Level::Sse2, func: 1 },
            Variant { name: "avx2", level: Level::Avx2, func: 3 },
        ];
        assert_eq!(best(&t, Level::Avx512).name, "avx2");
        assert_eq!(best(&t, Level::Sse42).name, "sse2");
        assert_eq!(best(&t, Level::Generic).name, "generic");
        assert_eq!(best(&t, Level::Neon).name, "generic");
    }
}
