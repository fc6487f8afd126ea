use super::{TimeDuration, Timestamp};
use crate::algebraic::{AlgebraicType, AlgebraicValue, SpacetimeType, TypespaceBuilder};
use crate::bsatn::{take_tag, Decode, DecodeError, Encode, Reader};
use std::time::Duration;

/// When a scheduled reducer runs: once at a point in time, or repeatedly at an interval.
///
/// The column type of scheduled tables. A `Time` row runs once and is then deleted by the host;
/// an `Interval` row runs every interval until deleted.
///
/// ```
/// use worldtube_lib::{ScheduleAt, TimeDuration, Timestamp};
/// use std::time::Duration;
/// let every = ScheduleAt::from(Duration::from_millis(50));
/// assert_eq!(every, ScheduleAt::Interval(TimeDuration::from_micros(50_000)));
/// let at = ScheduleAt::from(Timestamp::from_micros_since_unix_epoch(7));
/// assert_eq!(worldtube_lib::bsatn::to_vec(&at), [1, 7, 0, 0, 0, 0, 0, 0, 0]);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash)]
pub enum ScheduleAt {
    /// Repeat at this interval (tag 0).
    Interval(TimeDuration),
    /// Run once at this time (tag 1).
    Time(Timestamp),
}

impl ScheduleAt {
    /// Its algebraic type: the sum `{ Interval: TimeDuration, Time: Timestamp }`.
    pub fn get_type() -> AlgebraicType {
        AlgebraicType::schedule_at()
    }
    /// How long from `from` until it is due: zero if the time has passed; for an interval, its
    /// magnitude.
    pub fn to_duration_from(&self, from: Timestamp) -> Duration {
        match self {
            Self::Time(time) => time.duration_since(from).unwrap_or(Duration::ZERO),
            Self::Interval(interval) => interval.to_duration_abs(),
        }
    }
    /// When it is due, counting from `from`: the time itself, or `from` plus the interval's
    /// magnitude.
    pub fn to_timestamp_from(&self, from: Timestamp) -> Timestamp {
        match *self {
            Self::Time(time) => time,
            Self::Interval(interval) => from + interval.abs(),
        }
    }
}

impl From<TimeDuration> for ScheduleAt {
    fn from(d: TimeDuration) -> Self {
        Self::Interval(d)
    }
}
impl From<Duration> for ScheduleAt {
    fn from(d: Duration) -> Self {
        Self::Interval(TimeDuration::from_duration(d))
    }
}
impl From<std::time::SystemTime> for ScheduleAt {
    fn from(t: std::time::SystemTime) -> Self {
        Self::Time(Timestamp::from(t))
    }
}
impl From<Timestamp> for ScheduleAt {
    fn from(t: Timestamp) -> Self {
        Self::Time(t)
    }
}

impl Encode for ScheduleAt {
    fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Self::Interval(d) => {
                out.push(0);
                d.encode(out);
            }
            Self::Time(t) => {
                out.push(1);
                t.encode(out);
            }
        }
    }
}
impl<'de> Decode<'de> for ScheduleAt {
    const MIN_SIZE: usize = 9;
    fn decode(r: &mut Reader<'de>) -> Result<Self, DecodeError> {
        Ok(match take_tag(r, "ScheduleAt", 2)? {
            0 => Self::Interval(TimeDuration::decode(r)?),
            _ => Self::Time(Timestamp::decode(r)?),
        })
    }
}
impl SpacetimeType for ScheduleAt {
    fn make_type<S: TypespaceBuilder>(_: &mut S) -> AlgebraicType {
        AlgebraicType::schedule_at()
    }
}
impl From<ScheduleAt> for AlgebraicValue {
    fn from(s: ScheduleAt) -> Self {
        match s {
            ScheduleAt::Interval(d) => AlgebraicValue::sum(0, d.into()),
            ScheduleAt::Time(t) => AlgebraicValue::sum(1, t.into()),
        }
    }
}
