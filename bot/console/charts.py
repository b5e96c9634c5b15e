"""Charts as inline SVG, drawn on the server: no JavaScript, nothing fetched from the internet."""

from __future__ import annotations

from typing import List, Sequence, Tuple
from xml.sax.saxutils import escape

BAR = "#1f5f56"


def bar_chart(
    data: Sequence[Tuple[str, float]],
    title: str,
    width: int = 640,
    bar_height: int = 22,
    value_format: str = "{:.0f}",
) -> str:
    """Horizontal bars, one per (label, value), with the value written at the end."""
    label_width = 210
    height = bar_height * len(data) + 30
    top = max([v for _, v in data] + [1])
    parts: List[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(data):
        y = 20 + index * bar_height
        length = (width - label_width - 60) * (value / top)
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{escape(str(label))}</text>"
        )
        parts.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{bar_height - 6}" '
            f'fill="{BAR}"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 6:.1f}" y="{y + 15}" font-size="13">'
            f"{escape(value_format.format(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def column_chart(data: Sequence[Tuple[str, float]], title: str, width: int = 640, height: int = 180) -> str:
    """Vertical columns over time (labels every few columns, so they stay readable)."""
    top = max([v for _, v in data] + [1])
    step = (width - 40) / max(len(data), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 30}" width="100%" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>',
        f'<text x="0" y="12" font-size="12">{top:.0f}</text>',
    ]
    every = max(1, len(data) // 6)
    for index, (label, value) in enumerate(data):
        bar = (height - 20) * (value / top)
        x = 30 + index * step
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bar:.1f}" width="{max(step - 2, 1):.1f}" '
            f'height="{bar:.1f}" fill="{BAR}"><title>{escape(label)}: {value:.0f}</title></rect>'
        )
        if index % every == 0:
            parts.append(f'<text x="{x:.1f}" y="{height + 16}" font-size="11">{escape(label[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)
