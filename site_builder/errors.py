"""The project's own error types. Editors' mistakes are Problems, never tracebacks."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in an editor's file: `path:line: field: message — hint`."""

    path: str
    line: int
    field: str
    message: str
    hint: str = ""
    severity: str = "error"  # "error" | "warning" | "info"

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}: {self.field}: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.field))
        super().__init__(format_problems(self.problems))


class ConfigError(Exception):
    """The site configuration (mkdocs.yml) is unusable."""


def format_problems(problems: list[Problem]) -> str:
    """Return problems numbered one a line, errors first, as editors see them."""
    lines = []
    for number, problem in enumerate(problems, start=1):
        label = {"error": "", "warning": "경고: ", "info": "안내: "}[problem.severity]
        lines.append(f"{number}. {label}{problem}")
    return "\n".join(lines)
