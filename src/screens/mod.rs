//! One component per screen. Components render what they are given and send events; they do no I/O.

mod card;
mod inspection;
mod login;
mod outbox;
mod package;
mod scan;

pub use card::CardScreen;
pub use inspection::InspectionScreen;
pub use login::LoginScreen;
pub use outbox::OutboxScreen;
pub use package::PackageScreen;
pub use scan::ScanScreen;
