//! What commands print goes to standard output through [`stdout`], which remembers when the
//! reader has gone away (`pledgeboard export pledges | head -1`), so that the command can end
//! quietly with status 0 as Unix tools do, instead of reporting a broken pipe.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write to standard output found the pipe closed.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Standard output, locked for the command's writes.
pub struct Stdout(io::StdoutLock<'static>);

/// Standard output for a command's results.
pub fn stdout() -> Stdout {
    Stdout(io::stdout().lock())
}

/// Whether a write to standard output found its reader gone.
pub fn stdout_closed() -> bool {
    CLOSED.load(Ordering::Relaxed)
}

fn noticed<T>(result: io::Result<T>) -> io::Result<T> {
    if let Err(e) = &result
        && e.kind() == io::ErrorKind::BrokenPipe
    {
        CLOSED.store(true, Ordering::Relaxed);
    }
    result
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        noticed(self.0.write(buf))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        noticed(self.0.write_all(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        noticed(self.0.flush())
    }
}
