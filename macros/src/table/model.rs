//! The table as declared: columns resolved to positions, indexes in module-definition order.
//! Built without judging it (the rules are in `check.rs`); only what cannot be built at all (an
//! index or schedule naming a column that does not exist) is reported here, and left out.

use super::column_attrs::{column_attrs_in, ColumnAttrs};
use super::parse::{Access, AlgoArg, ScheduledArg, TableArgs};
use crate::diag::Ctxt;
use crate::generation::Generation;
use crate::util::ident_name;
use proc_macro2::Span;
use syn::ext::IdentExt;

/// The most columns a table can have (column positions are `u16`), as officially.
pub(crate) const MAX_COLUMNS: usize = u16::MAX as usize;

/// A table.
pub(crate) struct Table {
    /// The row type.
    pub row: syn::Ident,
    /// The row type's visibility (handle, trait, accessors and index markers get the same).
    pub vis: syn::Visibility,
    /// The row type's generic parameters (a rule rejects them).
    pub generics: syn::Generics,
    /// What kind of item the row type is.
    pub shape: RowShape,
    /// `name = …`, if given.
    pub name: Option<TableName>,
    /// Public or private (default private).
    pub access: Access,
    /// How many fields the row struct has (columns beyond [`MAX_COLUMNS`] are not modelled).
    pub field_count: usize,
    /// The columns, in field order (none unless the row is a struct with named fields).
    pub columns: Vec<Column>,
    /// Positions of `#[unique]`/`#[primary_key]` columns, in column order.
    pub unique_cols: Vec<u16>,
    /// The first `#[primary_key]` column (a rule rejects a second one).
    pub pk: Option<u16>,
    /// Positions of `#[auto_inc]` columns, in column order.
    pub sequences: Vec<u16>,
    /// The indexes, in the order they go into the module definition.
    pub indexes: Vec<Index>,
    /// The schedule, for scheduled tables.
    pub schedule: Option<Schedule>,
    /// The API generation the table is written for.
    pub generation: Generation,
    /// 2.x: the canonical name (`name = "…"`).
    pub canonical: Option<String>,
    /// 2.x: an event table.
    pub event: bool,
}

/// The kind of item `#[table]` was put on.
pub(crate) enum RowShape {
    /// A struct with named fields (the only accepted shape).
    Named,
    /// A tuple struct: its fields.
    Tuple(syn::FieldsUnnamed),
    /// A unit struct.
    Unit,
    /// An enum: the `enum` keyword's span.
    Enum(Span),
    /// A union: the `union` keyword's span.
    Union(Span),
}

/// The table's name.
pub(crate) struct TableName {
    /// `name = …` as written (names the trait, the accessor method and the handle).
    pub ident: syn::Ident,
    /// The name in the database (the ident without `r#`).
    pub name: String,
}

/// A column.
pub(crate) struct Column {
    /// Its position.
    pub pos: u16,
    /// The field.
    pub ident: syn::Ident,
    /// Its name in the database (the field ident as `to_string()` spells it).
    pub name: String,
    /// The field's type.
    pub ty: syn::Type,
    /// Its column attributes.
    pub attrs: ColumnAttrs,
}

impl Column {
    /// Unique or primary key.
    pub(crate) fn is_unique(&self) -> bool {
        self.attrs.unique.is_some() || self.attrs.primary_key.is_some()
    }
}

/// An index algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Algo {
    /// B-tree over one or more columns.
    BTree,
    /// Direct over one column.
    Direct,
    /// Hash over one or more columns (2.x).
    Hash,
}

/// An index.
#[derive(Clone)]
pub(crate) struct Index {
    /// Its accessor name (the declared index name, or the column's name).
    pub accessor: syn::Ident,
    /// The algorithm.
    pub algo: Algo,
    /// Column positions in index order (as written: a rule rejects repeats).
    pub columns: Vec<u16>,
    /// The columns as written (for errors): in `columns = […]`, or the field.
    pub written: Vec<syn::Ident>,
    /// Whether this index serves a unique column (then its Rust accessor is a `UniqueColumn`
    /// named after the column).
    pub unique: bool,
    /// 2.x: the canonical name (`name = "…"`).
    pub canonical: Option<String>,
}

/// The schedule of a scheduled table.
pub(crate) struct Schedule {
    /// Where `scheduled` was written.
    pub span: Span,
    /// The reducer's marker type.
    pub reducer: syn::Path,
    /// The `ScheduleAt` column, if found.
    pub at: Option<u16>,
    /// Whether the at-column was named (`at = …`) rather than defaulted to `scheduled_at`.
    pub at_named: bool,
}

impl Table {
    /// The table `args` declare over `input`. Always complete: what the rules reject is kept as
    /// written; a column name that resolves to nothing is reported here and its index (or the
    /// schedule's at-column) left out.
    #[cfg(test)]
    pub(crate) fn from_input(cx: &Ctxt, input: &syn::DeriveInput, args: TableArgs) -> Self {
        Self::from_input_in(cx, input, args, Generation::V1)
    }

    /// [`from_input`](Self::from_input) for a table written for `generation`.
    pub(crate) fn from_input_in(cx: &Ctxt, input: &syn::DeriveInput, args: TableArgs, generation: Generation) -> Self {
        let (shape, fields) = shape_of(input);
        let columns: Vec<Column> = fields
            .iter()
            .take(MAX_COLUMNS)
            .enumerate()
            .filter_map(|(i, f)| {
                let ident = f.ident.clone()?;
                Some(Column {
                    pos: i as u16,
                    name: ident_name(&ident),
                    ident,
                    ty: f.ty.clone(),
                    attrs: column_attrs_in(cx, &f.attrs, generation),
                })
            })
            .collect();
        let unique_cols: Vec<u16> = columns.iter().filter(|c| c.is_unique()).map(|c| c.pos).collect();
        let sequences: Vec<u16> = columns.iter().filter(|c| c.attrs.auto_inc.is_some()).map(|c| c.pos).collect();
        let pk = columns.iter().find(|c| c.attrs.primary_key.is_some()).map(|c| c.pos);
        // Indexes and schedule name columns; without named fields there are none to name, and
        // the shape's error says all there is to say.
        let named = matches!(shape, RowShape::Named);
        let indexes = if named { order_indexes(cx, &args, &columns, &unique_cols) } else { Vec::new() };
        let schedule = args.scheduled.as_ref().filter(|_| named).map(|s| schedule(cx, s, &columns));
        Table {
            row: input.ident.clone(),
            vis: input.vis.clone(),
            generics: input.generics.clone(),
            shape,
            name: args.name.map(|ident| TableName { name: ident.unraw().to_string(), ident }),
            access: args.access.map_or(Access::Private, |(a, _)| a),
            field_count: fields.len(),
            columns,
            unique_cols,
            pk,
            sequences,
            indexes,
            schedule,
            generation,
            canonical: args.canonical.map(|l| l.value()),
            event: args.event.is_some(),
        }
    }

    /// The column at `pos`.
    pub(crate) fn column(&self, pos: u16) -> &Column {
        &self.columns[pos as usize]
    }

    /// The index's generated database name: `{table}_{col}_{col}…_idx_{btree|direct}`.
    pub(crate) fn index_name(&self, table: &TableName, index: &Index) -> String {
        let cols: Vec<&str> = index.columns.iter().map(|&c| self.column(c).name.as_str()).collect();
        let algo = match index.algo {
            Algo::BTree => "btree",
            Algo::Direct => "direct",
            Algo::Hash => "hash",
        };
        format!("{}_{}_idx_{algo}", table.name, cols.join("_"))
    }
}

/// The row's shape and its fields (named fields only: others cannot be columns).
fn shape_of(input: &syn::DeriveInput) -> (RowShape, Vec<&syn::Field>) {
    match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(named) => (RowShape::Named, named.named.iter().collect()),
            syn::Fields::Unnamed(f) => (RowShape::Tuple(f.clone()), Vec::new()),
            syn::Fields::Unit => (RowShape::Unit, Vec::new()),
        },
        syn::Data::Enum(e) => (RowShape::Enum(e.enum_token.span), Vec::new()),
        syn::Data::Union(u) => (RowShape::Union(u.union_token.span), Vec::new()),
    }
}

/// The official order: declared indexes (table-level, then `#[index]` columns in column order),
/// then a btree for each unique column that no single-column index covers; the first index
/// over exactly a unique column serves it. Finally a stable sort puts unique-serving indexes
/// first.
fn order_indexes(cx: &Ctxt, args: &TableArgs, columns: &[Column], unique_cols: &[u16]) -> Vec<Index> {
    let mut list = Vec::new();
    for arg in &args.indexes {
        let (algo, idents) = match &arg.algo {
            AlgoArg::BTree(cols) => (Algo::BTree, cols.as_slice()),
            AlgoArg::Direct(col) => (Algo::Direct, std::slice::from_ref(col)),
            AlgoArg::Hash(cols) => (Algo::Hash, cols.as_slice()),
        };
        if let Some(cols) = resolve_columns(cx, idents, columns) {
            list.push(Index {
                accessor: arg.accessor.clone(),
                algo,
                columns: cols,
                written: idents.to_vec(),
                unique: false,
                canonical: arg.canonical.as_ref().map(|l| l.value()),
            });
        }
    }
    for col in columns {
        let attr_algos =
            col.attrs.indexes.iter().map(|&(is_btree, _)| if is_btree { Algo::BTree } else { Algo::Direct });
        for algo in attr_algos.chain(col.attrs.hash_indexes.iter().map(|_| Algo::Hash)) {
            list.push(Index {
                accessor: col.ident.clone(),
                algo,
                columns: vec![col.pos],
                written: vec![col.ident.clone()],
                unique: false,
                canonical: None,
            });
        }
    }
    for &u in unique_cols {
        match list.iter_mut().find(|ix| ix.columns == [u]) {
            Some(ix) => ix.unique = true,
            None => list.push(Index {
                accessor: columns[u as usize].ident.clone(),
                algo: Algo::BTree,
                columns: vec![u],
                written: vec![columns[u as usize].ident.clone()],
                unique: true,
                canonical: None,
            }),
        }
    }
    list.sort_by_key(|ix| !ix.unique);
    list
}

/// The positions of the columns `idents` name, or `None` (after reporting each unknown name).
fn resolve_columns(cx: &Ctxt, idents: &[syn::Ident], columns: &[Column]) -> Option<Vec<u16>> {
    let mut out = Some(Vec::new());
    for ident in idents {
        match (columns.iter().find(|c| c.ident == *ident), &mut out) {
            (Some(c), Some(positions)) => positions.push(c.pos),
            (Some(_), None) => {}
            (None, _) => {
                cx.error_spanned_by(ident, no_such_column(ident, columns));
                out = None;
            }
        }
    }
    out
}

/// The error for a column name that names no column.
fn no_such_column(ident: &syn::Ident, columns: &[Column]) -> String {
    let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    format!("no column named `{ident}` in this table; the columns are: {}", names.join(", "))
}

/// The schedule: the at-column is `at = …` or the field named `scheduled_at`.
fn schedule(cx: &Ctxt, arg: &ScheduledArg, columns: &[Column]) -> Schedule {
    let at = match &arg.at {
        Some(ident) => resolve_columns(cx, std::slice::from_ref(ident), columns).map(|cols| cols[0]),
        None => columns.iter().find(|c| c.ident == "scheduled_at").map(|c| c.pos),
    };
    Schedule { span: arg.span, reducer: arg.reducer.clone(), at, at_named: arg.at.is_some() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse::table_args;
    use quote::quote;
    use syn::parse_quote;

    fn build(args: proc_macro2::TokenStream, input: syn::DeriveInput) -> (Table, Vec<String>) {
        let cx = Ctxt::new();
        let a = table_args(&cx, args);
        let t = Table::from_input(&cx, &input, a);
        (t, cx.into_messages())
    }

    fn summary(t: &Table) -> Vec<String> {
        let name = t.name.as_ref().unwrap();
        t.indexes
            .iter()
            .map(|ix| {
                format!("{}:{:?}:{:?}:{}:{}", ix.accessor, ix.algo, ix.columns, ix.unique, t.index_name(name, ix))
            })
            .collect()
    }

    #[test]
    fn player() {
        let (t, e) = build(
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
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(t.name.as_ref().unwrap().name, "player");
        assert_eq!(t.access, Access::Public);
        assert_eq!(t.unique_cols, [0, 1]);
        assert_eq!(t.pk, Some(0));
        assert_eq!(t.sequences, [0]);
        assert_eq!(
            summary(&t),
            [
                "id:BTree:[0]:true:player_id_idx_btree",
                "identity:BTree:[1]:true:player_identity_idx_btree",
                "by_level_name:BTree:[3, 2]:false:player_level_name_idx_btree",
            ]
        );
    }

    #[test]
    fn explicit_indexes_covering_unique_columns_come_first() {
        // Official order: the declared index list (table-level, then column attributes), auto
        // indexes for uncovered unique columns appended, then a stable sort unique-first.
        let (t, e) = build(
            quote!(name = t, index(name = by_b, direct(column = [b])), index(name = by_c, btree(columns = [c]))),
            parse_quote!(
                struct T {
                    #[unique]
                    a: u32,
                    #[unique]
                    b: u8,
                    c: u32,
                    #[unique]
                    #[index(btree)]
                    d: u64,
                }
            ),
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(
            summary(&t),
            [
                "by_b:Direct:[1]:true:t_b_idx_direct",
                "d:BTree:[3]:true:t_d_idx_btree",
                "a:BTree:[0]:true:t_a_idx_btree",
                "by_c:BTree:[2]:false:t_c_idx_btree",
            ]
        );
    }

    #[test]
    fn schedule() {
        let (t, e) = build(
            quote!(name = jobs, scheduled(run_job)),
            parse_quote!(
                struct Job {
                    #[primary_key]
                    #[auto_inc]
                    scheduled_id: u64,
                    scheduled_at: ScheduleAt,
                    x: u8,
                }
            ),
        );
        assert!(e.is_empty(), "{e:?}");
        let s = t.schedule.unwrap();
        assert_eq!((s.at, s.at_named, t.pk), (Some(1), false, Some(0)));
        let (t, e) = build(
            quote!(name = jobs, scheduled(run_job, at = when)),
            parse_quote!(
                struct Job {
                    #[primary_key]
                    id: u64,
                    when: ScheduleAt,
                }
            ),
        );
        assert!(e.is_empty(), "{e:?}");
        assert_eq!(t.schedule.unwrap().at, Some(1));
    }

    #[test]
    fn what_cannot_be_resolved_is_reported_and_left_out() {
        let (t, e) = build(
            quote!(
                name = t,
                index(name = i0, btree(columns = [a, nope])),
                index(name = i1, btree(columns = [a, a])),
                scheduled(tick, at = when)
            ),
            parse_quote!(
                struct T {
                    a: u32,
                }
            ),
        );
        assert_eq!(
            e,
            [
                "no column named `nope` in this table; the columns are: a",
                "no column named `when` in this table; the columns are: a",
            ]
        );
        // The repeated column is the rules' business: the index is kept as written.
        assert_eq!(summary(&t), ["i1:BTree:[0, 0]:false:t_a_a_idx_btree"]);
        let s = t.schedule.unwrap();
        assert_eq!((s.at, s.at_named), (None, true));
    }

    #[test]
    fn incomplete_declarations_still_give_a_table() {
        let (t, e) = build(
            quote!(public, index(name = i, btree(columns = [x]))),
            parse_quote!(
                struct T(u32);
            ),
        );
        assert!(e.is_empty(), "{e:?}");
        assert!(t.name.is_none() && matches!(t.shape, RowShape::Tuple(_)));
        assert!(t.columns.is_empty() && t.indexes.is_empty());
        let (t, _) = build(
            quote!(name = t),
            parse_quote!(
                struct T {
                    #[primary_key]
                    a: u8,
                    #[primary_key]
                    b: u8,
                }
            ),
        );
        assert_eq!((t.pk, t.unique_cols.as_slice()), (Some(0), &[0, 1][..]));
    }
}
