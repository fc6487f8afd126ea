//! `#[client_visibility_filter]` on `const NAME: Filter = Filter::Sql("…");`.

use proc_macro2::TokenStream;
use quote::quote;

/// Expands the attribute; the const is always emitted unchanged.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut out = item.clone();
    match generate(args, item) {
        Ok(ts) => out.extend(ts),
        Err(e) => out.extend(e.into_compile_error()),
    }
    out
}

fn generate(args: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    if !args.is_empty() {
        return Err(syn::Error::new_spanned(args, "`#[client_visibility_filter]` takes no arguments"));
    }
    let item: syn::ItemConst = syn::parse2(item).map_err(|e| {
        syn::Error::new(
            e.span(),
            "`#[client_visibility_filter]` goes on a const: `const MY_FILTER: Filter = Filter::Sql(\"SELECT …\");`",
        )
    })?;
    let sql = sql_literal(&item.expr).ok_or_else(|| {
        syn::Error::new_spanned(
            &item.expr,
            "the filter must be written as `Filter::Sql(\"SELECT …\")` with a string literal",
        )
    })?;
    let symbol = format!("__preinit__20_register_row_level_security_{}", item.ident);
    let k = crate::krate::crate_path();
    Ok(quote! {
        const _: () = {
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                __m.add_row_level_security(#sql);
            }
            #k::__private::register_describer!(#k, #symbol, __describe);
        };
    })
}

/// The string literal in `Filter::Sql("…")` (any path ending in `Sql`).
fn sql_literal(expr: &syn::Expr) -> Option<&syn::LitStr> {
    let syn::Expr::Call(call) = expr else { return None };
    let syn::Expr::Path(p) = &*call.func else { return None };
    if p.path.segments.last()?.ident != "Sql" || call.args.len() != 1 {
        return None;
    }
    match call.args.first()? {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registers() {
        let out = expand(
            quote!(),
            quote!(
                const ONLY_ME: Filter = Filter::Sql("SELECT * FROM t");
            ),
        )
        .to_string();
        assert!(out.contains("\"__preinit__20_register_row_level_security_ONLY_ME\""));
        assert!(out.contains("add_row_level_security (\"SELECT * FROM t\")"));
    }

    #[test]
    fn errors() {
        let out = expand(
            quote!(x),
            quote!(
                const A: Filter = Filter::Sql("s");
            ),
        )
        .to_string();
        assert!(out.contains("takes no arguments"));
        let out = expand(
            quote!(),
            quote!(
                const A: Filter = make();
            ),
        )
        .to_string();
        assert!(out.contains("with a string literal"));
        assert!(out.starts_with("const A"));
    }
}
