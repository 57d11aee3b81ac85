//! The sandbox's notion of "now", shared by every handler so tests can move time: a session
//! expires after 60 minutes, a coupon starts next week, and no test should wait for either.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Marks "follow the system clock" in `fixed`; no real timestamp is this small.
const SYSTEM: i64 = i64::MIN;

#[derive(Clone, Debug)]
pub struct Clock {
    fixed: Arc<AtomicI64>,
    offset: Arc<AtomicI64>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    pub fn system() -> Self {
        Clock {
            fixed: Arc::new(AtomicI64::new(SYSTEM)),
            offset: Arc::new(AtomicI64::new(0)),
        }
    }

    /// Unix seconds.
    pub fn now(&self) -> i64 {
        self.now_millis().div_euclid(1_000)
    }

    /// Unix milliseconds: simulated payments settle after delays shorter than a second.
    pub fn now_millis(&self) -> i64 {
        let base = match self.fixed.load(Ordering::SeqCst) {
            SYSTEM => SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as i64),
            fixed => fixed.saturating_mul(1_000),
        };
        base.saturating_add(self.offset.load(Ordering::SeqCst).saturating_mul(1_000))
    }

    /// Stops the clock at `unix` seconds.
    pub fn set(&self, unix: i64) {
        self.offset.store(0, Ordering::SeqCst);
        self.fixed.store(unix, Ordering::SeqCst);
    }

    /// Moves the clock, stopped or running, by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_and_advance() {
        let clock = Clock::system();
        assert!(clock.now() > 1_700_000_000);
        clock.set(1_000);
        assert_eq!(clock.now(), 1_000);
        clock.advance(3_600);
        assert_eq!(clock.now(), 4_600);
        assert_eq!(clock.now_millis(), 4_600_000);
        clock.set(50);
        assert_eq!(clock.now(), 50);
    }
}
