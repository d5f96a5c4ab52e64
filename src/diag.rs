//! Diagnostics (`VICUNA_DIAGNOSTICS=1`): the detected CPU, the cap and the
//! variant chosen for each routine, printed to fd 2 like glibc's
//! `ld.so --list-diagnostics`.

use core::fmt::{self, Write};

use vicuna_kernels::cpu::Feature;

use crate::dispatch::{self, Cap};
use crate::sys;

/// A small buffered writer to a file descriptor, for code that cannot
/// allocate or use stdio.
pub struct FdWriter {
    fd: i32,
    buf: [u8; 512],
    len: usize,
}

impl FdWriter {
    pub const fn new(fd: i32) -> FdWriter {
        FdWriter { fd, buf: [0; 512], len: 0 }
    }

    pub fn flush(&mut self) {
        sys::write_all(self.fd, &self.buf[..self.len]);
        self.len = 0;
    }

    /// Appends raw bytes (which need not be UTF-8).
    pub fn write_bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            if self.len == self.buf.len() {
                self.flush();
            }
            self.buf[self.len] = b;
            self.len += 1;
        }
    }
}

impl Write for FdWriter {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.write_bytes(s.as_bytes());
        Ok(())
    }
}

impl Drop for FdWriter {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Writes the report to `w`.
pub fn report(w: &mut impl Write) -> fmt::Result {
    let s = dispatch::select();
    let cpu = &s.cpu;
    writeln!(w, "vicuna: cpu.vendor={}", cpu.vendor_str())?;
    write!(w, "vicuna: cpu.features=")?;
    let mut first = true;
    for f in Feature::ALL {
        if cpu.features.has(f) {
            write!(w, "{}{}", if first { "" } else { " " }, f.name())?;
            first = false;
        }
    }
    writeln!(w)?;
    let c = &cpu.caches;
    writeln!(
        w,
        "vicuna: cpu.cache line={} l1d={} l2={} l3={}",
        c.line, c.l1d, c.l2, c.l3
    )?;
    writeln!(w, "vicuna: level.hardware={}", cpu.level().name())?;
    writeln!(w, "vicuna: threshold.non_temporal={}", vicuna_kernels::tuning::non_temporal_for(c))?;
    match s.cap {
        Cap::Unset => writeln!(w, "vicuna: VICUNA_CPU=(unset)")?,
        Cap::Applied(l) => writeln!(w, "vicuna: VICUNA_CPU={} (applied)", l.name())?,
        Cap::IgnoredSecure => writeln!(w, "vicuna: VICUNA_CPU ignored (AT_SECURE)")?,
        Cap::Invalid => writeln!(w, "vicuna: VICUNA_CPU ignored (not one of generic sse2 sse4.2 avx2 avx512)")?,
    }
    writeln!(w, "vicuna: level.selected={}", dispatch::level().name())?;
    for r in dispatch::routines() {
        write!(w, "vicuna: {} -> {} (", r.name, (r.resolve)())?;
        for (i, v) in (r.variants)().iter().enumerate() {
            write!(w, "{}{}", if i == 0 { "" } else { " " }, v)?;
        }
        writeln!(w, ")")?;
    }
    Ok(())
}

/// Prints the report to fd 2.
pub fn print() {
    let mut w = FdWriter::new(2);
    let _ = report(&mut w);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_names_every_routine() {
        let mut s = String::new();
        report(&mut s).unwrap();
        assert!(s.contains("vicuna: cpu.features=sse2"), "{s}");
        for r in dispatch::routines() {
            assert!(s.contains(&format!("vicuna: {} -> ", r.name)), "{s}");
        }
        assert!(s.contains("level.selected="));
    }
}
