//! `<string.h>`, `<strings.h>` and `<wchar.h>` string routines.
//!
//! Each submodule exports one family. Dispatched routines are declared with
//! `dispatch::dispatched!`, which also gives the submodule a `ROUTINES`
//! list; add that list to `dispatch::ROUTINE_SETS`.

pub mod compare;
pub mod copy;
pub mod dup;
pub mod mem;
pub mod messages;
pub mod token;
pub mod search;
pub mod wide;
