"""The command line: every command registered without importing the heavy libraries, help and errors in Korean."""

from __future__ import annotations

import json
import subprocess
import sys

from site_builder.cli import build_parser, korean_argparse_message, main
from site_builder.commands.content import KIND_CHOICES
from site_builder.config import KINDS

HEAVY = ["mkdocs", "material", "sqlalchemy", "starlette", "uvicorn", "feedgen", "jinja2", "css_inline", "httpx",
         "markdown", "dkim", "rich", "site_builder.catalog", "site_builder.delivery", "site_builder.subscribers"]


def _loaded_after(*argv: str) -> list[str]:
    code = ("import sys, json\nfrom site_builder.cli import main\n"
            f"try:\n    main({list(argv)!r})\nexcept SystemExit:\n    pass\n"
            f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_help_and_version_import_no_heavy_library():
    assert _loaded_after("--help") == []
    assert _loaded_after("--version") == []
    assert _loaded_after("newsletter", "send", "--help") == []


def test_check_loads_neither_mkdocs_nor_the_subscriber_store():
    root = str(__import__("pathlib").Path(__file__).resolve().parents[1])
    loaded = _loaded_after("--root", root, "check")
    assert not {"mkdocs", "material", "sqlalchemy", "starlette", "uvicorn", "site_builder.subscribers"} & set(loaded)


def test_every_command_is_registered_with_korean_help(capsys):
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {"bounces", "check", "new", "newsletter", "build", "serve", "subscribers",
                                "serve-subscriptions", "publish"}
    newsletter = sub.choices["newsletter"]._actions[-1].choices
    assert set(newsletter) == {"preview", "render", "check", "send", "status"}
    for choice in sub._choices_actions + [a for a in sub.choices["newsletter"]._actions[-1]._choices_actions]:
        assert any("\uac00" <= ch <= "\ud7a3" for ch in choice.help), choice.dest
    try:
        main(["newsletter", "send", "--help"])
    except SystemExit:
        pass
    out = capsys.readouterr().out
    assert out.startswith("사용법: site-builder newsletter send")
    assert "옵션:" in out and "이 도움말을 보고 끝냅니다" in out and "usage:" not in out and "options:" not in out


def test_argparse_errors_are_korean(capsys):
    for argv, expected in ((["newsletter", "send"], "site-builder newsletter send: 오류: 꼭 써야 하는 인자가 없습니다: issue"),
                           (["bogus"], "site-builder: 오류: 인자 명령: 'bogus'은(는) 고를 수 없습니다"),
                           (["newsletter", "send", "1", "--batch", "x"],
                            "오류: 인자 --batch: 'x'은(는) 올바른 값이 아닙니다 (int)"),
                           (["check", "--nope"], "site-builder: 오류: 알 수 없는 인자입니다: --nope")):
        try:
            main(argv)
        except SystemExit as exc:
            assert exc.code == 2
        err = capsys.readouterr().err
        assert err.startswith("사용법: ") and expected in err, err
        assert "error:" not in err and "usage:" not in err


def test_unknown_argparse_messages_pass_through():
    assert korean_argparse_message("something new") == "something new"


def test_new_offers_the_kinds_of_the_content_model():
    assert tuple(KIND_CHOICES) == tuple(KINDS)
