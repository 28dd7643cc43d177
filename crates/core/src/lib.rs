//! crew's model of agents, apart from any command line: the tag schema on
//! the panes, the snapshot that reads them back, profiles (built-in ones are
//! data files), statuses judged from titles, screens and reports, and the
//! configuration. Pure functions and typed outcomes; reads that write
//! nothing (the commands that act are in the `crew` crate). It talks to
//! tmux only through `crew-tmux`.

pub use crew_tmux as tmux;

pub mod clock;
pub mod config;
pub mod error;
pub mod mode;
pub mod procs;
pub mod profile;
pub mod report;
pub mod screen;
pub mod snapshot;
pub mod status;
pub mod tags;
pub mod text;
pub mod turns;
