"""docs/content.md documents every schema field and every face part an animation may use."""

from pathlib import Path

from content.schema import FACE_PARTS, KEYFRAME, SCHEMAS

DOC = Path(__file__).resolve().parents[2] / "docs" / "content.md"


def test_every_schema_field_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [
        f"{where}: {name}"
        for where, schema in SCHEMAS.items()
        if schema is not KEYFRAME
        for name in schema
        if f"`{name}`" not in text
    ]
    assert missing == []
    assert all(f"`{where}`" in text for where in SCHEMAS)


def test_every_face_part_is_documented():
    text = DOC.read_text(encoding="utf-8")
    assert [part for part in FACE_PARTS if f"`{part}`" not in text] == []
