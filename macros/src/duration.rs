//! `duration!("1h 30m")`: a humantime duration parsed at compile time.

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// Expands `duration!(lit)` into a `core::time::Duration` constant.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    match parse_input(input) {
        Ok((secs, nanos)) => quote!({
            const D: ::core::time::Duration = ::core::time::Duration::new(#secs, #nanos);
            D
        }),
        Err(e) => e.into_compile_error(),
    }
}

/// The literal's text and span.
fn parse_input(input: TokenStream) -> syn::Result<(u64, u32)> {
    let lit: syn::Lit = syn::parse2(input.clone()).map_err(|_| {
        syn::Error::new_spanned(
            &input,
            "`duration!` takes a string or a suffixed integer literal, e.g. `duration!(\"1h 30m\")` or `duration!(10s)`",
        )
    })?;
    let (text, span): (String, Span) = match &lit {
        syn::Lit::Str(s) => (s.value(), s.span()),
        syn::Lit::Int(i) => (i.to_string(), i.span()),
        other => {
            return Err(syn::Error::new_spanned(
                other,
                "`duration!` takes a string or a suffixed integer literal, e.g. `duration!(\"1h 30m\")` or `duration!(10s)`",
            ))
        }
    };
    parse_duration(&text).map_err(|why| syn::Error::new(span, format!("invalid duration `{text}`: {why}")))
}

/// Nanoseconds per unit, humantime's unit names (months are 30.44 days, years 365.25 days).
fn unit_nanos(unit: &str) -> Option<u128> {
    const S: u128 = 1_000_000_000;
    Some(match unit {
        "nanos" | "nsec" | "ns" => 1,
        "usec" | "us" | "µs" => 1_000,
        "millis" | "msec" | "ms" => 1_000_000,
        "seconds" | "second" | "secs" | "sec" | "s" => S,
        "minutes" | "minute" | "min" | "mins" | "m" => 60 * S,
        "hours" | "hour" | "hr" | "hrs" | "h" => 3_600 * S,
        "days" | "day" | "d" => 86_400 * S,
        "weeks" | "week" | "wk" | "wks" | "w" => 7 * 86_400 * S,
        "months" | "month" | "M" => 2_630_016 * S,
        "years" | "year" | "yr" | "yrs" | "y" => 31_557_600 * S,
        _ => return None,
    })
}

/// Parses `1h 30m`, `1500ms`, `1.5s`, `2 days 3h`…: components `<number>[.<digits>] <unit>`,
/// optionally separated by whitespace, summed. Returns `(seconds, nanoseconds)`.
pub(crate) fn parse_duration(text: &str) -> Result<(u64, u32), String> {
    let mut rest = text.trim_start();
    if rest.is_empty() {
        return Err("it is empty; write e.g. `10s` or `1h 30m`".into());
    }
    let mut total: u128 = 0;
    while !rest.is_empty() {
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!("expected a number at `{rest}`"));
        }
        let (int, after) = rest.split_at(digits);
        let int: u128 = int.parse().map_err(|_| "the number is too large".to_string())?;
        let (frac, after) = match after.strip_prefix('.') {
            Some(f) => {
                let n = f.chars().take_while(char::is_ascii_digit).count();
                if n == 0 {
                    return Err("expected digits after the decimal point".into());
                }
                (Some(&f[..n]), &f[n..])
            }
            None => (None, after),
        };
        let after = after.trim_start();
        let unit_len: usize =
            after.chars().take_while(|c| c.is_ascii_alphabetic() || *c == 'µ').map(char::len_utf8).sum();
        let (unit, after) = after.split_at(unit_len);
        if unit.is_empty() {
            return Err(format!("a time unit is needed after `{int}`, e.g. `{int}s` or `{int}ms`"));
        }
        let per = unit_nanos(unit).ok_or_else(|| {
            format!(
                "unknown time unit `{unit}`; use ns, us/µs, ms, s/sec, m/min, h/hr, d/day, w/week, M/month or y/year"
            )
        })?;
        let mut nanos = int.checked_mul(per).ok_or("the duration is too large")?;
        if let Some(frac) = frac {
            let denom = 10u128.checked_pow(frac.len() as u32).ok_or("too many decimal digits")?;
            let num: u128 = frac.parse().map_err(|_| "too many decimal digits".to_string())?;
            let scaled = num.checked_mul(per).ok_or("the duration is too large")?;
            if scaled % denom != 0 {
                return Err("the fraction is finer than one nanosecond".into());
            }
            nanos = nanos.checked_add(scaled / denom).ok_or("the duration is too large")?;
        }
        total = total.checked_add(nanos).ok_or("the duration is too large")?;
        rest = after.trim_start();
    }
    let secs = u64::try_from(total / 1_000_000_000).map_err(|_| "the duration is too large".to_string())?;
    Ok((secs, (total % 1_000_000_000) as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!(parse_duration("1h 30m"), Ok((5400, 0)));
        assert_eq!(parse_duration("1000ms"), Ok((1, 0)));
        assert_eq!(parse_duration("10s"), Ok((10, 0)));
        assert_eq!(parse_duration("1h30m5s"), Ok((5405, 0)));
        assert_eq!(parse_duration("1.5s"), Ok((1, 500_000_000)));
        assert_eq!(parse_duration("2 days 3 hrs"), Ok((2 * 86400 + 3 * 3600, 0)));
        assert_eq!(parse_duration("5µs 3ns"), Ok((0, 5003)));
        assert_eq!(parse_duration("1M"), Ok((2_630_016, 0)));
        assert_eq!(parse_duration("1m"), Ok((60, 0)));
        assert_eq!(parse_duration("1s 1s"), Ok((2, 0)));
    }

    #[test]
    fn rejects() {
        assert_eq!(parse_duration("10"), Err("a time unit is needed after `10`, e.g. `10s` or `10ms`".into()));
        assert_eq!(
            parse_duration("3 fortnights"),
            Err("unknown time unit `fortnights`; use ns, us/µs, ms, s/sec, m/min, h/hr, d/day, w/week, M/month or y/year".into())
        );
        assert_eq!(parse_duration(""), Err("it is empty; write e.g. `10s` or `1h 30m`".into()));
        assert_eq!(parse_duration("s"), Err("expected a number at `s`".into()));
        assert_eq!(parse_duration("0.5ns"), Err("the fraction is finer than one nanosecond".into()));
        assert!(parse_duration("99999999999999999999999y").is_err());
    }

    #[test]
    fn expansion() {
        let out = expand(quote!(1500ms)).to_string();
        assert_eq!(
            out,
            "{ const D : :: core :: time :: Duration = :: core :: time :: Duration :: new (1u64 , 500000000u32) ; D }"
        );
        let out = expand(quote!("1x")).to_string();
        assert!(out.contains("compile_error"), "{out}");
    }
}
