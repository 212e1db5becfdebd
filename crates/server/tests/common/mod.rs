//! Helpers shared by the server's integration tests. Each test binary uses some of them.
#![allow(dead_code)]

pub mod backend;
pub mod cli;
pub mod officer;
pub mod session;
