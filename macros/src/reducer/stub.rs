//! The error path of `#[reducer]`: the items other code names — the marker struct and its
//! `ReducerInfo` impl (what `scheduled(...)` on a table uses) — without the invoker or the
//! registration, so a mistake in the reducer is reported once, not again where it is used.

use super::codegen::{marker_struct, uniqueness_markers};
use super::model::Reducer;
use proc_macro2::TokenStream;
use quote::quote;

/// The stub items for `r`, whatever the rules found.
pub(crate) fn reducer(r: &Reducer, k: &TokenStream) -> TokenStream {
    let mut out = marker_struct(r);
    out.extend(uniqueness_markers(r));
    if let Some(args) = args_type(r) {
        let (fn_ident, name) = (&r.fn_ident, &r.name);
        out.extend(quote! {
            const _: () = {
                #[automatically_derived]
                impl #k::__private::ReducerInfo for #fn_ident {
                    const NAME: &'static str = #name;
                    type Args = #args;
                }
            };
        });
    }
    out
}

/// `(T1, T2, …,)` from the parameters after the context, or `None` when that type cannot be
/// written outside the function (a type parameter or an `impl Trait` in it): then the impl is
/// left out, since naming it would be a second error for the same mistake.
fn args_type(r: &Reducer) -> Option<TokenStream> {
    let generic = r.sig.generics.params.iter().any(|p| !matches!(p, syn::GenericParam::Lifetime(_)));
    let impl_trait = r.params.iter().any(|p| matches!(p.ty, syn::Type::ImplTrait(_)));
    if generic || impl_trait {
        return None;
    }
    let tys = r.params.iter().map(|p| &p.ty);
    Some(quote!((#(#tys,)*)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reducer::parse::ReducerArgs;
    use syn::parse_quote;

    fn stub(f: syn::ItemFn) -> String {
        let out = reducer(&Reducer::from_fn(&f, ReducerArgs::default()), &quote!(::worldtube));
        syn::parse2::<syn::File>(out.clone()).unwrap();
        out.to_string()
    }

    #[test]
    fn marker_and_info_without_registration() {
        let out = stub(parse_quote!(
            pub fn ring(ctx: ReducerContext, (a, b): (u8, u8), t: Timer) {}
        ));
        assert!(out.contains("pub struct ring { _never : :: core :: convert :: Infallible }"), "{out}");
        assert!(out.contains("impl :: worldtube :: __private :: ReducerInfo for ring"), "{out}");
        assert!(out.contains("const NAME : & 'static str = \"ring\""), "{out}");
        assert!(out.contains("type Args = ((u8 , u8) , Timer ,) ;"), "{out}");
        assert!(out.contains("struct __a_reducer_named_ring_already_exists_in_this_module"), "{out}");
        assert!(!out.contains("register_describer") && !out.contains("__invoke"), "{out}");
    }

    #[test]
    fn args_that_cannot_be_named_leave_out_the_info() {
        let out = stub(parse_quote!(
            fn g<T>(ctx: &ReducerContext, t: T) {}
        ));
        assert!(out.contains("struct g {") && !out.contains("ReducerInfo"), "{out}");
        let out = stub(parse_quote!(
            fn h(ctx: &ReducerContext, t: impl Copy) {}
        ));
        assert!(out.contains("struct h {") && !out.contains("ReducerInfo"), "{out}");
        let out = stub(parse_quote!(
            fn r#type(ctx: &ReducerContext) {}
        ));
        assert!(out.contains("ReducerInfo") && !out.contains("__a_reducer_named"), "{out}");
    }
}
