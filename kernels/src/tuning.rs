//! Size thresholds that depend on the machine, set once by dispatch from
//! the detected caches and read by the kernels on their large-size paths.

use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use crate::cpu::{Caches, Feature, Features};

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

/// Fills from this size up to the non-temporal threshold use `rep stosb`;
/// `usize::MAX` (never) until `configure_features` sees ERMS.
static REP_STOSB: AtomicUsize = AtomicUsize::new(usize::MAX);

/// With ERMS, `rep stosb` fills 2 KiB and more at the store bandwidth
/// with one instruction: measured on this project's EPYC, 4100 bytes in
/// 37 ns against 45-49 ns for the 64-byte store loop (scripts/bench-strings).
const REP_STOSB_ERMS: usize = 2048;

/// The smallest `memset` that uses `rep stosb` (below
/// [`non_temporal_threshold`]).
pub fn rep_stosb_threshold() -> usize {
    REP_STOSB.load(Relaxed)
}

/// Sets the thresholds that depend on CPU features.
pub fn configure_features(features: Features) {
    REP_STOSB.store(if features.has(Feature::Erms) { REP_STOSB_ERMS } else { usize::MAX }, Relaxed);
}

/// Sets the `rep stosb` threshold directly (tests).
#[cfg(test)]
pub(crate) fn set_rep_stosb_threshold(n: usize) {
    REP_STOSB.store(n, Relaxed);
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
