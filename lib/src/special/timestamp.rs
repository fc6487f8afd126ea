use super::{special_product, TimeDuration};
use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::{Duration, SystemTime};

/// A point in time: signed microseconds since the Unix epoch (UTC).
///
/// Reducers get the call's time as `ctx.timestamp`; that, not a clock read, is the source of
/// time in a module. Displays as RFC 3339.
///
/// ```
/// use worldtube_lib::{Timestamp, TimeDuration};
/// let t = Timestamp::parse_from_rfc3339("2025-02-10T15:45:30.25Z").unwrap();
/// assert_eq!(t.to_rfc3339().unwrap(), "2025-02-10T15:45:30.250+00:00");
/// let later = t + TimeDuration::from_micros(1);
/// assert_eq!(later.time_duration_since(t), Some(TimeDuration::from_micros(1)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp {
    __timestamp_micros_since_unix_epoch__: i64,
}
special_product!(Timestamp, i64, __timestamp_micros_since_unix_epoch__, timestamp);

/// Why a timestamp could not be turned into, or read from, RFC 3339 text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rfc3339Error(String);

impl fmt::Display for Rfc3339Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
impl std::error::Error for Rfc3339Error {}

const MICROS_PER_SECOND: i64 = 1_000_000;
const SECONDS_PER_DAY: i64 = 86_400;
// The calendar years that RFC 3339 text is produced and accepted for, the same as the server's
// date library supports; timestamps outside them have no text form.
const MIN_YEAR: i64 = -262_143;
const MAX_YEAR: i64 = 262_142;

impl Timestamp {
    /// The Unix epoch, 1970-01-01T00:00:00Z.
    pub const UNIX_EPOCH: Self = Self { __timestamp_micros_since_unix_epoch__: 0 };

    /// The current time of the machine running this code.
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    pub fn now() -> Self {
        Self::from_system_time(SystemTime::now())
    }

    /// Modules have no clock: this panics. Read `ctx.timestamp` instead.
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    #[deprecated = "a module has no clock and Timestamp::now() panics; read the `timestamp` field of the ReducerContext instead"]
    pub fn now() -> Self {
        panic!("Timestamp::now() is not available in a module; read `ctx.timestamp` instead")
    }

    /// Microseconds since the epoch.
    pub fn to_micros_since_unix_epoch(self) -> i64 {
        self.__timestamp_micros_since_unix_epoch__
    }
    /// The time `micros` microseconds after (or before, if negative) the epoch.
    pub const fn from_micros_since_unix_epoch(micros: i64) -> Self {
        Self { __timestamp_micros_since_unix_epoch__: micros }
    }
    /// The time `d` after the epoch.
    pub fn from_time_duration_since_unix_epoch(d: TimeDuration) -> Self {
        Self::from_micros_since_unix_epoch(d.to_micros())
    }
    /// The span since the epoch.
    pub fn to_time_duration_since_unix_epoch(self) -> TimeDuration {
        TimeDuration::from_micros(self.to_micros_since_unix_epoch())
    }
    /// The span since the epoch: `Ok` if at or after it, else `Err` with the span before it.
    pub fn to_duration_since_unix_epoch(self) -> Result<Duration, Duration> {
        self.to_time_duration_since_unix_epoch().to_duration()
    }
    /// The time `d` after the epoch.
    ///
    /// # Panics
    /// If `d` exceeds `i64::MAX` microseconds.
    pub fn from_duration_since_unix_epoch(d: Duration) -> Self {
        let micros = i64::try_from(d.as_micros()).expect("Duration since Unix epoch overflows i64 microseconds");
        Self::from_micros_since_unix_epoch(micros)
    }
    /// As a `SystemTime`.
    ///
    /// # Panics
    /// If the platform's `SystemTime` cannot represent it.
    pub fn to_system_time(self) -> SystemTime {
        let time = match self.to_duration_since_unix_epoch() {
            Ok(after) => SystemTime::UNIX_EPOCH.checked_add(after),
            Err(before) => SystemTime::UNIX_EPOCH.checked_sub(before),
        };
        time.expect("Timestamp is outside the range of SystemTime")
    }
    /// From a `SystemTime`.
    ///
    /// # Panics
    /// If `t` is before the epoch or too far after it.
    pub fn from_system_time(t: SystemTime) -> Self {
        let since = t.duration_since(SystemTime::UNIX_EPOCH).expect("SystemTime predates the Unix epoch");
        Self::from_duration_since_unix_epoch(since)
    }
    /// How long after `earlier` this is; `None` if it is before `earlier`.
    pub fn duration_since(self, earlier: Timestamp) -> Option<Duration> {
        self.time_duration_since(earlier)?.to_duration().ok()
    }
    /// The signed span from `earlier` to this; `None` on overflow.
    pub fn time_duration_since(self, earlier: Timestamp) -> Option<TimeDuration> {
        let delta = self.to_micros_since_unix_epoch().checked_sub(earlier.to_micros_since_unix_epoch())?;
        Some(TimeDuration::from_micros(delta))
    }
    /// This plus `d`; `None` on overflow.
    pub fn checked_add(&self, d: TimeDuration) -> Option<Self> {
        self.to_micros_since_unix_epoch().checked_add(d.to_micros()).map(Self::from_micros_since_unix_epoch)
    }
    /// This minus `d`; `None` on overflow.
    pub fn checked_sub(&self, d: TimeDuration) -> Option<Self> {
        self.to_micros_since_unix_epoch().checked_sub(d.to_micros()).map(Self::from_micros_since_unix_epoch)
    }
    /// This plus `d`; `None` on overflow.
    pub fn checked_add_duration(&self, d: Duration) -> Option<Self> {
        self.checked_add(TimeDuration::from_micros(i64::try_from(d.as_micros()).ok()?))
    }
    /// This minus `d`; `None` on overflow.
    pub fn checked_sub_duration(&self, d: Duration) -> Option<Self> {
        self.checked_sub(TimeDuration::from_micros(i64::try_from(d.as_micros()).ok()?))
    }

    /// RFC 3339 text in UTC, e.g. `2025-02-10T15:45:30.250+00:00`: fractional seconds appear only
    /// when non-zero, as milliseconds when that is exact, else microseconds.
    ///
    /// Fails for timestamps beyond the years -262143 to 262142.
    pub fn to_rfc3339(&self) -> Result<String, Rfc3339Error> {
        let micros = self.to_micros_since_unix_epoch();
        let seconds = micros.div_euclid(MICROS_PER_SECOND);
        let fraction = micros.rem_euclid(MICROS_PER_SECOND);
        let days = seconds.div_euclid(SECONDS_PER_DAY);
        let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(Rfc3339Error(format!(
                "timestamp {micros}µs since the Unix epoch is outside the years {MIN_YEAR} to {MAX_YEAR}"
            )));
        }
        let mut s = String::with_capacity(32);
        if (0..=9999).contains(&year) {
            s.push_str(&format!("{year:04}"));
        } else {
            s.push_str(&format!("{year:+05}"));
        }
        let (h, m, sec) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
        s.push_str(&format!("-{month:02}-{day:02}T{h:02}:{m:02}:{sec:02}"));
        if fraction != 0 {
            if fraction % 1000 == 0 {
                s.push_str(&format!(".{:03}", fraction / 1000));
            } else {
                s.push_str(&format!(".{fraction:06}"));
            }
        }
        s.push_str("+00:00");
        Ok(s)
    }

    /// Parses RFC 3339 text such as `2025-02-10T15:45:30Z` or `2025-02-10 15:45:30.5+02:00`
    /// (date and time separated by `T`, `t` or a space; `Z` or a `±hh:mm` offset). Digits beyond
    /// microseconds are truncated.
    pub fn parse_from_rfc3339(text: &str) -> Result<Timestamp, Rfc3339Error> {
        parse_rfc3339(text).ok_or_else(|| {
            Rfc3339Error(format!(
                "invalid timestamp {text:?}: expected RFC 3339 such as 2025-02-10T15:45:30Z or 2025-02-10 15:45:30+02:00"
            ))
        })
    }
}

fn parse_rfc3339(text: &str) -> Option<Timestamp> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        digits.iter().all(u8::is_ascii_digit).then(|| digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let separators = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if separators.iter().any(|&(i, c)| b.get(i) != Some(&c)) || !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    if !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut micros = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        for (i, d) in frac.bytes().take(6).take_while(u8::is_ascii_digit).enumerate() {
            micros += i64::from(d - b'0') * 10i64.pow(5 - i as u32);
        }
        rest = &frac[digits..];
    }
    let offset_seconds = match rest.as_bytes() {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [h1, h2, m1, m2];
            if !digits.iter().all(|d| d.is_ascii_digit()) {
                return None;
            }
            let v = |a: &u8, b: &u8| i64::from(a - b'0') * 10 + i64::from(b - b'0');
            let (oh, om) = (v(h1, h2), v(m1, m2));
            if oh > 23 || om > 59 {
                return None;
            }
            let magnitude = oh * 3600 + om * 60;
            if *sign == b'-' {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => return None,
    };
    // A leap second (:60) is the last second of the minute, carried by the fraction.
    let (second, micros) = if second == 60 { (59, micros + MICROS_PER_SECOND) } else { (second, micros) };
    let seconds =
        days_from_civil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offset_seconds;
    seconds.checked_mul(MICROS_PER_SECOND)?.checked_add(micros).map(Timestamp::from_micros_since_unix_epoch)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Gregorian calendar arithmetic over 400-year eras (146,097 days each), counting from March so
// that the leap day falls at the end of the year.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Falls back to raw microseconds for the (absurdly distant) times with no RFC 3339 form, where
/// the official type would panic.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.to_rfc3339() {
            Ok(s) => f.write_str(&s),
            Err(_) => write!(f, "{}µs since the Unix epoch", self.to_micros_since_unix_epoch()),
        }
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        Self::from_system_time(t)
    }
}
impl From<Timestamp> for SystemTime {
    fn from(t: Timestamp) -> Self {
        t.to_system_time()
    }
}

macro_rules! arithmetic {
    ($rhs:ty, $add:ident, $sub:ident) => {
        /// Panics on overflow; use the `checked_` methods to avoid it.
        impl Add<$rhs> for Timestamp {
            type Output = Self;
            fn add(self, rhs: $rhs) -> Self {
                self.$add(rhs).expect("Timestamp addition overflowed")
            }
        }
        /// Panics on overflow; use the `checked_` methods to avoid it.
        impl Sub<$rhs> for Timestamp {
            type Output = Self;
            fn sub(self, rhs: $rhs) -> Self {
                self.$sub(rhs).expect("Timestamp subtraction overflowed")
            }
        }
        impl AddAssign<$rhs> for Timestamp {
            fn add_assign(&mut self, rhs: $rhs) {
                *self = *self + rhs;
            }
        }
        impl SubAssign<$rhs> for Timestamp {
            fn sub_assign(&mut self, rhs: $rhs) {
                *self = *self - rhs;
            }
        }
    };
}
arithmetic!(TimeDuration, checked_add, checked_sub);
arithmetic!(Duration, checked_add_duration, checked_sub_duration);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in (-100_000_000..100_000_000).step_by(9_973) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }

    #[test]
    fn rejects_malformed_text() {
        for bad in [
            "",
            "2025-02-30T00:00:00Z",
            "2025-02-10T15:45:30",
            "2025-02-10X15:45:30Z",
            "2025-02-10T15:45:30.Z",
            "2025-02-10T24:00:00Z",
        ] {
            assert!(Timestamp::parse_from_rfc3339(bad).is_err(), "{bad}");
        }
        let t = Timestamp::parse_from_rfc3339("1970-01-01 01:00:00+01:00").unwrap();
        assert_eq!(t, Timestamp::UNIX_EPOCH);
    }
}
