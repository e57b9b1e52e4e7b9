"""The kinds of article: each declared once (content/kinds.py), with the keys only it uses and their check."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from site_builder.cli import main
from site_builder.config import KINDS
from site_builder.content.fields import COMMON_KEYS
from site_builder.content.kinds import KIND_REGISTRY

# The fixture site's article of each kind, and what check says when the kind's own fields are all taken out.
ARTICLES = {
    "interview": "2018-09-05-prep-team.md",
    "column": "2018-10-08-generation-balance.md",
    "meeting": "2018-09-21-first-meeting.md",
    "feature": "2018-09-28-core-projects.md",
    "cardnews": "2018-10-04-budget.md",
    "video": "2018-10-10-intro.md",
    "infographic": "2018-10-29-budget.md",
}
WITHOUT_OWN_FIELDS = {
    "interview": "interviewees: 인터뷰이가 없습니다 — interviewees: [{name: 이름, affiliation: 소속}] 처럼 쓰세요",
    "meeting": "when: 필수 항목이 없습니다 — when: \"2018-09-21 19:00\" 처럼 일시를 쓰세요",
    "cardnews": "slides: 카드(slides)가 없습니다 — slides: 아래에 - image: ..., alt: ..., text: ... 를 순서대로 쓰세요",
    "video": "provider: 필수 항목이 없습니다 — provider: file, youtube, vimeo 중 하나를 쓰세요",
    "infographic": "image: 이미지 경로가 비어 있습니다 — content/ 기준 경로를 쓰세요, 예: images/interview/cover.jpg",
}


def check_output(project: Path, capsys) -> tuple[int, list[str]]:
    code = main(["--root", str(project), "check"])
    out = capsys.readouterr().out
    return code, [line.split(". ", 1)[1] for line in out.splitlines() if line[:1].isdigit()]


def rewrite_front_matter(path: Path, change) -> list[str]:
    """Apply `change` to the article's front matter; return the new front-matter lines (line 2 first)."""
    _, head, body = path.read_text(encoding="utf-8").split("---\n", 2)
    data = yaml.safe_load(head)
    change(data)
    head = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(f"---\n{head}---\n{body}", encoding="utf-8")
    return head.splitlines()


def test_every_kind_in_the_vocabulary_has_its_own_keys_and_check_in_the_registry() -> None:
    assert list(KIND_REGISTRY) == list(KINDS)  # the same kinds, in the order menus and `new` offer them
    for name, kind in KIND_REGISTRY.items():
        assert kind.name == name and callable(kind.check)
        assert not kind.keys & COMMON_KEYS, f"{name} redeclares a common key"


def test_the_fixture_site_uses_no_key_its_kind_does_not_know(site_project: Path, capsys) -> None:
    code, lines = check_output(site_project, capsys)
    assert code == 0
    assert not [line for line in lines if "알 수 없는 항목" in line]


@pytest.mark.parametrize("kind", list(KINDS))
def test_a_key_of_another_kind_is_reported_at_its_line_naming_the_kind(kind: str, site_project: Path, capsys) -> None:
    foreign = next(key for other in KIND_REGISTRY.values() for key in sorted(other.keys)
                   if key not in KIND_REGISTRY[kind].keys)
    path = site_project / "content" / kind / ARTICLES[kind]
    head = rewrite_front_matter(path, lambda data: data.update({foreign: "x"}))
    line = 2 + next(i for i, text in enumerate(head) if text.startswith(f"{foreign}:"))
    code, lines = check_output(site_project, capsys)
    assert (f"경고: content/{kind}/{ARTICLES[kind]}:{line}: {foreign}: 알 수 없는 항목입니다 ('{kind}' 글에서 쓰지 않음)"
            " — 오타인지 확인하고, 필요 없으면 지우세요") in lines
    assert code == 0  # a warning: the article still builds


@pytest.mark.parametrize("kind", sorted(WITHOUT_OWN_FIELDS))
def test_each_kind_checks_its_own_fields(kind: str, site_project: Path, capsys) -> None:
    path = site_project / "content" / kind / ARTICLES[kind]
    rewrite_front_matter(path, lambda data: [data.pop(key, None) for key in KIND_REGISTRY[kind].keys])
    code, lines = check_output(site_project, capsys)
    assert code == 1
    assert any(line.startswith(f"content/{kind}/{ARTICLES[kind]}:") and line.endswith(WITHOUT_OWN_FIELDS[kind])
               and f": {WITHOUT_OWN_FIELDS[kind]}" in line for line in lines), "\n".join(lines)


@pytest.mark.parametrize("kind", ["column", "feature"])
def test_a_kind_without_fields_of_its_own_needs_only_the_common_ones(kind: str, site_project: Path, capsys) -> None:
    path = site_project / "content" / kind / ARTICLES[kind]
    rewrite_front_matter(path, lambda data: [data.pop(key) for key in list(data) if key not in COMMON_KEYS])
    code, lines = check_output(site_project, capsys)
    assert code == 0, "\n".join(lines)
