"""The SVG charts and network graph: structure parsed as XML, escaping, layout and determinism."""

from __future__ import annotations

import itertools
import math
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from markupsafe import Markup

from netvault.charts import (
    GraphEdge,
    GraphNode,
    bar_chart,
    line_chart,
    network_graph,
    share_bars,
)

SVG = "{http://www.w3.org/2000/svg}"
NASTY = '<b>&"'  # a label that is markup if it is not escaped


def parse(markup: Markup) -> ET.Element:
    """The SVG as an element tree: it must be well-formed XML on its own."""
    assert isinstance(markup, Markup)
    return ET.fromstring(str(markup))


def tag(element: ET.Element) -> str:
    """The element's tag without the SVG namespace."""
    return element.tag.removeprefix(SVG)


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    """Every element that has the class `name`."""
    return [el for el in root.iter() if name in el.get("class", "").split()]


def texts(root: ET.Element) -> list[str]:
    """The text of every <text> element, in order."""
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def view_box(root: ET.Element) -> tuple[float, float]:
    """The width and height of the SVG's viewBox, which must start at 0 0."""
    x, y, width, height = map(float, root.get("viewBox", "").split())
    assert (x, y) == (0, 0)
    return width, height


def ids(root: ET.Element) -> list[str]:
    """Every id in the SVG."""
    return [el.get("id", "") for el in root.iter() if el.get("id")]


def assert_accessible(root: ET.Element, id: str, title: str, desc: str) -> None:
    """The SVG is an image named by its own <title> and <desc>, with no style attribute anywhere."""
    assert tag(root) == "svg"
    assert root.get("id") == id
    assert root.get("role") == "img"
    assert "chart" in root.get("class", "").split()
    assert root.get("width") is None and root.get("height") is None  # sized by CSS and viewBox
    view_box(root)
    title_el = root.find(f"{SVG}title")
    desc_el = root.find(f"{SVG}desc")
    assert title_el is not None and desc_el is not None
    assert root.get("aria-labelledby", "").split() == [title_el.get("id"), desc_el.get("id")]
    assert title_el.text == title
    assert desc_el.text == desc
    assert all("style" not in el.attrib for el in root.iter())
    assert not list(root.iter(f"{SVG}style"))
    assert not list(root.iter(f"{SVG}script"))
    every_id = ids(root)
    assert len(every_id) == len(set(every_id))
    assert all(i == id or i.startswith(f"{id}-") for i in every_id)


def assert_no_markup_from(root: ET.Element, label: str) -> None:
    """`label` came through as text: no <b> element was made from it."""
    assert not [el for el in root.iter() if tag(el) == "b"]
    assert any(label in (el.text or "") for el in root.iter())


def months(count: int) -> list[str]:
    """`count` month labels from 2021-01 on."""
    return [f"{2021 + i // 12}-{i % 12 + 1:02}" for i in range(count)]


# ---------------------------------------------------------------------------
# bar_chart


def test_bar_chart_draws_one_bar_per_value_with_labels_and_a_baseline() -> None:
    bars = [("2026-01", 3), ("2026-02", 12), ("2026-03", 6)]
    root = parse(bar_chart("Interactions", "Per month", bars, id="per-month"))
    assert_accessible(root, "per-month", "Interactions", "Per month")
    rects = by_class(root, "chart-bar")
    assert len(rects) == 3
    heights = [float(r.get("height", "")) for r in rects]
    assert heights[1] == pytest.approx(2 * heights[2], abs=0.2)
    assert heights[1] == pytest.approx(4 * heights[0], abs=0.2)
    # Bars stand on one baseline, left to right in the given order.
    bottoms = {round(float(r.get("y", "")) + float(r.get("height", "")), 1) for r in rects}
    assert len(bottoms) == 1
    xs = [float(r.get("x", "")) for r in rects]
    assert xs == sorted(xs)
    assert len(by_class(root, "chart-axis")) == 1
    assert [t for t in texts(root) if t.startswith("2026")] == ["2026-01", "2026-02", "2026-03"]
    assert ["".join(t.itertext()) for t in by_class(root, "chart-value")] == ["3", "12", "6"]
    tips = ["".join(r.itertext()) for r in rects]
    assert tips == ["2026-01: 3", "2026-02: 12", "2026-03: 6"]


def test_bar_chart_without_bars_says_no_data() -> None:
    root = parse(bar_chart("Interactions", "None yet", [], id="empty"))
    assert_accessible(root, "empty", "Interactions", "None yet")
    assert not by_class(root, "chart-bar")
    assert texts(root) == ["No data"]


def test_bar_chart_with_one_bar_is_a_bar_not_the_whole_width() -> None:
    root = parse(bar_chart("T", "D", [("2026-03", 5)], id="one"))
    [rect] = by_class(root, "chart-bar")
    width, _ = view_box(root)
    assert 0 < float(rect.get("width", "")) < width / 4
    assert float(rect.get("height", "")) > 0
    assert "2026-03" in texts(root)


def test_bar_chart_of_zeros_draws_flat_bars() -> None:
    root = parse(bar_chart("T", "D", [("a", 0), ("b", 0)], id="zeros"))
    rects = by_class(root, "chart-bar")
    assert [float(r.get("height", "")) for r in rects] == [0, 0]
    assert all(math.isfinite(float(r.get("y", ""))) for r in rects)


def test_bar_chart_thins_labels_of_many_bars_so_they_do_not_overlap() -> None:
    bars = [(label, i % 7) for i, label in enumerate(months(60))]
    root = parse(bar_chart("T", "D", bars, id="many"))
    assert len(by_class(root, "chart-bar")) == 60
    labels = by_class(root, "chart-label")
    assert 2 <= len(labels) < 60
    shown = ["".join(el.itertext()) for el in labels]
    assert shown[0] == "2021-01"
    assert set(shown) <= {label for label, _ in bars}
    xs = [float(el.get("x", "")) for el in labels]
    # Seven characters of digits at font size 12 are about 45 units wide.
    assert min(b - a for a, b in itertools.pairwise(xs)) >= 45
    # The value labels would not fit over 60 bars: only the highest is labelled.
    assert ["".join(t.itertext()) for t in by_class(root, "chart-value")] == ["6"]
    width, _ = view_box(root)
    assert all(0 <= float(r.get("x", "")) <= width for r in by_class(root, "chart-bar"))


def test_bar_chart_escapes_labels_title_and_desc() -> None:
    markup = bar_chart(NASTY, NASTY, [(NASTY, 2)], id="nasty")
    assert "<b>" not in markup
    root = parse(markup)
    assert_accessible(root, "nasty", NASTY, NASTY)
    assert NASTY in texts(root)
    assert_no_markup_from(root, NASTY)


def test_bar_chart_rejects_negative_counts_and_unsafe_ids() -> None:
    with pytest.raises(ValueError, match="negative"):
        bar_chart("T", "D", [("a", -1)], id="neg")
    for bad in ("", "1st", 'x"y', "a b", "a)b"):
        with pytest.raises(ValueError, match="id"):
            bar_chart("T", "D", [("a", 1)], id=bad)


def test_labels_lose_characters_xml_does_not_allow() -> None:
    root = parse(bar_chart("T\x00", "D\x1b", [("a\x01b\nc", 1)], id="ctl"))
    assert "ab c" in texts(root)
    assert root.find(f"{SVG}title").text == "T"  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# line_chart


def test_line_chart_draws_a_point_per_value_and_labels_its_ends_and_maximum() -> None:
    points = [(label, total) for label, total in zip(months(5), (1, 4, 4, 9, 12), strict=True)]
    root = parse(line_chart("Contacts", "Over time", points, id="growth"))
    assert_accessible(root, "growth", "Contacts", "Over time")
    circles = by_class(root, "chart-point")
    assert len(circles) == 5
    xs = [float(c.get("cx", "")) for c in circles]
    ys = [float(c.get("cy", "")) for c in circles]
    assert xs == sorted(xs) and len(set(xs)) == 5
    assert ys[0] > ys[1] == ys[2] > ys[3] > ys[4]  # SVG y grows downwards
    [line] = by_class(root, "chart-line-path")
    assert line.get("d", "").count("L") == 4
    x_labels = ["".join(el.itertext()) for el in by_class(root, "chart-x")]
    assert x_labels == ["2021-01", "2021-05"]
    assert ["".join(el.itertext()) for el in by_class(root, "chart-y")] == ["12", "0"]
    width, height = view_box(root)
    assert all(0 <= x <= width for x in xs) and all(0 <= y <= height for y in ys)


def test_line_chart_edge_cases() -> None:
    root = parse(line_chart("T", "D", [], id="none"))
    assert texts(root) == ["No data"] and not by_class(root, "chart-point")
    root = parse(line_chart("T", "D", [("2026-01", 3)], id="one"))
    assert len(by_class(root, "chart-point")) == 1
    assert not by_class(root, "chart-line-path")
    assert ["".join(el.itertext()) for el in by_class(root, "chart-x")] == ["2026-01"]
    root = parse(line_chart("T", "D", [("a", 0), ("b", 0), ("c", 0)], id="zeros"))
    ys = {c.get("cy") for c in by_class(root, "chart-point")}
    assert len(ys) == 1  # flat, on the baseline
    root = parse(line_chart("T", "D", [(m, i) for i, m in enumerate(months(60))], id="many"))
    assert len(by_class(root, "chart-point")) == 60
    with pytest.raises(ValueError):
        line_chart("T", "D", [("a", -2)], id="neg")


def test_line_chart_escapes_labels() -> None:
    root = parse(line_chart(NASTY, "D", [(NASTY, 1), ("x", 2)], id="nasty"))
    assert NASTY in texts(root)
    assert_no_markup_from(root, NASTY)


# ---------------------------------------------------------------------------
# share_bars


def test_share_bars_show_each_share_as_a_bar_and_a_percentage() -> None:
    rows = [("inner", 7, 9), ("close", 0, 0), ("network", 0, 4), ("casual", 1, 8)]
    root = parse(share_bars("Within cadence", "By circle", rows, id="cadence"))
    assert_accessible(root, "cadence", "Within cadence", "By circle")
    tracks = by_class(root, "chart-track")
    assert len(tracks) == 4
    values = ["".join(el.itertext()) for el in by_class(root, "chart-value")]
    assert values == ["78%", "—", "0%", "13%"]  # 12.5% rounds half up
    shares = by_class(root, "chart-share")
    assert len(shares) == 3  # none for the row with no contacts
    track_w = float(tracks[0].get("width", ""))
    assert float(shares[0].get("width", "")) == pytest.approx(track_w * 7 / 9, abs=0.1)
    assert float(shares[1].get("width", "")) == 0
    assert len(by_class(root, "chart-none")) == 1
    labels = ["".join(el.itertext()) for el in by_class(root, "chart-label")]
    assert labels == ["inner", "close", "network", "casual"]
    ys = [float(t.get("y", "")) for t in tracks]
    assert ys == sorted(ys) and len(set(ys)) == 4
    _, height = view_box(root)
    assert ys[-1] + float(tracks[-1].get("height", "")) <= height


def test_share_bars_edge_cases() -> None:
    root = parse(share_bars("T", "D", [], id="none"))
    assert texts(root) == ["No data"]
    root = parse(share_bars("T", "D", [(NASTY, 1, 1)], id="nasty"))
    assert NASTY in texts(root)
    assert_no_markup_from(root, NASTY)
    assert "100%" in texts(root)
    long = "acquaintances from the conference in the autumn of that year"
    root = parse(share_bars("T", "D", [(long, 1, 2)], id="long"))
    [label] = by_class(root, "chart-label")
    assert "".join(label.itertext()).endswith("…")
    assert long in "".join(root.find(f"{SVG}g").itertext())  # type: ignore[union-attr]
    for bad in [("a", 3, 2), ("a", -1, 2)]:
        with pytest.raises(ValueError):
            share_bars("T", "D", [bad], id="bad")


# ---------------------------------------------------------------------------
# network_graph


def node_groups(root: ET.Element) -> list[ET.Element]:
    """The <g class="graph-node"> of every node, in order."""
    return by_class(root, "graph-node")


def centres(root: ET.Element) -> list[tuple[float, float]]:
    """Every node's circle centre."""
    out = []
    for group in node_groups(root):
        circle = group.find(f"{SVG}circle")
        assert circle is not None
        out.append((float(circle.get("cx", "")), float(circle.get("cy", ""))))
    return out


def edge_paths(root: ET.Element) -> list[ET.Element]:
    """Every drawn edge (the legend's sample lines are <line>s, not paths)."""
    return [el for el in by_class(root, "graph-edge") if tag(el) == "path"]


def lcg(seed: int) -> Iterator[int]:
    """A fixed sequence of pseudo-random numbers, the same in every run."""
    while True:
        seed = (seed * 1103515245 + 12345) % 2**31
        yield seed >> 8


def random_graph(count: int, links: int) -> tuple[list[GraphNode], list[GraphEdge]]:
    """`count` nodes in three groups and `links` edges between them, some nodes left alone."""
    numbers = lcg(7)
    nodes = [
        GraphNode(
            f"people/p{i}.md",
            f"Person {i}",
            f"../people/p{i}.html" if i % 4 else None,
            ("inner", "close", "network")[i % 3],
        )
        for i in range(count)
    ]
    edges = []
    for _ in range(links):
        a, b = next(numbers) % count, next(numbers) % count
        if a != b:
            kind = ("referral", "introduction", "")[next(numbers) % 3]
            edges.append(GraphEdge(nodes[a].key, nodes[b].key, kind))
    return nodes, edges


def assert_laid_out(root: ET.Element) -> None:
    """Every node lies inside the viewBox, with its label, and no two share a position."""
    width, height = view_box(root)
    points = centres(root)
    assert len(set(points)) == len(points)
    for group in node_groups(root):
        circle = group.find(f"{SVG}circle")
        label = group.find(f"{SVG}text")
        assert circle is not None and label is not None
        x, y, r = (float(circle.get(a, "")) for a in ("cx", "cy", "r"))
        assert r <= x <= width - r and r <= y <= height - r
        assert 0 <= float(label.get("y", "")) <= height


def test_network_graph_draws_nodes_edges_links_and_tooltips() -> None:
    nodes = [
        GraphNode("a", "Ada Lovelace", "contacts/ada.html?x=1&y=2", "inner"),
        GraphNode("b", NASTY, None, "Close Friends"),
        GraphNode("c", "Charles Babbage", "contacts/charles.html"),
    ]
    edges = [GraphEdge("a", "b", "referral"), GraphEdge("b", "c", "introduction")]
    markup = network_graph("Network", "Who referred whom", nodes, edges, id="net")
    assert "<b>" not in markup
    root = parse(markup)
    assert_accessible(root, "net", "Network", "Who referred whom")
    groups = node_groups(root)
    assert len(groups) == 3
    assert ["".join(g.find(f"{SVG}title").itertext()) for g in groups] == [  # type: ignore[union-attr]
        "Ada Lovelace",
        NASTY,
        "Charles Babbage",
    ]
    assert [texts(g) for g in groups] == [["Ada Lovelace"], [NASTY], ["Charles Babbage"]]
    assert_no_markup_from(root, NASTY)
    # Nodes with an href are links around the node; the href comes through unchanged.
    links = list(root.iter(f"{SVG}a"))
    assert [a.get("href") for a in links] == ["contacts/ada.html?x=1&y=2", "contacts/charles.html"]
    assert [by_class(a, "graph-node")[0] for a in links] == [groups[0], groups[2]]
    assert "graph-group-inner" in groups[0].get("class", "").split()
    assert "graph-group-close-friends" in groups[1].get("class", "").split()
    assert groups[2].get("class") == "graph-node"
    # Edges: one path each, classed by kind, ending in an arrow head of this chart.
    paths = edge_paths(root)
    assert len(paths) == 2
    assert "graph-edge-referral" in paths[0].get("class", "").split()
    assert "graph-edge-introduction" in paths[1].get("class", "").split()
    assert "".join(paths[0].itertext()) == f"Ada Lovelace → {NASTY} (referral)"
    markers = {m.get("id") for m in root.iter(f"{SVG}marker")}
    for path in paths:
        url = path.get("marker-end", "")
        assert url.startswith("url(#net-") and url.endswith(")")
        assert url[5:-1] in markers
    assert_laid_out(root)


def test_marker_ids_follow_the_chart_id() -> None:
    nodes, edges = random_graph(12, 14)
    first = parse(network_graph("T", "D", nodes, edges, id="graph-one"))
    second = parse(network_graph("T", "D", nodes, edges, id="graph-two"))
    first_markers = [m.get("id", "") for m in first.iter(f"{SVG}marker")]
    second_markers = [m.get("id", "") for m in second.iter(f"{SVG}marker")]
    assert first_markers and len(first_markers) == len(set(first_markers))
    assert all(m.startswith("graph-one-") for m in first_markers)
    assert all(m.startswith("graph-two-") for m in second_markers)
    assert not set(ids(first)) & set(ids(second))
    assert_accessible(first, "graph-one", "T", "D")


def test_kinds_that_share_a_slug_get_their_own_markers() -> None:
    nodes = [GraphNode(k, k, None) for k in "abc"]
    edges = [GraphEdge("a", "b", "warm intro"), GraphEdge("b", "c", "warm-intro")]
    root = parse(network_graph("T", "D", nodes, edges, id="g"))
    assert_accessible(root, "g", "T", "D")  # no duplicate ids
    ends = [p.get("marker-end") for p in edge_paths(root)]
    assert len(set(ends)) == 2


def test_network_graph_is_deterministic() -> None:
    nodes, edges = random_graph(40, 50)
    assert network_graph("T", "D", nodes, edges, id="g") == network_graph(
        "T", "D", nodes, edges, id="g"
    )


def test_network_graph_does_not_depend_on_the_hash_seed() -> None:
    # Python salts str hashes per process: a layout that iterated a set of keys
    # would change from one build to the next.
    script = (
        "import sys\n"
        "from test_charts import random_graph\n"
        "from netvault.charts import network_graph\n"
        "sys.stdout.write(str(network_graph('T', 'D', *random_graph(40, 50), id='g')))\n"
    )
    here = os.path.dirname(__file__)
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [here, env.get("PYTHONPATH", "")]))
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
        )
        outputs.add(done.stdout)
    nodes, edges = random_graph(40, 50)
    assert outputs == {str(network_graph("T", "D", nodes, edges, id="g"))}


def test_a_few_hundred_nodes_lay_out_apart_inside_a_larger_view_box() -> None:
    nodes, edges = random_graph(300, 400)
    root = parse(network_graph("T", "D", nodes, edges, id="big"))
    assert len(node_groups(root)) == 300
    assert len(edge_paths(root)) == len(edges)
    assert len(list(root.iter(f"{SVG}a"))) == sum(1 for n in nodes if n.href)
    assert_laid_out(root)
    points = centres(root)
    closest = min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert closest >= 12  # two node diameters: no dot hides another
    small = parse(network_graph("T", "D", *random_graph(30, 40), id="small"))
    tiny = parse(network_graph("T", "D", *random_graph(3, 2), id="tiny"))
    areas = [math.prod(view_box(r)) for r in (tiny, small, root)]
    assert areas[0] < areas[1] < areas[2]


def test_disconnected_nodes_are_not_drawn_on_top_of_each_other() -> None:
    nodes = [GraphNode(f"n{i}", "Same Name", None) for i in range(50)]
    root = parse(network_graph("T", "D", nodes, [], id="alone"))
    assert len(node_groups(root)) == 50
    assert not edge_paths(root)
    assert_laid_out(root)
    points = centres(root)
    assert min(math.dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :]) >= 12


def test_edges_both_ways_and_repeated_are_all_drawn_apart() -> None:
    nodes = [GraphNode("a", "A", None), GraphNode("b", "B", None)]
    edges = [GraphEdge("a", "b"), GraphEdge("b", "a"), GraphEdge("a", "b"), GraphEdge("a", "a")]
    root = parse(network_graph("T", "D", nodes, edges, id="pair"))
    paths = [p.get("d") for p in edge_paths(root)]
    assert len(paths) == 3  # the edge from a to itself is not drawn
    assert len(set(paths)) == 3
    assert all(" " in (d or "") and (d or "").startswith("M") for d in paths)


def test_network_graph_edge_cases() -> None:
    root = parse(network_graph("T", "D", [], [], id="none"))
    assert_accessible(root, "none", "T", "D")
    assert not node_groups(root)
    assert texts(root) == ["No contacts to show"]
    root = parse(network_graph("T", "D", [GraphNode("x", "X", "x.html")], [], id="one"))
    assert len(node_groups(root)) == 1
    assert_laid_out(root)
    with pytest.raises(ValueError, match="key"):
        network_graph("T", "D", [GraphNode("x", "X", None), GraphNode("x", "Y", None)], [], id="g")
    with pytest.raises(ValueError, match="not a node"):
        network_graph("T", "D", [GraphNode("x", "X", None)], [GraphEdge("x", "y")], id="g")
    with pytest.raises(ValueError, match="id"):
        network_graph("T", "D", [GraphNode("x", "X", None)], [], id="a b")


def test_long_node_labels_are_cut_with_the_full_label_as_tooltip() -> None:
    label = "Professor Doctor Augusta Ada King, Countess of Lovelace"
    root = parse(network_graph("T", "D", [GraphNode("a", label, None)], [], id="long"))
    [group] = node_groups(root)
    assert texts(group)[0].endswith("…") and len(texts(group)[0]) < len(label)
    assert group.find(f"{SVG}title").text == label  # type: ignore[union-attr]


def test_legend_names_the_groups_and_kinds() -> None:
    nodes, edges = random_graph(10, 12)
    root = parse(network_graph("T", "D", nodes, edges, id="legend"))
    legend = ["".join(el.itertext()) for el in by_class(root, "graph-legend-item")]
    assert legend == ["close", "inner", "network", "introduction", "referral"]
