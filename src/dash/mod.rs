//! The dashboard in the Elm shape: `State` is everything it knows, `update`
//! turns a key or a refresh into a new state and the actions to run (pure:
//! no terminal, no tmux, tested as data), and `draw` paints a state.
//! `crew dash` (cmd/dash.rs) owns the terminal and the threads that take
//! boards and run actions.

pub mod draw;
pub mod state;
pub mod update;

pub use state::{Input, Mode, State};
pub use update::{update, Action, Event};
