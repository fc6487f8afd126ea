//! The resolved schema of a module: tables, columns, indexes, constraints, sequences, schedules
//! and reducers, with ids, built from a validated [`RawModuleDefV9`].
//!
//! Ids follow the server's numbering as a module observes it:
//!
//! * a [`TableId`] is the table's position in `RawModuleDefV9::tables`;
//! * an [`IndexId`] is global: the indexes of table 0 in definition order, then those of table 1,
//!   and so on;
//! * a [`ReducerId`] is the reducer's position in `RawModuleDefV9::reducers` (what
//!   `__call_reducer__` receives).
//!
//! Names of indexes, constraints, sequences and schedules are the explicit ones or, where the
//! definition leaves them out (the SDK always does), the host-generated ones
//! ([`worldtube_lib::raw_def::generated_index_name`] and friends), exactly as
//! [`worldtube_lib::raw_def::validate`] computes them.

use rustc_hash::FxHashMap as HashMap;
use std::fmt;

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicTypeRef, ProductType, Typespace};
use worldtube_lib::raw_def::{
    validate, Lifecycle, RawConstraintDataV9, RawIndexAlgorithm, RawModuleDefV9, TableAccess, TableType,
    ValidationError,
};

/// A table id: the table's position in the module definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TableId(pub u32);

/// An index id: global over all tables, in definition order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IndexId(pub u32);

/// A reducer id: the reducer's position in the module definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReducerId(pub u32);

/// A column position within a table's row type.
pub type ColId = u16;

impl TableId {
    /// The id as a `usize` index.
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}
impl IndexId {
    /// The id as a `usize` index.
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}
impl ReducerId {
    /// The id as a `usize` index.
    pub fn idx(self) -> usize {
        self.0 as usize
    }
}

/// Why a module definition could not be turned into a [`Schema`]: every validation error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The problems, as reported by [`worldtube_lib::raw_def::validate`].
    pub errors: Vec<ValidationError>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the module definition is invalid ({} problem", self.errors.len())?;
        if self.errors.len() != 1 {
            f.write_str("s")?;
        }
        f.write_str("):")?;
        for e in &self.errors {
            write!(f, "\n  - {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SchemaError {}

/// A column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSchema {
    /// Its position in the row.
    pub col: ColId,
    /// Its name (the row product's element name; `col_{n}` if unnamed).
    pub name: String,
    /// Its type as declared (may be a `Ref` into the typespace).
    pub ty: AlgebraicType,
    /// Its type with top-level `Ref`s followed through the typespace (equal to `ty` when `ty` is
    /// not a `Ref`; nested `Ref`s are left as they are).
    pub resolved_ty: AlgebraicType,
}

/// The data structure of an index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// A B-tree index.
    BTree,
    /// A direct index (behaves as an ordered index here).
    Direct,
    /// A hash index (rejected by validation; listed for completeness).
    Hash,
}

/// An index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSchema {
    /// Its global id.
    pub id: IndexId,
    /// The table it belongs to.
    pub table: TableId,
    /// Its name: explicit, or generated (`{table}_{cols}_idx_{btree|direct}`).
    pub name: String,
    /// The accessor name client code generation uses, if any (not used for lookups).
    pub accessor_name: Option<String>,
    /// Its data structure.
    pub kind: IndexKind,
    /// The key columns, in key order.
    pub columns: Vec<ColId>,
    /// The declared types of the key columns, in key order.
    pub key_types: Vec<AlgebraicType>,
    /// Whether a unique constraint covers exactly this index's set of columns (as the server
    /// decides it).
    pub is_unique: bool,
}

/// A unique constraint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UniqueConstraintSchema {
    /// Its name: explicit, or generated (`{table}_{cols}_key`).
    pub name: String,
    /// The columns that are unique together, as declared.
    pub columns: Vec<ColId>,
}

/// A sequence (`auto_inc`) on an integer column.
///
/// Generation: the first value is `start`, each next one is the previous plus `increment`. A
/// value outside `[min, max]` (which already include the column type's range, see
/// [`SequenceSchema::min`]) is an overflow, which traps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceSchema {
    /// Its name: explicit, or generated (`{table}_{col}_seq`).
    pub name: String,
    /// The column it fills.
    pub col: ColId,
    /// The column's type (an integer type).
    pub col_type: AlgebraicType,
    /// The first value (the definition's `start`, default 1).
    pub start: i128,
    /// The step (the definition's `increment`; the SDK sends 1).
    pub increment: i128,
    /// The smallest value that may be generated: the larger of the definition's `min_value`
    /// (default 1) and the column type's minimum.
    pub min: i128,
    /// The largest value that may be generated: the smaller of the definition's `max_value`
    /// (default `i128::MAX`) and the column type's maximum.
    pub max: i128,
}

/// The schedule of a schedule table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleSchema {
    /// Its name: explicit, or generated (`{table}_sched`).
    pub name: String,
    /// The name of the reducer it calls.
    pub reducer_name: String,
    /// The id of that reducer.
    pub reducer: ReducerId,
    /// The column of type `ScheduleAt`.
    pub at_column: ColId,
    /// The `u64` primary-key column (the schedule id).
    pub id_column: ColId,
}

/// A table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableSchema {
    /// Its id (position in the definition).
    pub id: TableId,
    /// Its name.
    pub name: String,
    /// The typespace entry of its row type.
    pub row_type_ref: AlgebraicTypeRef,
    /// Its row type (the product the typespace holds at `row_type_ref`).
    pub row_type: ProductType,
    /// Its columns, in row order.
    pub columns: Vec<ColumnSchema>,
    /// The primary-key column, if any.
    pub primary_key: Option<ColId>,
    /// Its indexes' ids, in definition order.
    pub indexes: Vec<IndexId>,
    /// Its unique constraints, in definition order.
    pub unique_constraints: Vec<UniqueConstraintSchema>,
    /// Its sequences, sorted by column (the order generated values are written back in).
    pub sequences: Vec<SequenceSchema>,
    /// Set for a schedule table.
    pub schedule: Option<ScheduleSchema>,
    /// System or user table.
    pub table_type: TableType,
    /// Public or private.
    pub table_access: TableAccess,
    /// `AlgebraicType::Product(row_type)`, kept for decoding rows.
    pub(crate) row_algebraic_type: AlgebraicType,
}

impl TableSchema {
    /// The column named `name`.
    pub fn column_by_name(&self, name: &str) -> Option<&ColumnSchema> {
        self.columns.iter().find(|c| c.name == name)
    }
    /// Whether clients may read the table.
    pub fn is_public(&self) -> bool {
        self.table_access == TableAccess::Public
    }
}

/// A reducer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReducerSchema {
    /// Its id (position in the definition).
    pub id: ReducerId,
    /// Its name.
    pub name: String,
    /// Its parameters (after the context), as an inline product.
    pub params: ProductType,
    /// The lifecycle event it handles, if any.
    pub lifecycle: Option<Lifecycle>,
}

/// A module's resolved schema. Build it with [`Schema::from_def`].
#[derive(Debug, Clone)]
pub struct Schema {
    def: RawModuleDefV9,
    tables: Vec<TableSchema>,
    indexes: Vec<IndexSchema>,
    reducers: Vec<ReducerSchema>,
    table_by_name: HashMap<String, TableId>,
    index_by_name: HashMap<String, IndexId>,
    reducer_by_name: HashMap<String, ReducerId>,
    lifecycle: [Option<ReducerId>; 3],
}

/// The range of an integer type as `i128` bounds (clamped to `i128`, the type of sequence
/// values), or `None` for a non-integer type.
fn integer_range(ty: &AlgebraicType) -> Option<(i128, i128)> {
    use AlgebraicType as T;
    Some(match ty {
        T::I8 => (i8::MIN.into(), i8::MAX.into()),
        T::U8 => (0, u8::MAX.into()),
        T::I16 => (i16::MIN.into(), i16::MAX.into()),
        T::U16 => (0, u16::MAX.into()),
        T::I32 => (i32::MIN.into(), i32::MAX.into()),
        T::U32 => (0, u32::MAX.into()),
        T::I64 => (i64::MIN.into(), i64::MAX.into()),
        T::U64 => (0, u64::MAX.into()),
        T::I128 | T::I256 => (i128::MIN, i128::MAX),
        T::U128 | T::U256 => (0, i128::MAX),
        _ => return None,
    })
}

fn lifecycle_slot(l: Lifecycle) -> usize {
    match l {
        Lifecycle::Init => 0,
        Lifecycle::OnConnect => 1,
        Lifecycle::OnDisconnect => 2,
    }
}

impl Schema {
    /// Validates `def` and resolves it. Every validation problem is reported in the error.
    pub fn from_def(def: &RawModuleDefV9) -> Result<Schema, SchemaError> {
        let summary = validate(def).map_err(|errors| SchemaError { errors })?;
        let typespace = &def.typespace;

        let reducers: Vec<ReducerSchema> = def
            .reducers
            .iter()
            .enumerate()
            .map(|(i, r)| ReducerSchema {
                id: ReducerId(i as u32),
                name: r.name.to_string(),
                params: r.params.clone(),
                lifecycle: r.lifecycle,
            })
            .collect();
        let reducer_by_name: HashMap<String, ReducerId> = reducers.iter().map(|r| (r.name.clone(), r.id)).collect();
        let mut lifecycle = [None; 3];
        for r in &reducers {
            if let Some(l) = r.lifecycle {
                lifecycle[lifecycle_slot(l)].get_or_insert(r.id);
            }
        }

        let mut tables = Vec::with_capacity(def.tables.len());
        let mut indexes = Vec::new();
        for (t, (raw, sum)) in def.tables.iter().zip(&summary.tables).enumerate() {
            let table_id = TableId(t as u32);
            // Validation guarantees the row type is a product.
            let row_type = match typespace.get(raw.product_type_ref) {
                Some(AlgebraicType::Product(p)) => p.clone(),
                _ => ProductType::default(),
            };
            let columns: Vec<ColumnSchema> = row_type
                .elements
                .iter()
                .enumerate()
                .map(|(c, e)| ColumnSchema {
                    col: c as ColId,
                    name: sum.columns.get(c).cloned().unwrap_or_else(|| format!("col_{c}")),
                    ty: e.algebraic_type.clone(),
                    resolved_ty: typespace
                        .resolve(&e.algebraic_type)
                        .cloned()
                        .unwrap_or_else(|| e.algebraic_type.clone()),
                })
                .collect();

            let unique_constraints: Vec<UniqueConstraintSchema> = raw
                .constraints
                .iter()
                .zip(&sum.constraints)
                .map(|(c, name)| {
                    let RawConstraintDataV9::Unique(u) = &c.data;
                    UniqueConstraintSchema { name: name.clone(), columns: u.columns.0.clone() }
                })
                .collect();
            let unique_sets: Vec<Vec<u16>> = raw
                .constraints
                .iter()
                .map(|c| {
                    let RawConstraintDataV9::Unique(u) = &c.data;
                    u.columns.to_set()
                })
                .collect();

            let mut table_indexes = Vec::with_capacity(raw.indexes.len());
            for (raw_index, name) in raw.indexes.iter().zip(&sum.indexes) {
                let id = IndexId(indexes.len() as u32);
                let cols = raw_index.algorithm.columns();
                let kind = match raw_index.algorithm {
                    RawIndexAlgorithm::BTree { .. } => IndexKind::BTree,
                    RawIndexAlgorithm::Hash { .. } => IndexKind::Hash,
                    RawIndexAlgorithm::Direct { .. } => IndexKind::Direct,
                };
                let key_types = cols
                    .iter()
                    .map(|c| columns.get(usize::from(c)).map_or_else(AlgebraicType::unit, |col| col.ty.clone()))
                    .collect();
                let set = cols.to_set();
                indexes.push(IndexSchema {
                    id,
                    table: table_id,
                    name: name.clone(),
                    accessor_name: raw_index.accessor_name.as_deref().map(str::to_owned),
                    kind,
                    columns: cols.0.clone(),
                    key_types,
                    is_unique: unique_sets.contains(&set),
                });
                table_indexes.push(id);
            }

            let mut sequences: Vec<SequenceSchema> = raw
                .sequences
                .iter()
                .zip(&sum.sequences)
                .map(|(s, name)| {
                    let col_type = columns.get(usize::from(s.column)).map_or(AlgebraicType::I128, |c| c.ty.clone());
                    let (ty_min, ty_max) = integer_range(&col_type).unwrap_or((i128::MIN, i128::MAX));
                    SequenceSchema {
                        name: name.clone(),
                        col: s.column,
                        start: s.start.unwrap_or(1),
                        increment: s.increment,
                        min: s.min_value.unwrap_or(1).max(ty_min),
                        max: s.max_value.unwrap_or(i128::MAX).min(ty_max),
                        col_type,
                    }
                })
                .collect();
            sequences.sort_by_key(|s| s.col);

            let schedule = match (&raw.schedule, &sum.schedule) {
                (Some(s), Some(name)) => Some(ScheduleSchema {
                    name: name.clone(),
                    reducer_name: s.reducer_name.to_string(),
                    reducer: reducer_by_name.get(&*s.reducer_name).copied().unwrap_or(ReducerId(u32::MAX)),
                    at_column: s.scheduled_at_column,
                    id_column: raw.primary_key.head().unwrap_or(0),
                }),
                _ => None,
            };

            tables.push(TableSchema {
                id: table_id,
                name: raw.name.to_string(),
                row_type_ref: raw.product_type_ref,
                row_algebraic_type: AlgebraicType::Product(row_type.clone()),
                row_type,
                columns,
                primary_key: raw.primary_key.head(),
                indexes: table_indexes,
                unique_constraints,
                sequences,
                schedule,
                table_type: raw.table_type,
                table_access: raw.table_access,
            });
        }

        let table_by_name = tables.iter().map(|t| (t.name.clone(), t.id)).collect();
        let index_by_name = indexes.iter().map(|i| (i.name.clone(), i.id)).collect();
        Ok(Schema {
            def: def.clone(),
            tables,
            indexes,
            reducers,
            table_by_name,
            index_by_name,
            reducer_by_name,
            lifecycle,
        })
    }

    /// The definition this schema was built from.
    pub fn def(&self) -> &RawModuleDefV9 {
        &self.def
    }
    /// The module's typespace (row and column types refer into it).
    pub fn typespace(&self) -> &Typespace {
        &self.def.typespace
    }
    /// Every table, in id order.
    pub fn tables(&self) -> &[TableSchema] {
        &self.tables
    }
    /// The table with this id.
    pub fn table(&self, id: TableId) -> Option<&TableSchema> {
        self.tables.get(id.idx())
    }
    /// The id of the table with this exact name.
    pub fn table_id(&self, name: &str) -> Option<TableId> {
        self.table_by_name.get(name).copied()
    }
    /// The table with this exact name.
    pub fn table_by_name(&self, name: &str) -> Option<&TableSchema> {
        self.table_id(name).and_then(|id| self.table(id))
    }
    /// Every index, in id order.
    pub fn indexes(&self) -> &[IndexSchema] {
        &self.indexes
    }
    /// The index with this id.
    pub fn index(&self, id: IndexId) -> Option<&IndexSchema> {
        self.indexes.get(id.idx())
    }
    /// The id of the index with this exact (explicit or generated) name.
    pub fn index_id(&self, name: &str) -> Option<IndexId> {
        self.index_by_name.get(name).copied()
    }
    /// Every reducer, in id order.
    pub fn reducers(&self) -> &[ReducerSchema] {
        &self.reducers
    }
    /// The reducer with this id.
    pub fn reducer(&self, id: ReducerId) -> Option<&ReducerSchema> {
        self.reducers.get(id.idx())
    }
    /// The id of the reducer with this exact name.
    pub fn reducer_id(&self, name: &str) -> Option<ReducerId> {
        self.reducer_by_name.get(name).copied()
    }
    /// The reducer handling `lifecycle`, if any.
    pub fn lifecycle_reducer(&self, lifecycle: Lifecycle) -> Option<ReducerId> {
        self.lifecycle[lifecycle_slot(lifecycle)]
    }
    /// The schedule tables, in id order.
    pub fn schedule_tables(&self) -> impl Iterator<Item = (&TableSchema, &ScheduleSchema)> {
        self.tables.iter().filter_map(|t| t.schedule.as_ref().map(|s| (t, s)))
    }
}
