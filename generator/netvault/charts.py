"""Charts and a network graph drawn as inline SVG at build time, with no script.

Every function returns a `Markup` `<svg>` element that is well-formed XML on its
own, carries `role="img"` and an `aria-labelledby` that points at its own
`<title>` and `<desc>`, and is coloured only through CSS classes (the pages'
Content Security Policy blocks `style` attributes and `<style>` elements; the
classes are styled in the theme's netvault.css with its light and dark colour
variables). Its size is its `viewBox` only: CSS class `chart` makes it as wide
as its container. The caller puts a table or list of the same data next to it
as the text alternative, so each function takes exactly that data.

The output depends on the input only: no clock, no randomness, and no floating
point function that may round differently from one C library to the next (only
+, -, *, / and square roots, which IEEE 754 rounds exactly), so a site built
twice is the same byte for byte. Coordinates are rounded to one decimal.

Ids: the `id` of a chart becomes the `<svg>` element's id and the prefix of the
ids inside it (`<id>-title`, `<id>-desc`, `<id>-arrow…`), so two charts on one
page never share an id. It must be an ASCII letter followed by letters, digits,
`-` or `_`, which can be put in an attribute and in `url(#…)` as it is.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

from markupsafe import Markup, escape

from .records import record

__all__ = [
    "GraphEdge",
    "GraphNode",
    "bar_chart",
    "line_chart",
    "network_graph",
    "share_bars",
]

_SVG_NS = "http://www.w3.org/2000/svg"
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
# Characters XML 1.0 does not allow: one in a label would make the SVG ill-formed.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SLUG_GAP = re.compile(r"[\W_]+")

# Layout is computed in user units with this font size (set on the <svg>, so the
# estimates of text widths below hold whatever the page's font size is).
_FONT = 12
_CHAR_W = 7.0  # average advance of a Latin character at _FONT, a little generous
_WIDE_W = 12.0  # a CJK or other full-width character
_WIDTH = 640  # the viewBox width of the charts; the graph grows with its nodes
_NO_DATA = "No data"

# Bar and line charts.
_PLOT_H = 160
_TOP = 22  # room for the value labels above the highest bar
_BOTTOM = 26  # room for the labels under the baseline
_SIDE = 8
_MAX_SLOT = 72  # a lone bar is a bar, not a wall
_POINT_R = 3

# Share bars.
_ROW_H = 28
_BAR_H = 14
_MAX_LABEL_W = 220.0
_PCT_W = 52

# The graph.
_NODE_R = 6
_K = 56.0  # the ideal distance between connected nodes (Fruchterman–Reingold's k)
_ITERATIONS = 100
# Labels are wide and one line high: the layout is stretched this much sideways.
_ASPECT = 1.7
# After the layout, nodes are pushed apart until no two are closer than an ellipse
# this wide and high around each (so their labels mostly do not overlap).
_LABEL_W = 96.0
_LABEL_H = 28.0
_SPREAD_ROUNDS = 60
_NODE_LABEL_MAX = 22  # characters; the full label is in the node's <title>
_COMPONENT_GAP = 16
_PALETTE = 5  # graph-color-0 … 4 in netvault.css
_KIND_STYLES = 3  # graph-kind-0 … 2 in netvault.css
_MAX_SPAN = 4  # graph-span-1 … 4 in netvault.css
_BEND = 14.0  # how far a second edge between the same two nodes curves away


@record
class GraphNode:
    """A node of the network graph: a contact, drawn as a dot with its label."""

    key: str  # unique among the nodes; edges refer to it
    label: str
    href: str | None  # relative to the page, or None for a node that links nowhere
    group: str = ""  # e.g. the contact's circle: one colour and class per group


@record
class GraphEdge:
    """A directed edge of the network graph, from `source` to `target` (node keys)."""

    source: str
    target: str
    kind: str = ""  # e.g. "referral", "introduction": one class and line style per kind


# ---------------------------------------------------------------------------
# Shared helpers


def _n(value: float) -> str:
    """A coordinate rounded to one decimal, without a trailing `.0` or a negative zero."""
    rounded = round(value, 1)
    if rounded == 0:
        return "0"
    text = f"{rounded:.1f}"
    return text.removesuffix(".0")


def _text(value: str) -> Markup:
    """Text escaped for XML, on one line, without characters XML does not allow."""
    return escape(" ".join(_NOT_XML.sub("", value).split()))


def _slug(value: str) -> str:
    """A class-name part from a group or kind: lower case, letters and digits joined by `-`."""
    return _SLUG_GAP.sub("-", value.casefold()).strip("-")


def _char_w(ch: str) -> float:
    """The estimated advance of one character at the chart font size."""
    return _WIDE_W if unicodedata.east_asian_width(ch) in ("W", "F") else _CHAR_W


def _text_w(value: str) -> float:
    """The estimated width of a text at the chart font size (no font metrics at build time)."""
    return sum(_char_w(ch) for ch in value)


def _fit(value: str, width: float) -> str:
    """The text, cut with an ellipsis so that it is at most about `width` wide."""
    value = " ".join(_NOT_XML.sub("", value).split())
    if _text_w(value) <= width:
        return value
    used = _CHAR_W  # the ellipsis
    for i, ch in enumerate(value):
        used += _char_w(ch)
        if used > width:
            return value[:i].rstrip() + "…"
    return value


def _check_id(id: str) -> None:
    """Raise ValueError unless `id` can be used as it is in ids and `url(#…)` references."""
    if not _ID.match(id):
        raise ValueError(f"chart id must be a letter then letters, digits, - or _: {id!r}")


def _svg(
    kind: str, id: str, title: str, desc: str, width: float, height: float, body: Iterable[str]
) -> Markup:
    """The <svg> element around `body`, with its accessible name and description."""
    _check_id(id)
    head = (
        f'<svg xmlns="{_SVG_NS}" id="{id}" class="chart {kind}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" font-size="{_FONT}" '
        f'role="img" aria-labelledby="{id}-title {id}-desc">'
    )
    return Markup(
        "\n".join(
            [
                head,
                f'<title id="{id}-title">{_text(title)}</title>',
                f'<desc id="{id}-desc">{_text(desc)}</desc>',
                *body,
                "</svg>",
            ]
        )
    )


def _empty(kind: str, id: str, title: str, desc: str, message: str) -> Markup:
    """A chart with nothing to draw: a short SVG that says so in words."""
    height = 48
    text = (
        f'<text class="chart-empty" x="{_n(_WIDTH / 2)}" y="{_n(height / 2)}" '
        f'text-anchor="middle" dominant-baseline="middle">{_text(message)}</text>'
    )
    return _svg(f"{kind} chart-no-data", id, title, desc, _WIDTH, height, [text])


def _check_counts(rows: Sequence[tuple[str, int]]) -> None:
    """Raise ValueError for a negative count: the charts draw counts, from zero up."""
    for label, value in rows:
        if value < 0:
            raise ValueError(f"negative value for {label!r}: {value}")


def _label_step(labels: Sequence[str], slot: float) -> int:
    """Show every n-th label along an axis with `slot` units per item, so none overlap."""
    widest = max(_text_w(label) for label in labels) + 8  # a gap between neighbours
    return max(1, math.ceil(widest / slot))


# ---------------------------------------------------------------------------
# Bar chart


def bar_chart(title: str, desc: str, bars: Sequence[tuple[str, int]], *, id: str) -> Markup:
    """Vertical bars of counts, each labelled under the baseline, as an SVG."""
    _check_id(id)
    if not bars:
        return _empty("bar-chart", id, title, desc, _NO_DATA)
    _check_counts(bars)
    labels = [label for label, _ in bars]
    values = [value for _, value in bars]
    top_value = max(values)
    scale = _PLOT_H / top_value if top_value else 0.0  # all zeros: flat bars on the baseline
    plot_w = _WIDTH - 2 * _SIDE
    slot = min(plot_w / len(bars), _MAX_SLOT)
    left = _SIDE + (plot_w - slot * len(bars)) / 2  # few bars sit in the middle
    base = _TOP + _PLOT_H
    bar_w = max(slot * 0.7, 1.0)
    label_step = _label_step(labels, slot)
    # Values fit above every bar only when there is room; else the highest one tells the scale.
    all_values = max(_text_w(str(v)) for v in values) + 4 <= slot
    peak = values.index(top_value)
    body = [
        f'<line class="chart-axis" x1="{_SIDE}" y1="{base}" x2="{_WIDTH - _SIDE}" y2="{base}"/>'
    ]
    for i, (label, value) in enumerate(bars):
        mid = left + slot * (i + 0.5)
        height = value * scale
        body.append(
            f'<rect class="chart-bar" x="{_n(mid - bar_w / 2)}" y="{_n(base - height)}" '
            f'width="{_n(bar_w)}" height="{_n(height)}">'
            f"<title>{_text(label)}: {value}</title></rect>"
        )
        if all_values or (i == peak and value):
            body.append(
                f'<text class="chart-value" x="{_n(mid)}" y="{_n(base - height - 5)}" '
                f'text-anchor="middle">{value}</text>'
            )
        if i % label_step == 0:
            body.append(
                f'<text class="chart-label" x="{_n(mid)}" y="{_n(base + 17)}" '
                f'text-anchor="middle">{_text(_fit(label, slot * label_step - 8))}</text>'
            )
    return _svg("bar-chart", id, title, desc, _WIDTH, base + _BOTTOM, body)


# ---------------------------------------------------------------------------
# Line chart


def line_chart(title: str, desc: str, points: Sequence[tuple[str, int]], *, id: str) -> Markup:
    """A line through counts in order (pass running totals for a cumulative line), as an SVG."""
    _check_id(id)
    if not points:
        return _empty("line-chart", id, title, desc, _NO_DATA)
    _check_counts(points)
    values = [value for _, value in points]
    top_value = max(values)
    scale = _PLOT_H / top_value if top_value else 0.0
    # The y axis is labelled with 0 and the highest value, left of the plot.
    axis_w = _text_w(str(top_value)) + 8
    left = _SIDE + axis_w
    right = _WIDTH - _SIDE - _POINT_R
    base = _TOP + _PLOT_H
    count = len(points)
    if count == 1:
        xs = [(left + right) / 2]
    else:
        xs = [left + _POINT_R + (right - left - _POINT_R) * i / (count - 1) for i in range(count)]
    ys = [base - value * scale for value in values]
    body = [
        f'<line class="chart-grid" x1="{_n(left)}" y1="{_TOP}" x2="{_n(right)}" y2="{_TOP}"/>',
        f'<line class="chart-axis" x1="{_n(left)}" y1="{base}" x2="{_n(right)}" y2="{base}"/>',
        f'<text class="chart-label chart-y" x="{_n(left - 6)}" y="{_TOP}" text-anchor="end" '
        f'dominant-baseline="middle">{top_value}</text>',
        f'<text class="chart-label chart-y" x="{_n(left - 6)}" y="{base}" text-anchor="end" '
        f'dominant-baseline="middle">0</text>',
    ]
    if count > 1:
        line = "".join(
            f"{'M' if i == 0 else 'L'}{_n(x)} {_n(y)}"
            for i, (x, y) in enumerate(zip(xs, ys, strict=True))
        )
        area = f"{line}L{_n(xs[-1])} {base}L{_n(xs[0])} {base}Z"
        body.append(f'<path class="chart-area" d="{area}"/>')
        body.append(f'<path class="chart-line-path" d="{line}"/>')
    for (label, value), x, y in zip(points, xs, ys, strict=True):
        body.append(
            f'<circle class="chart-point" cx="{_n(x)}" cy="{_n(y)}" r="{_POINT_R}">'
            f"<title>{_text(label)}: {value}</title></circle>"
        )
    # The x axis is labelled at its two ends only: the table beside the chart has the rest.
    first, last = points[0][0], points[-1][0]
    half = (right - left) / 2 - 4
    if count == 1:
        body.append(
            f'<text class="chart-label chart-x" x="{_n(xs[0])}" y="{base + 17}" '
            f'text-anchor="middle">{_text(_fit(first, 2 * half))}</text>'
        )
    else:
        body.append(
            f'<text class="chart-label chart-x" x="{_n(xs[0])}" y="{base + 17}" '
            f'text-anchor="start">{_text(_fit(first, half))}</text>'
        )
        body.append(
            f'<text class="chart-label chart-x" x="{_n(xs[-1])}" y="{base + 17}" '
            f'text-anchor="end">{_text(_fit(last, half))}</text>'
        )
    return _svg("line-chart", id, title, desc, _WIDTH, base + _BOTTOM, body)


# ---------------------------------------------------------------------------
# Share bars


def _percent(within: int, total: int) -> int:
    """`within` of `total` in whole percent, halves rounded up (integers: no float surprises)."""
    return (200 * within + total) // (2 * total)


def share_bars(title: str, desc: str, rows: Sequence[tuple[str, int, int]], *, id: str) -> Markup:
    """One horizontal 100% bar per `(label, within, total)` row, with its percentage, as an SVG."""
    _check_id(id)
    if not rows:
        return _empty("share-chart", id, title, desc, _NO_DATA)
    for label, within, total in rows:
        if not 0 <= within <= total:
            raise ValueError(f"{label!r}: {within} of {total} is not a share")
    label_w = min(max(_text_w(label) for label, _, _ in rows), _MAX_LABEL_W)
    track_x = _SIDE + label_w + 10
    track_w = _WIDTH - _SIDE - _PCT_W - track_x
    body = []
    for i, (label, within, total) in enumerate(rows):
        y = 6 + i * _ROW_H
        mid = y + _ROW_H / 2
        bar_y = mid - _BAR_H / 2
        if total:
            percent = _percent(within, total)
            value, tip = f"{percent}%", f"{within} of {total} ({percent}%)"
        else:
            value, tip = "—", "none"
        parts = [
            f'<g class="chart-row"><title>{_text(label)}: {tip}</title>',
            f'<text class="chart-label" x="{_SIDE}" y="{_n(mid)}" '
            f'dominant-baseline="middle">{_text(_fit(label, label_w))}</text>',
            f'<rect class="chart-track" x="{_n(track_x)}" y="{_n(bar_y)}" '
            f'width="{_n(track_w)}" height="{_BAR_H}"/>',
        ]
        if total:
            parts.append(
                f'<rect class="chart-share" x="{_n(track_x)}" y="{_n(bar_y)}" '
                f'width="{_n(track_w * within / total)}" height="{_BAR_H}"/>'
            )
        none = "" if total else " chart-none"
        parts.append(
            f'<text class="chart-value{none}" x="{_WIDTH - _SIDE}" y="{_n(mid)}" '
            f'text-anchor="end" dominant-baseline="middle">{value}</text></g>'
        )
        body.append("".join(parts))
    return _svg("share-chart", id, title, desc, _WIDTH, 12 + len(rows) * _ROW_H, body)


# ---------------------------------------------------------------------------
# Network graph: layout


def _seed_position(key: str, side: float) -> tuple[float, float]:
    """A starting point in the square [0, side)² from a hash of the node's key.

    A hash of the key, not a random generator, so a node starts at the same place
    whatever the other nodes are, and adding one contact does not reshuffle them all.
    """
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    x = int.from_bytes(digest[:4], "big") / 2**32
    y = int.from_bytes(digest[4:], "big") / 2**32
    return x * side, y * side


def _components(count: int, links: Sequence[tuple[int, int]]) -> list[list[int]]:
    """The connected components (ignoring direction), largest first, each in node order."""
    parent = list(range(count))

    def find(i: int) -> int:
        """The representative of `i`'s set, halving the path on the way."""
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(count):
        groups.setdefault(find(i), []).append(i)
    # Largest first; among equals, the one whose first node comes first in the input.
    return sorted(groups.values(), key=lambda members: (-len(members), members[0]))


def _repel(
    xs: list[float], ys: list[float], dist: float, push: float | None
) -> tuple[list[float], list[float]]:
    """The displacement each node gets from the nodes nearer than `dist` to it.

    With `push` None, Fruchterman–Reingold's repulsion k²/d; else pairs closer than
    `dist` are pushed apart by `push` times their overlap. Only pairs in the same or
    neighbouring grid cells of size `dist` are compared (FR's grid variant), so a
    step costs about n, not n², and a few hundred nodes lay out in a blink.
    """
    count = len(xs)
    grid: dict[tuple[int, int], list[int]] = {}
    for i in range(count):
        grid.setdefault((math.floor(xs[i] / dist), math.floor(ys[i] / dist)), []).append(i)
    dx = [0.0] * count
    dy = [0.0] * count
    dist2 = dist * dist
    k2 = _K * _K
    for (cx, cy), members in grid.items():
        # Each pair of cells once: this one, and four of its eight neighbours.
        for ox, oy in ((0, 0), (1, 0), (-1, 1), (0, 1), (1, 1)):
            others = grid.get((cx + ox, cy + oy))
            if others is None:
                continue
            same = ox == 0 and oy == 0
            for at, i in enumerate(members):
                xi, yi = xs[i], ys[i]
                for j in members[at + 1 :] if same else others:
                    ex = xi - xs[j]
                    ey = yi - ys[j]
                    d2 = ex * ex + ey * ey
                    if d2 >= dist2:
                        continue
                    if d2 < 1e-9:
                        # Two nodes on one point: part them along a direction set by
                        # their indices, the same on every run.
                        ex, ey = (0.1, 0.05) if i < j else (-0.1, -0.05)
                        d2 = ex * ex + ey * ey
                    if push is None:
                        f = k2 / d2
                    else:
                        d = math.sqrt(d2)
                        f = push * (dist - d) / d
                    dx[i] += ex * f
                    dy[i] += ey * f
                    dx[j] -= ex * f
                    dy[j] -= ey * f
    return dx, dy


def _force_layout(keys: Sequence[str], links: Sequence[tuple[int, int]]) -> list[list[float]]:
    """Fruchterman–Reingold positions [x, y] of one connected component; fixed steps."""
    count = len(keys)
    if count == 1:
        return [[0.0, 0.0]]
    side = _K * math.sqrt(count)
    start = [_seed_position(key, side) for key in keys]
    xs = [x for x, _ in start]
    ys = [y for _, y in start]
    # The temperature caps each step; it cools linearly so the layout settles.
    heat = side / 8
    cooling = heat / (_ITERATIONS + 1)
    for _ in range(_ITERATIONS):
        dx, dy = _repel(xs, ys, 2 * _K, None)
        for a, b in links:
            ex = xs[a] - xs[b]
            ey = ys[a] - ys[b]
            f = math.sqrt(ex * ex + ey * ey) / _K  # attraction d²/k along the unit vector
            dx[a] -= ex * f
            dy[a] -= ey * f
            dx[b] += ex * f
            dy[b] += ey * f
        for i in range(count):
            length = math.sqrt(dx[i] * dx[i] + dy[i] * dy[i])
            if length > 0:
                step = min(length, heat) / length
                xs[i] += dx[i] * step
                ys[i] += dy[i] * step
        heat -= cooling
    # FR packs the middle of a big component tight, and a node's label is far wider
    # than high: push apart nodes whose labels would overlap, measuring distances
    # on an ellipse as wide as a label (x shrunk to make it a circle), a few rounds.
    ratio = _LABEL_W / _LABEL_H
    us = [x * _ASPECT / ratio for x in xs]
    for _ in range(_SPREAD_ROUNDS):
        du, dv = _repel(us, ys, _LABEL_H, 0.5)
        if not any(du) and not any(dv):
            break
        for i in range(count):
            us[i] += du[i]
            ys[i] += dv[i]
    return [[u * ratio, y] for u, y in zip(us, ys, strict=True)]


def _pack(
    components: list[list[int]], positions: list[list[float]], half_widths: Sequence[float]
) -> tuple[float, float]:
    """Move the components into rows, left to right, largest first; return the width and height.

    Each component's box holds its nodes and their labels (`half_widths` on each
    side of a node, a label's line under it), so no two components overlap and
    lone nodes line up as a grid.
    """
    boxes = []
    area = 0.0
    for members in components:
        x0 = min(positions[i][0] - half_widths[i] for i in members)
        x1 = max(positions[i][0] + half_widths[i] for i in members)
        y0 = min(positions[i][1] for i in members) - _NODE_R - 2
        y1 = max(positions[i][1] for i in members) + _NODE_R + _FONT + 6
        boxes.append((x0, y0, x1 - x0, y1 - y0))
        area += (x1 - x0 + _COMPONENT_GAP) * (y1 - y0 + _COMPONENT_GAP)
    # Rows as wide as a square would be, or as the widest component, or as a chart.
    row_w = max(math.sqrt(area) * 1.2, max(w for _, _, w, _ in boxes), _WIDTH - 2 * _SIDE)
    x = y = row_h = used_w = 0.0
    for members, (x0, y0, w, h) in zip(components, boxes, strict=True):
        if x > 0 and x + w > row_w:
            x, y, row_h = 0.0, y + row_h + _COMPONENT_GAP, 0.0
        for i in members:
            positions[i][0] += x - x0
            positions[i][1] += y - y0
        used_w = max(used_w, x + w)
        row_h = max(row_h, h)
        x += w + _COMPONENT_GAP
    return used_w, y + row_h


# ---------------------------------------------------------------------------
# Network graph: drawing


def _kind_classes(kind: str, at: int) -> str:
    """The classes of an edge of `kind`, the `at`-th of the graph's kinds (a leading space)."""
    slug = _slug(kind)
    named = f" graph-edge-{slug}" if slug else ""
    return f"{named} graph-kind-{at % _KIND_STYLES}"


def _legend(
    groups: Sequence[str], kinds: Sequence[str], id: str, width: float
) -> tuple[list[str], float]:
    """A legend of the groups' colours and the edge kinds' lines, in rows; and its height."""
    # (swatch width, group colour or None, kind or None, label), in the order drawn.
    items: list[tuple[float, int | None, str | None, str]] = [
        (2 * _NODE_R + 4, at % _PALETTE, None, _fit(group, 160)) for at, group in enumerate(groups)
    ]
    items += [(32.0, None, kind, _fit(kind, 160)) for kind in kinds]
    if not items:
        return [], 0.0
    out = []
    x = y = 0.0
    for swatch_w, colour, kind, label in items:
        item_w = swatch_w + _text_w(label)
        if x > 0 and x + item_w > width:
            x, y = 0.0, y + _FONT + 10
        left, mid = _SIDE + x, y + 8
        if kind is None:
            swatch = (
                f'<circle class="graph-node-dot graph-color-{colour}" '
                f'cx="{_n(left + _NODE_R)}" cy="{_n(mid)}" r="{_NODE_R}"/>'
            )
        else:
            at = kinds.index(kind)
            swatch = (
                f'<line class="graph-edge{_kind_classes(kind, at)}" '
                f'x1="{_n(left)}" y1="{_n(mid)}" x2="{_n(left + 26)}" y2="{_n(mid)}" '
                f'marker-end="url(#{id}-arrow-{at})"/>'
            )
        out.append(
            f'<g class="graph-legend-item">{swatch}<text class="chart-label" '
            f'x="{_n(left + swatch_w)}" y="{_n(mid)}" dominant-baseline="middle">'
            f"{_text(label)}</text></g>"
        )
        x += item_w + 18
    return out, y + _FONT + 12


def _edge_path(start: Sequence[float], end: Sequence[float], bend: float) -> str | None:
    """An edge's path data from the rim of one node to the rim of the other, bent to its right.

    None when the two nodes are too close for a line to show between them.
    """
    sx, sy = start
    tx, ty = end
    ex, ey = tx - sx, ty - sy
    length = math.sqrt(ex * ex + ey * ey)
    if length < 2 * _NODE_R + 2:
        return None
    ux, uy = ex / length, ey / length
    # A control point `bend` off the middle, to the right of the direction of travel,
    # so that A→B and B→A curve apart instead of making one line with two heads.
    cx, cy = sx + ex / 2 - uy * bend, sy + ey / 2 + ux * bend
    # Start and end on the rims, heading towards (and from) the control point.
    ax, ay = cx - sx, cy - sy
    a = math.sqrt(ax * ax + ay * ay)
    bx, by = tx - cx, ty - cy
    b = math.sqrt(bx * bx + by * by)
    x1, y1 = sx + ax / a * _NODE_R, sy + ay / a * _NODE_R
    x2, y2 = tx - bx / b * (_NODE_R + 1), ty - by / b * (_NODE_R + 1)
    curve = f"Q{_n(cx)} {_n(cy)} " if bend else "L"
    return f"M{_n(x1)} {_n(y1)}{curve}{_n(x2)} {_n(y2)}"


def network_graph(
    title: str,
    desc: str,
    nodes: Sequence[GraphNode],
    edges: Sequence[GraphEdge],
    *,
    id: str,
) -> Markup:
    """The nodes and directed edges as an SVG, laid out by forces at build time.

    Each connected component is laid out on its own (Fruchterman–Reingold, a fixed
    number of steps from positions hashed from the node keys) and the components
    are packed in rows, largest first, lone nodes last as a grid; the viewBox grows
    with them. An edge from a node to itself is not drawn. Raises ValueError for two
    nodes with one key or an edge to a key that is not a node.
    """
    _check_id(id)
    if not nodes:
        return _empty("graph", id, title, desc, "No contacts to show")
    index: dict[str, int] = {}
    for i, node in enumerate(nodes):
        if node.key in index:
            raise ValueError(f"two graph nodes with the key {node.key!r}")
        index[node.key] = i
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in index:
                raise ValueError(f"graph edge to {end!r}, which is not a node")
    drawn = [edge for edge in edges if edge.source != edge.target]
    links = [(index[edge.source], index[edge.target]) for edge in drawn]

    labels = [_fit(node.label, _NODE_LABEL_MAX * _CHAR_W) for node in nodes]
    half_widths = [max(_text_w(label) / 2, _NODE_R) + 2 for label in labels]
    positions: list[list[float]] = [[0.0, 0.0] for _ in nodes]
    components = _components(len(nodes), links)
    # Each component's links, numbered within it (one pass, whatever the number of them).
    where: dict[int, tuple[int, int]] = {}
    for c, members in enumerate(components):
        for at, i in enumerate(members):
            where[i] = (c, at)
    inner: list[list[tuple[int, int]]] = [[] for _ in components]
    for a, b in links:
        inner[where[a][0]].append((where[a][1], where[b][1]))
    for members, own in zip(components, inner, strict=True):
        placed = _force_layout([nodes[i].key for i in members], own)
        for i, place in zip(members, placed, strict=True):
            positions[i] = place
    used_w, used_h = _pack(components, positions, half_widths)

    groups = sorted({node.group for node in nodes if node.group})
    kinds = sorted({edge.kind for edge in drawn if edge.kind})
    color = {group: at % _PALETTE for at, group in enumerate(groups)}
    width = max(used_w + 2 * _SIDE, _WIDTH)
    legend, legend_h = _legend(groups, kinds, id, width - 2 * _SIDE)
    top = _SIDE + legend_h
    left = _SIDE + (width - 2 * _SIDE - used_w) / 2  # a small graph sits in the middle
    for place in positions:
        place[0] += left
        place[1] += top
    height = top + used_h + _SIDE

    # One arrow head per kind, with the kind's classes so CSS can colour it like its
    # lines (a marker takes its style from where it is defined, not from its line).
    # Ids are the chart id and the kind's place: two kinds may share a slug.
    markers = []
    for at, kind in enumerate(["", *kinds], -1):
        suffix = f"-{at}" if kind else ""
        kind_class = _kind_classes(kind, at) if kind else ""
        markers.append(
            f'<marker id="{id}-arrow{suffix}" class="graph-arrow{kind_class}" '
            f'viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0 0L10 5L0 10Z"/></marker>'
        )
    body = [f"<defs>{''.join(markers)}</defs>", *legend, '<g class="graph-edges">']

    # Edges between the same two nodes are spread: the n-th of them bends n steps, and
    # both of A→B and B→A bend (each to its own right) so that they do not coincide.
    directed = set(links)
    seen: dict[tuple[int, int], int] = {}
    for edge, (a, b) in zip(drawn, links, strict=True):
        nth = seen.get((a, b), 0)
        seen[(a, b)] = nth + 1
        bend = _BEND * (nth + ((b, a) in directed))
        path = _edge_path(positions[a], positions[b], bend)
        if path is None:
            continue
        classes = "graph-edge"
        marker = f"{id}-arrow"
        if edge.kind:
            at = kinds.index(edge.kind)
            classes += f"{_kind_classes(edge.kind, at)}"
            marker += f"-{at}"
        tip = f"{nodes[a].label} → {nodes[b].label}" + (f" ({edge.kind})" if edge.kind else "")
        body.append(
            f'<path class="{classes}" d="{path}" '
            f'marker-end="url(#{marker})"><title>{_text(tip)}</title></path>'
        )
    body.append("</g>")

    body.append('<g class="graph-nodes">')
    for node, label, (x, y) in zip(nodes, labels, positions, strict=True):
        classes = "graph-node"
        if node.group:
            group_slug = _slug(node.group)
            if group_slug:
                classes += f" graph-group-{group_slug}"
            classes += f" graph-color-{color[node.group]}"
        drawn_node = (
            f'<g class="{classes}"><title>{_text(node.label)}</title>'
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_NODE_R}"/>'
            f'<text x="{_n(x)}" y="{_n(y + _NODE_R + _FONT + 1)}" text-anchor="middle">'
            f"{_text(label)}</text></g>"
        )
        if node.href is not None:
            drawn_node = f'<a href="{escape(node.href)}">{drawn_node}</a>'
        body.append(drawn_node)
    body.append("</g>")
    # How many chart widths wide: CSS lets a wide graph scroll at a readable size.
    span = min(math.ceil(width / _WIDTH), _MAX_SPAN)
    return _svg(f"graph graph-span-{span}", id, title, desc, width, height, body)
