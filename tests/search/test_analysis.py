"""The build-time Korean analysis of the site search (site_builder.search.analysis), and the index files."""

from __future__ import annotations

import json

from site_builder.search.analysis import (KEY_MAX, deletions, shard_hash, query_keys, strip_suffixes, text_keys,
                                          tokens)
from site_builder.search.index import SearchDoc, analyse, build_index


def test_a_noun_is_a_key_inside_a_compound_and_before_a_particle() -> None:
    keys = text_keys("서울시는 미세먼지를 줄이는 청년정책을 만든다")
    assert {"먼지", "미세먼지", "청년정책", "정책", "서울시"} <= keys


def test_each_common_particle_is_stripped_from_a_query_word() -> None:
    for particle in ("은", "는", "이", "가", "을", "를", "의", "에", "에서", "으로", "와", "과", "도", "만"):
        assert strip_suffixes("청년정책" + particle) == "청년정책", particle


def test_stripping_keeps_two_syllables_and_strips_at_most_twice() -> None:
    assert strip_suffixes("정의") == "정의"          # a two-syllable word is never cut to one
    assert strip_suffixes("청년들이") == "청년"       # 이, then 들
    assert strip_suffixes("최주원의") == "최주원"


def test_a_bare_word_joins_the_next_so_spacing_does_not_matter() -> None:
    assert "전세사기" in text_keys("전세 사기 피해")
    assert "청년주거" in text_keys("청년 주거를 묻다")
    assert "청년주거" not in text_keys("청년의 주거")       # a particle in between is no compound


def test_words_in_different_lines_or_across_punctuation_are_not_joined() -> None:
    assert "전세사기" not in text_keys("전세\n사기")
    assert "전세사기" not in text_keys("전세, 사기")
    assert [joined for _t, joined in tokens("전세 사기, 피해")] == [False, True, False]


def test_latin_words_and_numbers_are_keys_with_thousands_separators_removed() -> None:
    keys = text_keys("서울미래인재DB 예산 26,500원, NGO 2018년")
    assert {"db", "26500", "ngo", "2018", "인재"} <= keys


def test_long_query_words_become_overlapping_keys_of_key_max_syllables() -> None:
    assert query_keys("청년자치정부준비단을") == ["청년자치정부", "년자치정부준", "자치정부준비", "치정부준비단"]
    assert all(len(k) == KEY_MAX for k in query_keys("청년자치정부준비단을"))


def test_deletions_are_the_one_syllable_neighbourhood() -> None:
    assert deletions("청년의회") == {"년의회", "청의회", "청년회", "청년의"}


def test_the_shard_hash_is_crc32_of_utf8() -> None:
    assert shard_hash("") == 0
    assert shard_hash("123456789") == 0xCBF43926      # the CRC-32 check value
    assert shard_hash("청년") == 0x0CD4F480


def doc(n: int, title: str, body: str) -> SearchDoc:
    return SearchDoc(url=f"a/{n}/", title=title, kind="feature", kind_label="기획기사", date_iso="2018-10-01",
                     date_text="2018년 10월 1일", byline="필자", summary="", strong_text=title, body_text=body,
                     year=2018)


def test_postings_are_delta_coded_with_the_strong_field_bit() -> None:
    docs = [doc(0, "청년", "주거"), doc(1, "다른 글", "청년 이야기"), doc(2, "세 번째", "청년")]
    files = build_index(docs, [analyse(d) for d in docs], {"labels": {}})
    manifest = json.loads(files["manifest.json"])
    shard = json.loads(files[f"k/{shard_hash('청년') & (manifest['shards'] - 1)}.json"])
    assert shard["청년"] == [0 * 2 + 1, 1 * 2 + 0, 1 * 2 + 0]   # doc 0 in the title, docs 1 and 2 in the body
    # the typo map leads from the word and each one-syllable deletion of it back to the word
    for variant in ("이야기", "야기", "이기", "이야"):
        typo = json.loads(files[f"t/{shard_hash(variant) & (manifest['typo_shards'] - 1)}.json"])
        assert "이야기" in typo[variant], variant


def test_the_index_is_the_same_bytes_for_the_same_docs() -> None:
    docs = [doc(0, "청년정책", "미세먼지 줄이기"), doc(1, "전세 사기", "청년 주거")]
    first = build_index(docs, [analyse(d) for d in docs], {"labels": {}})
    second = build_index(list(docs), [analyse(d) for d in docs], {"labels": {}})
    assert first == second
