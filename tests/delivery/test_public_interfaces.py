"""Delivery reaches subscribers and newsletter through their packages only: the import contracts
`subscribers-public` and `delivery-uses-public-interfaces` refuse a reach into their modules."""

from pathlib import Path

import pytest

from tests.test_architecture import append, copy_of_the_code, lint


@pytest.mark.parametrize("line, refusals", [
    ("from ..subscribers.models import Subscriber  # noqa",
     ["site_builder.delivery is not allowed to import site_builder.subscribers.models",
      "Illegal imports of protected package site_builder.subscribers.models",
      "- site_builder.delivery.policy -> site_builder.subscribers.models"]),
    ("from ..newsletter.render import TOKEN  # noqa",
     ["site_builder.delivery is not allowed to import site_builder.newsletter.render"]),
])
def test_delivery_reaching_into_a_module_of_subscribers_or_newsletter_is_refused(tmp_path: Path, line, refusals):
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / "delivery" / "policy.py", line)
    result = lint(root)
    assert result.returncode == 1
    for refusal in refusals:
        assert refusal in result.stdout
