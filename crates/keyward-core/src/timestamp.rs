//! Reading the timestamps of a vault quickly: a direct parser for the form Keyward writes
//! (`2026-11-24T10:01:00.123456789Z`), with chrono's RFC 3339 parser for any other form.
//! A 10,000-key vault holds some 25,000 timestamps, and chrono's general parser was a tenth of
//! the unlock time.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserializer, de};

/// `#[serde(deserialize_with = "crate::timestamp::deserialize")]`
pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    d.deserialize_str(TimeVisitor)
}

/// A timestamp field read with [`parse`] (used by `deserialize_keeping_unknown!`).
pub(crate) struct Timestamp(pub DateTime<Utc>);

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        deserialize(d).map(Timestamp)
    }
}

struct TimeVisitor;

impl de::Visitor<'_> for TimeVisitor {
    type Value = DateTime<Utc>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an RFC 3339 timestamp")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        // The value is not quoted back: a damaged file could hold anything there.
        parse(v).ok_or_else(|| E::custom("invalid timestamp"))
    }
}

/// Parses an RFC 3339 timestamp.
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    fast(s.as_bytes()).or_else(|| DateTime::parse_from_rfc3339(s).ok().map(|d| d.with_timezone(&Utc)))
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}]Z` only.
fn fast(b: &[u8]) -> Option<DateTime<Utc>> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b[r].iter().try_fold(0u32, |acc, &c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
    };
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let rest = &b[19..];
    let nanos = match rest {
        [b'Z'] => 0,
        [b'.', digits @ .., b'Z'] if (1..=9).contains(&digits.len()) => {
            let n = num(20..20 + digits.len())?;
            n * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    Some(date.and_hms_nano_opt(hour, minute, second, nanos)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_chrono_on_what_keyward_writes_and_falls_back_for_the_rest() {
        let now = Utc::now();
        for t in [now, now.with_timezone(&Utc) - chrono::Duration::nanoseconds(now.timestamp_subsec_nanos() as i64)] {
            let text = serde_json::to_string(&t).unwrap();
            assert_eq!(parse(text.trim_matches('"')), Some(t));
        }
        let offset = "2026-11-24T12:00:00.5+02:00";
        assert_eq!(parse(offset), Some(DateTime::parse_from_rfc3339(offset).unwrap().with_timezone(&Utc)));
        assert_eq!(parse("2026-11-24T10:00:00.120Z").unwrap().timestamp_subsec_nanos(), 120_000_000);
        for bad in ["", "2026-13-01T00:00:00Z", "2026-11-24T25:00:00Z", "2026-11-24T10:00:00.Z", "yesterday"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
