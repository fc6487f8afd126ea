//! `#[reducer]`.

pub(crate) mod check;
pub(crate) mod codegen;
pub(crate) mod model;
pub(crate) mod parse;

use crate::diag::Ctxt;
use proc_macro2::TokenStream;
use quote::ToTokens;

/// Expands `#[reducer(args)] item`. The function is always emitted unchanged.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let func: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(_) => {
            let err = syn::Error::new_spanned(&item, "`#[reducer]` can only be applied to a function, e.g. `#[reducer] pub fn my_reducer(ctx: &ReducerContext) {}`");
            let mut out = item;
            out.extend(err.into_compile_error());
            return out;
        }
    };
    let cx = Ctxt::new();
    let args = parse::reducer_args(&cx, args);
    let model = model::Reducer::build(&cx, &func, args);
    let mut out = func.to_token_stream();
    match model {
        Some(r) if !cx.has_errors() => out.extend(codegen::reducer(&r, &crate::krate::crate_path())),
        _ => out.extend(cx.into_compile_errors()),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::expand;
    use quote::quote;

    #[test]
    fn errors_keep_the_function() {
        let out = expand(
            quote!(init, init),
            quote!(
                fn f(x: u8) {}
            ),
        )
        .to_string();
        assert!(out.starts_with("fn f (x : u8) { }"), "{out}");
        assert_eq!(out.matches("compile_error").count(), 2, "{out}");
        let out = expand(
            quote!(),
            quote!(
                struct S;
            ),
        )
        .to_string();
        assert!(out.starts_with("struct S ;") && out.contains("compile_error"));
    }
}
