//! Error collection: every stage reports into a [`Ctxt`] so that all problems of one macro
//! invocation are reported together, each at its own span.

use quote::ToTokens;
use std::cell::RefCell;
use std::fmt::Display;

/// Collects errors (like serde_derive's `Ctxt`). Shared by reference, so parsing closures can
/// report without returning early.
///
/// A `Ctxt` must be consumed with [`Ctxt::check`]: dropping it unchecked panics, because the
/// errors in it would otherwise be lost and the macro would emit code for a broken item.
pub(crate) struct Ctxt {
    /// `None` once checked.
    errors: RefCell<Option<Vec<syn::Error>>>,
}

impl Ctxt {
    /// An empty collector.
    pub(crate) fn new() -> Self {
        Ctxt { errors: RefCell::new(Some(Vec::new())) }
    }

    fn push(&self, err: syn::Error) {
        self.errors.borrow_mut().as_mut().expect("a `Ctxt` is only reachable by reference before `check()`").push(err);
    }

    /// Reports `msg` at the span of `tokens` (first to last token).
    pub(crate) fn error_spanned_by(&self, tokens: impl ToTokens, msg: impl Display) {
        self.push(syn::Error::new_spanned(tokens.into_token_stream(), msg));
    }

    /// Reports `msg` at `span`.
    pub(crate) fn error_at(&self, span: proc_macro2::Span, msg: impl Display) {
        self.push(syn::Error::new(span, msg));
    }

    /// Reports an error produced by `syn`.
    pub(crate) fn syn_error(&self, err: syn::Error) {
        self.push(err);
    }

    /// Ends the collection: `Err` with every report (in order, combined into one `syn::Error`
    /// whose `into_compile_error` gives one `compile_error!` each) if there was any.
    pub(crate) fn check(self) -> syn::Result<()> {
        let errors = self.errors.borrow_mut().take().unwrap_or_default();
        let mut iter = errors.into_iter();
        let Some(mut combined) = iter.next() else { return Ok(()) };
        for err in iter {
            combined.combine(err);
        }
        Err(combined)
    }

    /// Ends the collection and returns the messages, in order (for tests).
    #[cfg(test)]
    pub(crate) fn into_messages(self) -> Vec<String> {
        match self.check() {
            Ok(()) => Vec::new(),
            Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
        }
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        // While unwinding, the panic in flight is the one to report.
        if self.errors.get_mut().is_some() && !std::thread::panicking() {
            panic!("a `Ctxt` was dropped without `check()`: its errors would be lost");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Ctxt;
    use proc_macro2::Span;

    #[test]
    fn check_reports_in_order() {
        let cx = Ctxt::new();
        assert!(Ctxt::new().check().is_ok());
        cx.error_at(Span::call_site(), "first");
        cx.syn_error(syn::Error::new(Span::call_site(), "second"));
        let err = cx.check().unwrap_err();
        assert_eq!(err.into_iter().map(|e| e.to_string()).collect::<Vec<_>>(), ["first", "second"]);
    }

    #[test]
    #[should_panic(expected = "a `Ctxt` was dropped without `check()`")]
    fn dropping_unchecked_panics() {
        let cx = Ctxt::new();
        cx.error_at(Span::call_site(), "lost");
        drop(cx);
    }

    #[test]
    #[should_panic(expected = "dropped without `check()`")]
    fn dropping_unchecked_panics_even_without_errors() {
        drop(Ctxt::new());
    }

    #[test]
    #[should_panic(expected = "the original panic")]
    fn no_double_panic_while_unwinding() {
        let _cx = Ctxt::new();
        panic!("the original panic");
    }
}
