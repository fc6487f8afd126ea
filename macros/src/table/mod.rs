//! `#[table(...)]`.

pub(crate) mod check;
pub(crate) mod codegen;
pub(crate) mod column_attrs;
pub(crate) mod model;
pub(crate) mod parse;
pub(crate) mod stub;

use crate::diag::Ctxt;
use crate::generation::Generation;
use crate::sats;
use proc_macro2::TokenStream;
use quote::ToTokens;

/// Whether `attr` is another table attribute (`#[table]`, `#[spacetimedb::table]`, …).
fn is_table_attr(attr: &syn::Attribute) -> bool {
    attr.path().segments.last().is_some_and(|s| s.ident == "table")
}

/// Removes the column attributes and `#[sats]` (done by the last table attribute only).
fn strip_helper_attrs(input: &mut syn::DeriveInput, generation: Generation) {
    let names = match generation {
        Generation::V1 => column_attrs::COLUMN_ATTRS,
        Generation::V2 => column_attrs::COLUMN_ATTRS_V2,
    };
    input.attrs.retain(|a| !a.path().is_ident("sats"));
    if let syn::Data::Struct(s) = &mut input.data {
        for f in s.fields.iter_mut() {
            f.attrs.retain(|a| !names.iter().any(|n| a.path().is_ident(n)));
        }
    }
}

/// Expands `#[table(args)] item`. The struct is always emitted; the last table attribute on it
/// also emits the row type's `SpacetimeType`/`Encode`/`Decode` impls and strips the column
/// attributes. On an error, stubs of the items other code names come with the errors.
pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut input: syn::DeriveInput = match syn::parse2(item.clone()) {
        Ok(i) => i,
        Err(_) => {
            let err = syn::Error::new_spanned(
                &item,
                "`#[table]` goes on a struct with named fields, e.g. `#[table(name = player)] pub struct Player { id: u64 }`",
            );
            let mut out = item;
            out.extend(err.into_compile_error());
            return out;
        }
    };
    let is_last = !input.attrs.iter().any(is_table_attr);
    let k = crate::krate::crate_path();
    let generation = crate::generation::current();
    let cx = Ctxt::new();
    let args = parse::table_args_in(&cx, args, generation);
    let table = model::Table::from_input_in(&cx, &input, args, generation);
    check::check(&cx, &table);

    let row_impls = if is_last {
        let impls = row_impls(&input, &table, &k);
        strip_helper_attrs(&mut input, generation);
        impls
    } else {
        TokenStream::new()
    };

    let mut out = input.to_token_stream();
    out.extend(row_impls);
    match (cx.check(), &table.name) {
        (Ok(()), Some(name)) => {
            out.extend(codegen::table(&table, name, &k));
            if is_last && generation == Generation::V2 {
                out.extend(codegen::query_cols(&table, &k));
            }
        }
        (Ok(()), None) => unreachable!("`table::check::name_present` reports a missing name"),
        (Err(e), name) => {
            // Without a name there is no handle or trait to stub.
            if let Some(name) = name {
                out.extend(stub::table(&table, name, &k));
            }
            out.extend(e.into_compile_error());
        }
    }
    out
}

/// The row type's impls, as `#[derive(SpacetimeType)]` would emit them (with its errors, or its
/// stubs on an error). A row that is not a plain struct (enum, union, generics) gets stubs and no
/// errors of its own: the table's rules already report its shape, once.
fn row_impls(input: &syn::DeriveInput, table: &model::Table, k: &TokenStream) -> TokenStream {
    let sats_cx = Ctxt::new();
    let attrs = sats::parse::container_attrs(&sats_cx, &input.attrs);
    let ty = sats::model::SatsType::from_derive(input, attrs);
    let plain_struct = matches!(input.data, syn::Data::Struct(_)) && table.generics.params.is_empty();
    if plain_struct {
        sats::check::check(&sats_cx, &ty, sats::Which::All);
    }
    match sats_cx.check() {
        Ok(()) if plain_struct => sats::codegen::derive(&ty, sats::Which::All, k),
        Ok(()) => sats::stub::derive(&ty, sats::Which::All, k),
        Err(e) => {
            let mut out = sats::stub::derive(&ty, sats::Which::All, k);
            out.extend(e.into_compile_error());
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::expand;
    use quote::quote;

    #[test]
    fn last_attribute_strips_and_derives() {
        let out = expand(
            quote!(name = a),
            quote!(
                #[table(name = b)]
                #[sats(name = "Row")]
                pub struct R {
                    #[primary_key]
                    id: u64,
                }
            ),
        )
        .to_string();
        // Not the last: attributes stay, no row impls.
        assert!(out.contains("# [primary_key]") && out.contains("# [table (name = b)]"));
        assert!(!out.contains("SpacetimeType for R"));
        let out = expand(
            quote!(name = b),
            quote!(
                #[sats(name = "Row")]
                pub struct R {
                    #[primary_key]
                    id: u64,
                }
            ),
        )
        .to_string();
        assert!(!out.contains("# [primary_key]") && !out.contains("# [sats"));
        assert!(out.contains("SpacetimeType for R") && out.contains("Some (\"Row\")"));
    }

    #[test]
    fn errors_keep_the_item() {
        let out = expand(
            quote!(public),
            quote!(
                pub struct R {
                    #[unique]
                    id: u64,
                }
            ),
        )
        .to_string();
        assert!(out.starts_with("pub struct R { id : u64 , }"), "{out}");
        assert!(out.contains("compile_error") && out.contains("missing table name"));
        assert!(out.contains("SpacetimeType for R"));
        let out = expand(
            quote!(name = x),
            quote!(
                fn f() {}
            ),
        )
        .to_string();
        assert!(out.starts_with("fn f () { }") && out.contains("compile_error"));
    }
}
