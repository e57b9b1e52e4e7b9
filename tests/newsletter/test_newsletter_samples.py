"""The sample issues in newsletters/ stay valid against the sample content (skipped while content is broken)."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.catalog import load_catalog
from site_builder.config import load_config
from site_builder.newsletter import load_issues, newsletter_problems

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample():
    config = load_config(REPO)
    return config, load_catalog(config)


def test_sample_issues_have_no_errors(sample):
    errors = [str(p) for p in newsletter_problems(*sample) if p.is_error]
    assert errors == []


def test_samples_cover_feedback_advertising_and_drafts(sample):
    issues, _ = load_issues(*sample)
    published = [i for i in issues if not i.draft]
    assert len(published) >= 3
    assert [i.number for i in published] == sorted(i.number for i in published)
    assert any(i.feedback for i in published)
    assert any(i.is_advertising and i.subject.startswith("(광고) ") for i in issues)
    assert all(not i.is_advertising for i in published)
