"""Tag hygiene across the archive: one address per tag, one spelling per word."""

from __future__ import annotations

import re

from ..errors import Problem
from ..textutil import josa, quoted, slugify_term
from .reader import ContentReader

def _one_edit_apart(a: str, b: str) -> bool:
    """True if a and b differ by one inserted, deleted or replaced character."""
    if abs(len(a) - len(b)) > 1 or a == b:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


def one_edit_pairs(words: list[str]) -> list[tuple[int, int]]:
    """Return every (i, j), i < j, of words one edit apart, ordered by i then j. Two words one edit apart
    share a form with one letter left out (or one is such a form of the other), so only the words sharing
    a form are compared: time grows with the vocabulary, not with its square."""
    forms: dict[str, list[int]] = {}
    for index, word in enumerate(words):
        for form in {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}:
            forms.setdefault(form, []).append(index)
    pairs = {(i, j) for group in forms.values() if len(group) > 1 for i in group for j in group if i < j}
    return sorted((i, j) for i, j in pairs if _one_edit_apart(words[i], words[j]))


NEAR_DUPLICATE_MIN = 5  # shorter tags one letter apart are often different words (청년정책, 청년정착)


def tag_problems(reader: ContentReader) -> list[Problem]:
    """Tag hygiene across the archive (drafts included), at the line of each tag: two tags with one
    address are an error; a tag with spaces, two spellings differing only in Latin case or spaces, and
    long tags one letter apart are warnings that name the spelling used more."""
    problems: list[Problem] = []
    uses: dict[str, list[tuple[str, int]]] = {}
    for path, line, tag in reader.tag_uses:
        uses.setdefault(tag, []).append((path, line))
    count = {tag: len({p for p, _ in where}) for tag, where in uses.items()}

    def more_used(a: str, b: str) -> str:
        return min((a, b), key=lambda t: (-count[t], min(uses[t])))

    warned: set[str] = set()
    by_key: dict[str, list[str]] = {}
    for tag in uses:
        by_key.setdefault(re.sub(r"\s+", "", tag).casefold(), []).append(tag)
    for key, spellings in by_key.items():
        if len(spellings) < 2:
            continue
        best = spellings[0]
        for other in spellings[1:]:
            best = more_used(best, other)
        for tag in spellings:
            if tag == best:
                continue
            same_spaces = re.sub(r"\s+", "", tag) == re.sub(r"\s+", "", best)
            how = "빈칸만" if same_spaces else "대소문자만" if re.sub(r"\s+", "", tag).lower() == re.sub(r"\s+", "", best).lower() \
                else "대소문자와 빈칸만"
            for path, line in uses[tag]:
                problems.append(Problem(path, line, "tags", f"태그 {josa(quoted(tag), '가')} {josa(quoted(best), '와')} {how} 다릅니다",
                                        f"같은 태그라면 {josa(quoted(best), '로')} 통일하세요 ({count[best]}개 글에서 씀)",
                                        "warning"))
            warned.add(tag)
    for tag, where in uses.items():
        if tag not in warned and re.search(r"\s", tag):
            for path, line in where:
                problems.append(Problem(path, line, "tags", f"태그 {quoted(tag)}에 빈칸이 있습니다",
                                        f"태그는 붙여 씁니다: {''.join(tag.split())} (띄어 쓴 태그와 붙여 쓴 태그는 "
                                        "서로 다른 태그 페이지가 됩니다)", "warning"))
    keys = sorted(k for k in by_key if len(k) >= NEAR_DUPLICATE_MIN)
    for index, other_index in one_edit_pairs(keys):
        a, b = by_key[keys[index]][0], by_key[keys[other_index]][0]
        best = more_used(a, b)
        rarer = b if best == a else a
        for path, line in uses[rarer]:
            problems.append(Problem(path, line, "tags",
                                    f"태그 {josa(quoted(rarer), '가')} {josa(quoted(best), '와')} 한 글자만 다릅니다",
                                    f"같은 말이라면 {josa(quoted(best), '로')} 통일하세요 ({count[best]}개 글에서 씀)",
                                    "warning"))
    owners: dict[str, str] = {}
    slugs = {tag: slugify_term(tag) for tag in uses}  # romanizing is slow: once per distinct tag
    for path, line, tag in sorted(reader.tag_uses):
        slug = slugs[tag]
        if not slug:
            problems.append(Problem(path, line, "tags", f"태그 {josa(quoted(tag), '로')} 주소를 만들 수 없습니다",
                                    "글자나 숫자가 있는 태그를 쓰세요"))
        elif owners.setdefault(slug, tag) != tag and re.sub(r"\s+", "", tag).casefold() != \
                re.sub(r"\s+", "", owners[slug]).casefold():
            problems.append(Problem(path, line, "tags",
                                    f"태그 {josa(quoted(tag), '와')} {quoted(owners[slug])}의 주소(/tags/{slug}/)가 같습니다",
                                    "둘 중 하나로 통일하세요"))
    return problems
