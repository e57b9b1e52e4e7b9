"""Delivery reaches subscribers and newsletter through their packages only: the import contracts
`subscribers-public` and `delivery-uses-public-interfaces` refuse a reach into their modules."""

from pathlib import Path

from tests.test_architecture import append, copy_of_the_code, lint


def test_delivery_reaching_into_the_subscriber_tables_module_is_refused(tmp_path: Path) -> None:
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / "delivery" / "policy.py", "from ..subscribers.models import Subscriber  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "site_builder.delivery is not allowed to import site_builder.subscribers.models" in result.stdout
    assert "Illegal imports of protected package site_builder.subscribers.models" in result.stdout
    assert "- site_builder.delivery.policy -> site_builder.subscribers.models" in result.stdout


def test_delivery_reaching_into_the_newsletter_renderer_is_refused(tmp_path: Path) -> None:
    root = copy_of_the_code(tmp_path)
    append(root / "site_builder" / "delivery" / "policy.py", "from ..newsletter.render import TOKEN  # noqa")
    result = lint(root)
    assert result.returncode == 1
    assert "site_builder.delivery is not allowed to import site_builder.newsletter.render" in result.stdout
