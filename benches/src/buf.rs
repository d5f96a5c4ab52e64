//! Page-aligned, zeroed heap buffers for benchmark inputs.

use std::alloc::{Layout, alloc_zeroed, dealloc};

pub struct Buf {
    ptr: *mut u8,
    layout: Layout,
}

impl Buf {
    /// `len` zeroed bytes starting at a 4 KiB boundary.
    pub fn new(len: usize) -> Buf {
        let layout = Layout::from_size_align(len.max(1), 4096).expect("buffer layout");
        // SAFETY: the layout has a non-zero size.
        let ptr = unsafe { alloc_zeroed(layout) };
        assert!(!ptr.is_null(), "out of memory allocating {len} bytes");
        Buf { ptr, layout }
    }

    pub fn ptr(&self) -> *mut u8 {
        self.ptr
    }

    pub fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` owns `layout.size()` initialized (zeroed) bytes.
        unsafe { core::slice::from_raw_parts(self.ptr, self.layout.size()) }
    }

    pub fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above, and `&mut self` makes the access unique.
        unsafe { core::slice::from_raw_parts_mut(self.ptr, self.layout.size()) }
    }
}

impl Drop for Buf {
    fn drop(&mut self) {
        // SAFETY: allocated in `new` with this layout, freed once.
        unsafe { dealloc(self.ptr, self.layout) }
    }
}
