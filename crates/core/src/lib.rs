//! The headless core of Outlet Inspector: what a pollutant discharge permit states about an outlet, how
//! its identifiers are validated, how a placard's QR payload is signed and verified, how an inspection
//! record is frozen into bytes that never change, and every user-facing text in Chinese and English.
//!
//! Nothing here does I/O, so the same code runs in the server, the command line, the native app and
//! the web app (wasm).
//!
//! ```
//! use outlet_core::ids::{OutletId, Uscc};
//!
//! assert!(Uscc::parse("91350100M000100Y43").is_ok());
//! let outlet: OutletId = "91350100M000100Y43001P-DA001".parse().unwrap();
//! assert_eq!(outlet.outlet_code.as_str(), "DA001");
//! ```

pub mod api;
pub mod card;
pub mod checklist;
#[cfg(feature = "fixtures")]
pub mod fixtures;
pub mod i18n;
pub mod ids;
pub mod inspection;
pub mod markup;
pub mod placard;

pub use card::OutletCard;
pub use i18n::{Lang, Msg};
pub use ids::{OutletCode, OutletId, PermitNo, Region, Uscc};
