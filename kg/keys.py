"""Match keys for merging records into one union catalogue.

Order of trust: ISBN (as ISBN-13), then ISSN, then the title key. The title
key is the title proper with its remainder, NFKC-folded, case-folded,
traditional Chinese folded to simplified, with everything but letters and
digits removed, joined to the year of publication:

>>> title_key("Xin Zhongguo dui wai guan xi 60 nian :", "li lun yu shi jian", "2009")
't:xinzhongguoduiwaiguanxi60nianlilunyushijian|2009'
>>> title_key("新中國對外關係", None, None) == title_key("新中国对外关系", None, None)
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

import opencc

from kg.model import BibRecord, Text

_NON_WORD = re.compile(r"[\W_]+")
_CJK = re.compile("[\u2e80-\U0002ffff]")
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=4)
def converter(config: str) -> Any:
    """An OpenCC converter (``t2s``, ``s2t``…), built once per configuration (slow to load).

    >>> converter("t2s").convert("中國")
    '中国'
    """
    return opencc.OpenCC(config)


def fold(value: str) -> str:
    """Normalise text for matching: NFKC, case-fold, simplified Chinese, letters and digits only.

    >>> fold("Müller, J."), fold("中國")
    ('mullerj', '中国')
    """
    if value.isascii():
        return _NON_WORD.sub("", value.casefold())
    text = unicodedata.normalize("NFKC", value).casefold()
    if _CJK.search(text):
        text = converter("t2s").convert(text)
    # strip diacritics so that "Müller" and "Muller" match
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed != text:
        text = _COMBINING.sub("", decomposed)
    return _NON_WORD.sub("", text)


def title_key(title: str, subtitle: str | None, year: str | None) -> str:
    """The title key of an instance (``t:`` + folded title + ``|`` + year)."""
    folded = fold(title + " " + (subtitle or ""))
    return f"t:{folded}|{year or ''}"


def instance_keys(rec: BibRecord) -> list[str]:
    """Every match key of a record, strongest first (ISBN, ISSN, title keys)."""
    keys = [f"isbn:{v}" for v in dict.fromkeys(rec.isbns())]
    keys += [f"issn:{v}" for v in dict.fromkeys(rec.issns())]
    keys += title_keys(rec)
    return keys


def title_keys(rec: BibRecord) -> list[str]:
    """One title key per script form of the main title (romanised and vernacular)."""
    title = rec.main_title()
    if title is None:
        return []
    out: list[str] = []
    for i, main in enumerate(title.main):
        sub = _same_script(title.subtitle, main, i)
        key = title_key(main.value, sub, rec.date)
        if len(key) > 4 and key not in out:
            out.append(key)
    return out


def stem_keys(rec: BibRecord) -> list[str]:
    """Title keys without the year (``s:`` + folded title): never used to match, only to
    tell whether two merged records share a title at all (see :mod:`kg.union`)."""
    return [f"s:{k[2:].rpartition('|')[0]}" for k in title_keys(rec)]


def _same_script(subtitles: list[Text], main: Text, index: int) -> str | None:
    for sub in subtitles:
        if sub.lang == main.lang:
            return sub.value
    return subtitles[index].value if index < len(subtitles) else None


def work_keys(rec: BibRecord) -> list[str]:
    """Work keys: uniform (or main) title with the first contributor's name."""
    uniform = next((t for t in rec.titles if t.kind == "uniform"), None)
    title = uniform or rec.main_title()
    if title is None:
        return []
    agent = next((c.agent for c in rec.contributions if c.primary), None)
    if agent is None and rec.contributions:
        agent = rec.contributions[0].agent
    names = [fold(n.value) for n in agent.names] if agent else [""]
    keys: list[str] = []
    for main in title.main:
        for name in names:
            key = f"w:{fold(main.value)}|{name}"
            if key not in keys:
                keys.append(key)
    return keys


def agent_key(names: list[Text], dates: str | None) -> str:
    """An agent's identity: its first name form, folded, with its dates."""
    return fold(names[0].value) + "|" + fold(dates or "")


_NON_SORTING = re.compile(r"^[\W_]+")


def sort_title(title: str) -> str:
    """A title's sort key: Chinese in pinyin order (pypinyin), then by character, case
    and leading punctuation ignored, so that 中文 and Latin titles interleave A–Z.

    >>> sorted(["中国经济", "Ceramics", "鄱阳湖", "'08中国", "安徽"], key=sort_title)
    ["'08中国", '安徽', 'Ceramics', '鄱阳湖', '中国经济']
    """
    text = _NON_SORTING.sub("", unicodedata.normalize("NFKC", title)).casefold()
    spelled = " ".join(_pinyin().lazy_pinyin(text)) if HAN.search(text) else text
    return f"{spelled}\x1f{text}"


HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
"""A Han ideograph (unified, extensions, compatibility forms)."""


@lru_cache(maxsize=1)
def _pinyin() -> Any:
    """One pypinyin converter (building one per call costs half the time of a title)."""
    from pypinyin.core import Pinyin  # noqa: PLC0415 - only loaders and the API need it

    return Pinyin()
