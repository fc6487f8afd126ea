//! Table rules: names, columns, indexes, constraints, primary key, sequences, schedule.

use super::{TableSummary, ValidationErrorKind as Kind, Validator};
use crate::algebraic::{AlgebraicType, ProductType};
use crate::raw_def::{
    generated_index_name, generated_schedule_name, generated_sequence_name, generated_unique_constraint_name, ColList,
    RawConstraintDataV9, RawIndexAlgorithm, RawTableDefV9, TableType,
};

/// Describes column `col` for messages: "column `name`" or "column 3".
fn describe_col(row: &ProductType, col: impl Into<usize>) -> String {
    let col = col.into();
    match row.elements.get(col).and_then(|e| e.name.as_deref()) {
        Some(name) => format!("column `{name}`"),
        None => format!("column {col}"),
    }
}

impl Validator<'_> {
    pub(super) fn table(&mut self, table: &RawTableDefV9) -> TableSummary {
        let t = &*table.name;
        let mut summary = TableSummary {
            name: t.to_owned(),
            columns: Vec::new(),
            primary_key: table.primary_key.head(),
            indexes: Vec::new(),
            constraints: Vec::new(),
            sequences: Vec::new(),
            schedule: None,
        };

        self.check_identifier(t, || format!("table `{t}`"));
        if table.table_type != TableType::System && t.starts_with("st_") {
            self.error(
                Kind::ReservedTableName,
                format!("table `{t}`: names starting with `st_` are reserved for system tables; rename the table"),
            );
        }

        let typespace = self.uses.typespace;
        let r = table.product_type_ref;
        let row = match typespace.get(r) {
            Some(AlgebraicType::Product(row)) => row,
            found => {
                let what = match found {
                    None => "does not exist".to_owned(),
                    Some(ty) => format!("is {}, not a product", ty.describe()),
                };
                self.error(
                    Kind::InvalidRowType,
                    format!(
                        "table `{t}`: its row type &{} {what}; a table's row type must be a struct (a product) in the \
                         typespace",
                        r.0
                    ),
                );
                self.claim_name(t, || format!("table `{t}`"));
                return summary;
            }
        };

        self.columns(t, row, &mut summary);
        self.indexes(table, row, &mut summary);
        self.constraints(table, row, &mut summary);
        self.primary_key(table, row);
        self.sequences(table, row, &mut summary);
        if let Some(schedule) = &table.schedule {
            let name = schedule.name.as_deref().map_or_else(|| generated_schedule_name(t), str::to_owned);
            self.schedule_columns(table, row, schedule.scheduled_at_column);
            self.claim_name(&name, || format!("the schedule of table `{t}`"));
            summary.schedule = Some(name);
        }
        self.claim_name(t, || format!("table `{t}`"));
        summary
    }

    fn columns(&mut self, t: &str, row: &ProductType, summary: &mut TableSummary) {
        for (i, col) in row.elements.iter().enumerate() {
            match col.name.as_deref() {
                Some(name) => {
                    self.check_identifier(name, || format!("table `{t}`: column {i}"));
                    summary.columns.push(name.to_owned());
                }
                None => {
                    self.error(
                        Kind::Unnamed,
                        format!("table `{t}`: column {i} has no name; every column needs a name"),
                    );
                    summary.columns.push(format!("col_{i}"));
                }
            }
            let location = || format!("table `{t}`: {}", describe_col(row, i));
            self.uses.check(&col.algebraic_type, &location, &mut self.errors);
        }
    }

    /// Reports each column of `cols` that `row` lacks; returns whether all exist.
    fn check_columns(&mut self, t: &str, row: &ProductType, what: &str, cols: &ColList) -> bool {
        let mut ok = true;
        for col in cols.iter() {
            if usize::from(col) >= row.elements.len() {
                ok = false;
                self.error(
                    Kind::ColumnNotFound,
                    format!(
                        "table `{t}`: {what} refers to column {col}, but the row type has only {} columns",
                        row.elements.len()
                    ),
                );
            }
        }
        ok
    }

    fn indexes(&mut self, table: &RawTableDefV9, row: &ProductType, summary: &mut TableSummary) {
        let t = &*table.name;
        for index in &table.indexes {
            let name = match &index.name {
                Some(name) => name.to_string(),
                None => generated_index_name(t, row, &index.algorithm),
            };
            let what = format!("index `{name}`");
            let in_bounds = self.check_columns(t, row, &what, &index.algorithm.columns());
            match &index.algorithm {
                RawIndexAlgorithm::BTree { .. } => {}
                RawIndexAlgorithm::Hash { .. } => self.error(
                    Kind::HashIndex,
                    format!(
                        "table `{t}`: {what} is a hash index, which SpacetimeDB 1.3 does not support; use a btree \
                         index"
                    ),
                ),
                RawIndexAlgorithm::Direct { column } if in_bounds => {
                    let ty = &row.elements[usize::from(*column)].algebraic_type;
                    if !self.is_direct_key(ty) {
                        self.error(
                            Kind::DirectIndexType,
                            format!(
                                "table `{t}`: {what} is a direct index on {} of type {}; direct indexes need a u8, \
                                 u16, u32 or u64 column or an enum without payloads, so use a btree index instead",
                                describe_col(row, *column),
                                ty.describe()
                            ),
                        );
                    }
                }
                RawIndexAlgorithm::Direct { .. } => {}
            }
            if let Some(accessor) = &index.accessor_name {
                self.check_identifier(accessor, || format!("table `{t}`: the accessor name of {what}"));
            }
            self.claim_name(&name, || format!("{what} of table `{t}`"));
            summary.indexes.push(name);
        }
    }

    fn is_direct_key(&self, ty: &AlgebraicType) -> bool {
        match ty {
            AlgebraicType::U8 | AlgebraicType::U16 | AlgebraicType::U32 | AlgebraicType::U64 => true,
            AlgebraicType::Sum(sum) => sum.is_simple_enum(),
            AlgebraicType::Ref(r) => {
                self.uses.typespace.get(*r).and_then(AlgebraicType::as_sum).is_some_and(|s| s.is_simple_enum())
            }
            _ => false,
        }
    }

    fn constraints(&mut self, table: &RawTableDefV9, row: &ProductType, summary: &mut TableSummary) {
        let t = &*table.name;
        for constraint in &table.constraints {
            let RawConstraintDataV9::Unique(unique) = &constraint.data;
            let name = match &constraint.name {
                Some(name) => name.to_string(),
                None => generated_unique_constraint_name(t, row, &unique.columns),
            };
            let what = format!("unique constraint `{name}`");
            if self.check_columns(t, row, &what, &unique.columns) {
                let set = unique.columns.to_set();
                if !table.indexes.iter().any(|i| i.algorithm.columns().to_set() == set) {
                    let cols: Vec<String> = unique.columns.iter().map(|c| describe_col(row, c)).collect();
                    self.error(
                        Kind::UniqueWithoutIndex,
                        format!(
                            "table `{t}`: {what} on {} has no index over the same columns; add a btree index on \
                             exactly those columns",
                            cols.join(", ")
                        ),
                    );
                }
            }
            self.claim_name(&name, || format!("{what} of table `{t}`"));
            summary.constraints.push(name);
        }
    }

    fn primary_key(&mut self, table: &RawTableDefV9, row: &ProductType) {
        let t = &*table.name;
        match table.primary_key.0.as_slice() {
            [] => {}
            [pk] => {
                if self.check_columns(t, row, "the primary key", &table.primary_key) {
                    let unique = table.constraints.iter().any(|c| {
                        let RawConstraintDataV9::Unique(u) = &c.data;
                        u.columns.to_set() == [*pk]
                    });
                    if !unique {
                        self.error(
                            Kind::PrimaryKeyNotUnique,
                            format!(
                                "table `{t}`: the primary key {} has no unique constraint on exactly that column; \
                                 add one (and an index on it)",
                                describe_col(row, *pk)
                            ),
                        );
                    }
                }
            }
            _ => self.error(
                Kind::CompositePrimaryKey,
                format!(
                    "table `{t}`: the primary key lists {} columns, but at most one primary key column is supported",
                    table.primary_key.len()
                ),
            ),
        }
    }

    fn sequences(&mut self, table: &RawTableDefV9, row: &ProductType, summary: &mut TableSummary) {
        let t = &*table.name;
        let mut with_sequence = Vec::new();
        for seq in &table.sequences {
            let name = match &seq.name {
                Some(name) => name.to_string(),
                None => generated_sequence_name(t, row, seq.column),
            };
            let what = format!("sequence `{name}`");
            if self.check_columns(t, row, &what, &ColList::new(seq.column)) {
                let col = describe_col(row, seq.column);
                let ty = &row.elements[usize::from(seq.column)].algebraic_type;
                if !ty.is_integer() {
                    self.error(
                        Kind::SequenceNotInteger,
                        format!(
                            "table `{t}`: {col} is {}, which cannot be auto_inc: sequences need an integer column",
                            ty.describe()
                        ),
                    );
                } else if with_sequence.contains(&seq.column) {
                    self.error(
                        Kind::DuplicateSequence,
                        format!("table `{t}`: {col} has more than one sequence; a column may have at most one"),
                    );
                } else {
                    with_sequence.push(seq.column);
                }
            }
            let le = |lo: Option<i128>, hi: Option<i128>| lo.zip(hi).is_none_or(|(lo, hi)| lo <= hi);
            if !(le(seq.min_value, seq.start) && le(seq.start, seq.max_value) && le(seq.min_value, seq.max_value)) {
                let show = |v: Option<i128>| v.map_or_else(|| "default".to_owned(), |v| v.to_string());
                self.error(
                    Kind::SequenceRange,
                    format!(
                        "table `{t}`: {what} on {} has min {}, start {}, max {}, out of order; they must satisfy \
                         min <= start <= max",
                        describe_col(row, seq.column),
                        show(seq.min_value),
                        show(seq.start),
                        show(seq.max_value)
                    ),
                );
            }
            self.claim_name(&name, || format!("{what} of table `{t}`"));
            summary.sequences.push(name);
        }
    }

    fn schedule_columns(&mut self, table: &RawTableDefV9, row: &ProductType, at_column: u16) {
        let t = &*table.name;
        match row.elements.get(usize::from(at_column)) {
            Some(col) if col.algebraic_type.is_schedule_at() => {}
            Some(col) => self.error(
                Kind::ScheduleAtColumn,
                format!(
                    "table `{t}`: the schedule's time column is {} of type {}, not ScheduleAt; point it at a \
                     ScheduleAt column (by default one named `scheduled_at`)",
                    describe_col(row, at_column),
                    col.algebraic_type.describe()
                ),
            ),
            None => self.error(
                Kind::ScheduleAtColumn,
                format!(
                    "table `{t}`: the schedule's time column is column {at_column}, but the row type has only {} \
                     columns; point it at a ScheduleAt column",
                    row.elements.len()
                ),
            ),
        }
        let pk = table.primary_key.head();
        let pk_ty = pk.and_then(|pk| row.elements.get(usize::from(pk))).map(|e| &e.algebraic_type);
        if pk_ty != Some(&AlgebraicType::U64) {
            let has = match (pk, pk_ty) {
                (Some(pk), Some(ty)) => {
                    format!("its primary key is {} of type {}", describe_col(row, pk), ty.describe())
                }
                _ => "it has none".to_owned(),
            };
            self.error(
                Kind::SchedulePrimaryKey,
                format!(
                    "table `{t}`: a schedule table needs a u64 primary key (such as `#[primary_key] #[auto_inc] \
                     scheduled_id: u64`), but {has}"
                ),
            );
        }
    }

    /// Checks every schedule's reducer, once all reducers are known.
    pub(super) fn schedules(&mut self) {
        let def = self.def;
        for table in &def.tables {
            let Some(schedule) = &table.schedule else { continue };
            let (t, reducer_name) = (&*table.name, &*schedule.reducer_name);
            let Some(reducer) = def.reducers.iter().find(|r| *r.name == *reducer_name) else {
                self.error(
                    Kind::ScheduledReducerMissing,
                    format!(
                        "table `{t}`: its schedule calls reducer `{reducer_name}`, which does not exist; define it"
                    ),
                );
                continue;
            };
            let row = AlgebraicType::Ref(table.product_type_ref);
            if !matches!(&*reducer.params.elements, [only] if only.algebraic_type == row) {
                let params: Vec<String> = reducer.params.elements.iter().map(|e| e.algebraic_type.describe()).collect();
                self.error(
                    Kind::ScheduledReducerParams,
                    format!(
                        "reducer `{reducer_name}`: it is scheduled by table `{t}`, so after the context it must take \
                         exactly one argument of the table's row type ({}), but it takes ({})",
                        row.describe(),
                        params.join(", ")
                    ),
                );
            }
        }
    }
}
