//! The resolved schema of a module: tables, columns, indexes, constraints, sequences, schedules
//! and reducers, with ids, built from a validated [`RawModuleDefV9`] (a SpacetimeDB 1.x module) or
//! [`RawModuleDefV10`] (a 2.x module; see [`Schema::from_v10`]).
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

use worldtube_lib::algebraic::{AlgebraicType, AlgebraicTypeRef, AlgebraicValue, ProductType, Typespace};
use worldtube_lib::bsatn::Reader;
use worldtube_lib::raw_def::v10::{
    CaseConversionPolicy, ExplicitNameEntry, FunctionVisibility, RawReducerDefV10, RawTableDefV10,
};
use worldtube_lib::raw_def::{
    validate, validate_v10, Lifecycle, RawConstraintDataV9, RawConstraintDefV9, RawIndexAlgorithm, RawIndexDefV9,
    RawModuleDefV10, RawModuleDefV9, RawReducerDefV9, RawScheduleDefV9, RawScopedTypeNameV9, RawSequenceDefV9,
    RawTableDefV9, RawTypeDefV9, TableAccess, TableSummary, TableType, ValidationError,
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

/// A procedure id: the procedure's position in the `Procedures` section (2.x modules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProcedureId(pub u32);

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

/// Why a module definition could not be turned into a [`Schema`]: every validation error, or
/// (for a valid 2.x definition) what this host does not run yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    /// The problems, as reported by [`worldtube_lib::raw_def::validate`] or
    /// [`worldtube_lib::raw_def::validate_v10`].
    pub errors: Vec<ValidationError>,
    /// Parts of a valid definition this host cannot run yet (submodules).
    pub unsupported: Vec<String>,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.errors.is_empty() {
            f.write_str("the module uses what this host does not run yet:")?;
            for u in &self.unsupported {
                write!(f, "\n  - {u}")?;
            }
            return Ok(());
        }
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

/// Which SpacetimeDB generation a module was written for, as its definition says: it decides the
/// texts the host answers with where the 1.3 and 2.8 servers differ (see `DESIGN.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Generation {
    /// SpacetimeDB 1.x: the module describes itself as `RawModuleDef::V9`.
    V9,
    /// SpacetimeDB 2.x: the module describes itself as `RawModuleDef::V10`.
    V10,
}

/// A module definition of either generation, as the module described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModuleDef {
    /// A SpacetimeDB 1.x definition.
    V9(RawModuleDefV9),
    /// A SpacetimeDB 2.x definition.
    V10(RawModuleDefV10),
}

impl ModuleDef {
    /// The generation the definition belongs to.
    pub fn generation(&self) -> Generation {
        match self {
            ModuleDef::V9(_) => Generation::V9,
            ModuleDef::V10(_) => Generation::V10,
        }
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
    /// A hash index (2.x modules only; 1.x validation rejects it): answers point scans, and
    /// range scans are refused (`WRONG_INDEX_ALGO`), as on a 2.x server.
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
    /// For a 2.x module, the index's source name: `index_id_from_name` also finds the index by
    /// it (the server's alias), after the canonical [`name`](Self::name).
    pub source_name: Option<String>,
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

/// What a schedule calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScheduleTarget {
    /// A reducer.
    Reducer(ReducerId),
    /// A procedure (2.x modules).
    Procedure(ProcedureId),
}

/// The schedule of a schedule table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleSchema {
    /// Its name: explicit, or generated (`{table}_sched`).
    pub name: String,
    /// The name of the function it calls: a reducer, or for a 2.x module a procedure.
    pub reducer_name: String,
    /// That function.
    pub target: ScheduleTarget,
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
    /// Its name (for a 2.x module, the canonical name: what dumps, errors and logs show).
    pub name: String,
    /// For a 2.x module, the name the module's code knows the table by (its accessor, the source
    /// name): `table_id_from_name` also finds the table by it, after the canonical name.
    pub accessor_name: Option<String>,
    /// Whether it is an event table (2.x): rows inserted in a transaction are reported in the
    /// call's outcome and never reach the committed state.
    pub is_event: bool,
    /// The column default values a 2.x module declares (`#[default(..)]`), decoded, by column.
    pub default_values: Vec<(ColId, AlgebraicValue)>,
    /// The typespace entry of its row type.
    pub row_type_ref: AlgebraicTypeRef,
    /// Its row type (the product the typespace holds at `row_type_ref`).
    pub row_type: ProductType,
    /// Its columns, in row order.
    pub columns: Vec<ColumnSchema>,
    /// Each column's alias, in row order: for a 2.x module the field's name in the module's code
    /// (the row type's element name as described, before the case-conversion policy renamed
    /// it); SQL finds a column by alias first ([`column_by_name_or_alias`](Self::column_by_name_or_alias)).
    /// Empty for a 1.x module.
    pub column_aliases: Vec<Option<String>>,
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
    /// The column whose alias is `name` — the field's name in the module's code (for a 2.x
    /// module's canonical columns, the accessor) — else the column
    /// named `name`: 2.8.3's `get_column_by_name_or_alias`, which SQL (and so query views, whose
    /// builder writes the fields' names) resolves columns with.
    pub fn column_by_name_or_alias(&self, name: &str) -> Option<&ColumnSchema> {
        let by_alias = self.column_aliases.iter().position(|a| a.as_deref() == Some(name));
        by_alias.and_then(|c| self.columns.get(c)).or_else(|| self.column_by_name(name))
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
    /// Its name (for a 2.x module, the canonical name).
    pub name: String,
    /// Its parameters (after the context), as an inline product.
    pub params: ProductType,
    /// The lifecycle event it handles, if any.
    pub lifecycle: Option<Lifecycle>,
    /// Whether clients other than the owner may call it: always for a 1.x module; for a 2.x
    /// module, unless it is private, a lifecycle reducer or a schedule's target (the 2.x server
    /// answers others' calls of it as of a reducer that does not exist).
    pub client_callable: bool,
    /// For a 2.x module, the name the module's code gives the reducer (the function's name),
    /// from which [`name`](Self::name) derives. Clients call it by `name` only.
    pub source_name: Option<String>,
}

/// A procedure (2.x modules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcedureSchema {
    /// Its id (position in the `Procedures` section).
    pub id: ProcedureId,
    /// Its canonical name: what clients call it by.
    pub name: String,
    /// The name the module's code gives it.
    pub source_name: String,
    /// Its parameters (after the context), as an inline product.
    pub params: ProductType,
    /// The type of its return value.
    pub return_type: AlgebraicType,
    /// Whether clients other than the owner may call it: unless it is private or a schedule's
    /// target.
    pub client_callable: bool,
}

/// A view id: the view's position in the `Views` section (2.x modules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ViewId(pub u32);

/// A view (2.x modules): a read-only function of the database (and, unless anonymous, of its
/// caller) whose rows clients read like a table's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewSchema {
    /// Its id (position in the `Views` section).
    pub id: ViewId,
    /// Its canonical name: what clients read it by.
    pub name: String,
    /// The name the module's code gives it.
    pub source_name: String,
    /// Its position among the module's views of its kind: what `__call_view__` (or
    /// `__call_view_anon__`) is called with.
    pub index: u32,
    /// Whether clients may read it.
    pub is_public: bool,
    /// Whether it has one result for every caller (`__call_view_anon__`), rather than one per
    /// caller (`__call_view__`).
    pub is_anonymous: bool,
    /// Its parameters after the context.
    pub params: ProductType,
    /// Its row type's typespace entry.
    pub row_type_ref: AlgebraicTypeRef,
    /// Its row type.
    pub row_type: ProductType,
    /// Whether it returns a query (SQL the host runs) rather than rows.
    pub is_query: bool,
    /// Its primary-key column, if it declares one.
    pub primary_key: Option<ColId>,
}

/// A module's resolved schema. Build it with [`Schema::from_def`].
#[derive(Debug, Clone)]
pub struct Schema {
    def: RawModuleDefV9,
    raw: ModuleDef,
    tables: Vec<TableSchema>,
    indexes: Vec<IndexSchema>,
    reducers: Vec<ReducerSchema>,
    procedures: Vec<ProcedureSchema>,
    views: Vec<ViewSchema>,
    table_by_name: HashMap<String, TableId>,
    index_by_name: HashMap<String, IndexId>,
    table_by_alias: HashMap<String, TableId>,
    index_by_alias: HashMap<String, IndexId>,
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

/// What a 2.x definition adds to its V9 equivalent, per table (and index) and per reducer, in
/// definition order.
struct V10Extras {
    accessor_names: Vec<String>,
    column_aliases: Vec<Vec<Option<String>>>,
    index_sources: Vec<Vec<Option<String>>>,
    is_event: Vec<bool>,
    default_values: Vec<Vec<(ColId, Vec<u8>)>>,
    client_callable: Vec<bool>,
    reducer_sources: Vec<String>,
    procedures: Vec<ProcedureSchema>,
    views: Vec<ViewSchema>,
}

/// Resolves a validated definition in V9 form, with the names `summary_tables` gives (the
/// validator's) and, for a 2.x module, its extras.
fn resolve(def: RawModuleDefV9, raw: ModuleDef, summary_tables: &[TableSummary], extras: Option<V10Extras>) -> Schema {
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
            client_callable: extras.as_ref().is_none_or(|e| e.client_callable.get(i).copied().unwrap_or(true)),
            source_name: extras.as_ref().and_then(|e| e.reducer_sources.get(i).cloned()),
        })
        .collect();
    let reducer_by_name: HashMap<String, ReducerId> = reducers.iter().map(|r| (r.name.clone(), r.id)).collect();
    let procedures = extras.as_ref().map(|e| e.procedures.clone()).unwrap_or_default();
    let target_of = |name: &str| match reducer_by_name.get(name) {
        Some(id) => ScheduleTarget::Reducer(*id),
        None => match procedures.iter().find(|p| p.name == name) {
            Some(p) => ScheduleTarget::Procedure(p.id),
            // Validation guarantees the target exists.
            None => ScheduleTarget::Reducer(ReducerId(u32::MAX)),
        },
    };
    let mut lifecycle = [None; 3];
    for r in &reducers {
        if let Some(l) = r.lifecycle {
            lifecycle[lifecycle_slot(l)].get_or_insert(r.id);
        }
    }

    let mut tables = Vec::with_capacity(def.tables.len());
    let mut indexes = Vec::new();
    for (t, (raw, sum)) in def.tables.iter().zip(summary_tables).enumerate() {
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
                resolved_ty: typespace.resolve(&e.algebraic_type).cloned().unwrap_or_else(|| e.algebraic_type.clone()),
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
        for (i, (raw_index, name)) in raw.indexes.iter().zip(&sum.indexes).enumerate() {
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
                source_name: extras.as_ref().and_then(|e| e.index_sources.get(t)?.get(i)?.clone()),
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
                target: target_of(&s.reducer_name),
                at_column: s.scheduled_at_column,
                id_column: raw.primary_key.head().unwrap_or(0),
            }),
            _ => None,
        };

        let default_values = extras
            .as_ref()
            .and_then(|e| e.default_values.get(t))
            .into_iter()
            .flatten()
            .filter_map(|(col, bytes)| {
                let ty = &columns.get(usize::from(*col))?.ty;
                let value = AlgebraicValue::decode(ty, typespace, &mut Reader::new(bytes)).ok()?;
                Some((*col, value))
            })
            .collect();
        tables.push(TableSchema {
            id: table_id,
            name: raw.name.to_string(),
            accessor_name: extras.as_ref().and_then(|e| e.accessor_names.get(t).cloned()),
            is_event: extras.as_ref().is_some_and(|e| e.is_event.get(t).copied().unwrap_or(false)),
            default_values,
            row_type_ref: raw.product_type_ref,
            row_algebraic_type: AlgebraicType::Product(row_type.clone()),
            row_type,
            columns,
            column_aliases: extras.as_ref().and_then(|e| e.column_aliases.get(t).cloned()).unwrap_or_default(),
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
    let table_by_alias = tables.iter().filter_map(|t| Some((t.accessor_name.clone()?, t.id))).collect();
    let index_by_alias = indexes.iter().filter_map(|i| Some((i.source_name.clone()?, i.id))).collect();
    Schema {
        def,
        raw,
        tables,
        indexes,
        reducers,
        procedures,
        views: extras.map(|e| e.views).unwrap_or_default(),
        table_by_name,
        index_by_name,
        table_by_alias,
        index_by_alias,
        reducer_by_name,
        lifecycle,
    }
}

impl Schema {
    /// Validates `def` and resolves it. Every validation problem is reported in the error.
    pub fn from_def(def: &RawModuleDefV9) -> Result<Schema, SchemaError> {
        let summary = validate(def).map_err(|errors| SchemaError { errors, unsupported: Vec::new() })?;
        Ok(resolve(def.clone(), ModuleDef::V9(def.clone()), &summary.tables, None))
    }

    /// Validates a definition of either generation and resolves it (see [`from_def`](Self::from_def)
    /// and [`from_v10`](Self::from_v10)).
    pub fn from_module_def(def: &ModuleDef) -> Result<Schema, SchemaError> {
        match def {
            ModuleDef::V9(def) => Schema::from_def(def),
            ModuleDef::V10(def) => Schema::from_v10(def),
        }
    }

    /// Validates a 2.x definition with [`validate_v10`] and resolves it.
    ///
    /// Tables, reducers and indexes go by their canonical names (the case conversion policy or
    /// the explicit names); tables and indexes are also found by their source names (the
    /// server's aliases, see [`table_id`](Self::table_id)). Reducer ids are positions in the
    /// `Reducers` section; lifecycle reducers come from the `LifeCycleReducers` section and
    /// schedules (of reducers or procedures) from the `Schedules` section. Procedure ids are
    /// positions in the `Procedures` section. Views and HTTP handlers are accepted but not run
    /// (nothing calls them); submodules are refused ([`SchemaError::unsupported`]).
    ///
    /// [`def`](Self::def) is then the definition's V9 equivalent under canonical names, and
    /// [`module_def`](Self::module_def) the V10 definition itself.
    pub fn from_v10(def: &RawModuleDefV10) -> Result<Schema, SchemaError> {
        let summary = validate_v10(def).map_err(|errors| SchemaError { errors, unsupported: Vec::new() })?;
        let policy = def.case_conversion_policy();
        let mut explicit_functions: HashMap<&str, &str> = HashMap::default();
        let mut explicit_tables: HashMap<&str, &str> = HashMap::default();
        for entry in def.explicit_names().iter().flat_map(|n| n.entries.iter()) {
            match entry {
                ExplicitNameEntry::Table(m) => explicit_tables.insert(&m.source_name, &m.canonical_name),
                ExplicitNameEntry::Function(m) => explicit_functions.insert(&m.source_name, &m.canonical_name),
                ExplicitNameEntry::Index(_) => None,
            };
        }
        let function_name = |source: &str| match explicit_functions.get(source) {
            Some(c) => (*c).to_owned(),
            None => policy.canonical_name(source),
        };
        let table_name = |source: &str| match explicit_tables.get(source) {
            Some(c) => (*c).to_owned(),
            None => policy.canonical_name(source),
        };
        let raw_tables: &[RawTableDefV10] = def.tables().map_or(&[], |t| &t[..]);
        let raw_reducers: &[RawReducerDefV10] = def.reducers().map_or(&[], |r| &r[..]);

        let mut unsupported = Vec::new();
        let mut tables_summary: Vec<TableSummary> = summary.tables.clone();
        let mut schedules: Vec<Option<RawScheduleDefV9>> = vec![None; raw_tables.len()];
        let mut scheduled_reducers: Vec<String> = Vec::new();
        for sched in def.schedules().iter().flat_map(|s| s.iter()) {
            let name = table_name(&sched.table_name);
            let Some(t) = tables_summary.iter().position(|t| t.name == name) else { continue };
            let target = function_name(&sched.function_name);
            let sched_name = format!("{name}_sched");
            tables_summary[t].schedule = Some(sched_name.clone());
            scheduled_reducers.push(target.clone());
            schedules[t] = Some(RawScheduleDefV9 {
                name: Some(sched_name.into()),
                reducer_name: target.into(),
                scheduled_at_column: sched.schedule_at_col,
            });
        }
        for sub in def.submodules().iter().flat_map(|s| s.iter()) {
            unsupported.push(format!(
                "submodule `{}`: this host does not run submodules yet (their tables and functions would be missing)",
                sub.namespace
            ));
        }
        if !unsupported.is_empty() {
            return Err(SchemaError { errors: Vec::new(), unsupported });
        }

        let tables: Vec<RawTableDefV9> = raw_tables
            .iter()
            .zip(&tables_summary)
            .zip(schedules)
            .map(|((t, sum), schedule)| v9_table(t, sum, schedule))
            .collect();
        let lifecycle_of = |i: usize| {
            [(summary.init, Lifecycle::Init), (summary.on_connect, Lifecycle::OnConnect)]
                .into_iter()
                .chain([(summary.on_disconnect, Lifecycle::OnDisconnect)])
                .find_map(|(id, l)| (id == Some(i)).then_some(l))
        };
        let reducers: Vec<RawReducerDefV9> = raw_reducers
            .iter()
            .zip(&summary.reducers)
            .enumerate()
            .map(|(i, (r, name))| RawReducerDefV9 {
                name: name.clone().into(),
                params: r.params.clone(),
                lifecycle: lifecycle_of(i),
            })
            .collect();
        let types = def
            .types()
            .iter()
            .flat_map(|t| t.iter())
            .map(|t| RawTypeDefV9 {
                name: RawScopedTypeNameV9 {
                    scope: t.source_name.scope.clone(),
                    name: t.source_name.source_name.clone(),
                },
                ty: t.ty,
                custom_ordering: t.custom_ordering,
            })
            .collect();
        let described = def.typespace().cloned().unwrap_or_default();
        let v9 = RawModuleDefV9 {
            typespace: canonical_typespace(def.typespace().cloned().unwrap_or_default(), policy),
            tables,
            reducers,
            types,
            misc_exports: Vec::new(),
            row_level_security: def.row_level_security().cloned().unwrap_or_default(),
        };
        let extras = V10Extras {
            accessor_names: raw_tables.iter().map(|t| t.source_name.to_string()).collect(),
            column_aliases: raw_tables
                .iter()
                .map(|t| match described.get(t.product_type_ref) {
                    Some(AlgebraicType::Product(p)) => {
                        p.elements.iter().map(|e| e.name.as_deref().map(str::to_owned)).collect()
                    }
                    _ => Vec::new(),
                })
                .collect(),
            index_sources: raw_tables
                .iter()
                .map(|t| t.indexes.iter().map(|i| i.source_name.as_deref().map(str::to_owned)).collect())
                .collect(),
            is_event: raw_tables.iter().map(|t| t.is_event).collect(),
            reducer_sources: raw_reducers.iter().map(|r| r.source_name.to_string()).collect(),
            procedures: def
                .procedures()
                .iter()
                .flat_map(|p| p.iter())
                .zip(&summary.procedures)
                .enumerate()
                .map(|(i, (p, name))| ProcedureSchema {
                    id: ProcedureId(i as u32),
                    name: name.clone(),
                    source_name: p.source_name.to_string(),
                    params: p.params.clone(),
                    return_type: p.return_type.clone(),
                    client_callable: p.visibility == FunctionVisibility::ClientCallable
                        && !scheduled_reducers.contains(name),
                })
                .collect(),
            default_values: raw_tables
                .iter()
                .map(|t| t.default_values.iter().map(|d| (d.col_id, d.value.to_vec())).collect())
                .collect(),
            client_callable: raw_reducers
                .iter()
                .zip(&summary.reducers)
                .enumerate()
                .map(|(i, (r, name))| {
                    r.visibility == FunctionVisibility::ClientCallable
                        && lifecycle_of(i).is_none()
                        && !scheduled_reducers.contains(name)
                })
                .collect(),
            views: resolve_views(def, &summary.views),
        };
        let schema = resolve(v9, ModuleDef::V10(def.clone()), &tables_summary, Some(extras));
        Ok(schema)
    }

    /// The definition in V9 form: the one the schema was built from for a 1.x module; for a 2.x
    /// module its V9 equivalent under canonical names (schedules on their tables, lifecycle
    /// events on their reducers, every index, constraint, sequence and schedule named). What V9
    /// cannot say — event tables, default values, visibility, procedures, views — is in
    /// [`module_def`](Self::module_def) and the resolved tables and reducers.
    pub fn def(&self) -> &RawModuleDefV9 {
        &self.def
    }
    /// The definition as the module described it.
    pub fn module_def(&self) -> &ModuleDef {
        &self.raw
    }
    /// The generation the module was written for.
    pub fn generation(&self) -> Generation {
        self.raw.generation()
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
    /// The id of the table with this exact name; for a 2.x module, failing that, of the table
    /// whose accessor (source) name it is — the 2.8 server's `table_id_from_name` tries the
    /// canonical name, then the alias.
    pub fn table_id(&self, name: &str) -> Option<TableId> {
        self.table_by_name.get(name).or_else(|| self.table_by_alias.get(name)).copied()
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
    /// The id of the index with this exact (explicit or generated) name; for a 2.x module,
    /// failing that, of the index whose source name it is (the server's alias).
    pub fn index_id(&self, name: &str) -> Option<IndexId> {
        self.index_by_name.get(name).or_else(|| self.index_by_alias.get(name)).copied()
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
    /// The procedures (2.x modules), in id order.
    pub fn procedures(&self) -> &[ProcedureSchema] {
        &self.procedures
    }
    /// The procedure with this id.
    pub fn procedure(&self, id: ProcedureId) -> Option<&ProcedureSchema> {
        self.procedures.get(id.0 as usize)
    }
    /// The id of the procedure with this canonical name.
    pub fn procedure_id(&self, name: &str) -> Option<ProcedureId> {
        self.procedures.iter().find(|p| p.name == name).map(|p| p.id)
    }
    /// The id of the procedure the module's code calls `source_name`.
    pub fn procedure_id_by_source_name(&self, source_name: &str) -> Option<ProcedureId> {
        self.procedures.iter().find(|p| p.source_name == source_name).map(|p| p.id)
    }
    /// The views (2.x modules), in id order.
    pub fn views(&self) -> &[ViewSchema] {
        &self.views
    }
    /// The view with this id.
    pub fn view(&self, id: ViewId) -> Option<&ViewSchema> {
        self.views.get(id.0 as usize)
    }
    /// The id of the view with this canonical name.
    pub fn view_id(&self, name: &str) -> Option<ViewId> {
        self.views.iter().find(|v| v.name == name).map(|v| v.id)
    }
    /// The id of the reducer the module's code calls `source_name`: for a 2.x module, the reducer
    /// with that source name; for a 1.x module (whose reducers have one name), the reducer named
    /// so. For test APIs that know a reducer by its function (clients call it by its
    /// [`name`](ReducerSchema::name), see [`reducer_id`](Self::reducer_id)).
    pub fn reducer_id_by_source_name(&self, source_name: &str) -> Option<ReducerId> {
        match self.generation() {
            Generation::V9 => self.reducer_id(source_name),
            Generation::V10 => {
                self.reducers.iter().find(|r| r.source_name.as_deref() == Some(source_name)).map(|r| r.id)
            }
        }
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

/// A 2.x table in V9 form, under the names the validator gave it and its things.
fn v9_table(t: &RawTableDefV10, sum: &TableSummary, schedule: Option<RawScheduleDefV9>) -> RawTableDefV9 {
    RawTableDefV9 {
        name: sum.name.clone().into(),
        product_type_ref: t.product_type_ref,
        primary_key: t.primary_key.clone(),
        indexes: t
            .indexes
            .iter()
            .zip(&sum.indexes)
            .map(|(i, name)| RawIndexDefV9 {
                name: Some(name.clone().into()),
                accessor_name: i.accessor_name.clone(),
                algorithm: i.algorithm.clone(),
            })
            .collect(),
        constraints: t
            .constraints
            .iter()
            .zip(&sum.constraints)
            .map(|(c, name)| RawConstraintDefV9 { name: Some(name.clone().into()), data: c.data.clone() })
            .collect(),
        sequences: t
            .sequences
            .iter()
            .zip(&sum.sequences)
            .map(|(q, name)| RawSequenceDefV9 {
                name: Some(name.clone().into()),
                column: q.column,
                start: q.start,
                min_value: q.min_value,
                max_value: q.max_value,
                increment: q.increment,
            })
            .collect(),
        schedule,
        table_type: t.table_type,
        table_access: t.table_access,
    }
}

/// The views of a validated 2.x definition, under their canonical names `names` (in section
/// order). Validation guarantees each has a row type.
fn resolve_views(def: &RawModuleDefV10, names: &[String]) -> Vec<ViewSchema> {
    let typespace = def.typespace().cloned().unwrap_or_default();
    let keys = def.view_primary_keys().map_or(&[][..], |k| &k[..]);
    def.views()
        .iter()
        .flat_map(|v| v.iter())
        .zip(names)
        .enumerate()
        .filter_map(|(i, (view, name))| {
            let row_type_ref = view.row_type_ref()?;
            let row_type = typespace.get(row_type_ref)?.as_product()?.clone();
            let primary_key = keys
                .iter()
                .find(|k| k.view_source_name == view.source_name)
                .and_then(|k| k.columns.first())
                .and_then(|column| row_type.elements.iter().position(|e| e.name.as_deref() == Some(&**column)))
                .map(|c| c as ColId);
            Some(ViewSchema {
                id: ViewId(i as u32),
                name: name.clone(),
                source_name: view.source_name.to_string(),
                index: view.index,
                is_public: view.is_public,
                is_anonymous: view.is_anonymous,
                params: view.params.clone(),
                row_type_ref,
                row_type,
                is_query: view.query_row_type_ref().is_some(),
                primary_key,
            })
        })
        .collect()
}

/// The typespace a 2.8.3 server works with for a 2.x module: the described one with its names
/// converted by the case conversion policy (2.8.3's `typespace_case_conversion`). Under
/// `SnakeCase`, product field names become snake case and enum variant names camel case
/// (`Plain` → `plain`); under `None`, nothing changes. The special types (`Identity`,
/// `ConnectionId`, `Timestamp`, `TimeDuration`, `Uuid`, `Option`, `ScheduleAt`, `Result`) keep
/// their names, as do the types inside them. So JSON arguments, dumps and SQL column names use
/// the converted names, as on the server.
fn canonical_typespace(mut typespace: Typespace, policy: CaseConversionPolicy) -> Typespace {
    fn convert(ty: &mut AlgebraicType, policy: CaseConversionPolicy) {
        let special = match ty {
            AlgebraicType::Product(p) => p.special().is_some() || p.is_uuid(),
            AlgebraicType::Sum(s) => s.is_schedule_at() || s.as_option().is_some() || s.as_result().is_some(),
            _ => false,
        };
        if special {
            return;
        }
        match ty {
            AlgebraicType::Product(p) => {
                for e in p.elements.iter_mut() {
                    if let Some(name) = &e.name {
                        e.name = Some(policy.canonical_name(name).into());
                    }
                    convert(&mut e.algebraic_type, policy);
                }
            }
            AlgebraicType::Sum(s) => {
                for v in s.variants.iter_mut() {
                    if let Some(name) = &v.name {
                        let converted = match policy {
                            CaseConversionPolicy::SnakeCase => worldtube_lib::raw_def::v10::to_camel_case(name),
                            CaseConversionPolicy::None => name.to_string(),
                        };
                        v.name = Some(converted.into());
                    }
                    convert(&mut v.algebraic_type, policy);
                }
            }
            AlgebraicType::Array(a) => convert(&mut a.elem_ty, policy),
            _ => {}
        }
    }
    for ty in &mut typespace.types {
        convert(ty, policy);
    }
    typespace
}
