//! The error path of `#[table]`: the items other code names — the handle struct, the accessor
//! trait, the `Table` impls, the index accessors and their marker types — without the describer,
//! its registration or the compile-time assertions. Reducers that insert into or iterate the
//! table then compile on, and the author sees only the table's own errors. The crate does not
//! build either way (the errors are emitted alongside), so nothing here ever runs.

use super::codegen::uniqueness_marker;
use super::codegen::{access, accessor_method, handle_and_trait, handle_ident, index_impls, index_marker, trait_impls};
use super::model::{Index, Table, TableName};
use proc_macro2::TokenStream;
use quote::quote;

/// The stub items for `t` named `n`, whatever the rules found.
pub(crate) fn table(t: &Table, n: &TableName, k: &TokenStream) -> TokenStream {
    let mut out = handle_and_trait(t, n, k);
    out.extend(uniqueness_marker(n));
    // A generic row type cannot be named without its arguments: the impls would only add errors.
    if !t.generics.params.is_empty() {
        return out;
    }
    let (handle, row) = (handle_ident(n), &t.row);
    // Writing generated values back needs the `SequenceValue` bound the rules may have found
    // broken; the stub does nothing.
    let integrate = quote! {
        fn integrate_generated_columns(__row: &mut #row, __generated: &[u8]) {
            let _ = (__row, __generated);
        }
    };
    let trait_impls = trait_impls(t, n, k, &access(t, k), integrate);
    let indexes = distinct_indexes(t);
    let accessors = indexes.iter().map(|ix| accessor_method(t, n, ix, k));
    let index_markers = indexes.iter().map(|ix| index_marker(t, n, ix));
    let index_impls = indexes.iter().map(|ix| index_impls(t, n, ix, k));
    out.extend(quote! {
        #(#index_markers)*

        const _: () = {
            #trait_impls

            #[automatically_derived]
            impl #handle {
                #(#accessors)*
            }

            #(#index_impls)*
        };
    });
    out
}

/// The indexes whose accessor name (which names the marker type) and accessor method are not
/// already taken by an earlier one: `check::distinct_accessors` reports the others, and
/// generating them twice would add rustc's "defined multiple times" to that error.
fn distinct_indexes(t: &Table) -> Vec<&Index> {
    let mut out: Vec<&Index> = Vec::new();
    let method = |ix: &Index| if ix.unique { t.column(ix.columns[0]).ident.clone() } else { ix.accessor.clone() };
    for ix in &t.indexes {
        if !out.iter().any(|o| o.accessor == ix.accessor || method(o) == method(ix)) {
            out.push(ix);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Ctxt;
    use crate::table::parse::table_args;
    use syn::parse_quote;

    fn stub(args: TokenStream, input: syn::DeriveInput) -> String {
        let cx = Ctxt::new();
        let t = Table::from_input(&cx, &input, table_args(&cx, args));
        crate::table::check::check(&cx, &t);
        assert!(cx.check().is_err(), "these cases are errors");
        let out = table(&t, t.name.as_ref().unwrap(), &quote!(::worldtube));
        syn::parse2::<syn::File>(out.clone()).unwrap();
        out.to_string()
    }

    #[test]
    fn handle_trait_and_accessors_without_registration() {
        let out = stub(
            quote!(name = player, index(name = by_mass, btree(columns = [mass]))),
            parse_quote!(
                pub struct Player {
                    #[primary_key]
                    #[auto_inc]
                    id: String,
                    mass: f32,
                }
            ),
        );
        assert!(out.contains("pub struct player__TableHandle { _priv : () }"), "{out}");
        assert!(out.contains("pub trait player"), "{out}");
        assert!(out.contains("impl player for :: worldtube :: Local"), "{out}");
        assert!(out.contains("impl :: worldtube :: Table for player__TableHandle"), "{out}");
        assert!(out.contains("type Row = Player"), "{out}");
        assert!(
            out.contains("pub fn id (& self) -> :: worldtube :: UniqueColumn < Self , String , __player_id_index >")
        );
        assert!(out.contains("pub fn by_mass (& self) -> :: worldtube :: RangedIndex"), "{out}");
        assert!(out.contains("impl :: worldtube :: __private :: Column for __player_id_index"), "{out}");
        assert!(out.contains("struct __worldtube_table_player ;"), "{out}");
        // No registration, no assertions, no use of the broken auto_inc column.
        assert!(!out.contains("register_describer") && !out.contains("__describe"), "{out}");
        assert!(!out.contains("assert_") && !out.contains("SequenceValue"), "{out}");
    }

    #[test]
    fn clashing_accessors_are_generated_once() {
        let out = stub(
            quote!(
                name = t,
                index(name = by_u, btree(columns = [u])),
                index(name = u, btree(columns = [b])),
                index(name = u, btree(columns = [b]))
            ),
            parse_quote!(
                struct T {
                    #[unique]
                    u: u32,
                    b: u32,
                }
            ),
        );
        assert_eq!(out.matches("fn u (& self)").count(), 1, "{out}");
        assert_eq!(out.matches("struct __t_u_index").count(), 0, "{out}");
        assert_eq!(out.matches("struct __t_by_u_index").count(), 1, "{out}");
    }

    #[test]
    fn generic_rows_get_only_the_handle() {
        let out = stub(
            quote!(name = bag),
            parse_quote!(
                pub struct Bag<T> {
                    item: T,
                }
            ),
        );
        assert!(out.contains("struct bag__TableHandle") && out.contains("trait bag"), "{out}");
        assert!(!out.contains("Table for bag__TableHandle"), "{out}");
    }
}
