//! What the app core's integration tests share: a device and the real server on 127.0.0.1
//! ([`world`]), and a fault-injecting proxy between them ([`proxy`]).

// Each test crate uses its own part of these helpers.
#![allow(dead_code)]

pub mod proxy;
pub mod world;

#[allow(unused_imports)]
pub use proxy::{Fault, Proxy};
#[allow(unused_imports)]
pub use world::World;
