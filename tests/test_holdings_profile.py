"""Holdings profiles: a member's local item fields, read from TOML with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.marc.holdings import ProfileError, read_profile


def test_profile_is_read(tmp_path: Path) -> None:
    path = tmp_path / "jxufe.toml"
    path.write_text('[fields.949]\nshelf_mark = "a"\nbarcode = "b"\n', encoding="utf-8")
    assert read_profile(path) == {"949": {"shelf_mark": "a", "barcode": "b"}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[fields.949]\nshelfmark = 'a'\n", "unknown key(s) shelfmark; use shelf_mark"),
        ("[fields.94]\nbarcode = 'a'\n", "[fields.94] must name a three-character tag"),
        ("barcode = 'a'\n", "no [fields.TAG] table"),
        ("[fields.949\n", "Expected ']'"),
    ],
)
def test_bad_profile_names_file_and_problem(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        read_profile(path)
    assert str(path) in str(err.value) and message in str(err.value)
