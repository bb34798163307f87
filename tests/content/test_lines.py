"""Field paths to lines: plain tables, [[array]] tables and lists written one item per line."""

from content.lines import field_lines, line_of

TEXT = """\
id = "x"
intro = [
  "one",
  # a comment
  "two",
]

[animation]
seconds = 8
keyframes = [
  { at = 0 },
  { at = 2, brows_up = 0.5 },
]

[[pages]]
heading = "A"

[[pages]]
heading = "B"
spoken = [
  "b1",
  "b2",
]
"""


def test_lines_of_keys_items_and_array_tables():
    where = field_lines(TEXT)
    assert where["id"] == 1
    assert where["intro[1]"] == 3 and where["intro[2]"] == 5
    assert where["animation.seconds"] == 9
    assert where["animation.keyframes[2]"] == 12
    assert where["pages[1].heading"] == 16
    assert where["pages[2].heading"] == 19
    assert where["pages[2].spoken[2]"] == 22


def test_unknown_paths_fall_back_to_the_nearest_parent():
    where = field_lines(TEXT)
    assert line_of(where, "animation.keyframes[2].brows_up") == 12
    assert line_of(where, "pages[2].warning") == 18
    assert line_of(where, "nothing.here") == 1
