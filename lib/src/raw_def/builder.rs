//! Building a [`RawModuleDefV9`] the way the SDK's generated code does.

use super::{
    ColList, Lifecycle, RawConstraintDataV9, RawConstraintDefV9, RawIndexAlgorithm, RawIndexDefV9, RawModuleDefV9,
    RawReducerDefV9, RawRowLevelSecurityDefV9, RawScheduleDefV9, RawScopedTypeNameV9, RawSequenceDefV9, RawTableDefV9,
    RawTypeDefV9, RawUniqueConstraintDataV9, TableAccess, TableType,
};
use crate::algebraic::{AlgebraicType, AlgebraicTypeRef, ProductType, SpacetimeType, Typespace, TypespaceBuilder};
use std::any::TypeId;

/// Collects a module's types, tables, reducers and filters into a [`RawModuleDefV9`].
///
/// Produces the same definition, byte for byte, as SpacetimeDB 1.3's own builder given the same
/// calls in the same order. Nothing is checked here; run [`validate`](super::validate) on the
/// result.
///
/// ```
/// use worldtube_lib::algebraic::{AlgebraicType, ProductType};
/// use worldtube_lib::raw_def::{Lifecycle, RawIndexAlgorithm, RawModuleDefV9Builder, TableAccess};
///
/// let mut b = RawModuleDefV9Builder::new();
/// let row = ProductType::new([(Some("id"), AlgebraicType::U64), (Some("name"), AlgebraicType::String)]);
/// b.build_table_with_new_type("person", row, true)
///     .with_access(TableAccess::Public)
///     .with_unique_constraint(0)
///     .with_index(RawIndexAlgorithm::btree(0), "id")
///     .with_primary_key(0)
///     .with_column_sequence(0)
///     .finish();
/// b.add_reducer("init", ProductType::default(), Some(Lifecycle::Init));
/// let def = b.finish();
/// assert_eq!(def.tables[0].primary_key.head(), Some(0));
/// assert!(worldtube_lib::raw_def::validate(&def).is_ok());
/// ```
#[derive(Debug, Default)]
pub struct RawModuleDefV9Builder {
    module: RawModuleDefV9,
    /// Types already added, by Rust type. A list, not a map: modules have tens of types, and this
    /// code ships in every module's wasm, where a hash map costs kilobytes.
    type_map: Vec<(TypeId, AlgebraicTypeRef)>,
}

impl RawModuleDefV9Builder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The algebraic type of `T`, adding `T` (and the types it uses) to the typespace if it is a
    /// named type not yet added. Named types come back as [`AlgebraicType::Ref`]s.
    pub fn add_type<T: SpacetimeType + ?Sized>(&mut self) -> AlgebraicType {
        T::make_type(self)
    }

    /// Adds `ty` to the typespace under the name `scope::name`, returning its reference.
    ///
    /// For types that have no Rust type behind them; unlike [`add_type`](Self::add_type) it does
    /// not deduplicate, so adding the same name twice makes a definition that fails validation.
    /// `custom_ordering` says whether the element order is the declared one.
    pub fn add_algebraic_type(
        &mut self,
        scope: impl IntoIterator<Item = Box<str>>,
        name: impl Into<Box<str>>,
        ty: AlgebraicType,
        custom_ordering: bool,
    ) -> AlgebraicTypeRef {
        let r = self.push_type(ty);
        let name = RawScopedTypeNameV9 { scope: scope.into_iter().collect(), name: name.into() };
        self.module.types.push(RawTypeDefV9 { name, ty: r, custom_ordering });
        r
    }

    /// Starts a table named `name` whose rows are the product at `product_type_ref`.
    ///
    /// The table is a [`TableType::User`] table, [`TableAccess::Public`] until
    /// [`with_access`](RawTableDefBuilder::with_access) says otherwise (the SDK always says), with
    /// no primary key, index, constraint, sequence or schedule. It is added to the module when the
    /// returned builder is finished or dropped.
    pub fn build_table(
        &mut self,
        name: impl Into<Box<str>>,
        product_type_ref: AlgebraicTypeRef,
    ) -> RawTableDefBuilder<'_> {
        RawTableDefBuilder {
            module: &mut self.module,
            table: RawTableDefV9 {
                name: name.into(),
                product_type_ref,
                primary_key: ColList::empty(),
                indexes: Vec::new(),
                constraints: Vec::new(),
                sequences: Vec::new(),
                schedule: None,
                table_type: TableType::User,
                table_access: TableAccess::Public,
            },
        }
    }

    /// Adds `product_type` to the typespace, named after the table (unscoped), and starts a table
    /// with it as the row type. See [`build_table`](Self::build_table).
    pub fn build_table_with_new_type(
        &mut self,
        table_name: impl Into<Box<str>>,
        product_type: impl Into<ProductType>,
        custom_ordering: bool,
    ) -> RawTableDefBuilder<'_> {
        let table_name = table_name.into();
        let r = self.add_algebraic_type(
            [],
            table_name.clone(),
            AlgebraicType::Product(product_type.into()),
            custom_ordering,
        );
        self.build_table(table_name, r)
    }

    /// Adds a reducer. `params` are its arguments after the reducer context; they need not be in
    /// the typespace themselves, but named types inside them must be `Ref`s.
    pub fn add_reducer(&mut self, name: impl Into<Box<str>>, params: ProductType, lifecycle: Option<Lifecycle>) {
        self.module.reducers.push(RawReducerDefV9 { name: name.into(), params, lifecycle });
    }

    /// Adds a row-level security filter.
    pub fn add_row_level_security(&mut self, sql: &str) {
        self.module.row_level_security.push(RawRowLevelSecurityDefV9 { sql: sql.into() });
    }

    /// The typespace so far.
    pub fn typespace(&self) -> &Typespace {
        &self.module.typespace
    }

    /// The finished definition.
    pub fn finish(self) -> RawModuleDefV9 {
        self.module
    }

    fn push_type(&mut self, ty: AlgebraicType) -> AlgebraicTypeRef {
        let types = &mut self.module.typespace.types;
        let r = AlgebraicTypeRef(u32::try_from(types.len()).expect("a typespace holds at most u32::MAX types"));
        types.push(ty);
        r
    }
}

impl TypespaceBuilder for RawModuleDefV9Builder {
    /// Returns a `Ref` to the slot for `typeid`, creating it on first sight: the slot is reserved
    /// (holding `()`) and, if `name` is given, named with `custom_ordering: true` before `make_ty`
    /// runs, so a type that mentions itself gets a `Ref` to its own slot; then the slot is filled.
    fn add(
        &mut self,
        typeid: TypeId,
        name: Option<&'static str>,
        make_ty: impl FnOnce(&mut Self) -> AlgebraicType,
    ) -> AlgebraicType {
        // Only the call of `make_ty` is generic: the rest is compiled once, not per type.
        let (slot, new) = self.reserve_slot(typeid, name);
        if new {
            let ty = make_ty(self);
            self.fill_slot(slot, ty);
        }
        AlgebraicType::Ref(slot)
    }
}

impl RawModuleDefV9Builder {
    /// The slot of `typeid`, and whether it was made now (reserved, holding `()`, and named if
    /// `name` is given).
    fn reserve_slot(&mut self, typeid: TypeId, name: Option<&'static str>) -> (AlgebraicTypeRef, bool) {
        if let Some(&(_, r)) = self.type_map.iter().find(|(t, _)| *t == typeid) {
            return (r, false);
        }
        let slot = self.push_type(AlgebraicType::unit());
        self.type_map.push((typeid, slot));
        if let Some(sats_name) = name {
            self.module.types.push(RawTypeDefV9 {
                name: RawScopedTypeNameV9::from_sats_name(sats_name),
                ty: slot,
                custom_ordering: true,
            });
        }
        (slot, true)
    }

    /// Puts `ty` in the slot `reserve_slot` made.
    fn fill_slot(&mut self, slot: AlgebraicTypeRef, ty: AlgebraicType) {
        let reserved = std::mem::replace(&mut self.module.typespace.types[slot.idx()], ty);
        // `()`, which owns no memory: forgotten, not dropped (see the V10 builder's `fill_slot`).
        std::mem::forget(reserved);
    }
}

/// Describes one table; it is added to the module when [`finish`](Self::finish)ed or dropped.
#[derive(Debug)]
pub struct RawTableDefBuilder<'a> {
    module: &'a mut RawModuleDefV9,
    table: RawTableDefV9,
}

impl RawTableDefBuilder<'_> {
    /// Sets whether the system or the user made the table.
    pub fn with_type(mut self, table_type: TableType) -> Self {
        self.table.table_type = table_type;
        self
    }

    /// Sets whether clients may read the table.
    pub fn with_access(mut self, table_access: TableAccess) -> Self {
        self.table.table_access = table_access;
        self
    }

    /// Adds an unnamed unique constraint over `columns`. An index over the same columns is also
    /// needed.
    pub fn with_unique_constraint(mut self, columns: impl Into<ColList>) -> Self {
        let columns = columns.into();
        self.table.constraints.push(RawConstraintDefV9 {
            name: None,
            data: RawConstraintDataV9::Unique(RawUniqueConstraintDataV9 { columns }),
        });
        self
    }

    /// Makes `column` the primary key (replacing any earlier one). It also needs a unique
    /// constraint and an index.
    pub fn with_primary_key(mut self, column: u16) -> Self {
        self.table.primary_key = ColList::new(column);
        self
    }

    /// Makes `column` the primary key, with a unique constraint and a sequence on it. It still
    /// needs an index.
    pub fn with_auto_inc_primary_key(self, column: u16) -> Self {
        self.with_primary_key(column).with_unique_constraint(column).with_column_sequence(column)
    }

    /// Adds an unnamed index whose accessor (in generated client code) is `accessor_name`.
    pub fn with_index(mut self, algorithm: RawIndexAlgorithm, accessor_name: impl Into<Box<str>>) -> Self {
        self.table.indexes.push(RawIndexDefV9 { name: None, accessor_name: Some(accessor_name.into()), algorithm });
        self
    }

    /// Adds an unnamed index without an accessor name.
    pub fn with_index_no_accessor_name(mut self, algorithm: RawIndexAlgorithm) -> Self {
        self.table.indexes.push(RawIndexDefV9 { name: None, accessor_name: None, algorithm });
        self
    }

    /// Adds an unnamed sequence on `column` with the host's default bounds and increment 1.
    pub fn with_column_sequence(mut self, column: u16) -> Self {
        self.table.sequences.push(RawSequenceDefV9 {
            name: None,
            column,
            start: None,
            min_value: None,
            max_value: None,
            increment: 1,
        });
        self
    }

    /// Makes this a schedule table calling `reducer_name` at the time in `scheduled_at_column`
    /// (replacing any earlier schedule).
    pub fn with_schedule(mut self, reducer_name: impl Into<Box<str>>, scheduled_at_column: u16) -> Self {
        self.table.schedule =
            Some(RawScheduleDefV9 { name: None, reducer_name: reducer_name.into(), scheduled_at_column });
        self
    }

    /// The position of the column named `column`, if the row type is a product that has one.
    pub fn find_col_pos_by_name(&self, column: &str) -> Option<u16> {
        let row = self.module.typespace.get(self.table.product_type_ref)?.as_product()?;
        let (pos, _) = row.element(column)?;
        u16::try_from(pos).ok()
    }

    /// Adds the table to the module, returning its row type.
    pub fn finish(self) -> AlgebraicTypeRef {
        self.table.product_type_ref
    }
}

impl Drop for RawTableDefBuilder<'_> {
    fn drop(&mut self) {
        // Leave an empty placeholder behind (no allocation) and move the real table out.
        let placeholder = RawTableDefV9 {
            name: Box::default(),
            product_type_ref: self.table.product_type_ref,
            primary_key: ColList::empty(),
            indexes: Vec::new(),
            constraints: Vec::new(),
            sequences: Vec::new(),
            schedule: None,
            table_type: TableType::User,
            table_access: TableAccess::Public,
        };
        let table = std::mem::replace(&mut self.table, placeholder);
        self.module.tables.push(table);
    }
}
