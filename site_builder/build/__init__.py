"""The build: check -> catalog -> the outputs -> one atomic swap of site/, and incremental state."""
