"""Extraction damage in the three papers, repaired before analysis (loaders.docs.clean)."""

from __future__ import annotations

import pytest

from loaders.docs.clean import clean, content_lines, join_broken_lines, normalise_width
from tests.conftest import SHARED

DOCUMENTS = SHARED / "documents"


@pytest.fixture(scope="module")
def cleaned() -> dict[str, str]:
    return {
        path.name: clean(path.read_text(encoding="utf-8"))
        for path in sorted(DOCUMENTS.glob("*.txt"))
    }


def test_full_width_digits_and_letters_become_ascii(cleaned: dict[str, str]) -> None:
    hainan = cleaned["hainan-medical-alliance-paper.txt"]
    assert (
        "ＣＡＬＩＳ" not in hainan
        and "（ChinaAcademicLibrary andInformationSystem，CALIS）" in hainan
    )
    assert "近3年成员馆新增入藏图书11742种，应用总馆书目数据8317条" in hainan
    assert not any(ch.isalnum() and "\uff00" <= ch <= "\uffef" for ch in hainan)
    assert "，" in hainan and "（" in hainan  # Chinese punctuation stays full-width


def test_page_numbers_mastheads_and_other_articles_are_removed(cleaned: dict[str, str]) -> None:
    hainan = cleaned["hainan-medical-alliance-paper.txt"]
    assert "·98·" not in hainan and "·19·" not in hainan and "·39·" not in hainan
    assert "医学信息学杂志" not in hainan and "JOURNAL" not in hainan  # the masthead
    # what follows "（上接第81页）" belongs to other articles (blockchain, vaccines, records)
    assert "上接" not in hainan and "区块链" not in hainan and "电子病历" not in hainan
    assert hainan.endswith(
        "图苑足音：海南省高校图工委十年探索之路 [M].北京：国家图书馆出版社，2020."
    )
    poyang = cleaned["poyang-lake-alliance-paper.txt"]
    # the journal's news filler after the paper (本刊讯) and the bare reference marks
    assert (
        "本刊讯" not in poyang and "COINFO" not in poyang and "中国科学技术信息研究所" not in poyang
    )
    assert "【1】" not in poyang and "【4】" not in poyang
    assert "【31" in poyang  # an OCR-damaged citation mark ([3]) is not a page furniture


def test_lines_broken_inside_a_sentence_are_joined(cleaned: dict[str, str]) -> None:
    poyang = cleaned["poyang-lake-alliance-paper.txt"]
    assert (
        "鄱阳湖生态经济区位于江西省，属于经济欠发达地区，该区域内的科技文献信息资源建设现状不容乐观"
        in poyang
    )
    assert "如江西省科技情报研究所、江西省图书馆、南昌大学等8家实力较强的本科院校图书馆" in poyang
    assert "20世纪90年代以来" in poyang and "国土面积5.12万平方公里" in poyang
    # headings and numbered paragraphs start their own lines
    assert "\n1.2 鄱阳湖生态经济区的文献信息需求\n(1)建设鄱阳湖生态经济区的战略意义\n" in poyang
    # an English word broken with a stray dot: Eco· + nomic
    assert "resource sharing，Poyang Lake Ecological Economic Zone" in poyang
    hainan = cleaned["hainan-medical-alliance-paper.txt"]
    assert "转向协作共建的以总馆（海南医学院图书馆）为主" in hainan


def test_web_page_widgets_captions_and_citation_marks_are_removed(cleaned: dict[str, str]) -> None:
    jala = cleaned["jiangxi-academic-library-alliance.txt"]
    assert jala.startswith("江西高校圖書館聯盟\n江西高校圖書館聯盟是以")
    for widget in ("複製鏈接", "請複製以下鏈接發送給好友", "鎖定", "展開全部", "[1]", "[7-8]"):
        assert widget not in jala
    assert "江西高校圖書館聯盟圖片 江西高校圖書館聯盟圖片" not in jala  # a doubled caption
    # a web page's lines are its paragraphs: not joined although they end without a stop
    assert "\n中文名\n江西高校圖書館聯盟\n外文名\n" in jala


def test_the_steps_can_be_used_alone() -> None:
    assert normalise_width("２０２２年第４３卷") == "2022年第43卷"
    lines = list(content_lines("·９８·\n\n正文第一行没有结束\n\n１２\n第二行"))
    assert lines == ["正文第一行没有结束", "第二行"]
    assert join_broken_lines(lines) == ["正文第一行没有结束第二行"]
