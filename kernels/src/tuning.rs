//! Size thresholds that depend on the machine, set once by dispatch from
//! the detected caches and read by the kernels on their large-size paths.

use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::cpu::Caches;

/// Used until `configure` runs, and when the L3 size is unknown.
const DEFAULT_NON_TEMPORAL: usize = 8 << 20;

static NON_TEMPORAL: AtomicUsize = AtomicUsize::new(DEFAULT_NON_TEMPORAL);

/// Copies and fills of at least this many bytes bypass the caches with
/// non-temporal stores: the data would evict the whole working set anyway.
/// Measured on this project's EPYC (32 MiB L3 per CCX): regular stores win
/// up to about 8 MiB, streaming stores from 16 MiB on (15 vs 21 GB/s).
pub fn non_temporal_threshold() -> usize {
    NON_TEMPORAL.load(Relaxed)
}

/// The threshold these caches call for: half the L3 slice of this core.
pub const fn non_temporal_for(caches: &Caches) -> usize {
    if caches.l3 == 0 {
        DEFAULT_NON_TEMPORAL
    } else {
        let half = caches.l3 as usize / 2;
        if half < (1 << 20) { 1 << 20 } else { half }
    }
}

/// Sets the thresholds from the detected caches.
pub fn configure(caches: &Caches) {
    NON_TEMPORAL.store(non_temporal_for(caches), Relaxed);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_follows_l3() {
        let c = |l3| Caches { line: 64, l1d: 32 << 10, l2: 1 << 20, l3 };
        assert_eq!(non_temporal_for(&c(32 << 20)), 16 << 20);
        assert_eq!(non_temporal_for(&c(0)), DEFAULT_NON_TEMPORAL);
        assert_eq!(non_temporal_for(&c(512 << 10)), 1 << 20);
    }
}
