//! The panic handler: a libc never unwinds. It writes one line to fd 2 and
//! aborts. Panics are bugs; no hot path has a panic branch by design.

use core::fmt::Write;
use core::panic::PanicInfo;

use crate::diag::FdWriter;
use crate::sys;

#[panic_handler]
fn panic(info: &PanicInfo) -> ! {
    let mut w = FdWriter::new(2);
    let _ = write!(w, "vicuna: internal error: {}", info.message());
    if let Some(loc) = info.location() {
        let _ = write!(w, " at {}:{}", loc.file(), loc.line());
    }
    let _ = w.write_str("\n");
    w.flush();
    sys::abort()
}
