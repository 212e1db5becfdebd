//! Wall-time budgets for one decode call.

use std::time::Duration;

use web_time::Instant;

/// The wall time that one decode call may spend, counted from when the call started. The pipeline
/// checks it before each step and skips a step predicted to end after it, so a call overruns it only
/// by the error of that prediction, or by the first step of each decoder, which has no prediction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    start: Instant,
    budget: Duration,
}

impl Deadline {
    pub(crate) fn starting_now(budget: Duration) -> Self {
        Deadline { start: Instant::now(), budget }
    }

    pub(crate) fn is_spent(&self) -> bool {
        self.start.elapsed() >= self.budget
    }

    /// True when work expected to take `estimate` would end after the deadline.
    pub(crate) fn would_pass(&self, estimate: Duration) -> bool {
        self.start.elapsed().saturating_add(estimate) > self.budget
    }
}

/// The wall time per pixel that each decoder's steps took so far in one call, to predict the next
/// step's time from its picture size.
#[derive(Debug, Default)]
pub(crate) struct StepCosts {
    nanos_per_pixel: [Option<f64>; 2],
}

impl StepCosts {
    /// Records that a step of `decoder` (an index below 2) on `pixels` pixels took `elapsed`. Keeps
    /// the highest rate seen, so predictions err on the long side.
    pub(crate) fn record(&mut self, decoder: usize, pixels: u64, elapsed: Duration) {
        let rate = elapsed.as_nanos() as f64 / pixels.max(1) as f64;
        let slot = &mut self.nanos_per_pixel[decoder];
        *slot = Some(slot.map_or(rate, |seen| seen.max(rate)));
    }

    /// Predicts the time of a step of `decoder` on `pixels` pixels. Returns zero before any such step ran.
    pub(crate) fn predict(&self, decoder: usize, pixels: u64) -> Duration {
        self.nanos_per_pixel[decoder].map_or(Duration::ZERO, |rate| Duration::from_nanos((rate * pixels as f64) as u64))
    }
}
