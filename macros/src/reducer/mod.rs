//! `#[reducer]`.

pub(crate) mod check;
pub(crate) mod codegen;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod stub;

use crate::diag::Ctxt;
use proc_macro2::TokenStream;
use quote::ToTokens;

/// Expands `#[reducer(args)] item`. The function is always emitted unchanged; on an error, the
/// marker type's stubs come with the errors.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let func = match crate::util::parse_fn(
        item,
        "`#[reducer]` can only be applied to a function, e.g. `#[reducer] pub fn my_reducer(ctx: &ReducerContext) {}`",
    ) {
        Ok(f) => f,
        Err(out) => return out,
    };
    let cx = Ctxt::new();
    let args = parse::reducer_args(&cx, args);
    let mut reducer = model::Reducer::from_fn(&func, args);
    if crate::generation::current() == crate::generation::Generation::V2 {
        reducer = reducer.into_v2();
    }
    check::check(&cx, &reducer);
    let k = crate::krate::crate_path();
    let mut out = func.to_token_stream();
    match cx.check() {
        Ok(()) => out.extend(codegen::reducer(&reducer, &k)),
        Err(e) => {
            out.extend(stub::reducer(&reducer, &k));
            out.extend(e.into_compile_error());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::expand;
    use quote::quote;

    #[test]
    fn errors_keep_the_function_and_stub_the_marker() {
        let out = expand(
            quote!(init, init),
            quote!(
                fn f(x: u8) {}
            ),
        )
        .to_string();
        assert!(out.starts_with("fn f (x : u8) { }"), "{out}");
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        assert!(out.contains("struct f {") && out.contains("ReducerInfo for f"), "{out}");
        assert!(!out.contains("register_describer"), "{out}");
        let out = expand(
            quote!(),
            quote!(
                struct S;
            ),
        )
        .to_string();
        assert!(out.starts_with("struct S ;") && out.contains("compile_error"));
    }

    #[test]
    fn success_registers() {
        let out = expand(
            quote!(),
            quote!(
                fn f(ctx: &ReducerContext) {}
            ),
        )
        .to_string();
        assert!(!out.contains("compile_error") && out.contains("register_describer"), "{out}");
    }
}
