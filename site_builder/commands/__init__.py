"""Command modules for `site-builder`: each defines register(subparsers) and sets a handler."""
