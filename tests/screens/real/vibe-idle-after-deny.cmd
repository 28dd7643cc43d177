vibe-rs
