"""Licences an article can carry: 공공누리 (KOGL) types 1-4 and Creative Commons."""

from __future__ import annotations

from dataclasses import dataclass

from ..textutil import josa


@dataclass(frozen=True)
class License:
    """A licence: id as written in front matter, Korean name, short mark, URL, conditions."""

    id: str
    name: str
    mark: str
    url: str
    conditions: str

    @property
    def is_kogl(self) -> bool:
        """공공누리 types are for works a public body holds the rights to, never for outside contributors'."""
        return self.id.startswith("kogl")

    def attribution(self, owner: str, title: str) -> str:
        """Return the attribution sentence shown under an article: owner is the rights holder (the office
        for its own works, the contributor for an outside contributor's)."""
        if self.is_kogl:
            return (f"본 저작물은 '{owner}'에서 작성하여 {josa(self.name, '으로')} 개방한 "
                    f"{josa(f'「{title}」', '을')} 이용할 수 있습니다. ({self.conditions})")
        return (f"© {owner}. {josa(f'「{title}」', '은')} {self.name}({self.conditions}) 조건으로 "
                "이용할 수 있습니다.")


_KOGL = "https://www.kogl.or.kr/info/license.do#"
LICENSES: dict[str, License] = {
    lic.id: lic
    for lic in (
        License("kogl-1", "공공누리 제1유형", "공공누리 1유형: 출처표시", _KOGL + "01-tab", "출처표시"),
        License("kogl-2", "공공누리 제2유형", "공공누리 2유형: 출처표시, 상업적 이용금지", _KOGL + "02-tab",
                "출처표시, 상업적 이용금지"),
        License("kogl-3", "공공누리 제3유형", "공공누리 3유형: 출처표시, 변경금지", _KOGL + "03-tab",
                "출처표시, 변경금지"),
        License("kogl-4", "공공누리 제4유형", "공공누리 4유형: 출처표시, 상업적 이용금지, 변경금지", _KOGL + "04-tab",
                "출처표시, 상업적 이용금지, 변경금지"),
        License("cc-by-4.0", "CC BY 4.0", "CC BY 4.0: 저작자표시",
                "https://creativecommons.org/licenses/by/4.0/deed.ko", "저작자표시"),
        License("cc-by-sa-4.0", "CC BY-SA 4.0", "CC BY-SA 4.0: 저작자표시, 동일조건변경허락",
                "https://creativecommons.org/licenses/by-sa/4.0/deed.ko", "저작자표시, 동일조건변경허락"),
        License("cc-by-nd-4.0", "CC BY-ND 4.0", "CC BY-ND 4.0: 저작자표시, 변경금지",
                "https://creativecommons.org/licenses/by-nd/4.0/deed.ko", "저작자표시, 변경금지"),
        License("cc-by-nc-4.0", "CC BY-NC 4.0", "CC BY-NC 4.0: 저작자표시, 비영리",
                "https://creativecommons.org/licenses/by-nc/4.0/deed.ko", "저작자표시, 비영리"),
        License("cc-by-nc-sa-4.0", "CC BY-NC-SA 4.0", "CC BY-NC-SA 4.0: 저작자표시, 비영리, 동일조건변경허락",
                "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.ko", "저작자표시, 비영리, 동일조건변경허락"),
        License("cc-by-nc-nd-4.0", "CC BY-NC-ND 4.0", "CC BY-NC-ND 4.0: 저작자표시, 비영리, 변경금지",
                "https://creativecommons.org/licenses/by-nc-nd/4.0/deed.ko", "저작자표시, 비영리, 변경금지"),
    )
}
