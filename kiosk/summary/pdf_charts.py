"""Charts for the PDF summary, drawn to read in black and white: shapes, hatching and dash styles.

Adherence calendar (one square per day), movement and symmetry trends per exercise, and an
eye-care timeline (one row per day, one mark per reminder).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

GREY = colors.Color(0.55, 0.55, 0.55)
LIGHT = colors.Color(0.85, 0.85, 0.85)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _hatch(d: Drawing, x: float, y: float, size: float) -> None:
    """Diagonal lines inside a square (the 'partly done' pattern)."""
    for k in range(1, 4):
        o = size * k / 4
        d.add(Line(x + o, y, x, y + o, strokeWidth=0.8))
        d.add(Line(x + size, y + o, x + o, y + size, strokeWidth=0.8))


def _day_cell(d: Drawing, x: float, y: float, size: float, day: dict[str, Any]) -> None:
    planned, done, partial = day["planned"], day["done"], day["partial"]
    d.add(Rect(x, y, size, size, strokeColor=colors.black, strokeWidth=0.5, fillColor=colors.white))
    if planned == 0:
        d.add(Rect(x, y, size, size, strokeColor=None, fillColor=LIGHT))
    elif done == planned:
        d.add(Rect(x, y, size, size, strokeColor=colors.black, fillColor=colors.black))
    elif done or partial:
        if done:
            d.add(Rect(x, y, size / 2, size, strokeColor=None, fillColor=colors.black))
        _hatch(d, x, y, size)
    else:
        d.add(Line(x + 2, y + 2, x + size - 2, y + size - 2, strokeWidth=1))
        d.add(Line(x + 2, y + size - 2, x + size - 2, y + 2, strokeWidth=1))


def adherence_calendar(calendar: list[dict[str, Any]], width: float = 460) -> Drawing:
    """Weeks as rows, weekdays as columns; black = all done, hatched = part, cross = missed."""
    cell = 14.0
    first = date.fromisoformat(calendar[0]["date"])
    weeks = (first.weekday() + len(calendar) + 6) // 7
    height = weeks * (cell + 2) + 60
    d = Drawing(width, height)
    top = height - 20
    for i, name in enumerate(WEEKDAYS):
        d.add(String(70 + i * (cell + 4), top, name, fontSize=6))
    for n, day in enumerate(calendar):
        slot = first.weekday() + n
        row, col = divmod(slot, 7)
        x, y = 70 + col * (cell + 4), top - 4 - (row + 1) * (cell + 2)
        if col == 0 or n == 0:
            d.add(String(0, y + 3, day["date"], fontSize=6))
        _day_cell(d, x, y, cell, day)
    legend = [
        ("all sessions done", {"planned": 1, "done": 1, "partial": 0}),
        ("partly done", {"planned": 2, "done": 1, "partial": 0}),
        ("missed", {"planned": 1, "done": 0, "partial": 0}),
        ("none planned", {"planned": 0, "done": 0, "partial": 0}),
    ]
    for i, (label, sample) in enumerate(legend):
        x = 200 + (i % 2) * 130
        y = top - 4 - (i // 2) * 16
        _day_cell(d, x, y - 8, 10, sample)
        d.add(String(x + 14, y - 6, label, fontSize=7))
    return d


def _points(daily: list[dict[str, Any]], key: str, origin: date) -> list[tuple[float, float]]:
    return [((date.fromisoformat(p["date"]) - origin).days, p[key]) for p in daily if p.get(key) is not None]


def _plot(
    series: list[list[tuple[float, float]]],
    styles: list[dict[str, Any]],
    x: float,
    y: float,
    w: float,
    h: float,
    y_max: float | None = None,
) -> LinePlot:
    plot = LinePlot()
    plot.x, plot.y, plot.width, plot.height = x, y, w, h
    plot.data = series
    for i, style in enumerate(styles):
        for k, v in style.items():
            setattr(plot.lines[i], k, v)
    plot.xValueAxis.labels.fontSize = 6
    plot.yValueAxis.labels.fontSize = 6
    plot.yValueAxis.valueMin = 0
    highest = max((v for s in series for _, v in s), default=0.0)
    plot.yValueAxis.valueMax = y_max if y_max is not None else max(1.0, highest * 1.1)
    if len({x for s in series for x, _ in s}) < 2:  # one day: give the x axis a width
        first = min((x for s in series for x, _ in s), default=0)
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = first - 1, first + 1
    return plot


def trend_chart(exercise: dict[str, Any], period_start: str, width: float = 460) -> Drawing | None:
    """Left (solid) and right (dashed) movement by day, and the symmetry ratio (dotted); None without data.

    Movement is drawn in mm when the camera stored mm, otherwise in % of the patient's own reference.
    """
    origin = date.fromisoformat(period_start)
    daily = exercise["daily"]
    unit, suffix = (
        ("mm", "mm")
        if any(p.get("left_mm") is not None or p.get("right_mm") is not None for p in daily)
        else ("%", "pct")
    )
    left, right = _points(daily, f"left_{suffix}", origin), _points(daily, f"right_{suffix}", origin)
    symmetry = _points(daily, "symmetry_ratio", origin)
    if not (left or right or symmetry):
        return None
    what = "movement (mm)" if unit == "mm" else "movement (% of own reference)"
    d = Drawing(width, 150)
    d.add(String(0, 138, f"{exercise['exercise']}: {what} and symmetry, by day of the period", fontSize=9))
    solid = {"strokeColor": colors.black, "strokeWidth": 1.2}
    dashed = {"strokeColor": GREY, "strokeWidth": 1.2, "strokeDashArray": [4, 2]}
    dotted = {"strokeColor": colors.black, "strokeWidth": 1.2, "strokeDashArray": [1, 2]}
    present = [(series, style) for series, style in ((left, solid), (right, dashed)) if series]
    if present:
        d.add(_plot([p[0] for p in present], [p[1] for p in present], 30, 20, width / 2 - 50, 105))
    else:
        d.add(String(30, 70, "movement not measured", fontSize=8))
    if symmetry:
        d.add(_plot([symmetry], [dotted], width / 2 + 20, 20, width / 2 - 50, 105, y_max=1.0))
    else:
        d.add(String(width / 2 + 20, 70, "symmetry not measured", fontSize=8))
    for i, (label, style) in enumerate(
        ((f"patient's left, {unit}", solid), (f"patient's right, {unit}", dashed), ("symmetry ratio (0 to 1)", dotted))
    ):
        x = 30 + i * 140
        d.add(
            Line(
                x,
                3,
                x + 22,
                3,
                strokeColor=style["strokeColor"],
                strokeWidth=1.2,
                strokeDashArray=style.get("strokeDashArray"),
            )
        )
        d.add(String(x + 26, 0, label, fontSize=7))
    return d


def _mark(d: Drawing, x: float, y: float, outcome: str) -> None:
    if outcome == "on_time":
        d.add(Circle(x, y, 2.2, fillColor=colors.black, strokeColor=None))
    elif outcome == "late":
        d.add(
            Polygon(
                [x - 2.6, y - 2.2, x + 2.6, y - 2.2, x, y + 2.6],
                fillColor=colors.white,
                strokeColor=colors.black,
                strokeWidth=0.7,
            )
        )
    elif outcome == "missed":
        d.add(Line(x - 2.6, y - 2.6, x + 2.6, y + 2.6, strokeWidth=1.2))
        d.add(Line(x - 2.6, y + 2.6, x + 2.6, y - 2.6, strokeWidth=1.2))
    else:
        d.add(Circle(x, y, 2.2, fillColor=colors.white, strokeColor=colors.black, strokeWidth=0.7))


def eye_care_timeline(
    reminders: list[dict[str, Any]], days: list[str], width: float = 460, max_height: float = 640
) -> Drawing:
    """One row per day, hours across; dot = on time, triangle = late, cross = missed, ring = open."""
    row_h = max(4.0, min(9.0, (max_height - 50) / max(1, len(days))))
    height = len(days) * row_h + 50
    d = Drawing(width, height)
    left, right = 60, width - 10
    top = height - 30
    for hour in range(0, 25, 2):
        x = left + (right - left) * hour / 24
        d.add(Line(x, 20, x, top, strokeColor=LIGHT, strokeWidth=0.4))
        d.add(String(x - 4, top + 4, f"{hour:02d}", fontSize=6))
    index = {day: i for i, day in enumerate(days)}
    step = max(1, len(days) // 30)
    for i, day in enumerate(days):
        if i % step == 0:
            d.add(String(0, top - (i + 1) * row_h + 1, day, fontSize=5.5))
    for r in reminders:
        if r["outcome"] == "upcoming":
            continue  # not due yet when the summary was built: nothing to show
        due = datetime.fromisoformat(r["due_at"])
        i = index.get(due.date().isoformat())
        if i is None:
            continue
        x = left + (right - left) * (due.hour + due.minute / 60) / 24
        _mark(d, x, top - (i + 0.5) * row_h, r["outcome"])
    for i, (label, outcome) in enumerate(
        (("on time", "on_time"), ("late", "late"), ("missed", "missed"), ("still open", "open"))
    ):
        x = left + i * 90
        _mark(d, x, 6, outcome)
        d.add(String(x + 6, 3, label, fontSize=7))
    return d
