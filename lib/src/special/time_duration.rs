use super::special_product;
use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::Duration;

const MICROS_PER_SECOND: i64 = 1_000_000;

/// A signed span of time in microseconds, as SpacetimeDB stores it.
///
/// Unlike [`std::time::Duration`] it can be negative. Displays as signed seconds with six
/// decimals: `+1.500000`.
///
/// ```
/// use worldtube_lib::TimeDuration;
/// use std::time::Duration;
/// let d = TimeDuration::from_duration(Duration::from_millis(1500));
/// assert_eq!(d.to_micros(), 1_500_000);
/// assert_eq!(d.to_string(), "+1.500000");
/// assert_eq!((TimeDuration::ZERO - d).to_duration(), Err(Duration::from_millis(1500)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct TimeDuration {
    __time_duration_micros__: i64,
}
special_product!(TimeDuration, i64, __time_duration_micros__, time_duration);

impl TimeDuration {
    /// No time at all.
    pub const ZERO: Self = Self { __time_duration_micros__: 0 };

    /// The span in microseconds.
    pub fn to_micros(self) -> i64 {
        self.__time_duration_micros__
    }
    /// A span of `micros` microseconds.
    pub const fn from_micros(micros: i64) -> Self {
        Self { __time_duration_micros__: micros }
    }
    /// As a `Duration`: `Ok` if non-negative, else `Err` with the magnitude.
    pub fn to_duration(self) -> Result<Duration, Duration> {
        let micros = self.to_micros();
        let magnitude = Duration::from_micros(micros.unsigned_abs());
        if micros >= 0 {
            Ok(magnitude)
        } else {
            Err(magnitude)
        }
    }
    /// The magnitude as a `Duration`.
    pub fn to_duration_abs(self) -> Duration {
        match self.to_duration() {
            Ok(d) | Err(d) => d,
        }
    }
    /// The magnitude (saturating at `i64::MAX` microseconds).
    pub fn abs(self) -> Self {
        Self::from_micros(self.to_micros().saturating_abs())
    }
    /// From a `Duration`, truncated to whole microseconds.
    ///
    /// # Panics
    /// If the duration exceeds `i64::MAX` microseconds (about 292,000 years).
    pub fn from_duration(duration: Duration) -> Self {
        let micros = i64::try_from(duration.as_micros()).expect("Duration overflows i64 microseconds");
        Self::from_micros(micros)
    }
    /// The sum, or `None` on overflow.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.to_micros().checked_add(other.to_micros()).map(Self::from_micros)
    }
    /// The difference, or `None` on overflow.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        self.to_micros().checked_sub(other.to_micros()).map(Self::from_micros)
    }
}

impl From<Duration> for TimeDuration {
    fn from(d: Duration) -> Self {
        Self::from_duration(d)
    }
}
impl TryFrom<TimeDuration> for Duration {
    type Error = Duration;
    fn try_from(d: TimeDuration) -> Result<Duration, Duration> {
        d.to_duration()
    }
}

impl fmt::Display for TimeDuration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let micros = self.to_micros();
        let sign = if micros < 0 { '-' } else { '+' };
        let magnitude = micros.unsigned_abs();
        let per_second = MICROS_PER_SECOND as u64;
        write!(f, "{sign}{}.{:06}", magnitude / per_second, magnitude % per_second)
    }
}

/// Panics on overflow, like integer arithmetic in debug builds; use `checked_add` to avoid it.
impl Add for TimeDuration {
    type Output = Self;
    fn add(self, rhs: Self) -> Self {
        self.checked_add(rhs).expect("TimeDuration addition overflowed")
    }
}
/// Panics on overflow; use `checked_sub` to avoid it.
impl Sub for TimeDuration {
    type Output = Self;
    fn sub(self, rhs: Self) -> Self {
        self.checked_sub(rhs).expect("TimeDuration subtraction overflowed")
    }
}
impl AddAssign for TimeDuration {
    fn add_assign(&mut self, rhs: Self) {
        *self = *self + rhs;
    }
}
impl SubAssign for TimeDuration {
    fn sub_assign(&mut self, rhs: Self) {
        *self = *self - rhs;
    }
}
