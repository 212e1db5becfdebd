//! When to try a failed sync again: exponential backoff with jitter, never sooner than the server's
//! Retry-After.

use std::time::Duration;

/// Backoff settings. The delay after the n-th consecutive failure is drawn uniformly from
/// `[d / 2, d]` with `d = min(base × 2^(n-1), max)`, so many devices that lost the network together
/// do not all come back at the same second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base: Duration,
    pub max: Duration,
}

impl Default for RetryPolicy {
    /// 15 s after the first failure, doubling up to 30 min.
    fn default() -> Self {
        Self { base: Duration::from_secs(15), max: Duration::from_secs(30 * 60) }
    }
}

impl RetryPolicy {
    /// Delay before the next attempt after `failures` consecutive failures (at least 1), with
    /// `random` a uniformly random number that picks the point in the jitter range.
    pub fn delay(&self, failures: u32, retry_after: Option<Duration>, random: u32) -> Duration {
        let exponent = failures.saturating_sub(1).min(20);
        let ceiling = self.base.saturating_mul(1 << exponent).min(self.max);
        let fraction = 0.5 + 0.5 * (random as f64 / u32::MAX as f64);
        let jittered = ceiling.mul_f64(fraction);
        jittered.max(retry_after.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delay_doubles_within_jitter_range() {
        let policy = RetryPolicy::default();
        for (failures, ceiling) in [(1, 15), (2, 30), (3, 60), (8, 1800), (30, 1800)] {
            let low = policy.delay(failures, None, 0);
            let high = policy.delay(failures, None, u32::MAX);
            assert_eq!(low, Duration::from_secs(ceiling) / 2, "failures {failures}");
            assert_eq!(high, Duration::from_secs(ceiling), "failures {failures}");
        }
    }

    #[test]
    fn retry_after_is_a_floor() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(1, Some(Duration::from_secs(600)), u32::MAX), Duration::from_secs(600));
        assert_eq!(policy.delay(8, Some(Duration::from_secs(5)), u32::MAX), Duration::from_secs(1800));
    }
}
