//! The app without its UI: events go in, a [`Model`] comes out.
//!
//! The Dioxus shell only renders the model and turns clicks, camera frames and picked photos into
//! [`Event`]s. Everything else happens here: logging in, decoding codes, verifying placards, reading the card
//! from the local cache and then the server, keeping the inspection draft, freezing it, and sending
//! the outbox. Tests drive this core against the real server and a real local store.

pub mod clock;
mod core;
mod inspection;
mod model;
mod outbox;
mod pdf;
mod package;
mod platform;
pub mod position;
mod scan;
mod session;
pub mod trend;

pub use crate::core::Core;
pub use crate::model::{CardSource, CardView, DraftEdit, Event, ExportedPdf, Model, Notice, NoticeLevel, PackageView, PlacardCheck, ScanView, Screen, SessionView, Settings};
pub use crate::session::Password;
pub use crate::package::DEFAULT_PAGE_SIZE;
pub use crate::platform::{open_store, PlatformKv};
pub use crate::scan::HINT_HOLD_FRAMES;
pub use outlet_scan::FrameHint;
