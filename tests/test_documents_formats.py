"""Formats and bad input: every file gets text or a clear per-file error, and the other
files of the same run still load (inputs are made here, under tmp_path)."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import docx
import pypdf
import pytest

from kg.backends.oxigraph import OxigraphStore
from kg.ids import Minter
from kg.terms import text_of
from loaders.docs.extract import DocumentError, extract
from loaders.docs.loader import DocumentLoader
from loaders.roster import load_roster
from loaders.vocab.gazetteer import load_gazetteer
from tests.conftest import BASE, SAMPLE

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
REPORT = (
    "Poyang Lake wetland report by Nanchang University Library and the Jiangxi Provincial Library"
)


def pdf(text: str) -> bytes:
    """A one-page PDF (ISO 32000-1) showing ``text`` in Helvetica."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Wetland report) /CreationDate (D:20210314120000) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % n + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % o for o in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


def encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf(REPORT))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def word_document() -> bytes:
    document = docx.Document()
    document.core_properties.title = "鄱阳湖湿地调查报告"
    document.add_paragraph("鄱阳湖湿地调查", style="Title")
    document.add_paragraph("江西省图书馆与南昌大学图书馆合作完成了鄱阳湖湿地的文献调查。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HTML = """<!doctype html><html lang="zh"><head><title>景德镇陶瓷文献</title>
<meta name="citation_publication_date" content="2020-06-02"><script>var x = "南昌";</script>
</head><body><nav>首页 | 江西省 | 登录</nav><header>网站名称</header>
<h1>景德镇陶瓷大学加入联盟</h1><p>2020年6月2日，景德镇陶瓷大学加入江西高校图书馆联盟。</p>
<footer>版权所有 九江</footer></body></html>"""


def test_each_format_gives_text_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(pdf(REPORT))
    (tmp_path / "b.docx").write_bytes(word_document())
    (tmp_path / "c.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "d.txt").write_bytes("江西省科学技术信息研究所\n鄱阳湖".encode("gb18030"))
    a, b, c, d = (extract(tmp_path / n) for n in ("a.pdf", "b.docx", "c.html", "d.txt"))
    assert (a.format, a.title, a.date, a.text.strip()) == (
        "pdf",
        "Wetland report",
        "2021-03-14",
        REPORT,
    )
    assert (b.title, b.headings, b.date is not None) == (
        "鄱阳湖湿地调查报告",
        ["鄱阳湖湿地调查"],
        True,
    )
    assert (c.title, c.headings, c.date, c.language) == (
        "景德镇陶瓷文献",
        ["景德镇陶瓷大学加入联盟"],
        "2020-06-02",
        "zh",
    )
    # boilerplate (navigation, header, footer, script) is gone, the article stays
    assert c.text.split() == [
        "景德镇陶瓷大学加入联盟",
        "2020年6月2日，景德镇陶瓷大学加入江西高校图书馆联盟。",
    ]
    assert (d.encoding, d.text) == ("gb18030", "江西省科学技术信息研究所\n鄱阳湖")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("locked.pdf", encrypted_pdf(), "encrypted"),
        (
            "broken.pdf",
            b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\ntrailer\n",
            "corrupt",
        ),
        ("truncated.pdf", pdf(REPORT)[:300], "corrupt"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n \t", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("broken.docx", b"PK\x03\x04 not a zip", "corrupt"),
        ("notes.xyz", b"some text", "unsupported"),
    ],
)
def test_bad_files_get_a_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError) as error:
        extract(path)
    assert error.value.reason == reason


def test_bad_files_are_reported_per_file_and_the_others_still_load(tmp_path: Path) -> None:
    """Encrypted and corrupt PDFs, an empty file, a binary file named .txt and a 100 MB
    file in one folder with good files: each bad one is a rejection with file and reason,
    the good ones load, and memory stays bounded (the big file is refused unread)."""
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "1-locked.pdf").write_bytes(encrypted_pdf())
    (folder / "2-broken.pdf").write_bytes(pdf(REPORT)[:300])
    (folder / "3-empty.txt").write_bytes(b"")
    (folder / "4-image.txt").write_bytes(b"\x00\x01\x02\xff" * 1000)
    line = ("鄱阳湖生态经济区位于江西省，南昌大学图书馆。" * 100 + "\n").encode()
    with (folder / "5-huge.txt").open("wb") as big:
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            big.write(line)
    (folder / "6-report.pdf").write_bytes(pdf(REPORT))
    (folder / "7-report.docx").write_bytes(word_document())
    (folder / "8-page.html").write_text(HTML, encoding="utf-8")
    ids = Minter(BASE)
    store = OxigraphStore(None)
    load_gazetteer(store, ids, SAMPLE / "gazetteer.csv")
    load_roster(store, ids, FIXTURES / "roster.csv")
    loader = DocumentLoader(store, ids, "JXPL")
    assert loader.analyser  # the pipelines (jieba's dictionary: ~100 MB) are built first
    tracemalloc.start()
    report = loader.load([folder])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rejected = {Path(r.file).name: r.reason for r in report.rejected}
    assert rejected == {
        "1-locked.pdf": "encrypted",
        "2-broken.pdf": "corrupt",
        "3-empty.txt": "empty",
        "4-image.txt": "binary",
        "5-huge.txt": "too-large",
    }
    assert "over the limit of 52,428,800" in next(
        r.detail for r in report.rejected if "huge" in r.file
    )
    assert (report.read, report.new) == (8, 3)
    assert peak < 40 * 1024 * 1024  # the 100 MB file was never read into memory
    titles = {text_of(r["title"]) for r in store.select("doc_list")}
    assert titles == {"Wetland report", "鄱阳湖湿地调查报告", "景德镇陶瓷文献"}
    about = {
        str(r["entity"]).rsplit("/", 1)[-1]
        for d in store.select("doc_list")
        for r in store.select("doc_about", work=d["work"])
    }
    # English (PDF) and Chinese (DOCX, HTML) texts are linked alike
    assert about == {"NCU", "JXPL", "poyang-lake", "JCU", "JALA"}
    store.close()


def test_a_big_file_within_the_limit_loads_in_chunks(tmp_path: Path) -> None:
    """A 3 MB text (over a million characters: more than one spaCy doc) loads whole."""
    line = "鄱阳湖生态经济区位于江西省，南昌大学图书馆参与了联盟。\n"
    (tmp_path / "long.txt").write_text(line * 40_000, encoding="utf-8")
    ids = Minter(BASE)
    store = OxigraphStore(None)
    load_gazetteer(store, ids, SAMPLE / "gazetteer.csv")
    load_roster(store, ids, FIXTURES / "roster.csv")
    report = DocumentLoader(store, ids, "JXPL").load([tmp_path])
    assert (report.new, report.rejected) == (1, [])
    work = store.select("doc_list")[0]["work"]
    counts = {
        str(r["entity"]).rsplit("/", 1)[-1]: int(text_of(r["count"]))
        for r in store.select("doc_about", work=work)
    }
    assert counts == {"poyang-lake-zone": 40_000, "jiangxi": 40_000, "NCU": 40_000}
    store.close()
