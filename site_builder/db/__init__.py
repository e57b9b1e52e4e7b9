"""The database layer shared by every store: engine and session set-up, and migrations."""
