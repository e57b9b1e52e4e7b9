"""Each answer button of a composed newsletter carries the index of its own label, as the answer page and
the store read it (from 0): the button '주거' records '주거'."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from site_builder.delivery.compose import Recipient
from site_builder.subscribers.tokens import verify_link

from .conftest import SECRET

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)


def test_every_answer_button_carries_the_index_of_its_label(composer, issue_and_rendered):
    issue, rendered = issue_and_rendered
    labels = list(issue.feedback.answers)
    buttons = re.findall(r'<a class="answer" href="%%(ANSWER_URL_\d+)%%"[^>]*>(.*?)</a>', rendered.html, re.S)
    assert [label.strip() for _token, label in buttons] == labels
    composer.link_now = NOW
    values = composer.values(Recipient(7, "a@example.com"))
    for token_name, label in buttons:
        claims = verify_link(SECRET, values[token_name].rsplit("/", 1)[1], "answer", NOW)
        issue_id, question_id, index = claims.fields
        assert (issue_id, question_id) == (str(issue.number), issue.feedback.id)
        assert labels[int(index)] == label.strip(), f"{token_name} ('{label.strip()}') records '{labels[int(index)]}'"
