//! Runs the decoders so that their panics become "nothing found" without a panic report on stderr.
//!
//! rqrr and rxing assert on some geometry, and such a panic is expected and caught here. The panic
//! hook still runs first and, by default, prints "thread 'main' panicked" to stderr, which reads as a
//! crash to an officer or an operator. [`install_panic_hook`] keeps those caught panics out of stderr.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};

thread_local! {
    /// True while this thread runs a decoder inside [`catch_decoder_panic`].
    static IN_DECODER: Cell<bool> = const { Cell::new(false) };
}

/// Runs `decode`, and returns `None` when it panicked.
pub(crate) fn catch_decoder_panic<T>(decode: impl FnOnce() -> T) -> Option<T> {
    let was_inside = IN_DECODER.with(|inside| inside.replace(true));
    let attempt = catch_unwind(AssertUnwindSafe(decode));
    IN_DECODER.with(|inside| inside.set(was_inside));
    attempt.ok()
}

/// Installs a panic hook that reports a decoder's caught panic as one debug log line and passes
/// every other panic to the hook that was installed before. Call it once, early in `main`; the scan
/// functions log their own warning for each caught panic.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if IN_DECODER.with(Cell::get) {
            tracing::debug!(panic = %info, "a decoder panicked; the picture is treated as unreadable");
        } else {
            previous(info);
        }
    }));
}
