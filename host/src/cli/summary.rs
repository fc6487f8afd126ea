//! `worldtube check`'s summary of a module: tables, reducers, procedures, views and HTTP routes,
//! with readable types.

use crate::schema::{IndexKind, ModuleDef, ScheduleTarget, Schema, TableSchema};
use std::fmt::Write as _;
use worldtube_lib::algebraic::{AlgebraicType, ProductType, SumType};
use worldtube_lib::raw_def::v10::MethodOrAny;
use worldtube_lib::raw_def::{Lifecycle, RawModuleDefV9};

/// The tables (columns with types, primary key, indexes, constraints, sequences, schedule),
/// reducers (parameters, lifecycle) and procedures (parameters, return type) of a valid module,
/// as indented text.
pub fn summary(schema: &Schema) -> String {
    let def = schema.def();
    let mut out = String::new();
    let _ = writeln!(out, "tables ({}):", schema.tables().len());
    for table in schema.tables() {
        table_summary(&mut out, schema, table);
    }
    let _ = writeln!(out, "reducers ({}):", schema.reducers().len());
    for reducer in schema.reducers() {
        let lifecycle = match reducer.lifecycle {
            Some(Lifecycle::Init) => "  [init]",
            Some(Lifecycle::OnConnect) => "  [client_connected]",
            Some(Lifecycle::OnDisconnect) => "  [client_disconnected]",
            None => "",
        };
        let scheduled = scheduled_by(schema, ScheduleTarget::Reducer(reducer.id));
        let _ = writeln!(out, "  {}({}){lifecycle}{scheduled}", reducer.name, fields(&reducer.params, def));
    }
    if !schema.procedures().is_empty() {
        let _ = writeln!(out, "procedures ({}):", schema.procedures().len());
        for procedure in schema.procedures() {
            let scheduled = scheduled_by(schema, ScheduleTarget::Procedure(procedure.id));
            let private = if procedure.client_callable { "" } else { "  [private]" };
            let _ = writeln!(
                out,
                "  {}({}) -> {}{private}{scheduled}",
                procedure.name,
                fields(&procedure.params, def),
                type_name(&procedure.return_type, def)
            );
        }
    }
    if !schema.views().is_empty() {
        let _ = writeln!(out, "views ({}):", schema.views().len());
        for view in schema.views() {
            let kind = if view.is_anonymous { "anonymous" } else { "per caller" };
            let access = if view.is_public { "public" } else { "private" };
            let returns = if view.is_query { "query of " } else { "rows of " };
            let key = view
                .primary_key
                .and_then(|c| view.row_type.elements.get(usize::from(c)))
                .and_then(|e| e.name.as_deref())
                .map_or(String::new(), |k| format!(", primary key {k}"));
            let row = type_name(&worldtube_lib::algebraic::AlgebraicType::Ref(view.row_type_ref), def);
            let _ = writeln!(out, "  {} ({access}, {kind}{key}) -> {returns}{row}", view.name);
        }
    }
    let routes = match schema.module_def() {
        ModuleDef::V10(def) => def.http_routes().map_or(&[][..], |routes| &routes[..]),
        ModuleDef::V9(_) => &[],
    };
    if !routes.is_empty() {
        let _ = writeln!(out, "routes ({}, at /v1/database/NAME/route...):", routes.len());
        for route in routes {
            let method = match &route.method {
                MethodOrAny::Any => "any method",
                MethodOrAny::Method(method) => method.as_str(),
            };
            let path = if route.path.is_empty() { "(the root)" } else { &route.path };
            let _ = writeln!(out, "  {method} {path} -> {}", route.handler_function);
        }
    }
    out
}

/// `  [scheduled by TABLE]` for each schedule table that calls `target`.
fn scheduled_by(schema: &Schema, target: ScheduleTarget) -> String {
    schema
        .schedule_tables()
        .filter(|(_, s)| s.target == target)
        .map(|(t, _)| format!("  [scheduled by {}]", t.name))
        .collect()
}

fn table_summary(out: &mut String, schema: &Schema, table: &TableSchema) {
    let def = schema.def();
    let access = if table.is_public() { "public" } else { "private" };
    // 2.x: the accessor name the module's code uses, when it differs, and event tables.
    let accessor = match &table.accessor_name {
        Some(accessor) if *accessor != table.name => format!(", accessor {accessor}"),
        _ => String::new(),
    };
    let event = if table.is_event { ", event table" } else { "" };
    let _ = writeln!(
        out,
        "  {} ({access}{event}{accessor}, row type {})",
        table.name,
        type_name(&AlgebraicType::Ref(table.row_type_ref), def)
    );
    let col = |c: u16| table.columns.get(usize::from(c)).map_or_else(|| format!("#{c}"), |c| c.name.clone());
    let cols = |cs: &[u16]| cs.iter().map(|&c| col(c)).collect::<Vec<_>>().join(", ");
    for column in &table.columns {
        let mut marks = Vec::new();
        if table.primary_key == Some(column.col) {
            marks.push("primary key".to_owned());
        }
        if table.sequences.iter().any(|s| s.col == column.col) {
            marks.push("auto_inc".to_owned());
        }
        if let Some((_, value)) = table.default_values.iter().find(|(c, _)| *c == column.col) {
            let json = crate::json::value_to_json(&column.ty, schema.typespace(), value);
            marks.push(format!("default {json}"));
        }
        let marks = if marks.is_empty() { String::new() } else { format!("  [{}]", marks.join(", ")) };
        let _ = writeln!(out, "    {}: {}{marks}", column.name, type_name(&column.ty, def));
    }
    for &id in &table.indexes {
        let Some(index) = schema.index(id) else { continue };
        let kind = match index.kind {
            IndexKind::BTree => "btree",
            IndexKind::Direct => "direct",
            IndexKind::Hash => "hash",
        };
        let unique = if index.is_unique { ", unique" } else { "" };
        let _ = writeln!(out, "    index {}: {kind}({}){unique}", index.name, cols(&index.columns));
    }
    for constraint in &table.unique_constraints {
        let _ = writeln!(out, "    constraint {}: unique({})", constraint.name, cols(&constraint.columns));
    }
    for sequence in &table.sequences {
        let _ = writeln!(out, "    sequence {}: {} from {}", sequence.name, col(sequence.col), sequence.start);
    }
    if let Some(schedule) = &table.schedule {
        let _ = writeln!(
            out,
            "    schedule {}: calls {} at `{}` (id `{}`)",
            schedule.name,
            schedule.reducer_name,
            col(schedule.at_column),
            col(schedule.id_column)
        );
    }
}

/// `name: Type, ...`.
fn fields(product: &ProductType, def: &RawModuleDefV9) -> String {
    product
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| match e.name.as_deref() {
            Some(name) => format!("{name}: {}", type_name(&e.algebraic_type, def)),
            None => format!("{i}: {}", type_name(&e.algebraic_type, def)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A type as a Rust programmer would write it: named types by their (scoped) name, `u32`,
/// `String`, `Vec<T>`, `Option<T>`, `Identity`, `ScheduleAt`; anonymous products as `{a: T}`,
/// anonymous sums as `(A | B(T))`.
pub fn type_name(ty: &AlgebraicType, def: &RawModuleDefV9) -> String {
    use AlgebraicType as T;
    match ty {
        T::Ref(r) => match def.types.iter().find(|t| t.ty == *r) {
            Some(named) => named.name.to_string(),
            None => match def.typespace.get(*r) {
                Some(inner) if !matches!(inner, T::Ref(_)) => type_name(inner, def),
                _ => format!("&{}", r.0),
            },
        },
        T::Array(a) => format!("Vec<{}>", type_name(&a.elem_ty, def)),
        T::Product(p) => match p.special() {
            Some(special) => special.name().to_owned(),
            None if p.elements.is_empty() => "()".to_owned(),
            None => format!("{{{}}}", fields(p, def)),
        },
        T::Sum(s) if s.is_schedule_at() => "ScheduleAt".to_owned(),
        T::Sum(s) => match s.as_option() {
            Some(some) => format!("Option<{}>", type_name(some, def)),
            None => sum_name(s, def),
        },
        T::String => "String".to_owned(),
        primitive => format!("{primitive:?}").to_lowercase(),
    }
}

fn sum_name(s: &SumType, def: &RawModuleDefV9) -> String {
    let variants = s
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let name = v.name.as_deref().map_or_else(|| i.to_string(), str::to_owned);
            if v.algebraic_type.is_unit() {
                name
            } else {
                format!("{name}({})", type_name(&v.algebraic_type, def))
            }
        })
        .collect::<Vec<_>>();
    format!("({})", variants.join(" | "))
}
