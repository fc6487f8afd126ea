//! Finding the path of the runtime crate (`$k` in `EXPANSION.md`).

use proc_macro2::{Span, TokenStream};
use quote::quote;

/// The package name of the runtime crate.
const RUNTIME_PACKAGE: &str = "worldtube";

/// The path under which the user's crate sees the runtime crate.
///
/// * inside the `worldtube` package itself (its tests, doctests and examples): `::worldtube`,
///   which its `lib.rs` makes resolve with `extern crate self as worldtube` (a plain `crate`
///   would be wrong in doctests and examples, which are separate crates);
/// * `worldtube = …` or `spacetimedb = { package = "worldtube", … }` in the user's `Cargo.toml`:
///   `::worldtube` / `::spacetimedb` (whatever name the dependency has there);
/// * anything else (no manifest, not a direct dependency): `::worldtube`.
pub(crate) fn crate_path() -> TokenStream {
    match proc_macro_crate::crate_name(RUNTIME_PACKAGE) {
        Ok(proc_macro_crate::FoundCrate::Itself) => quote!(::worldtube),
        Ok(proc_macro_crate::FoundCrate::Name(name)) => {
            let ident = syn::Ident::new(&name, Span::call_site());
            quote!(::#ident)
        }
        Err(_) => quote!(::worldtube),
    }
}

/// `quote_spanned!` for code that names the runtime: `quote_at!(ty.span(), k => #k::…)` also moves
/// the tokens of `k` to the span, so trait-bound errors land on the user's type.
///
/// Only the *location* of the span is taken: names still resolve as at the macro's call site.
/// A type written inside the user's own `macro_rules!` carries that macro's hygiene, and the
/// generated code's own names (`__out`, `self`, ...) must not take it on (upstream's sdk-test
/// defines its tables inside a `macro_rules!`).
macro_rules! quote_at {
    ($span:expr, $k:ident => $($tt:tt)*) => {{
        let span: ::proc_macro2::Span = ::proc_macro2::Span::call_site().located_at($span);
        let $k = $crate::krate::respan($k, span);
        ::quote::quote_spanned!(span=> $($tt)*)
    }};
}
pub(crate) use quote_at;

/// `k` with every token moved to `span`, for `quote_spanned!` code whose trait-bound errors
/// must land on the user's type (rustc reports them at the path being called).
pub(crate) fn respan(k: &TokenStream, span: Span) -> TokenStream {
    k.clone()
        .into_iter()
        .map(|mut tt| {
            tt.set_span(span);
            tt
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn falls_back_to_worldtube() {
        // The macros crate does not depend on the runtime, so the lookup fails here.
        assert_eq!(super::crate_path().to_string(), ":: worldtube");
    }
}
