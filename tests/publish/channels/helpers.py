"""Helpers of the channel tests: sample posts, real JPEGs, a recording MockTransport handler."""

from __future__ import annotations

from pathlib import Path

import httpx
from PIL import Image

from site_builder.publish.channel import Post, PublishContext


def jpeg(path: Path, width: int = 108, height: int = 135, color=(200, 40, 60)) -> Path:
    """Write a small real JPEG and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), color).save(path, "JPEG")
    return path


def article(id: str = "2018-10-05-youth-union", **fields) -> Post:
    """Return an interview post of the sample archive (fields override)."""
    values = dict(id=id, kind="interview", kind_label="인터뷰", title="청년자치정부, 첫 회의를 열다 👩\u200d👩\u200d👧",
                  summary="서울 청년 100명이 시청에 모였습니다.", url=f"https://yours.kr/interview/{id}/",
                  tags=("청년 자치", "서울"))
    values.update(fields)
    return Post(**values)


class Recorder:
    """An httpx MockTransport handler that records every request and answers from a script."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else httpx.Response(500)
        return answer(request) if callable(answer) else answer

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def context(http: httpx.Client, credentials: dict, options: dict, key: str = "key-1", **extra) -> PublishContext:
    """Return a PublishContext with a recording sleep (no real waiting)."""
    sleeps: list[float] = []
    ctx = PublishContext(http=http, credentials=credentials, options=options, idempotency_key=key,
                         sleep=sleeps.append, **extra)
    ctx.sleeps = sleeps
    return ctx

