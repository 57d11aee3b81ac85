//! Civil-calendar arithmetic on unix seconds (UTC), enough for billing dates and RFC 3339.
//! Days-from-civil and back follow Howard Hinnant's public-domain algorithms.

use serde::{Deserialize, Serialize};

pub const DAY: i64 = 86_400;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BillingInterval {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl BillingInterval {
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "day" | "daily" => BillingInterval::Day,
            "week" | "weekly" => BillingInterval::Week,
            "month" | "monthly" => BillingInterval::Month,
            "quarter" | "quarterly" => BillingInterval::Quarter,
            "year" | "yearly" | "annual" | "annually" => BillingInterval::Year,
            _ => return None,
        })
    }
}

/// (year, month 1-12, day 1-31) of a day count since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(year: i64, month: u32) -> u32 {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    (days_from_civil(ny, nm, 1) - days_from_civil(year, month, 1)) as u32
}

/// Adds whole calendar months, clamping the day (31 Jan + 1 month = 28/29 Feb), as
/// subscription billing does.
pub fn add_months(unix: i64, months: u32) -> i64 {
    let days = unix.div_euclid(DAY);
    let secs = unix.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    let total = y * 12 + i64::from(m - 1) + i64::from(months);
    let (ny, nm) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    let nd = d.min(days_in_month(ny, nm));
    days_from_civil(ny, nm, nd) * DAY + secs
}

pub fn add_interval(unix: i64, interval: BillingInterval) -> i64 {
    match interval {
        BillingInterval::Day => unix + DAY,
        BillingInterval::Week => unix + 7 * DAY,
        BillingInterval::Month => add_months(unix, 1),
        BillingInterval::Quarter => add_months(unix, 3),
        BillingInterval::Year => add_months(unix, 12),
    }
}

/// `2024-01-15T10:30:00Z`: the timestamp shape of every seed response.
pub fn to_rfc3339(unix: i64) -> String {
    let (y, mo, d) = civil_from_days(unix.div_euclid(DAY));
    let s = unix.rem_euclid(DAY);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// Reads an RFC 3339 / ISO 8601 timestamp with a `Z` or `±hh:mm` offset (fractional seconds
/// are dropped), or a bare date as midnight UTC.
pub fn parse_rfc3339(text: &str) -> Option<i64> {
    let t = text.trim();
    let b = t.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = t.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)? as u32, num(8..10)? as u32);
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = days_from_civil(year, month, day) * DAY;
    if b.len() == 10 {
        return Some(date);
    }
    if !matches!(b[10], b'T' | b't' | b' ') || b.len() < 19 || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut rest = &t[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6 && rest.as_bytes()[3] == b':' => {
            let sign = match rest.as_bytes()[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let oh: i64 = rest[1..3].parse().ok()?;
            let om: i64 = rest[4..6].parse().ok()?;
            sign * (oh * 3600 + om * 60)
        }
        _ => return None,
    };
    Some(date + h * 3600 + mi * 60 + s - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_dates() {
        let t = parse_rfc3339("2024-01-15T10:30:00Z").unwrap();
        assert_eq!(t, 1_705_314_600);
        assert_eq!(to_rfc3339(t), "2024-01-15T10:30:00Z");
        assert_eq!(
            parse_rfc3339("2024-01-15T11:30:00.123+01:00"),
            Some(1_705_314_600)
        );
        assert_eq!(parse_rfc3339("2025-12-31"), Some(1_767_139_200));
        assert_eq!(parse_rfc3339("2025-02-30T00:00:00Z"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2024-01-15T10:30:00"), None);
    }

    #[test]
    fn adds_calendar_months_with_clamping() {
        let jan31 = parse_rfc3339("2024-01-31T08:00:00Z").unwrap();
        assert_eq!(to_rfc3339(add_months(jan31, 1)), "2024-02-29T08:00:00Z");
        assert_eq!(
            to_rfc3339(add_interval(jan31, BillingInterval::Year)),
            "2025-01-31T08:00:00Z"
        );
        let nov21 = parse_rfc3339("2026-11-21T00:00:00Z").unwrap();
        assert_eq!(
            to_rfc3339(add_interval(nov21, BillingInterval::Month)),
            "2026-12-21T00:00:00Z"
        );
        assert_eq!(
            to_rfc3339(add_interval(nov21, BillingInterval::Week)),
            "2026-11-28T00:00:00Z"
        );
    }

    #[test]
    fn parses_interval_spellings() {
        assert_eq!(
            BillingInterval::parse("monthly"),
            Some(BillingInterval::Month)
        );
        assert_eq!(BillingInterval::parse("YEAR"), Some(BillingInterval::Year));
        assert_eq!(BillingInterval::parse("fortnight"), None);
    }
}
