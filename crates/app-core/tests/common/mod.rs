//! What the app core's integration tests share: a device and the real server on 127.0.0.1
//! ([`world`]), a fault-injecting proxy between them ([`proxy`]), the test binary re-run as a
//! device process that can be killed or limited ([`child`]), and the steps those processes share
//! ([`device`]).

// Each test crate uses its own part of these helpers.
#![allow(dead_code)]

pub mod child;
pub mod device;
pub mod proxy;
pub mod world;

#[allow(unused_imports)]
pub use proxy::{Fault, Proxy};
#[allow(unused_imports)]
pub use world::World;
