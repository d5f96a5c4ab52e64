//! Size classes: every multiple of 16 up to 128 bytes, then eight classes
//! per power of two, so from 128 bytes on a request wastes at most 12.5%.
//! Blocks are multiples of 16, so every block is 16-byte aligned.

/// Largest size served from pages; bigger blocks get their own mapping.
pub const MAX_SMALL: usize = 128 * 1024;
/// Largest block in a 64 KiB small page; up to `MAX_SMALL` medium pages.
pub const MAX_SMALL_PAGE_BLOCK: usize = 8 * 1024;
/// Number of classes up to `MAX_SMALL`.
pub const NBINS: usize = 8 + (17 - 7) * 8;
/// Sizes up to this go through the direct table (one slot per 16 bytes).
pub const DIRECT_MAX: usize = 1024;
pub const DIRECT_SLOTS: usize = DIRECT_MAX / 16 + 1;

/// The class of a request of `size` bytes (`size <= MAX_SMALL`).
#[inline]
pub const fn class_of(size: usize) -> usize {
    if size <= 128 {
        if size == 0 { 0 } else { size.div_ceil(16) - 1 }
    } else {
        let w = size - 1;
        let b = (usize::BITS - 1 - w.leading_zeros()) as usize; // b >= 7
        8 + (b - 7) * 8 + ((w >> (b - 3)) & 7)
    }
}

/// The block size of class `c`.
#[inline]
pub const fn class_size(c: usize) -> usize {
    if c < 8 {
        (c + 1) * 16
    } else {
        let b = 7 + (c - 8) / 8;
        let k = (c - 8) % 8;
        (1 << b) + (k + 1) * (1 << (b - 3))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_cover_every_size_tightly() {
        assert_eq!(class_of(0), 0);
        assert_eq!(class_size(NBINS - 1), MAX_SMALL);
        let mut prev = 0;
        for c in 0..NBINS {
            let s = class_size(c);
            assert!(s > prev && s % 16 == 0, "class {c}");
            if prev >= 128 {
                // Spacing at most 12.5% of the smaller size.
                assert!((s - prev) * 8 <= prev, "class {c}: {prev} -> {s}");
            }
            prev = s;
        }
        for size in 1..=MAX_SMALL {
            let c = class_of(size);
            assert!(c < NBINS);
            assert!(class_size(c) >= size, "size {size}");
            assert!(
                c == 0 || class_size(c - 1) < size,
                "size {size} not in its smallest class"
            );
        }
    }
}
