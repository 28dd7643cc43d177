//! `crew recover`: repairs what crashes and interrupted commands leave.

use super::Ctx;
use crate::cli::RecoverArgs;
use anyhow::Result;

pub fn run(_ctx: &Ctx, _a: RecoverArgs) -> Result<()> {
    Err(crate::error::CrewError::failure("crew recover is not built yet (issue 5)").into())
}
