//! `crew config`: the merged configuration, built-in profiles included.

use super::Ctx;
use crate::cli::ConfigArgs;
use anyhow::Result;
use std::io::Write;

pub fn run(ctx: &Ctx, _a: ConfigArgs) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match &ctx.config.source {
        Some(p) => writeln!(out, "# from {} and the built-in profiles", p.display())?,
        None => writeln!(out, "# no config file: built-in defaults")?,
    }
    out.write_all(ctx.config.to_toml().as_bytes())?;
    Ok(())
}
