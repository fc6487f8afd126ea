//! The validated table IR: columns resolved to positions, indexes in module-definition order.

use super::check;
use super::parse::{Access, AlgoArg, ColumnAttrs, TableArgs};
use crate::diag::Ctxt;
use crate::util::ident_name;
use syn::ext::IdentExt;

/// A table, ready for code generation.
pub(crate) struct Table {
    /// The row struct.
    pub row: syn::Ident,
    /// The row struct's visibility (handle, trait, accessors and index markers get the same).
    pub vis: syn::Visibility,
    /// `name = …` as written (names the trait, the accessor method and the handle).
    pub name_ident: syn::Ident,
    /// The table's name in the database (the ident without `r#`).
    pub name: String,
    /// Public or private (default private).
    pub access: Access,
    /// The columns, in field order.
    pub columns: Vec<Column>,
    /// Positions of `#[unique]`/`#[primary_key]` columns, in column order.
    pub unique_cols: Vec<u16>,
    /// The `#[primary_key]` column.
    pub pk: Option<u16>,
    /// Positions of `#[auto_inc]` columns, in column order.
    pub sequences: Vec<u16>,
    /// The indexes, in the order they go into the module definition.
    pub indexes: Vec<Index>,
    /// The schedule, for scheduled tables.
    pub schedule: Option<Schedule>,
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
}

/// An index.
#[derive(Clone)]
pub(crate) struct Index {
    /// Its accessor name (the declared index name, or the column's name).
    pub accessor: syn::Ident,
    /// The algorithm.
    pub algo: Algo,
    /// Column positions in index order.
    pub columns: Vec<u16>,
    /// Whether this index serves a unique column (then its Rust accessor is a `UniqueColumn`
    /// named after the column).
    pub unique: bool,
}

/// The schedule of a scheduled table.
pub(crate) struct Schedule {
    /// The reducer's marker type.
    pub reducer: syn::Path,
    /// The `ScheduleAt` column.
    pub at: u16,
    /// The primary key column.
    pub pk: u16,
}

impl Table {
    /// Validates the struct and the table arguments. Returns `None` if nothing sensible can be
    /// generated; other problems are only reported into `cx`.
    pub(crate) fn build(cx: &Ctxt, input: &syn::DeriveInput, args: TableArgs) -> Option<Self> {
        let fields = check::struct_shape(cx, input);
        check::no_generics(cx, &input.generics);
        let name_ident = check::name_present(cx, &args, &input.ident);
        let fields = fields?;
        let name_ident = name_ident?;
        let name = name_ident.unraw().to_string();
        check::table_name(cx, &name, &name_ident);
        check::column_count(cx, &input.ident, fields.named.len())?;

        let columns: Vec<Column> = fields
            .named
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let ident = f.ident.clone()?;
                Some(Column {
                    pos: i as u16,
                    name: ident_name(&ident),
                    ident,
                    ty: f.ty.clone(),
                    attrs: super::parse::column_attrs(cx, &f.attrs),
                })
            })
            .collect();
        check::column_names(cx, &columns);
        let pk = check::single_primary_key(cx, &columns);
        check::auto_inc_types(cx, &columns);
        let unique_cols: Vec<u16> = columns.iter().filter(|c| c.is_unique()).map(|c| c.pos).collect();
        let sequences: Vec<u16> = columns.iter().filter(|c| c.attrs.auto_inc.is_some()).map(|c| c.pos).collect();

        let indexes = order_indexes(cx, &args, &columns, &unique_cols);
        check::float_keys(cx, &columns, &indexes);
        check::direct_indexes(cx, &indexes, &columns);
        check::distinct_accessors(cx, &indexes, &columns);
        let schedule = args.scheduled.as_ref().and_then(|s| check::schedule(cx, s, &columns, pk));

        Some(Table {
            row: input.ident.clone(),
            vis: input.vis.clone(),
            name_ident,
            name,
            access: args.access.map_or(Access::Private, |(a, _)| a),
            columns,
            unique_cols,
            pk,
            sequences,
            indexes,
            schedule,
        })
    }

    /// The column at `pos`.
    pub(crate) fn column(&self, pos: u16) -> &Column {
        &self.columns[pos as usize]
    }

    /// The index's generated database name: `{table}_{col}_{col}…_idx_{btree|direct}`.
    pub(crate) fn index_name(&self, index: &Index) -> String {
        let cols: Vec<&str> = index.columns.iter().map(|&c| self.column(c).name.as_str()).collect();
        let algo = match index.algo {
            Algo::BTree => "btree",
            Algo::Direct => "direct",
        };
        format!("{}_{}_idx_{algo}", self.name, cols.join("_"))
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
        };
        if let Some(cols) = check::index_columns(cx, idents, columns) {
            list.push(Index { accessor: arg.accessor.clone(), algo, columns: cols, unique: false });
        }
    }
    for col in columns {
        for &(is_btree, _) in &col.attrs.indexes {
            let algo = if is_btree { Algo::BTree } else { Algo::Direct };
            list.push(Index { accessor: col.ident.clone(), algo, columns: vec![col.pos], unique: false });
        }
    }
    for &u in unique_cols {
        match list.iter_mut().find(|ix| ix.columns == [u]) {
            Some(ix) => ix.unique = true,
            None => list.push(Index {
                accessor: columns[u as usize].ident.clone(),
                algo: Algo::BTree,
                columns: vec![u],
                unique: true,
            }),
        }
    }
    list.sort_by_key(|ix| !ix.unique);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::parse::table_args;
    use quote::quote;
    use syn::parse_quote;

    pub(crate) fn build(args: proc_macro2::TokenStream, input: syn::DeriveInput) -> (Option<Table>, Vec<String>) {
        let cx = Ctxt::new();
        let a = table_args(&cx, args);
        let t = Table::build(&cx, &input, a);
        (t, cx.messages())
    }

    fn summary(t: &Table) -> Vec<String> {
        t.indexes
            .iter()
            .map(|ix| format!("{}:{:?}:{:?}:{}:{}", ix.accessor, ix.algo, ix.columns, ix.unique, t.index_name(ix)))
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
        let t = t.unwrap();
        assert_eq!(t.name, "player");
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
            summary(&t.unwrap()),
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
        let s = t.unwrap().schedule.unwrap();
        assert_eq!((s.at, s.pk), (1, 0));
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
        assert_eq!(t.unwrap().schedule.unwrap().at, 1);
    }
}
