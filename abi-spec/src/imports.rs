//! The import table as static data ([`IMPORTS`]), expanded by the `statics` view of the table.

use crate::ImportDecl;

crate::__import_table! { statics }

/// The import with this name, if the table has it.
pub fn import(name: &str) -> Option<&'static ImportDecl> {
    IMPORTS.iter().find(|decl| decl.name == name)
}
