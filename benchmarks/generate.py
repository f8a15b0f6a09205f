"""Generate N synthetic MARC21 records from the real ones, split over member files.

The 693 real MARCXML records of ``marc2bibframe2/dataset`` (British Library, DNB,
GWU, LC, NLM, OCLC, Princeton) are the templates. Every generated record is a
*book*: a template with

* a new ISBN-13 (one ``020 $a``, correct check digit; existing 020s are replaced),
* a new title: ``245 $a`` gets a suffix of words derived from the book number,
  inserted before the closing ISBD punctuation, so title keys differ from book to
  book (the vernacular ``880`` 245 gets a suffix in Chinese, the uniform title
  ``130``/``240`` the same suffix as 245, so works do not pile up on a template),
* a new ISSN (``022 $a``) where the template had one, unique per book (dropped
  beyond the first 10 million books, where unique ISSNs run out),
* a new control number (001), different in every member file,
* with ``clc``, a CLC class (``084 $a … $2 clc``) drawn from the given notations.

Everything else is the template's, including its oddities: 141 fields of gwu.xml and
princeton.xml have ``$6 245-01/r`` (orientation code where the script code belongs);
``--standard-linkage`` rewrites them as ``245-01//r``.

With ``--members K`` the N records are split over K files (``member-01.mrc`` …);
about 30 % of each member's records are books that one neighbouring member also
has (same ISBN, title, everything but the 001): 15 % shared with the next member,
15 % with the previous one. Everything is derived from the seed and the book
number, so the output is deterministic, and records are generated and written
one at a time (constant memory, whatever N).

    python benchmarks/generate.py 100000 /tmp/marc --members 3 --format iso2709
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pymarc
from pymarc import Field, Record, Subfield

DATASET = Path(__file__).resolve().parents[2] / "shared/data/marc/marc2bibframe2/dataset"
FORMATS = ("iso2709", "marcxml")
SUFFIXES = {"iso2709": ".mrc", "marcxml": ".xml"}
SHARED_PER_20 = 3  # 3 of every 20 records shared with the next member, 3 with the previous
BOOK_SPACE = 10**9  # book numbers are a permutation of 0 .. 10^9-1 (the 9 ISBN digits)
ISSN_SPACE = 10**7  # 7 digits + check digit
PERMUTE_A = 387_420_489  # 3^18, coprime with 10^9: an affine bijection of the book space

_WORD_TEXT = (
    "amber ancient autumn azure bamboo bright broad bronze calm cedar clear coastal cold "
    "copper crimson crystal deep distant dry eastern emerald evening faded fertile golden "
    "granite green grey hidden high hollow iron ivory jade lake lantern late lesser little "
    "long lost lower lunar marble meadow middle misty morning mountain narrow new noble "
    "northern old open pale patient pine plain quiet rapid red river rising rocky royal "
    "rural salt scarlet second silent silver simple slow small southern spring square "
    "steady stone strong summer swift tall tea third timber tranquil upper valley velvet "
    "vermilion violet warm western white wide wild willow winter wooden yellow young zinc "
    "harbour bridge garden market orchard pavilion tower village city field forest island "
    "kiln porcelain paper ink silk rice"
)
WORDS = tuple(_WORD_TEXT.split())
# one-character words for vernacular (880) titles
HAN_WORDS = (
    "春 夏 秋 冬 东 南 西 北 山 水 江 河 湖 海 天 地 风 云 雨 雪 花 草 木 林 石 金 银 铜 铁 玉 "
    "竹 松 梅 兰 菊 茶 米 丝 纸 墨 笔 书 画 诗 文 史 经 子 集 古 今 新 旧 上 中 下 左 右 大 小 "
    "长 短 高 低 远 近 明 清 红 黄 青 白 黑 紫 绿 蓝 光 影 月 日 星 辰 城 乡 村 镇 桥 路 舟 车 "
    "门 窗 楼 台 亭 阁 园 田 瓷 窑 陶 漆 琴 棋 鼓 钟 灯 火 土 沙 泉 溪 岭 峰 谷 岛 洲 港 湾 塔"
).replace(" ", "")
_TRAILING = re.compile(r"^(.*?)(\s*[:/;=.,]\s*)?$", re.DOTALL)
# $6 "245-01/r": the field orientation code where the script code belongs (real, in
# 141 fields of gwu.xml and princeton.xml); the standard form is "245-01//r".
_BARE_ORIENTATION = re.compile(r"^(\d{3}-\d{2})/r$")


@dataclass(frozen=True, slots=True)
class Plan:
    """How the records are split: ``sizes[m]`` records for member ``m``."""

    sizes: list[int]

    @classmethod
    def split(cls, n: int, members: int) -> Plan:
        """N records over ``members`` files, as evenly as possible."""
        base, extra = divmod(n, members)
        return cls([base + (1 if m < extra else 0) for m in range(members)])


def load_templates(dataset: Path = DATASET) -> list[Record]:
    """The real records, in file order (files sorted by name)."""
    files = sorted(dataset.glob("*.xml"))
    if not files:
        raise SystemExit(f"no MARCXML files in {dataset}")
    out: list[Record] = []
    for path in files:
        records: list[Record | None] = pymarc.parse_xml_to_array(str(path))  # type: ignore[no-untyped-call]
        out.extend(r for r in records if r is not None)
    return out


def isbn13(digits9: str, prefix: str = "978") -> str:
    """An ISBN-13 from 9 digits after the prefix, with its check digit."""
    body = prefix + digits9
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def issn(digits7: str) -> str:
    """An ISSN (``NNNN-NNNC``) from 7 digits, with its check digit."""
    total = sum(int(d) * w for d, w in zip(digits7, range(8, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return f"{digits7[:4]}-{digits7[4:]}{'X' if check == 10 else check}"


def book_number(member: int, index: int, kind: int, members: int) -> int:
    """A unique number for a book: ``kind`` 0 = only this member has it, 1 = shared with the
    next member (``member`` is then the lower side of the pair)."""
    return index * 2 * members + member * 2 + kind


def books(member: int, size: int, members: int) -> Iterator[int]:
    """The book numbers of one member's file, in file order."""
    unique = 0
    for j in range(size):
        slot, block = j % 20, j // 20
        if members > 1 and slot < SHARED_PER_20:  # shared with the next member
            yield book_number(member, block * SHARED_PER_20 + slot, 1, members)
        elif members > 1 and slot < 2 * SHARED_PER_20:  # shared with the previous member
            prev = (member - 1) % members
            yield book_number(prev, block * SHARED_PER_20 + slot - SHARED_PER_20, 1, members)
        else:
            yield book_number(member, unique, 0, members)
            unique += 1


def _suffix(k: int, words: Sequence[str]) -> list[str]:
    out = [words[k % len(words)]]
    k //= len(words)
    while k:
        out.append(words[k % len(words)])
        k //= len(words)
    return out


def _with_suffix(value: str, suffix: str) -> str:
    match = _TRAILING.match(value)
    assert match is not None  # the pattern matches any string
    core, trailing = match.group(1), match.group(2) or ""
    return f"{core} {suffix}{trailing}" if core else suffix + trailing


class Generator:
    """Makes the records of a plan, one at a time."""

    def __init__(
        self,
        templates: list[Record],
        seed: int = 1,
        *,
        standard_linkage: bool = False,
        clc: Sequence[str] = (),
    ) -> None:
        self.templates = templates
        self.seed = seed
        self.standard_linkage = standard_linkage
        self.clc = list(clc)
        self.offset = int.from_bytes(hashlib.blake2b(f"{seed}".encode(), digest_size=8).digest())

    def permuted(self, book: int) -> int:
        """The book's position in the (seeded) permutation of the book space."""
        if book >= BOOK_SPACE:
            raise ValueError("too many records for unique ISBNs")
        return (PERMUTE_A * book + self.offset) % BOOK_SPACE

    def record(self, book: int, control: str) -> Record:
        """The record of ``book`` with control number ``control``."""
        p = self.permuted(book)
        template = self.templates[p % len(self.templates)]
        k = p // len(self.templates)
        latin = " ".join(_suffix(k, WORDS))
        han = "".join(_suffix(k, HAN_WORDS))
        rec = Record(force_utf8=True, to_unicode=True)
        leader = str(template.leader)
        rec.leader = pymarc.Leader(leader[:9] + "a22" + leader[12:20] + "4500")
        add = rec.fields.append
        add(Field("001", data=control))
        isbn_done = issn_done = False
        for field in template.fields:
            tag = field.tag
            if tag == "001":
                continue
            if tag == "020":
                if not isbn_done:
                    add(_isbn_field(p))
                    isbn_done = True
                continue
            if tag == "022":
                if not issn_done and book < ISSN_SPACE:
                    add(Field("022", field.indicators, [Subfield("a", issn(f"{book:07d}"))]))
                issn_done = True
                continue
            if not isbn_done and tag > "020" and not field.is_control_field():
                add(_isbn_field(p))
                isbn_done = True
            if tag in ("245", "130", "240"):
                add(self._linkage(_retitled(field, latin)))
            elif tag == "880" and field.get("6", "")[:3] in ("245", "130", "240"):
                add(self._linkage(_retitled(field, han)))
            else:
                add(self._linkage(field))
        if not isbn_done:
            add(_isbn_field(p))
        if self.clc:  # a CLC class (084 $2 clc), as Chinese members catalogue every book
            notation = self.clc[(p * 7919) % len(self.clc)]
            add(
                Field(
                    "084",
                    pymarc.Indicators(" ", " "),
                    [Subfield("a", notation), Subfield("2", "clc")],
                )
            )
        return rec

    def _linkage(self, field: Field) -> Field:
        """The field, with a non-standard ``$6 …/r`` made ``…//r`` if asked to."""
        if not self.standard_linkage or field.is_control_field():
            return field
        subfields = list(field.subfields)
        changed = False
        for i, sub in enumerate(subfields):
            if sub.code == "6" and _BARE_ORIENTATION.match(sub.value):
                subfields[i] = Subfield("6", _BARE_ORIENTATION.sub(r"\1//r", sub.value))
                changed = True
        return Field(field.tag, field.indicators, subfields) if changed else field


def _isbn_field(p: int) -> Field:
    return Field("020", pymarc.Indicators(" ", " "), [Subfield("a", isbn13(f"{p:09d}"))])


def _retitled(field: Field, suffix: str) -> Field:
    subfields = list(field.subfields)
    for i, sub in enumerate(subfields):
        if sub.code == "a":
            subfields[i] = Subfield("a", _with_suffix(sub.value, suffix))
            break
    else:
        subfields.insert(0, Subfield("a", suffix))
    return Field(field.tag, field.indicators, subfields)


def control_number(member: int, index: int) -> str:
    """The 001 of the ``index``-th record of a member's file (12 digits)."""
    return f"{member + 1:02d}{index + 1:010d}"


def member_records(gen: Generator, plan: Plan, member: int, first: int = 0) -> Iterator[Record]:
    """The records of one member's file, in order, numbered (001) from ``first``."""
    members = len(plan.sizes)
    for j, book in enumerate(books(member, plan.sizes[member], members)):
        yield gen.record(book, control_number(member, first + j))


class _Writer:
    def __init__(self, handle: BinaryIO, fmt: str) -> None:
        self.fmt = fmt
        self.handle = handle
        self.xml = pymarc.XMLWriter(handle) if fmt == "marcxml" else None

    def write(self, rec: Record) -> None:
        if self.xml is not None:
            self.xml.write(rec)
        else:
            self.handle.write(rec.as_marc())

    def close(self) -> None:
        if self.xml is not None:
            self.xml.close(close_fh=False)


def member_path(outdir: Path, member: int, fmt: str) -> Path:
    """Where member ``member`` (0-based) is written."""
    return outdir / f"member-{member + 1:02d}{SUFFIXES[fmt]}"


def generate(
    n: int,
    outdir: Path,
    *,
    members: int = 1,
    fmt: str = "iso2709",
    seed: int = 1,
    templates: list[Record] | None = None,
    standard_linkage: bool = False,
    clc: Sequence[str] = (),
    first: int = 0,
) -> list[Path]:
    """Write ``n`` records over ``members`` files in ``outdir``; return the paths.

    Control numbers start at ``first`` in every file: another seed with another
    ``first`` makes new records for members' later exports (the same 001 would replace
    the earlier record of the same member, as a corrected record does)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    outdir.mkdir(parents=True, exist_ok=True)
    if templates is None:
        templates = load_templates()
    gen = Generator(templates, seed, standard_linkage=standard_linkage, clc=clc)
    plan = Plan.split(n, members)
    paths = []
    for m in range(members):
        path = member_path(outdir, m, fmt)
        with path.open("wb") as handle:
            writer = _Writer(handle, fmt)
            for rec in member_records(gen, plan, m, first):
                writer.write(rec)
            writer.close()
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command line: ``generate.py N OUTDIR [--members K] [--format F] [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="records in all (split over the member files)")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--members", type=int, default=1, help="member files (default 1)")
    parser.add_argument(
        "--format",
        default="iso2709",
        help="iso2709, marcxml, or both comma-separated (default iso2709)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--standard-linkage",
        action="store_true",
        help="rewrite the real but non-standard $6 'TAG-NN/r' as 'TAG-NN//r'",
    )
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    if args.n < 0 or args.members < 1 or any(f not in FORMATS for f in formats):
        parser.error("N must be >= 0, --members >= 1, --format one of " + ", ".join(FORMATS))
    templates = load_templates()
    for fmt in formats:
        for path in generate(
            args.n,
            args.outdir,
            members=args.members,
            fmt=fmt,
            seed=args.seed,
            templates=templates,
            standard_linkage=args.standard_linkage,
        ):
            print(f"{path}\t{path.stat().st_size} bytes", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
