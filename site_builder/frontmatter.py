"""Split a Markdown file into YAML front matter and body, keeping every key's line number."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

# libyaml's parser is about ten times faster; marks (line numbers) are the same.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading, except that a value shaped like a date but impossible (2018-13-40) stays text, so the
    field's own check reports it with its line instead of the YAML library raising ValueError."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


@dataclass
class FrontMatter:
    """Parsed front matter: the data, the line of every key path, and the body."""

    data: dict[str, Any]
    lines: dict[tuple, int]
    body: str
    body_line: int  # line number (1-based) where the body starts
    first_line: int = 1
    duplicates: list[tuple[tuple, int]] = field(default_factory=list)

    def line_of(self, *path: Any) -> int:
        """Return the line of a key path, or of its nearest parent, or the front matter's first line."""
        return line_in(self.lines, path, self.first_line)


def line_in(lines: dict[tuple, int], path: tuple, default: int = 1) -> int:
    """Return the line of a key path in `lines`, or of its nearest parent, or `default`."""
    key = tuple(path)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return default


def _walk(node: yaml.Node, path: tuple, lines: dict, duplicates: list) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            sub = path + (key,)
            if key in seen:
                duplicates.append((sub, key_node.start_mark.line))
            seen.add(key)
            lines[sub] = key_node.start_mark.line
            _walk(value_node, sub, lines, duplicates)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            sub = path + (index,)
            lines[sub] = item.start_mark.line
            _walk(item, sub, lines, duplicates)


def parse_yaml(text: str, path: str, line_offset: int) -> tuple[Any, dict, list, list[Problem]]:
    """Parse YAML text; return (data, lines, duplicates, problems). Lines are 1-based file lines."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        # An unclosed quote or bracket is noticed at the end of the text; its start is more useful.
        ends = "end of stream" in (exc.problem or "")
        mark = (exc.context_mark if ends and exc.context_mark else exc.problem_mark) or exc.context_mark
        line = (mark.line if mark else 0) + line_offset
        what = exc.problem or str(exc)
        return None, {}, [], [Problem(path, line, "yaml", f"YAML 문법 오류: {what}",
                                      "들여쓰기, 콜론(:) 뒤 공백, 따옴표 짝을 확인하세요")]
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    duplicates: list = []
    if node is not None:
        _walk(node, (), lines, duplicates)
    lines = {k: v + line_offset for k, v in lines.items()}
    duplicates = [(k, v + line_offset) for k, v in duplicates]
    return data, lines, duplicates, []


def split_front_matter(text: str, path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Return the front matter of a Markdown file, or the problems that prevent reading it."""
    if text.startswith("\ufeff"):
        text = text[1:]
    all_lines = text.split("\n")
    if not all_lines or all_lines[0].rstrip() != "---":
        return None, [Problem(path, 1, "front matter", "머리말(front matter)이 없습니다",
                              "파일 첫 줄을 ---로 시작하고 title, date 등을 쓴 뒤 ---로 닫으세요")]
    end = None
    for index in range(1, len(all_lines)):
        if all_lines[index].rstrip() in ("---", "..."):
            end = index
            break
    if end is None:
        return None, [Problem(path, 1, "front matter", "머리말이 닫히지 않았습니다",
                              "머리말 끝에 --- 한 줄을 넣으세요")]
    yaml_text = "\n".join(all_lines[1:end])
    data, lines, duplicates, problems = parse_yaml(yaml_text, path, line_offset=2)
    if problems:
        return None, problems
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [Problem(path, 2, "front matter", "머리말은 '키: 값' 목록이어야 합니다",
                              "각 줄을 title: 제목 처럼 쓰세요")]
    body = "\n".join(all_lines[end + 1:])
    return FrontMatter(data=data, lines=lines, body=body, body_line=end + 2,
                       duplicates=duplicates), []
