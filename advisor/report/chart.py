"""What the HTML page draws beyond its Markdown: the pillar radar chart, the
traffic-light badges of levels and states, and the subsections print keeps whole."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Protocol

from markupsafe import Markup

from ..i18n import _
from ..model.vocabulary import PILLAR_LEVELS

#: A pillar level's place on the radar's axes.
LEVEL_VALUES = {level: value for value, level in enumerate(PILLAR_LEVELS, start=1)}
#: Level or state → its traffic light; pagina.html.j2 colors the badges by it.
LIGHTS = {
    "inicial": "red", "pendiente": "red",
    "en_desarrollo": "amber", "parcial": "amber",
    "consolidado": "green", "cumplida": "green",
}
#: The same lights inside the SVG, which must not depend on the page's stylesheet.
LIGHT_COLORS = {"red": "#c0392b", "amber": "#d68910", "green": "#1e8449"}

#: Geometry of the chart, in viewBox units: wide enough for two-line labels on
#: every side, and about 14 cm wide on paper. On a phone 360 px wide the chart
#: is about 330 px across, so a label of FONT_SIZE units reads at about 12 px.
WIDTH, HEIGHT = 480, 360
CENTER = (240.0, 178.0)
RADIUS = 105.0
LABEL_GAP = 14.0
LABEL_CHARS = 12
FONT_SIZE = 18
LINE_HEIGHT = 20.0
#: The rings' names («inicial»…), smaller than the pillars' but still legible.
RING_FONT_SIZE = 14


class _Pillar(Protocol):
    @property
    def titulo(self) -> str: ...
    @property
    def nivel(self) -> str: ...


def badges(marks: Mapping[str, str]) -> dict[str, Markup]:
    """Each mark (``LEVEL_NAMES``, ``STATE_MARKS``) as a badge: the same words,
    translated, in a span the page colors; words stay, so color is never alone."""
    badge = Markup('<span class="light light-{}">{}</span>').format
    return {key: badge(LIGHTS.get(key, "none"), _(text)) for key, text in marks.items()}


def _point(index: int, count: int, distance: float) -> tuple[float, float]:
    # The first axis points up and the others follow clockwise, as people read a clock.
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTER[0] + distance * math.cos(angle), CENTER[1] + distance * math.sin(angle)


def _points(values: Iterable[float], count: int) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in (_point(i, count, RADIUS * v / 3) for i, v in enumerate(values)))


def _wrap(text: str) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= LABEL_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _label(index: int, count: int, title: str) -> Markup:
    x, y = _point(index, count, RADIUS + LABEL_GAP)
    dx = x - CENTER[0]
    anchor = "middle" if abs(dx) < 1 else ("start" if dx > 0 else "end")
    lines = _wrap(title)
    if abs(dx) >= 1:
        y += FONT_SIZE / 3 - (len(lines) - 1) * LINE_HEIGHT / 2  # centered on the axis' end
    elif y < CENTER[1]:
        y -= (len(lines) - 1) * LINE_HEIGHT + RING_FONT_SIZE / 2  # above the top axis and its ring's name
    else:
        y += FONT_SIZE * 0.8  # below the bottom axis: the first line's ascent
    # The label's text stays equal to the title: each line break keeps its space,
    # on the side of the line that the anchor does not align (so it is not seen).
    if anchor == "end":
        lines = lines[:1] + [" " + line for line in lines[1:]]
    else:
        lines = [line + " " for line in lines[:-1]] + lines[-1:]
    spans = Markup("").join(
        Markup('<tspan x="{:.1f}" y="{:.1f}">{}</tspan>').format(x, y + n * LINE_HEIGHT, line) for n,
        line in enumerate(lines)
    )
    return Markup('<text class="radar-axis" text-anchor="{}">{}</text>').format(anchor, spans)


def radar_svg(pilares: Mapping[str, _Pillar] | Iterable[_Pillar], names: Mapping[str, str]) -> Markup:
    """An accessible SVG radar of the pillars' levels (1 to 3 on each axis), or
    nothing when there are no pillars; ``names`` are the levels' names."""
    pillars = list(pilares.values() if isinstance(pilares, Mapping) else pilares)
    count = len(pillars)
    if not count:
        return Markup()
    # Apart from the sentence it fills: pybabel does not see a _() nested in another's arguments.
    levels = "; ".join(_("{pillar}: {level}", pillar=p.titulo, level=_(names[p.nivel]).lower()) for p in pillars)
    parts = [
        Markup('<svg xmlns="http://www.w3.org/2000/svg" class="radar-chart" role="img" viewBox="0 0 {} {}" width="100%"'
               ' aria-labelledby="radar-title radar-desc" font-family="system-ui, sans-serif" font-size="{}">').format(
            WIDTH, HEIGHT, FONT_SIZE),
        Markup('<title id="radar-title">{}</title>').format(_("Gráfico radar del perfil por pilares")),
        Markup('<desc id="radar-desc">{}</desc>').format(_(
            "Nivel de cada pilar, de 1 (inicial) a 3 (consolidado): {levels}.", levels=levels)),
    ]
    for level in LEVEL_VALUES.values():
        parts.append(Markup('<polygon class="radar-ring" points="{}" fill="none" stroke="#c5ccd8"'
                            ' stroke-width="1"/>').format(_points([level] * count, count)))
    for index in range(count):
        x, y = _point(index, count, RADIUS)
        parts.append(Markup('<line x1="{:.1f}" y1="{:.1f}" x2="{:.1f}" y2="{:.1f}" stroke="#c5ccd8"'
                            ' stroke-width="1"/>').format(*CENTER, x, y))
    # The rings' names beside the top axis, under the levels' polygon, which is translucent.
    for key, level in LEVEL_VALUES.items():
        parts.append(Markup('<text class="radar-ring-label" x="{:.1f}" y="{:.1f}" font-size="{}"'
                            ' fill="#5a6475">{}</text>').format(
            CENTER[0] + 6, CENTER[1] - RADIUS * level / 3 - 3, RING_FONT_SIZE, _(names[key])))
    values = [LEVEL_VALUES[p.nivel] for p in pillars]
    parts.append(Markup('<polygon class="radar-levels" points="{}" fill="#1f5fa8" fill-opacity="0.22" stroke="#1f5fa8"'
                        ' stroke-width="2.5" stroke-linejoin="round"/>').format(_points(values, count)))
    for index, (p, value) in enumerate(zip(pillars, values, strict=True)):
        x, y = _point(index, count, RADIUS * value / 3)
        parts.append(Markup('<circle cx="{:.1f}" cy="{:.1f}" r="5" fill="{}" stroke="#ffffff"'
                            ' stroke-width="1.5"/>').format(x, y, LIGHT_COLORS[LIGHTS[p.nivel]]))
    parts.extend(_label(index, count, p.titulo) for index, p in enumerate(pillars))
    parts.append(Markup("</svg>"))
    return Markup("\n").join(parts)


#: Where a level-2 or level-3 heading starts in Markdown's HTML; users' text
#: is escaped before it gets there, so it cannot forge one.
_HEADING = re.compile(r"(?=<h[23]>)")


def keep_together(body: str) -> Markup:
    """Markdown's HTML with each level-3 subsection (a recommendation…) in a
    ``<section>``, which the print stylesheet keeps on one page when it fits."""
    parts = _HEADING.split(body)
    section = Markup('<section class="subsection">{}</section>\n')
    return Markup("").join(section.format(Markup(part)) if part.startswith("<h3>") else Markup(part) for part in parts)
