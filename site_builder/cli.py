"""`site-builder`: thin commands over the library. Each module in site_builder/commands/
exposes `register(subparsers)` and adds its own subcommands; this file only wires them."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .errors import ConfigError


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command module registered."""
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="유어스: archive site, feeds, newsletters and social publishing.",
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}")
    parser.add_argument("--root", default=".", help="project folder holding mkdocs.yml (default: .)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{info.name}")
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except ConfigError as exc:
        print(f"설정 오류: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("중단했습니다.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
