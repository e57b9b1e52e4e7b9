"""Near-duplicate tags at the scale of a large archive: found through shared forms, the same as trying
every pair."""

from __future__ import annotations

import random

from site_builder.content.tags import _one_edit_apart, one_edit_pairs


def every_pair(words: list[str]) -> list[tuple[int, int]]:
    """The pairs one edit apart found by trying every pair (what the check did before)."""
    return [(i, j) for i in range(len(words)) for j in range(i + 1, len(words)) if _one_edit_apart(words[i], words[j])]


def test_the_near_duplicates_found_are_those_of_every_pair_in_the_same_order() -> None:
    rng = random.Random(15)
    letters = "청년정책참여예산의회공론장일자리주거기록캠페인자치ab"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(4, 8))) for _ in range(600)}
    for word in list(words)[:300]:  # near duplicates: a letter replaced, left out, or added
        i = rng.randrange(len(word))
        words |= {word[:i] + rng.choice(letters) + word[i + 1:], word[:i] + word[i + 1:],
                  word[:i] + rng.choice(letters) + word[i:]}
    keys = sorted(words)
    found = one_edit_pairs(keys)
    assert len(found) > 300
    assert found == every_pair(keys)


def test_words_that_share_a_form_but_are_two_edits_apart_are_not_pairs() -> None:
    assert one_edit_pairs(["abcd", "bcda"]) == []  # both "bcd" with a letter left out
    assert one_edit_pairs(["청년정책", "청년정착", "청년정책들"]) == [(0, 1), (0, 2)]
