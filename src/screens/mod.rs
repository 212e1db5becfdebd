//! One component per screen. Components render what they are given and send events; they do no I/O.

mod card;
mod inspection;
mod outbox;
mod scan;

pub use card::CardScreen;
pub use inspection::InspectionScreen;
pub use outbox::OutboxScreen;
pub use scan::ScanScreen;
