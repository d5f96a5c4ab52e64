use super::*;

#[test]
fn musl_edge_cases() {
    let a = malloc(0);
    let b = malloc(0);
    assert!(!a.is_null() && !b.is_null() && a != b);
    // SAFETY: live blocks.
    unsafe {
        let r = realloc(a, 0);
        assert!(!r.is_null());
        free(r);
        free(b);
        free(core::ptr::null_mut());
        assert_eq!(malloc_usable_size(core::ptr::null_mut()), 0);
    }
    errno::set_errno(Errno(0));
    assert!(calloc(usize::MAX / 2, 3).is_null());
    assert_eq!(errno::errno(), Errno::ENOMEM);
    errno::set_errno(Errno(0));
    assert!(malloc(usize::MAX / 2).is_null());
    assert_eq!(errno::errno(), Errno::ENOMEM);
    errno::set_errno(Errno(0));
    assert!(aligned_alloc(3, 10).is_null());
    assert_eq!(errno::errno(), Errno::EINVAL);
    errno::set_errno(Errno(0));
    assert!(memalign(1 << 36, 10).is_null());
    assert_eq!(errno::errno(), Errno::ENOMEM);
    let z = aligned_alloc(0, 10);
    assert!(!z.is_null());
    let mut p = core::ptr::null_mut();
    // SAFETY: `p` is writable.
    unsafe {
        assert_eq!(posix_memalign(&mut p, 4, 10), Errno::EINVAL.0);
        assert_eq!(posix_memalign(&mut p, 24, 10), Errno::EINVAL.0);
        assert_eq!(posix_memalign(&mut p, 0, 10), Errno::EINVAL.0);
        assert_eq!(posix_memalign(&mut p, 256, 10), 0);
        assert_eq!(p as usize % 256, 0);
        free(p);
        free(z);
    }
    let v = valloc(10);
    assert_eq!(v as usize % 4096, 0);
    // SAFETY: live block.
    unsafe { free(v) };
}

#[test]
fn calloc_zeroes_reused_memory() {
    for size in [8usize, 100, 5000, 200_000] {
        let p = malloc(size) as *mut u8;
        // SAFETY: `p` holds `size` bytes.
        unsafe {
            core::ptr::write_bytes(p, 0xff, size);
            free(p.cast());
        }
        let q = calloc(1, size) as *mut u8;
        // SAFETY: `q` holds `size` bytes.
        assert!((0..size).all(|i| unsafe { *q.add(i) } == 0));
        // SAFETY: live block.
        unsafe { free(q.cast()) };
    }
}

#[test]
fn realloc_keeps_contents_and_failure_keeps_block() {
    let mut p = malloc(10) as *mut u8;
    // SAFETY: `p` holds 10 bytes; later sizes as allocated.
    unsafe {
        for i in 0..10 {
            *p.add(i) = i as u8;
        }
        for &n in &[20usize, 1000, 100_000, 300_000, 5_000_000, 50, 10] {
            p = realloc(p.cast(), n) as *mut u8;
            assert!(!p.is_null());
            assert!((0..10).all(|i| *p.add(i) == i as u8), "size {n}");
        }
        errno::set_errno(Errno(0));
        assert!(realloc(p.cast(), usize::MAX - 10).is_null());
        assert_eq!(errno::errno(), Errno::ENOMEM);
        assert!(reallocarray(p.cast(), usize::MAX / 2, 3).is_null());
        assert!((0..10).all(|i| *p.add(i) == i as u8));
        free(p.cast());
    }
}

#[test]
fn mmap_backend_and_switch() {
    for (align, size) in [
        (16usize, 0usize),
        (16, 100),
        (64, 1000),
        (8192, 50),
        (16, 300_000),
    ] {
        let p = Mmap::alloc_aligned(align, size);
        assert!(!p.is_null() && p as usize % align == 0);
        // SAFETY: a live block of at least `size` bytes.
        unsafe {
            assert!(Mmap::usable_size(p) >= size);
            core::ptr::write_bytes(p, 0x5a, size);
            Mmap::free(p);
        }
        let z = Mmap::alloc_zeroed(size);
        // SAFETY: a live zeroed block.
        unsafe {
            assert!((0..size).all(|i| *z.add(i) == 0));
            // Blocks of one backend may be freed through the other.
            Mimalloc::free(z);
        }
    }
    // The switch picks mimalloc unless told otherwise (environment read once).
    assert!(!Switch::mmap());
    let p = Switch::alloc(10);
    // SAFETY: live block.
    unsafe { Switch::free(p) };
}
