"""Split a Markdown file into YAML front matter and body, keeping every key's line number."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Problem

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


class Duplicate(tuple):
    """A key written twice in one mapping: (key path, line of the repeat); .first is the first line.
    A 2-tuple, so code that unpacks (path, line) keeps working."""

    def __new__(cls, path: tuple, line: int, first: int) -> "Duplicate":
        self = super().__new__(cls, (path, line))
        self.first = first
        return self


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


def _walk(node: yaml.Node, path: tuple, lines: dict, duplicates: list, firsts: dict) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: set = set()
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            sub = path + (key,)
            if key in seen:
                duplicates.append((sub, key_node.start_mark.line))
                firsts.setdefault(sub, lines[sub])
            seen.add(key)
            lines[sub] = key_node.start_mark.line
            _walk(value_node, sub, lines, duplicates, firsts)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            sub = path + (index,)
            lines[sub] = item.start_mark.line
            _walk(item, sub, lines, duplicates, firsts)


_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:#'\"\[\]{}][^:#]*?):(?:\s|$)")
_QUOTE = "큰따옴표로 감싸세요"


def _key_of(line_text: str) -> str | None:
    match = _KEY.match(line_text)
    return match.group(1).strip() if match else None


def _value_of(line_text: str) -> str:
    match = _KEY.match(line_text)
    return line_text[match.end():].strip() if match else line_text.strip()


def explain_yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str, str, str]:
    """Return (line, field, message, hint) in Korean for a YAML error, the line 0-based in text.

    PyYAML and libyaml say what the parser expected ("mapping values are not allowed here"); an editor
    needs what they wrote wrong (a tab, an unclosed quote, a colon inside a value, a line indented
    differently) and how to write it, at the line where the mistake is, not where the parser gave up."""
    lines = text.split("\n")
    problem = (exc.problem or "").lower()
    context = (exc.context or "").lower()
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else 0
    column = mark.column if mark else 0

    def at(number: int) -> str:
        return lines[number] if 0 <= number < len(lines) else ""

    def field_at(number: int) -> str:
        key = _key_of(at(number))
        if key:
            return key
        for previous in range(number - 1, -1, -1):  # a list item or a continuation: the key above it
            if at(previous).strip() and not at(previous).startswith((" ", "\t", "-")):
                return _key_of(at(previous)) or "yaml"
        return "yaml"

    # A tab anywhere in the indentation, or where the parser stopped, is the cause: name it.
    for number in range(0, min(line, len(lines) - 1) + 1):
        indent = at(number)[:len(at(number)) - len(at(number).lstrip(" \t"))]
        if "\t" in indent:
            return (number, field_at(number), "줄 앞에 탭 문자가 있습니다 (YAML은 들여쓰기에 탭을 쓸 수 없습니다)",
                    "탭을 지우고 빈칸(스페이스) 두 칸으로 들여 쓰세요")
    char = at(line)[column:column + 1]
    if char == "\t":
        return (line, field_at(line), "탭 문자가 있습니다 (YAML은 이 자리에 탭을 쓸 수 없습니다)",
                "탭을 빈칸(스페이스)으로 바꾸세요")

    if "quoted scalar" in context and exc.context_mark is not None:
        start = exc.context_mark
        quote = at(start.line)[start.column:start.column + 1] or '"'
        name = "큰따옴표(\")" if quote == '"' else "작은따옴표(')"
        if "end of stream" in problem or "end of" in problem:
            return (start.line, field_at(start.line), f"{name}가 닫히지 않았습니다",
                    f"값 끝에 {quote}를 넣으세요 (값 안에 {quote}를 쓰려면 "
                    + ("\\\"로 쓰세요)" if quote == '"' else "''처럼 두 번 쓰세요)"))
        if "escape" in problem:
            return (line, field_at(line), "큰따옴표 안의 역슬래시(\\) 뒤 글자를 읽을 수 없습니다",
                    "역슬래시는 \\\\로 두 번 쓰거나, 값을 작은따옴표로 감싸세요")
    if "flow sequence" in context or "flow mapping" in context:
        start = exc.context_mark or mark
        opener, closer = ("[", "]") if "sequence" in context else ("{", "}")
        return (start.line, field_at(start.line), f"{'목록' if opener == '[' else '묶음'}을 여는 {opener}는 있는데 닫는 {closer}가 없습니다",
                f"목록 끝에 {closer}를 넣으세요. 항목에 쉼표(,)나 콜론(:)이 있으면 그 항목을 큰따옴표로 감싸세요")
    if "block scalar" in context or "tag" in context or "alias" in problem or "cannot start any token" in problem \
            or "mapping keys are not allowed" in problem:
        first = _value_of(at(line))[:1] or char
        return (line, field_at(line), f"값이 {first} 기호로 시작해 YAML이 글자로 읽지 못합니다",
                f"값 전체를 {_QUOTE}: {field_at(line)}: \"{_value_of(at(line))}\"")
    if "mapping values are not allowed" in problem:
        # "key:value" without a space before, then "other: x": the line above lacks the space.
        for previous in range(line - 1, -1, -1):
            if at(previous).strip():
                if re.match(r"^\s*[^\s:#]+:[^\s:]", at(previous)) and not _key_of(at(previous)):
                    key = at(previous).split(":", 1)[0].strip()
                    return (previous, key, "콜론(:) 뒤에 빈칸이 없습니다",
                            f"{key}: {at(previous).split(':', 1)[1].strip()} 처럼 콜론 뒤에 빈칸을 한 칸 넣으세요")
                break
        key = _key_of(at(line))
        if key and column > at(line).index(":"):
            return (line, key, "값 안에 콜론과 빈칸(': ')이 있어 YAML이 항목을 둘로 읽습니다",
                    f"값 전체를 {_QUOTE}: {key}: \"{_value_of(at(line))}\"")
        return (line, field_at(line), "이 줄의 들여쓰기가 윗줄과 맞지 않습니다",
                "같은 단계의 항목은 같은 칸에서 시작하고, 안쪽 항목은 빈칸 두 칸을 더 들여 쓰세요")
    if "expected key" in problem or "block end" in problem or "expected <document start>" in problem:
        value = _value_of(at(line))
        key = _key_of(at(line))
        if key and value[:1] in "\"'" and mark and column > at(line).index(value[:1]):
            inner = value[1:-1] if len(value) > 1 and value[-1] == value[0] else value
            return (line, key, "따옴표로 감싼 값 뒤에 글자가 더 있습니다",
                    "값 안에 큰따옴표를 쓰려면 \\\"로 쓰거나, 값 전체를 작은따옴표로 감싸세요: "
                    f"{key}: '{inner}'")
        if key and value[:1] in "[{":
            return (line, key, f"값이 {value[:1]} 기호로 시작해 목록으로 읽혔는데 뒤에 글자가 더 있습니다",
                    f"값 전체를 {_QUOTE}: {key}: \"{value}\"")
        if at(line).lstrip().startswith("-"):
            return (line, field_at(line), "목록 항목(- …)의 들여쓰기가 윗줄과 맞지 않습니다",
                    "목록의 항목은 모두 같은 칸에서 - 로 시작하고, 그 목록의 항목 이름(예: tags:) 아래에 두세요")
        return (line, field_at(line), "이 줄의 들여쓰기가 윗줄과 맞지 않습니다",
                "같은 단계의 항목은 같은 칸에서 시작하고, 안쪽 항목은 빈칸 두 칸을 더 들여 쓰세요")
    return (line, field_at(line), "YAML 문법에 맞지 않는 줄입니다 (이 줄이나 바로 윗줄)",
            "콜론(:) 뒤 빈칸, 따옴표 짝, 들여쓰기(빈칸 두 칸)를 확인하고, 콜론이나 #이 든 값은 큰따옴표로 감싸세요")


def parse_yaml(text: str, path: str, line_offset: int) -> tuple[Any, dict, list, list[Problem]]:
    """Parse YAML text; return (data, lines, duplicates, problems). Lines are 1-based file lines."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        line, field_name, message, hint = explain_yaml_error(exc, text)
        return None, {}, [], [Problem(path, line + line_offset, field_name, message, hint)]
    finally:
        loader.dispose()
    lines: dict[tuple, int] = {}
    duplicates: list = []
    firsts: dict[tuple, int] = {}
    if node is not None:
        _walk(node, (), lines, duplicates, firsts)
    lines = {k: v + line_offset for k, v in lines.items()}
    # (key path, line of the repeated key, line where it first appeared)
    duplicates = [Duplicate(k, v + line_offset, firsts[k] + line_offset) for k, v in duplicates]
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
