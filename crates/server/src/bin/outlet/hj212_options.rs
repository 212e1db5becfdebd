//! The `outlet serve` options of the HJ 212 listener, and the duration syntax they share with
//! `outlet hj212-sim`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use outlet_server::hj212::{Hj212Config, RunningHj212};
use outlet_server::AppState;

use crate::CliError;

#[derive(Args, Debug, Clone)]
pub struct Hj212Options {
    /// Also listen for HJ 212-2017 packets from online monitors (data acquisition units) on this
    /// address and port, e.g. 127.0.0.1:9212.
    #[arg(long, value_name = "ADDR")]
    hj212: Option<String>,
    /// Set a monitor offline when it sends nothing for this long: a number of minutes, or a duration
    /// such as 90s, 30m, 1h or 1h30m.
    #[arg(long, default_value = "30m", value_parser = parse_minutes_or_duration)]
    hj212_offline_after: Duration,
    /// Close an HJ 212 connection that sends nothing for this long (units reconnect by themselves).
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    hj212_idle_timeout: Duration,
    /// HJ 212 connections served at once; further ones are closed at once.
    #[arg(long, default_value_t = 1024)]
    hj212_max_connections: usize,
}

impl Hj212Options {
    /// Starts the listener when `--hj212` was given.
    pub async fn start(&self, state: &AppState) -> Result<Option<RunningHj212>, CliError> {
        let Some(addr) = &self.hj212 else {
            return Ok(None);
        };

        let config = Hj212Config {
            offline_after: self.hj212_offline_after,
            idle_timeout: self.hj212_idle_timeout,
            max_connections: self.hj212_max_connections,
            ..Hj212Config::new(addr)
        };
        let running = RunningHj212::start(config, state.store.clone(), state.hj212.clone())
            .await
            .map_err(|source| CliError::Io { path: PathBuf::from(addr), source })?;
        Ok(Some(running))
    }
}

/// A duration that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{text:?} is not a duration: write a number with ms, s, m or h, e.g. 500ms, 5s, 30m or 1h30m")]
pub struct DurationError {
    text: String,
}

/// Reads a duration written as numbers with units, e.g. `500ms`, `5s`, `30m`, `1h30m`.
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let error = || DurationError { text: text.to_string() };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(error());
    }

    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(error)?;
        let (number, tail) = rest.split_at(digits);
        let number: u64 = number.parse().map_err(|_| error())?;
        let unit_len = tail.find(|c: char| c.is_ascii_digit()).unwrap_or(tail.len());
        let (unit, tail) = tail.split_at(unit_len);
        let part = match unit {
            "ms" => Duration::from_millis(number),
            "s" => Duration::from_secs(number),
            "m" | "min" => Duration::from_secs(number.saturating_mul(60)),
            "h" => Duration::from_secs(number.saturating_mul(3600)),
            _ => return Err(error()),
        };
        total = total.checked_add(part).ok_or_else(error)?;
        rest = tail;
    }
    Ok(total)
}

/// Reads a bare number as minutes, anything else as [`parse_duration`] does. The result is never 0.
pub fn parse_minutes_or_duration(text: &str) -> Result<Duration, DurationError> {
    let trimmed = text.trim();
    let duration = match trimmed.parse::<u64>() {
        Ok(minutes) => Duration::from_secs(minutes.saturating_mul(60)),
        Err(_) => parse_duration(trimmed)?,
    };
    if duration.is_zero() {
        return Err(DurationError { text: text.to_string() });
    }
    Ok(duration)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("1h30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_minutes_or_duration("45").unwrap(), Duration::from_secs(2700));
        assert_eq!(parse_minutes_or_duration("2s").unwrap(), Duration::from_secs(2));
    }

    #[test]
    fn bad_durations_are_named() {
        for text in ["", "5", "5x", "m5", "1h5"] {
            assert!(parse_duration(text).is_err(), "{text:?} was accepted");
        }
        assert!(parse_minutes_or_duration("0").is_err());
        assert!(parse_duration("5x").unwrap_err().to_string().contains("\"5x\""));
    }
}
