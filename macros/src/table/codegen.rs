//! Table IR → handle, accessor trait, describer, accessors and checks (see `EXPANSION.md`).

use super::model::{Algo, Index, Table, TableName};
use super::parse::Access;
use crate::krate::quote_at;
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

/// Everything a table attribute emits besides the struct and the row type's impls, for a table
/// that passed `check` (named `n`).
pub(crate) fn table(t: &Table, n: &TableName, k: &TokenStream) -> TokenStream {
    let name = &n.name;
    let handle = handle_ident(n);
    let symbol = format!("__preinit__20_register_describer_{name}");
    let access = access(t, k);
    let handle_and_trait = handle_and_trait(t, n, k);
    let marker = uniqueness_marker(n);
    let integrate = integrate_generated_columns(t, n, k);
    let v2 = t.generation == crate::generation::Generation::V2;
    let describe = if v2 { describe_v10(t, n, k, &access) } else { describe(t, n, k, &access) };
    let register = if v2 {
        quote!(#k::__private::register_describer_v10!(#k, #symbol, __describe);)
    } else {
        quote!(#k::__private::register_describer!(#k, #symbol, __describe);)
    };
    let assertions = assertions(t, k);
    let accessors = t.indexes.iter().map(|ix| accessor_method(t, n, ix, k));
    let index_markers = t.indexes.iter().map(|ix| index_marker(t, n, ix));
    let index_impls = t.indexes.iter().map(|ix| index_impls(t, n, ix, k));
    let trait_impls = trait_impls(t, n, k, &access, integrate);
    let v2_items = if v2 { read_only_and_query(t, n, k) } else { TokenStream::new() };

    quote! {
        #handle_and_trait

        #v2_items

        #marker

        #(#index_markers)*

        const _: () = {
            #trait_impls

            #describe
            #register

            #assertions

            #[automatically_derived]
            impl #handle {
                #(#accessors)*
            }

            #(#index_impls)*
        };
    }
}

/// The handle struct and the accessor trait, implemented for `Local` (what `ctx.db` is).
pub(crate) fn handle_and_trait(t: &Table, n: &TableName, k: &TokenStream) -> TokenStream {
    let (vis, row, name, name_ident) = (&t.vis, &t.row, &n.name, &n.ident);
    let handle = handle_ident(n);
    let handle_doc = format!("The handle of table `{name}`, whose rows are [`{row}`]; get it with `ctx.db.{name}()`.");
    let trait_doc = format!("Gives access to table `{name}`: bring this trait into scope to call `ctx.db.{name}()`.");
    let trait_def = quote_spanned! {name_ident.span()=>
        #[doc = #trait_doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis trait #name_ident {
            #[doc = #trait_doc]
            fn #name_ident(&self) -> &#handle;
        }
        impl #name_ident for #k::Local {
            #[inline]
            fn #name_ident(&self) -> &#handle {
                &#handle { _priv: () }
            }
        }
    };
    quote! {
        #[doc = #handle_doc]
        #[allow(non_camel_case_types)]
        #vis struct #handle { _priv: () }

        #trait_def
    }
}

/// 2.x: the table's read-only handle on `LocalReadOnly` (what a view's `ctx.db` is), through the
/// trait `{table}__view`, and its query-builder entry on `QueryBuilder` (a view's `ctx.from`),
/// through the trait `{table}__query`. The read-only handle counts rows and has the table's index
/// accessors in their read-only forms.
pub(crate) fn read_only_and_query(t: &Table, n: &TableName, k: &TokenStream) -> TokenStream {
    let (vis, row, name, name_ident) = (&t.vis, &t.row, &n.name, &n.ident);
    let handle = handle_ident(n);
    let view_handle = format_ident!("{}__ViewHandle", n.ident);
    let view_trait = format_ident!("{}__view", n.ident, span = n.ident.span());
    let query_trait = format_ident!("{}__query", n.ident, span = n.ident.span());
    let query_name = n.ident.to_string();
    let accessors = t.indexes.iter().map(|ix| read_only_accessor(t, n, ix, k));
    let handle_doc =
        format!("The read-only handle of table `{name}`, whose rows are [`{row}`]; in a view, `ctx.db.{name}()`.");
    let view_doc = format!("Gives views read access to table `{name}`: `ctx.db.{name}()` on a view's context.");
    let query_doc = format!("Starts a query over table `{name}`: `ctx.from.{name}()` in a view.");
    quote! {
        #[doc = #handle_doc]
        #[allow(non_camel_case_types)]
        #vis struct #view_handle { _priv: () }

        #[doc = #view_doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis trait #view_trait {
            #[doc = #view_doc]
            fn #name_ident(&self) -> &#view_handle;
        }
        impl #view_trait for #k::LocalReadOnly {
            #[inline]
            fn #name_ident(&self) -> &#view_handle {
                &#view_handle { _priv: () }
            }
        }

        #[doc = #query_doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis trait #query_trait {
            #[doc = #query_doc]
            fn #name_ident(&self) -> #k::query_builder::Table<#row> {
                #k::query_builder::Table::new(#query_name)
            }
        }
        impl #query_trait for #k::QueryBuilder {}

        const _: () = {
            #[automatically_derived]
            impl #view_handle {
                /// How many rows the table has.
                #[inline]
                pub fn count(&self) -> u64 {
                    #k::Table::count(&#handle { _priv: () })
                }
                #(#accessors)*
            }
        };
    }
}

fn read_only_accessor(t: &Table, n: &TableName, ix: &Index, k: &TokenStream) -> TokenStream {
    let vis = &t.vis;
    let marker = marker_ident(n, ix);
    let handle = handle_ident(n);
    if ix.unique {
        let c = t.column(ix.columns[0]);
        let (field, ty) = (&c.ident, &c.ty);
        let doc = format!("The unique column `{}` of table `{}`, read only: find rows by it.", c.name, n.name);
        quote! {
            #[doc = #doc]
            #[inline]
            #vis fn #field(&self) -> #k::UniqueColumnReadOnly<#handle, #ty, #marker> {
                #k::UniqueColumnReadOnly::__NEW
            }
        }
    } else {
        let acc = &ix.accessor;
        let tys = ix.columns.iter().map(|&c| &t.column(c).ty);
        let ro = if ix.algo == Algo::Hash { quote!(PointIndexReadOnly) } else { quote!(RangedIndexReadOnly) };
        let doc = format!("The index `{acc}` of table `{}`, read only: filter rows by it.", n.name);
        quote! {
            #[doc = #doc]
            #[inline]
            #vis fn #acc(&self) -> #k::#ro<#handle, (#(#tys,)*), #marker> {
                #k::#ro::__NEW
            }
        }
    }
}

/// 2.x, once per row type (with the row type's impls): the query builder's view of the row's
/// columns, `{Row}Cols` (every field, for predicates) and `{Row}IxCols` (the single-column
/// indexes, by accessor, for semijoins), and `CanBeLookupTable` unless the table is an event
/// table. Column references are written with the field's name and, for indexed columns, the
/// index accessor's name, as the official SDK writes them.
pub(crate) fn query_cols(t: &Table, k: &TokenStream) -> TokenStream {
    let (vis, row) = (&t.vis, &t.row);
    let cols = format_ident!("{}Cols", row);
    let ix_cols = format_ident!("{}IxCols", row);
    let col_fields = t.columns.iter().map(|c| {
        let (ident, ty) = (&c.ident, &c.ty);
        quote!(pub #ident: #k::query_builder::Col<#row, #ty>,)
    });
    let col_inits = t.columns.iter().map(|c| {
        let (ident, name) = (&c.ident, c.ident.to_string());
        quote!(#ident: #k::query_builder::Col::new(__table, #name),)
    });
    let mut seen = std::collections::HashSet::new();
    let single: Vec<&Index> =
        t.indexes.iter().filter(|ix| ix.columns.len() == 1 && seen.insert(ix.accessor.to_string())).collect();
    let ix_fields = single.iter().map(|ix| {
        let (acc, ty) = (&ix.accessor, &t.column(ix.columns[0]).ty);
        quote!(pub #acc: #k::query_builder::IxCol<#row, #ty>,)
    });
    let ix_inits = single.iter().map(|ix| {
        let (acc, name) = (&ix.accessor, ix.accessor.to_string());
        quote!(#acc: #k::query_builder::IxCol::new(__table, #name),)
    });
    let lookup = (!t.event).then(|| quote!(impl #k::query_builder::CanBeLookupTable for #row {}));
    let cols_doc = format!("The columns of [`{row}`] in queries: `|r| r.column.eq(value)`.");
    let ix_doc = format!("The indexed columns of [`{row}`] that semijoins join on: `|l, r| l.index.eq(r.index)`.");
    quote! {
        #[doc = #cols_doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #cols {
            #(#col_fields)*
        }
        #[doc = #ix_doc]
        #[allow(non_camel_case_types, dead_code)]
        #vis struct #ix_cols {
            #(#ix_fields)*
        }
        const _: () = {
            #[automatically_derived]
            impl #k::query_builder::HasCols for #row {
                type Cols = #cols;
                fn cols(__table: &'static str) -> #cols {
                    #cols { #(#col_inits)* }
                }
            }
            #[automatically_derived]
            impl #k::query_builder::HasIxCols for #row {
                type IxCols = #ix_cols;
                fn ix_cols(__table: &'static str) -> #ix_cols {
                    #ix_cols { #(#ix_inits)* }
                }
            }
            #lookup
        };
    }
}

/// `TableAccess::Public` or `::Private`.
pub(crate) fn access(t: &Table, k: &TokenStream) -> TokenStream {
    match t.access {
        Access::Public => quote!(#k::__private::TableAccess::Public),
        Access::Private => quote!(#k::__private::TableAccess::Private),
    }
}

/// The handle's `TableInternal` (with `integrate`, the `integrate_generated_columns` fn) and
/// `Table` impls.
pub(crate) fn trait_impls(
    t: &Table,
    n: &TableName,
    k: &TokenStream,
    access: &TokenStream,
    integrate: TokenStream,
) -> TokenStream {
    let (row, name) = (&t.row, &n.name);
    let handle = handle_ident(n);
    let unique_err = if t.unique_cols.is_empty() {
        quote!(::core::convert::Infallible)
    } else {
        quote!(#k::UniqueConstraintViolation)
    };
    let autoinc_err =
        if t.sequences.is_empty() { quote!(::core::convert::Infallible) } else { quote!(#k::AutoIncOverflow) };
    quote! {
        #[automatically_derived]
        impl #k::__private::TableInternal for #handle {
            const TABLE_NAME: &'static str = #name;
            const TABLE_ACCESS: #k::__private::TableAccess = #access;
            #integrate
        }
        #[automatically_derived]
        impl #k::Table for #handle {
            type Row = #row;
            type UniqueConstraintViolation = #unique_err;
            type AutoIncOverflow = #autoinc_err;
        }
    }
}

/// `{name}__TableHandle`.
pub(crate) fn handle_ident(n: &TableName) -> syn::Ident {
    format_ident!("{}__TableHandle", n.ident)
}

/// `__{table}_{accessor}_index`.
fn marker_ident(n: &TableName, ix: &Index) -> syn::Ident {
    format_ident!("__{}_{}_index", n.ident, ix.accessor)
}

/// A module-level unit struct named after the table: a second table with the same name in
/// this module collides with it ("the name … is defined multiple times", reported at the second
/// `name = …`). Across modules the shared `__preinit__` symbol collides at link time.
pub(crate) fn uniqueness_marker(n: &TableName) -> TokenStream {
    let ident = format_ident!("__worldtube_table_{}", n.name, span = n.ident.span());
    quote! {
        // Duplicate-table-name detector: see `EXPANSION.md`.
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code)]
        struct #ident;
    }
}

fn integrate_generated_columns(t: &Table, n: &TableName, k: &TokenStream) -> TokenStream {
    let row = &t.row;
    let body = if t.sequences.is_empty() {
        quote!(let _ = (__row, __generated);)
    } else {
        let name = &n.name;
        let steps = t.sequences.iter().map(|&pos| {
            let c = t.column(pos);
            let (field, col_name) = (&c.ident, &c.name);
            let decode = quote_at!(c.ty.span(), k => #k::__private::decode_generated(&mut __r, #name, #col_name));
            let is_zero = quote_at!(c.ty.span(), k => #k::__private::SequenceValue::is_zero(&__row.#field));
            quote! {
                if #is_zero {
                    __row.#field = #decode;
                }
            }
        });
        quote! {
            let mut __r = #k::__private::Reader::new(__generated);
            #(#steps)*
        }
    };
    quote! {
        fn integrate_generated_columns(__row: &mut #row, __generated: &[u8]) {
            #body
        }
    }
}

fn describe(t: &Table, n: &TableName, k: &TokenStream, access: &TokenStream) -> TokenStream {
    let row = &t.row;
    let name = &n.name;
    let uniques = t.unique_cols.iter().map(|u| quote!(.with_unique_constraint([#u])));
    let pk = t.pk.iter().map(|p| quote!(.with_primary_key(#p)));
    let indexes = t.indexes.iter().map(|ix| {
        let algo = match ix.algo {
            Algo::BTree => {
                let cols = &ix.columns;
                quote!(#k::__private::RawIndexAlgorithm::btree([#(#cols),*]))
            }
            Algo::Direct => {
                let col = ix.columns[0];
                quote!(#k::__private::RawIndexAlgorithm::direct(#col))
            }
            Algo::Hash => unreachable!("hash indexes are 2.x only"),
        };
        let accessor = ix.accessor.to_string();
        quote!(.with_index(#algo, #accessor))
    });
    let sequences = t.sequences.iter().map(|s| quote!(.with_column_sequence(#s)));
    // `check` guarantees the at-column of a schedule.
    let schedule = t
        .schedule
        .iter()
        .filter_map(|s| Some((&s.reducer, s.at?)))
        .map(|(reducer, at)| quote!(.with_schedule(<#reducer as #k::__private::ReducerInfo>::NAME, #at)));
    quote! {
        fn __describe(__m: &mut #k::__private::ModuleBuilder) {
            let __row_ty = <#row as #k::__private::SpacetimeType>::make_type(__m.typespace());
            let __t = __m
                .build_table(#name, __row_ty)
                .with_access(#access)
                .with_type(#k::__private::TableType::User)
                #(#uniques)*
                #(#pk)*
                #(#indexes)*
                #(#sequences)*
                #(#schedule)*;
            let _ = __t.finish();
        }
    }
}

/// The 2.x describer: the same calls, in the same order, as the 2.x SDK makes on its V10
/// builder (row type, schedule, table, explicit names).
fn describe_v10(t: &Table, n: &TableName, k: &TokenStream, access: &TokenStream) -> TokenStream {
    let row = &t.row;
    let name = &n.name;
    let event = t.event;
    let uniques = t.unique_cols.iter().map(|u| quote!(.with_unique_constraint([#u])));
    let pk = t.pk.iter().map(|p| quote!(.with_primary_key(#p)));
    let indexes = t.indexes.iter().map(|ix| {
        let cols = &ix.columns;
        let algo = match ix.algo {
            Algo::BTree => quote!(#k::__private::RawIndexAlgorithm::btree([#(#cols),*])),
            Algo::Hash => {
                quote!(#k::__private::RawIndexAlgorithm::Hash { columns: ::core::convert::From::from([#(#cols),*]) })
            }
            Algo::Direct => {
                let col = ix.columns[0];
                quote!(#k::__private::RawIndexAlgorithm::direct(#col))
            }
        };
        let source_name = t.index_name(n, ix);
        let accessor = ix.accessor.to_string();
        quote!(.with_index(#algo, #source_name, #accessor))
    });
    let sequences = t.sequences.iter().map(|s| quote!(.with_column_sequence(#s)));
    let defaults = t.columns.iter().filter_map(|c| {
        let (expr, _) = c.attrs.default.as_ref()?;
        let pos = c.pos;
        let ty = &c.ty;
        let value = if is_string_type(ty) {
            quote_spanned!(expr.span()=> let __v: &'static str = #expr;)
        } else {
            quote_spanned!(expr.span()=> let __v: #ty = #expr;)
        };
        Some(quote! {
            .with_default_column_value_bsatn(#pos, {
                #value
                let mut __b = ::std::vec::Vec::new();
                #k::__private::Encode::encode(&__v, &mut __b);
                __b
            })
        })
    });
    let schedule =
        t.schedule.iter().filter_map(|s| Some((&s.reducer, s.at?))).map(
            |(reducer, at)| quote!(__m.add_schedule_v10(#name, #at, <#reducer as #k::__private::ReducerInfo>::NAME);),
        );
    let mut names = Vec::new();
    if let Some(canonical) = &t.canonical {
        names.push(quote!(__names.insert_table(#name, #canonical);));
    }
    for ix in &t.indexes {
        if let Some(canonical) = &ix.canonical {
            let source_name = t.index_name(n, ix);
            names.push(quote!(__names.insert_index(#source_name, #canonical);));
        }
    }
    quote! {
        fn __describe(__m: &mut #k::__private::ModuleBuilder) {
            let __row_ty = <#row as #k::__private::SpacetimeType>::make_type(__m.typespace_v10());
            #(#schedule)*
            let __t = __m
                .build_table_v10(#name, __row_ty)
                .with_type(#k::__private::TableType::User)
                .with_access(#access)
                .with_event(#event)
                #(#uniques)*
                #(#indexes)*
                #(#pk)*
                #(#sequences)*
                #(#defaults)*;
            let _ = __t.finish();
            #[allow(unused_mut)]
            let mut __names = <#k::__private::ExplicitNames as ::core::default::Default>::default();
            #(#names)*
            __m.add_explicit_names_v10(__names);
        }
    }
}

/// Whether the type is written `String` (a default value for it is a `&'static str`, as in
/// the 2.x SDK).
fn is_string_type(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "String"))
}

/// Trait-bound assertions, each spanned at the user's type so errors land there.
fn assertions(t: &Table, k: &TokenStream) -> TokenStream {
    let mut checks = TokenStream::new();
    for &pos in &t.sequences {
        let ty = &t.column(pos).ty;
        checks.extend(quote_at!(ty.span(), k => #k::__private::assert_sequence_column::<#ty>();));
    }
    // Index columns may have any column type, as officially (the server keeps a btree over any
    // value, floats included); only lookups need `FilterableValue`, and its bound sits on them.
    for ix in &t.indexes {
        if ix.algo == Algo::Direct {
            let ty = &t.column(ix.columns[0]).ty;
            checks.extend(quote_at!(ty.span(), k => #k::__private::assert_direct_key::<#ty>();));
        }
    }
    // `check` guarantees the at-column and the primary key of a schedule.
    if let Some((s, at, pk)) = t.schedule.as_ref().and_then(|s| Some((s, s.at?, t.pk?))) {
        let at_ty = &t.column(at).ty;
        let pk_ty = &t.column(pk).ty;
        let reducer = &s.reducer;
        let row = &t.row;
        checks.extend(quote_at!(at_ty.span(), k => #k::__private::assert_schedule_at::<#at_ty>();));
        checks.extend(quote_at!(pk_ty.span(), k => #k::__private::assert_u64_primary_key::<#pk_ty>();));
        checks.extend(quote_at!(reducer.span(), k => #k::__private::assert_scheduled_reducer::<#reducer, #row>();));
    }
    if checks.is_empty() {
        return checks;
    }
    quote! {
        #[allow(dead_code)]
        fn __worldtube_checks() {
            #checks
        }
    }
}

pub(crate) fn accessor_method(t: &Table, n: &TableName, ix: &Index, k: &TokenStream) -> TokenStream {
    let vis = &t.vis;
    let marker = marker_ident(n, ix);
    if ix.unique {
        let c = t.column(ix.columns[0]);
        let (field, ty) = (&c.ident, &c.ty);
        let doc = format!("The unique column `{}` of table `{}`: find, update or delete rows by it.", c.name, n.name);
        quote! {
            #[doc = #doc]
            #[inline]
            #vis fn #field(&self) -> #k::UniqueColumn<Self, #ty, #marker> {
                #k::UniqueColumn::__NEW
            }
        }
    } else {
        let acc = &ix.accessor;
        let tys = ix.columns.iter().map(|&c| &t.column(c).ty);
        let cols: Vec<&str> = ix.columns.iter().map(|&c| t.column(c).name.as_str()).collect();
        let doc =
            format!("The index `{acc}` of table `{}` over ({}): filter or delete rows by it.", n.name, cols.join(", "));
        let handle = if ix.algo == Algo::Hash { quote!(PointIndex) } else { quote!(RangedIndex) };
        quote! {
            #[doc = #doc]
            #[inline]
            #vis fn #acc(&self) -> #k::#handle<Self, (#(#tys,)*), #marker> {
                #k::#handle::__NEW
            }
        }
    }
}

pub(crate) fn index_marker(t: &Table, n: &TableName, ix: &Index) -> TokenStream {
    let vis = &t.vis;
    let marker = marker_ident(n, ix);
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #marker;
    }
}

pub(crate) fn index_impls(t: &Table, n: &TableName, ix: &Index, k: &TokenStream) -> TokenStream {
    let marker = marker_ident(n, ix);
    let index_name = t.index_name(n, ix);
    let num_cols = ix.columns.len();
    let point_scan = (t.generation == crate::generation::Generation::V2).then(|| {
        quote!(
            const POINT_SCAN: bool = true;
            const NUM_COLS: usize = #num_cols;
        )
    });
    let mut out = quote! {
        #[automatically_derived]
        impl #k::__private::Index for #marker {
            const INDEX_NAME: &'static str = #index_name;
            #point_scan
        }
    };
    if ix.unique {
        let handle = handle_ident(n);
        let row = &t.row;
        let c = t.column(ix.columns[0]);
        let (field, ty, col_name) = (&c.ident, &c.ty, &c.name);
        out.extend(quote! {
            #[automatically_derived]
            impl #k::__private::Column for #marker {
                type Table = #handle;
                type ColType = #ty;
                const COLUMN_NAME: &'static str = #col_name;
                #[inline]
                fn get_field(__row: &#row) -> &#ty {
                    &__row.#field
                }
            }
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Ctxt;
    use crate::table::parse::table_args;
    use syn::parse_quote;

    fn expand(args: TokenStream, input: syn::DeriveInput) -> String {
        let cx = Ctxt::new();
        let a = table_args(&cx, args);
        let t = Table::from_input(&cx, &input, a);
        crate::table::check::check(&cx, &t);
        assert_eq!(cx.into_messages(), Vec::<String>::new());
        let out = table(&t, t.name.as_ref().unwrap(), &quote!(::worldtube));
        syn::parse2::<syn::File>(out.clone()).unwrap();
        out.to_string()
    }

    #[test]
    fn player() {
        let out = expand(
            quote!(name = player, public, index(name = by_level_name, btree(columns = [level, name]))),
            parse_quote!(
                pub struct Player {
                    #[primary_key]
                    #[auto_inc]
                    id: u64,
                    #[unique]
                    identity: Identity,
                    name: String,
                    level: u32,
                }
            ),
        );
        let describe = ".build_table (\"player\" , __row_ty) \
            . with_access (:: worldtube :: __private :: TableAccess :: Public) \
            . with_type (:: worldtube :: __private :: TableType :: User) \
            . with_unique_constraint ([0u16]) . with_unique_constraint ([1u16]) \
            . with_primary_key (0u16) \
            . with_index (:: worldtube :: __private :: RawIndexAlgorithm :: btree ([0u16]) , \"id\") \
            . with_index (:: worldtube :: __private :: RawIndexAlgorithm :: btree ([1u16]) , \"identity\") \
            . with_index (:: worldtube :: __private :: RawIndexAlgorithm :: btree ([3u16 , 2u16]) , \"by_level_name\") \
            . with_column_sequence (0u16) ;";
        assert!(out.contains(&describe.replace(".build_table", ". build_table")), "{out}");
        assert!(out.contains("pub struct player__TableHandle { _priv : () }"));
        assert!(out.contains("pub trait player"));
        assert!(out.contains("impl player for :: worldtube :: Local"));
        assert!(out.contains("\"__preinit__20_register_describer_player\""));
        assert!(out.contains("pub fn id (& self) -> :: worldtube :: UniqueColumn < Self , u64 , __player_id_index >"));
        assert!(out.contains(
            "pub fn by_level_name (& self) -> :: worldtube :: RangedIndex < Self , (u32 , String ,) , __player_by_level_name_index >"
        ));
        assert!(out.contains("const INDEX_NAME : & 'static str = \"player_level_name_idx_btree\""));
        assert!(out.contains("const INDEX_NAME : & 'static str = \"player_id_idx_btree\""));
        assert!(out.contains("type UniqueConstraintViolation = :: worldtube :: UniqueConstraintViolation"));
        assert!(out.contains("type AutoIncOverflow = :: worldtube :: AutoIncOverflow"));
        assert!(out.contains("decode_generated (& mut __r , \"player\" , \"id\")"));
        assert!(out.contains("assert_sequence_column :: < u64 > ()"));
        assert!(!out.contains("assert_index_key"), "index columns need no FilterableValue");
        assert!(out.contains("struct __worldtube_table_player ;"));
    }

    #[test]
    fn plain_scheduled_and_direct() {
        let out = expand(
            quote!(name = jobs, scheduled(run_job)),
            parse_quote!(
                struct Job {
                    #[primary_key]
                    #[index(direct)]
                    scheduled_id: u64,
                    scheduled_at: ScheduleAt,
                }
            ),
        );
        assert!(out.contains("RawIndexAlgorithm :: direct (0u16) , \"scheduled_id\""), "{out}");
        assert!(out.contains("with_schedule (< run_job as :: worldtube :: __private :: ReducerInfo > :: NAME , 1u16)"));
        assert!(out.contains("assert_scheduled_reducer :: < run_job , Job > ()"));
        assert!(out.contains("assert_direct_key :: < u64 > ()"));
        assert!(out.contains("TableAccess :: Private"));
        assert!(out.contains("type AutoIncOverflow = :: core :: convert :: Infallible"));
        assert!(out.contains("\"jobs_scheduled_id_idx_direct\""));

        let out = expand(
            quote!(name = log),
            parse_quote!(
                struct Log {
                    text: String,
                }
            ),
        );
        assert!(out.contains("type UniqueConstraintViolation = :: core :: convert :: Infallible"));
        assert!(out.contains("let _ = (__row , __generated) ;"));
        assert!(!out.contains("__worldtube_checks"));
    }
}
