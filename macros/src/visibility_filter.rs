//! `#[client_visibility_filter]` on `const NAME: Filter = Filter::Sql("…");`.
//!
//! As officially, the registration reads the const's value (`NAME.sql_text()`), so the const is
//! used (no dead-code warning) and its initializer may be any constant expression.

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
    let ident = &item.ident;
    let symbol = format!("__preinit__20_register_row_level_security_{ident}");
    let k = crate::krate::crate_path();
    // The filter goes into the definition of the crate's generation (V9, or V10's row-level
    // security section), as officially; a 1.x registration in a 2.x module would mix them.
    let (add, register) = match crate::generation::current() {
        crate::generation::Generation::V1 => (quote!(add_row_level_security), quote!(register_describer)),
        crate::generation::Generation::V2 => (quote!(add_row_level_security_v10), quote!(register_describer_v10)),
    };
    Ok(quote! {
        const _: () = {
            fn __describe(__m: &mut #k::__private::ModuleBuilder) {
                __m.#add(#k::Filter::sql_text(&#ident));
            }
            #k::__private::#register!(#k, #symbol, __describe);
        };
    })
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
        assert!(out.contains("add_row_level_security (:: worldtube :: Filter :: sql_text (& ONLY_ME))"), "{out}");
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
                fn f() {}
            ),
        )
        .to_string();
        assert!(out.contains("goes on a const"));
        assert!(out.starts_with("fn f"));
    }
}
