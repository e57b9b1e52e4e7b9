"""Images and media files named in front matter: checked to exist under content/, images measured once.

Every path a check looks at is recorded in `Media.looked_at` (as written, relative to content/): what a
file's check found depends on those files too, so the per-file cache (content.filecache) keys on them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..textutil import josa, quoted
from .files import FileCheck
from .model import Image

IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp", ".svg": "image/svg+xml"}
BAD_ALT_ENDINGS = ("이미지", "사진", ".png", ".jpg", ".jpeg", ".gif", ".webp")


class Media:
    """The files under content/ that front matter points to; each image is opened once per run."""

    def __init__(self, root: Path):
        self.root = root
        self._images: dict[str, Image | None] = {}
        self.looked_at: list[str] = []  # every path under content/ a check looked for, in order, repeats kept

    def image(self, check: FileCheck, key: tuple, path_value: Any, alt_value: Any,
              alt_key: tuple, *, require_alt: bool = True) -> Image | None:
        """Return the image at `path_value` with its alt text, or None after reporting why not."""
        if not isinstance(path_value, str) or not path_value.strip():
            check.error(key, "이미지 경로가 비어 있습니다", "content/ 기준 경로를 쓰세요, 예: images/interview/cover.jpg")
            return None
        rel = path_value.strip().lstrip("/")
        suffix = Path(rel).suffix.lower()
        if suffix not in IMAGE_TYPES:
            check.error(key, f"{josa(quoted(rel), '은')} 지원하지 않는 이미지 형식입니다", "png, jpg, gif, webp, svg 중 하나로 저장하세요")
            return None
        full = self.root / rel
        self.looked_at.append(rel)
        if not full.is_file():
            check.error(key, f"이미지 파일 {josa(quoted(rel), '이')} 없습니다",
                        f"content/{rel}에 파일을 넣거나 경로를 고치세요 (content/ 기준 경로)")
            return None
        alt = alt_value.strip() if isinstance(alt_value, str) else ""
        if require_alt and not alt:
            check.error(alt_key, "대체텍스트(alt)가 없습니다", "이미지의 내용을 한두 문장으로 설명하세요")
        elif alt and alt.lower().endswith(BAD_ALT_ENDINGS):
            check.warn(alt_key, f"대체텍스트 {josa(quoted(alt), '가')} 파일 이름이나 '이미지/사진'으로 끝납니다",
                       "무엇이 보이는지 설명하세요")
        if rel not in self._images:
            measured = self._measure(check, key, rel, full, suffix)
            if measured is None:
                return None
            self._images[rel] = measured
        base = self._images[rel]
        return Image(rel, alt, base.width, base.height, base.mime, base.size) if base else None

    @staticmethod
    def _measure(check: FileCheck, key: tuple, rel: str, full: Path, suffix: str) -> Image | None:
        width = height = 0
        if suffix != ".svg":
            try:
                from PIL import Image as PILImage

                with PILImage.open(full) as img:
                    width, height = img.size
            except Exception:  # unreadable image: reported, not raised
                check.error(key, f"이미지 {josa(quoted(rel), '을')} 열 수 없습니다", "손상되지 않은 이미지 파일로 바꾸세요")
                return None
        return Image(rel, "", width, height, IMAGE_TYPES[suffix], full.stat().st_size)

    def file(self, check: FileCheck, key: tuple, value: Any, suffixes: tuple[str, ...], what: str) -> str | None:
        """Return the path (relative to content/) of a video or captions file, or None after reporting it."""
        if not isinstance(value, str) or not value.strip():
            check.error(key, f"{what} 경로가 없습니다", f"content/ 기준 경로를 쓰세요 (예: videos/clip{suffixes[0]})")
            return None
        rel = value.strip().lstrip("/")
        if Path(rel).suffix.lower() not in suffixes:
            check.error(key, f"{josa(quoted(rel), '은')} {what} 형식이 아닙니다", f"{', '.join(suffixes)} 파일을 쓰세요")
            return None
        self.looked_at.append(rel)
        if not (self.root / rel).is_file():
            check.error(key, f"{what} 파일 {josa(quoted(rel), '이')} 없습니다", f"content/{rel}에 파일을 넣거나 경로를 고치세요")
            return None
        return rel
