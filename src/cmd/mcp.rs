//! `crew mcp`: crew's commands as MCP tools on stdio (see `crate::mcp`).

use super::Ctx;
use crate::cli::McpArgs;
use anyhow::Result;

pub fn run(ctx: &Ctx, _a: McpArgs) -> Result<()> {
    crate::mcp::serve(ctx)
}
