"""`site-builder`: thin commands over the library. Each public module in site_builder/commands/
exposes `register(subparsers)` and adds its own subcommands; this file only wires them.

Command modules import nothing heavy at module level (MkDocs, SQLAlchemy, Starlette, feedgen, ...):
their handlers do, so `--help`, `--version` and every command pay only for what they run."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import re
import sys

from . import __version__, commands
from .errors import ConfigError

# argparse's own English, in the operators' language. argparse builds these messages with
# gettext inside parse_args; the parser below translates them where they are printed.
_ARGPARSE_MESSAGES = [
    (r"the following arguments are required: (.*)", r"꼭 써야 하는 인자가 없습니다: \1"),
    (r"argument (\S+): invalid choice: (.*) \(choose from (.*)\)", r"인자 \1: \2은(는) 고를 수 없습니다 (고를 수 있는 것: \3)"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"인자 \1: \3은(는) 올바른 값이 아닙니다 (\2)"),
    (r"argument (\S+): expected one argument", r"인자 \1: 값 하나를 뒤에 쓰세요"),
    (r"argument (\S+): expected at least one argument", r"인자 \1: 값을 하나 이상 뒤에 쓰세요"),
    (r"argument (\S+): not allowed with argument (\S+)", r"인자 \1: \2와(과) 함께 쓸 수 없습니다"),
    (r"argument (\S+): ignored explicit argument (.*)", r"인자 \1: 값 \2은(는) 쓸 수 없습니다"),
    (r"unrecognized arguments: (.*)", r"알 수 없는 인자입니다: \1"),
    (r"ambiguous option: (\S+) could match (.*)", r"옵션 \1이(가) 여러 옵션에 맞습니다: \2"),
    (r"argument (\S+): (.*)", r"인자 \1: \2"),
]


def korean_argparse_message(message: str) -> str:
    """Return argparse's English error message in Korean (unknown messages are returned as they are)."""
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if re.fullmatch(pattern, message, flags=re.DOTALL):
            return re.sub(pattern, replacement, message, flags=re.DOTALL)
    return message


class KoreanHelpFormatter(argparse.HelpFormatter):
    """argparse's help with '사용법:' for 'usage:'."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, prefix="사용법: " if prefix is None else prefix)


class KoreanArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose headings, -h help and errors are in Korean (subcommands inherit it)."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", KoreanHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "인자"
        self._optionals.title = "옵션"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="이 도움말을 보고 끝냅니다")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: 오류: {korean_argparse_message(message)}\n")


def _command_modules():
    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):   # _helpers are shared code, not command modules
            yield importlib.import_module(f"{commands.__name__}.{info.name}")


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser with every command module registered."""
    parser = KoreanArgumentParser(
        prog="site-builder",
        description="유어스: 아카이브 사이트, 피드, 뉴스레터, 소셜 발행.",
    )
    parser.add_argument("--version", action="version", version=f"site-builder {__version__}",
                        help="판 번호를 보고 끝냅니다")
    parser.add_argument("--root", default=".", help="mkdocs.yml이 있는 프로젝트 폴더 (기본: .)")
    subparsers = parser.add_subparsers(dest="command", metavar="명령")
    for module in _command_modules():
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
