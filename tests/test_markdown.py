"""Note bodies: Obsidian syntax in, safe HTML out; links, tags and headings collected."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from netvault.markdown import ParsedBody, WikiLink, heading_id, parse_body, render_body

VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"})

# Where the vault's notes and attachments live in the built site.
HREFS = {
    "Ada Lovelace": "/people/ada-lovelace/",
    "people/Ada": "/people/ada/",
    "Ada": "/people/ada/",
    "Bob": "/people/bob/",
    "Weekly": "/notes/weekly/",
    "minutes.pdf": "/files/minutes.pdf",
    "photo.png": "/files/photo.png",
    "scan.jpg": "/files/scan.jpg",
    "scan.JPEG": "/files/scan.jpeg",
    "anim.gif": "/files/anim.gif",
    "pic.webp": "/files/pic.webp",
    "logo.svg": "/files/logo.svg",
    "new.avif": "/files/new.avif",
    "old.bmp": "/files/old.bmp",
    'x"><script>.png': '/files/x"><script>.png',
}


def resolve(link: WikiLink) -> str | None:
    return HREFS.get(link.target)


def tag_url(tag: str) -> str:
    return f"/tags/{tag}/"


def render(text: str, **options) -> str:
    return render_body(parse_body(text), resolve, **options)


class Element:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.attrs = attrs
        self.text = ""

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def __repr__(self) -> str:
        return f"<{self.tag} {self.attrs} {self.text!r}>"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.all: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs))
        self.all.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.all.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for element in self.open:
            element.text += data


def elements(html: str, tag: str | None = None, cls: str | None = None) -> list[Element]:
    """The elements of `html` (with their text content), filtered by tag and class."""
    parser = _Collect()
    parser.feed(html)
    parser.close()
    return [
        e
        for e in parser.all
        if (tag is None or e.tag == tag) and (cls is None or cls in e.classes())
    ]


def only(html: str, tag: str, cls: str | None = None) -> Element:
    found = elements(html, tag, cls)
    assert len(found) == 1, (found, html)
    return found[0]


def text_of(html: str) -> str:
    return "".join(e.text for e in elements(html) if e.tag in ("p", "li", "td", "th"))


# --------------------------------------------------------------------------------------
# Wikilinks


@pytest.mark.parametrize(
    ("markdown", "classes", "href", "text"),
    [
        ("[[Ada Lovelace]]", {"wikilink"}, "/people/ada-lovelace/", "Ada Lovelace"),
        ("[[Ada Lovelace|Ada]]", {"wikilink"}, "/people/ada-lovelace/", "Ada"),
        ("[[ Ada Lovelace | Ada ]]", {"wikilink"}, "/people/ada-lovelace/", "Ada"),
        (
            "[[Ada Lovelace#Early life]]",
            {"wikilink"},
            "/people/ada-lovelace/#early-life",
            "Ada Lovelace › Early life",
        ),
        (
            "[[Ada Lovelace#Early life|her youth]]",
            {"wikilink"},
            "/people/ada-lovelace/#early-life",
            "her youth",
        ),
        ("[[people/Ada]]", {"wikilink"}, "/people/ada/", "people/Ada"),
        ("[[Ada Lovelace.md]]", {"wikilink"}, "/people/ada-lovelace/", "Ada Lovelace"),
        ("[[Ada Lovelace.md|Ada]]", {"wikilink"}, "/people/ada-lovelace/", "Ada"),
        ("[[Ada\\|the countess]]", {"wikilink"}, "/people/ada/", "the countess"),
        ("[[#Early life]]", {"wikilink"}, "#early-life", "Early life"),
        ("![[Weekly]]", {"wikilink", "embed"}, "/notes/weekly/", "Weekly"),
        ("![[minutes.pdf]]", {"wikilink", "embed"}, "/files/minutes.pdf", "minutes.pdf"),
    ],
)
def test_wikilinks_render_as_links(markdown, classes, href, text):
    html = render(f"See {markdown} today.")
    link = only(html, "a")
    assert link.classes() == classes
    assert link.attrs["href"] == href
    assert link.text == text
    assert "[[" not in html


@pytest.mark.parametrize(
    ("markdown", "classes", "title", "text"),
    [
        ("[[Nobody]]", {"wikilink", "missing"}, "No note named “Nobody”", "Nobody"),
        ("[[Nobody|someone]]", {"wikilink", "missing"}, "No note named “Nobody”", "someone"),
        ("[[Nobody#Work]]", {"wikilink", "missing"}, "No note named “Nobody”", "Nobody › Work"),
        ("![[Nobody]]", {"wikilink", "embed", "missing"}, "No note named “Nobody”", "Nobody"),
        ("![[gone.png]]", {"wikilink", "embed", "missing"}, "No file named “gone.png”", "gone.png"),
        ("[[report.pdf]]", {"wikilink", "missing"}, "No file named “report.pdf”", "report.pdf"),
    ],
)
def test_unresolved_wikilinks_are_marked_missing_and_have_no_href(markdown, classes, title, text):
    html = render(markdown)
    link = only(html, "a")
    assert link.classes() == classes
    assert "href" not in link.attrs
    assert link.attrs["title"] == title
    assert link.text == text
    assert elements(html, "img") == []


def test_wikilink_in_a_table_cell_with_escaped_pipe():
    html = render("| who | note |\n|---|---|\n| [[Ada Lovelace\\|Ada]] | met |\n")
    cell = elements(html, "td")[0]
    assert cell.text == "Ada"
    link = only(html, "a")
    assert link.attrs["href"] == "/people/ada-lovelace/"
    assert len(elements(html, "td")) == 2  # the pipe did not split the cell


def test_wikilink_texts_are_escaped():
    html = render("[[Nobody|<b>bold</b> & co]] [[Ada|<script>x</script>]]")
    assert "<b>" not in html and "<script>" not in html
    assert [a.text for a in elements(html, "a")] == ["<b>bold</b> & co", "<script>x</script>"]


def test_wikilinks_inside_code_stay_code():
    html = render("`[[Ada]]`\n\n```\n[[Ada]]\n```\n")
    assert elements(html, "a") == []
    assert [c.text for c in elements(html, "code")] == ["[[Ada]]", "[[Ada]]\n"]


@pytest.mark.parametrize("markdown", ["[[]]", "[[ ]]", "[[#]]", "[[|text]]", "[[Ada", "[[a\nb]]"])
def test_not_wikilinks(markdown):
    parsed = parse_body(markdown)
    assert parsed.links == ()
    assert elements(render_body(parsed, resolve), "a") == []


# --------------------------------------------------------------------------------------
# Embedded images


@pytest.mark.parametrize(
    "name",
    [
        "photo.png",
        "scan.jpg",
        "scan.JPEG",
        "anim.gif",
        "pic.webp",
        "logo.svg",
        "new.avif",
        "old.bmp",
    ],
)
def test_image_embeds_become_img(name):
    html = render(f"![[{name}]]")
    img = only(html, "img")
    assert img.attrs["src"] == HREFS[name]
    assert img.attrs["alt"] == name
    assert elements(html, "a") == []


@pytest.mark.parametrize(
    ("markdown", "width", "height", "alt"),
    [
        ("![[photo.png|300]]", "300", None, "photo.png"),
        ("![[photo.png|300x200]]", "300", "200", "photo.png"),
        ("![[photo.png|Our team]]", None, None, "Our team"),
    ],
)
def test_image_embed_size_or_alt(markdown, width, height, alt):
    img = only(render(markdown), "img")
    assert img.attrs.get("width") == width
    assert img.attrs.get("height") == height
    assert img.attrs["alt"] == alt


def test_image_embed_in_a_table_cell_with_size():
    html = render("| pic |\n|---|\n| ![[photo.png\\|120]] |\n")
    img = only(html, "img")
    assert (img.attrs["src"], img.attrs["width"]) == ("/files/photo.png", "120")


def test_image_embed_attributes_are_escaped():
    html = render('![[x"><script>.png]]')
    assert "<script>" not in html
    assert only(html, "img").attrs["src"] == '/files/x"><script>.png'


def test_image_embed_is_never_loaded_from_a_remote_address():
    def remote(link: WikiLink) -> str:
        return "https://cdn.example.com/" + link.target

    html = render_body(parse_body("![[photo.png]]"), remote)
    assert elements(html, "img") == []
    assert only(html, "a").attrs["href"] == "https://cdn.example.com/photo.png"


# --------------------------------------------------------------------------------------
# Links collected by parse_body


@pytest.mark.parametrize(
    ("markdown", "links"),
    [
        ("[[Ada]]", [WikiLink("Ada", None, None, False, 0)]),
        (
            "Hello\n\nMet [[Ada Lovelace#Early life|Ada]] and ![[photo.png|300]]\n",
            [
                WikiLink("Ada Lovelace", "Early life", "Ada", False, 2),
                WikiLink("photo.png", None, "300", True, 2),
            ],
        ),
        ("[[people/Ada.md]]", [WikiLink("people/Ada", None, None, False, 0)]),
        ("[[Ada\\|A]]", [WikiLink("Ada", None, "A", False, 0)]),
        ("[[#Plans]]", [WikiLink("", "Plans", None, False, 0)]),
        (
            # In order, on the right lines; none from code spans, fences or indented code.
            "a [[One]]\n`[[Code]]`\n\n```\n[[Fenced]]\n```\n\n    [[Indented]]\n\nb [[Two]]\n",
            [WikiLink("One", None, None, False, 0), WikiLink("Two", None, None, False, 9)],
        ),
        (
            "Line one\nline two [[Soft]]\n",  # a soft line break inside a paragraph
            [WikiLink("Soft", None, None, False, 1)],
        ),
        (
            "| a | b |\n|---|---|\n| x | [[Cell\\|c]] |\n",
            [WikiLink("Cell", None, "c", False, 2)],
        ),
        (
            "- one\n- two\n  - [[Nested]]\n",
            [WikiLink("Nested", None, None, False, 2)],
        ),
        (
            "> [!note] About [[Title Link]]\n> body [[Body Link]]\n",
            [
                WikiLink("Title Link", None, None, False, 0),
                WikiLink("Body Link", None, None, False, 1),
            ],
        ),
        (
            "# Call with [[Ada]]\n",
            [WikiLink("Ada", None, None, False, 0)],
        ),
        (
            # Footnotes are rendered at the end, but their links keep their place.
            "Intro\n\nText.^[Inline note\nabout [[Ada]]] and [[Later]]\n\n"
            "More[^n].\n\n[^n]: Defined [[Bob]].\n",
            [
                WikiLink("Ada", None, None, False, 3),
                WikiLink("Later", None, None, False, 3),
                WikiLink("Bob", None, None, False, 7),
            ],
        ),
        (
            "Text[^a]\n\n[^a]: Defined [[Bob]]\n\nLater [[Carl]]\n",
            [WikiLink("Bob", None, None, False, 2), WikiLink("Carl", None, None, False, 4)],
        ),
        (
            # Pasted HTML is text by default, so links inside it still count.
            '<div class="mail">\nMet [[Ada]]\n</div>\n\n<span title="[[Bob]]">x</span>\n',
            [WikiLink("Ada", None, None, False, 1), WikiLink("Bob", None, None, False, 4)],
        ),
    ],
)
def test_links_collected(markdown, links):
    assert list(parse_body(markdown).links) == links


def test_links_keep_their_lines_after_front_matter_style_blank_lines():
    body = "\n\n\nfirst [[A]]\n\n\n\nsecond [[B]] and [[C]]\n"
    assert [(link.target, link.line) for link in parse_body(body).links] == [
        ("A", 3),
        ("B", 7),
        ("C", 7),
    ]


# --------------------------------------------------------------------------------------
# Tags


@pytest.mark.parametrize(
    ("markdown", "tags"),
    [
        ("#project", ("project",)),
        ("Working on #Project and #project and #PROJECT.", ("project",)),
        ("#inbox/to-read #a_b #2024-review", ("inbox/to-read", "a_b", "2024-review")),
        ("#café et #日本 и #тег", ("café", "日本", "тег")),
        ("#हिन्दी #ελληνικά", ("हिन्दी", "ελληνικά")),  # combining marks are part of a word
        ("(#paren) and #end.", ("paren", "end")),
        ("- [ ] call #followup", ("followup",)),
        ("# Heading\n\n## Sub #intag", ("intag",)),
        ("#first then #second then #first", ("first", "second")),
        # Not tags:
        ("#123 and #2024", ()),
        ("# Title", ()),
        ("word#inside and a#b", ()),
        ("`#code` and\n\n```\n#fenced\n```\n\n    #indented\n", ()),
        ("https://x.com/#frag and http://e.org/page#top", ()),
        ("[a](#anchor) and [b](https://x.com/#frag) and <https://x.com/#auto>", ()),
        ("&#123; and &#x41; and &#65", ()),
        ("[[Note#Heading]] ![[Note#Part]]", ()),
        ("**#bold**", ()),
        ("[about #topic](https://x.com)", ()),
    ],
)
def test_tags_collected(markdown, tags):
    assert parse_body(markdown).tags == tags


@pytest.mark.parametrize(
    ("markdown", "href", "text"),
    [
        ("#project", "/tags/project/", "#project"),
        ("#Project/Alpha", "/tags/project/alpha/", "#Project/Alpha"),
        ("#café", "/tags/café/", "#café"),
    ],
)
def test_tags_render_as_links(markdown, href, text):
    html = render(f"About {markdown} here", tag_url=tag_url)
    tag = only(html, "a", "tag")
    assert tag.attrs["href"] == href
    assert tag.text == text


def test_tags_render_as_spans_without_a_tag_url():
    html = render("About #project here")
    assert only(html, "span", "tag").text == "#project"
    assert elements(html, "a") == []


@pytest.mark.parametrize("markdown", ["#123", "x#y", "`#code`", "[a](#anchor)"])
def test_non_tags_render_as_text(markdown):
    html = render(markdown, tag_url=tag_url)
    assert elements(html, cls="tag") == []


# --------------------------------------------------------------------------------------
# Headings


def test_headings_collected_and_ids_deduplicated():
    parsed = parse_body("# Plans\n\n## Plans\n\n### Plans\n\n## Next *steps*\n\nText\n---\n")
    assert parsed.headings == ("Plans", "Plans", "Plans", "Next steps", "Text")
    html = render_body(parsed, resolve)
    ids = [e.attrs["id"] for e in elements(html) if e.tag in ("h1", "h2", "h3")]
    assert ids == ["plans", "plans-2", "plans-3", "next-steps", "text"]


def test_heading_link_anchor_matches_the_heading_id():
    target = render("## Early life & family")
    link = render("[[Ada Lovelace#Early life & family]]")
    heading_anchor = only(target, "h2").attrs["id"]
    assert only(link, "a").attrs["href"] == "/people/ada-lovelace/#" + heading_anchor


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Early life", "early-life"),
        ("  Q&A:  next   steps! ", "qa-next-steps"),
        ("Café — Zürich", "café-zürich"),
        ("日本 メモ", "日本-メモ"),
        ("हिन्दी नोट", "हिन्दी-नोट"),
        ("snake_case-and-dash", "snake_case-and-dash"),
        ("???", "section"),
    ],
)
def test_heading_id(text, slug):
    assert heading_id(text) == slug


def test_heading_text_is_escaped():
    html = render("# <script>alert(1)</script>")
    assert "<script>" not in html
    assert only(html, "h1").text == "<script>alert(1)</script>"


# --------------------------------------------------------------------------------------
# Callouts


@pytest.mark.parametrize(
    ("markdown", "outer", "classes", "title", "is_open"),
    [
        ("> [!note]\n> Body", "div", {"callout", "callout-note"}, "Note", None),
        ("> [!NOTE] Heads up\n> Body", "div", {"callout", "callout-note"}, "Heads up", None),
        ("> [!tip]- Folded\n> Body", "details", {"callout", "callout-tip"}, "Folded", False),
        ("> [!tip]+ Unfolded\n> Body", "details", {"callout", "callout-tip"}, "Unfolded", True),
        ("> [!faq]-\n> Body", "details", {"callout", "callout-faq"}, "Faq", False),
        ("> [!My Type!]\n> Body", "div", {"callout", "callout-my-type"}, "My-type", None),
    ],
)
def test_callouts(markdown, outer, classes, title, is_open):
    html = render(markdown)
    box = only(html, outer, "callout")
    assert box.classes() == classes
    title_tag = "summary" if outer == "details" else "div"
    assert only(html, title_tag, "callout-title").text.strip() == title
    assert only(html, "div", "callout-content").text.strip() == "Body"
    if is_open is not None:
        assert ("open" in box.attrs) is is_open
    assert elements(html, "blockquote") == []
    assert "[!" not in html


def test_callout_content_and_title_are_markdown():
    html = render(
        "> [!warning] Ask *Ada* about [[Bob]]\n"
        "> Some **bold** text, a #tag and [[Ada Lovelace]].\n"
        ">\n"
        "> - [ ] a task\n"
        "> - item\n",
        tag_url=tag_url,
    )
    title = only(html, "div", "callout-title")
    assert title.text == "Ask Ada about Bob"
    assert only(html, "em").text == "Ada"
    content = only(html, "div", "callout-content")
    assert "Some bold text, a #tag and Ada Lovelace." in content.text
    assert only(html, "strong").text == "bold"
    assert [a.attrs["href"] for a in elements(html, "a", "wikilink")] == [
        "/people/bob/",
        "/people/ada-lovelace/",
    ]
    assert only(html, "a", "tag").attrs["href"] == "/tags/tag/"
    assert len(elements(html, "li")) == 2
    assert only(html, "input").attrs["type"] == "checkbox"


def test_nested_callouts():
    html = render("> [!note] Outer\n> text\n> > [!danger] Inner\n> > inner text\n")
    boxes = elements(html, "div", "callout")
    assert [sorted(b.classes()) for b in boxes] == [
        ["callout", "callout-note"],
        ["callout", "callout-danger"],
    ]
    assert "inner text" in boxes[0].text  # the inner callout is inside the outer one


def test_callout_title_is_escaped():
    html = render("> [!note] <script>alert(1)</script>\n> body")
    assert "<script>" not in html
    assert only(html, "div", "callout-title").text == "<script>alert(1)</script>"


def test_plain_blockquote_stays_a_blockquote():
    html = render("> Just a quote\n> [!note] not at the start")
    assert only(html, "blockquote").text.strip() == "Just a quote\n[!note] not at the start"
    assert elements(html, cls="callout") == []


# --------------------------------------------------------------------------------------
# Other Markdown


def test_task_list_checkboxes():
    html = render("- [ ] open\n- [x] done\n- plain\n")
    boxes = elements(html, "input")
    assert [b.attrs["type"] for b in boxes] == ["checkbox", "checkbox"]
    assert ["checked" in b.attrs for b in boxes] == [False, True]
    assert all("disabled" in b.attrs for b in boxes)
    assert [li.text.strip() for li in elements(html, "li")] == ["open", "done", "plain"]


def test_footnotes():
    html = render("Claim.[^1] Aside.^[Inline note.]\n\n[^1]: The source.\n")
    refs = elements(html, "sup", "footnote-ref")
    assert [r.text for r in refs] == ["[1]", "[2]"]
    notes = elements(html, "li", "footnote-item")
    assert [n.text.replace("↩︎", "").strip() for n in notes] == ["The source.", "Inline note."]
    assert "[^1]" not in html


def test_strikethrough():
    assert only(render("~~gone~~ stays"), "s").text == "gone"


def test_tables():
    html = render("| a | b |\n|---|:-:|\n| 1 | 2 |\n")
    assert [c.text for c in elements(html, "th")] == ["a", "b"]
    assert [c.text for c in elements(html, "td")] == ["1", "2"]


def test_dataview_blocks_are_code():
    html = render('```dataview\nTABLE file.name FROM #people WHERE x > "<b>"\n```\n')
    code = only(html, "code")
    assert code.attrs["class"] == "language-dataview"
    assert code.text == 'TABLE file.name FROM #people WHERE x > "<b>"\n'
    assert elements(html, cls="tag") == []


def test_inline_fields_are_text():
    html = render("status:: active\nnext:: [[Ada]]")
    assert "status:: active" in text_of(html)
    assert only(html, "a").attrs["href"] == "/people/ada/"


def test_a_task_due_date_field_reads_as_a_date_not_as_markup():
    html = render("- [ ] Write it up [due:: 2026-12-05]\n- [ ] Call (scheduled:: 2026-01-09)\n")
    assert "::" not in html
    items = elements(html, "li", "task-list-item")
    assert [li.text.strip() for li in items] == [
        "Write it up due 5 Dec 2026",
        "Call scheduled 9 Jan 2026",
    ]
    times = elements(html, "time")
    assert [t.attrs["datetime"] for t in times] == ["2026-12-05", "2026-01-09"]
    assert [e.text for e in elements(html, "span", "field-key")] == ["due", "scheduled"]


@pytest.mark.parametrize(
    ("markdown", "shown"),
    [
        # Dataview shows a bracketed field's key and value, a parenthesised one's value.
        ("Mood [mood:: *happy*] today", "Mood mood: happy today"),
        ("We met at (place:: the conference) in May", "We met at the conference in May"),
        ("[with:: [[Ada]] (and Bob)] came", "with: Ada (and Bob) came"),
        ("[note:: a `b] c` d] e", "note: a b] c d e"),
        ("[due:: soon] or [due:: 2026-02-30]", "due: soon or due: 2026-02-30"),
        ("[note:: escaped \\] bracket]", "note: escaped ] bracket"),
    ],
)
def test_inline_fields_in_brackets_show_their_words(markdown, shown):
    html = render(markdown)
    assert "::" not in html
    assert text_of(html) == shown


def test_an_inline_fields_value_is_markdown_and_its_links_are_collected():
    parsed = parse_body("one\ntwo [source:: [[Ada]]] and (who:: <b>x</b>)")
    assert [(link.target, link.line) for link in parsed.links] == [("Ada", 1)]
    html = render_body(parsed, resolve)
    assert only(html, "a").attrs["href"] == "/people/ada/"
    assert "<b>" not in html
    assert only(html, "span", "field-key").text == "source:"


@pytest.mark.parametrize(
    "markdown",
    ["[key:: no end", "[[Ada]] [x](/y) (plain) (a: b)", "[see https://x.org/a:: b]", "[:: v]"],
)
def test_not_inline_fields(markdown):
    assert elements(render(markdown), cls="field") == []


def test_inline_fields_inside_code_stay_as_written():
    html = render("`[due:: 2026-12-05]`\n\n```\n- [ ] x (due:: 2026-12-05)\n```\n")
    assert elements(html, cls="field") == [] and elements(html, "time") == []
    assert [c.text for c in elements(html, "code")] == [
        "[due:: 2026-12-05]",
        "- [ ] x (due:: 2026-12-05)\n",
    ]


def test_inline_fields_survive_sanitising():
    html = render_body(
        parse_body("- [ ] x [due:: 2026-12-05] [k:: v]", allow_html=True),
        resolve,
        allow_html=True,
    )
    assert only(html, "time").attrs["datetime"] == "2026-12-05"
    assert [e.text for e in elements(html, "span", "field-key")] == ["due", "k:"]


def test_single_line_breaks_are_kept_like_obsidian():
    assert len(elements(render("one\ntwo"), "br")) == 1


# --------------------------------------------------------------------------------------
# Links and images from ordinary Markdown


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=1", "http://example.com", "mailto:ada@example.com"]
)
def test_external_links_get_rel_and_class(url):
    link = only(render(f"[site]({url})"), "a")
    assert link.attrs["href"] == url
    assert link.attrs["rel"] == "noopener noreferrer"
    assert "external" in link.classes()


def test_autolinks_are_external_too():
    link = only(render("<https://example.com>"), "a")
    assert (link.attrs["rel"], link.classes()) == ("noopener noreferrer", {"external"})


@pytest.mark.parametrize("url", ["#section", "other/page.html", "../up.html"])
def test_local_links_are_not_external(url):
    link = only(render(f"[here]({url})"), "a")
    assert link.attrs["href"] == url
    assert "rel" not in link.attrs
    assert "external" not in link.classes()


@pytest.mark.parametrize(
    "markdown",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](data:image/png;base64,iVBORw0KGgo=)",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_dangerous_urls_are_not_linked(markdown):
    html = render(markdown)
    assert elements(html, "a") == []
    assert 'href="javascript' not in html.lower()


@pytest.mark.parametrize(
    "markdown",
    [
        "![x](data:image/png;base64,iVBORw0KGgo=)",
        "![x](https://tracker.example.com/pixel.gif)",
        "![x](//tracker.example.com/pixel.gif)",
    ],
)
def test_no_image_from_data_or_remote_urls(markdown):
    assert elements(render(markdown), "img") == []


def test_remote_markdown_image_becomes_a_link():
    html = render("![Team photo](https://cdn.example.com/team.jpg)")
    assert elements(html, "img") == []
    link = only(html, "a")
    assert link.attrs["href"] == "https://cdn.example.com/team.jpg"
    assert link.classes() == {"external", "remote-image"}
    assert link.attrs["rel"] == "noopener noreferrer"
    assert link.text == "image: Team photo"


def test_remote_image_inside_a_link_is_text():
    html = render("[![badge](https://img.example.com/b.svg)](https://example.com)")
    assert elements(html, "img") == []
    assert only(html, "a").attrs["href"] == "https://example.com"
    assert only(html, "span", "remote-image").text == "image: badge"


def test_local_markdown_image_stays_an_image():
    img = only(render('![A chart](attachments/chart.png "Q3")'), "img")
    assert (img.attrs["src"], img.attrs["alt"], img.attrs["title"]) == (
        "attachments/chart.png",
        "A chart",
        "Q3",
    )


# --------------------------------------------------------------------------------------
# Raw HTML (notes may hold pasted e-mail)

EMAIL = (
    "Pasted:\n\n"
    '<div style="color:red" onclick="steal()">Hello <b>Ada</b>'
    '<img src="https://tracker.example.com/open.gif?id=1"></div>\n\n'
    "<script>alert(1)</script>\n\n"
    '<iframe src="https://evil.example.com"></iframe>\n\n'
    'Inline <img src=https://tracker> and <span onmouseover="x()">hover</span>.\n'
)


def test_raw_html_is_escaped_by_default():
    html = render(EMAIL)
    assert "<script" not in html and "<div style" not in html and "<iframe" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=https://tracker&gt;" in html
    assert elements(html, "img") == []
    assert elements(html, "script") == []
    assert elements(html, "span") == []


def test_raw_html_allowed_is_sanitised():
    parsed = parse_body(EMAIL, allow_html=True)
    html = render_body(parsed, resolve, allow_html=True)
    assert only(html, "b").text == "Ada"  # ordinary formatting kept
    assert only(html, "span").text == "hover"
    assert elements(html, "script") == [] and "alert(1)" not in html
    assert elements(html, "iframe") == [] and "evil.example.com" not in html
    assert "tracker" not in html
    assert all("src" not in img.attrs for img in elements(html, "img"))
    for element in elements(html):
        assert not any(name.startswith("on") or name == "style" for name in element.attrs)


def test_raw_html_allowed_keeps_what_this_module_emits():
    body = (
        "# Title\n\n"
        "> [!tip]+ Open\n> text\n\n"
        "- [x] done\n\n"
        "[[Ada]] [[Nobody]] #tag [ext](https://e.com) ![[photo.png|50]]\n\n"
        'Note.[^1] <img src="local/pic.png" alt="pic">\n\n'
        "[^1]: Source.\n"
    )
    html = render_body(parse_body(body, allow_html=True), resolve, allow_html=True, tag_url=tag_url)
    assert only(html, "h1").attrs["id"] == "title"
    box = only(html, "details", "callout")
    assert box.classes() == {"callout", "callout-tip"} and "open" in box.attrs
    assert only(html, "summary", "callout-title").text == "Open"
    assert only(html, "div", "callout-content").text.strip() == "text"
    checkbox = only(html, "input")
    assert checkbox.attrs["type"] == "checkbox" and "checked" in checkbox.attrs
    assert "disabled" in checkbox.attrs
    assert only(html, "a", "missing").attrs["title"] == "No note named “Nobody”"
    assert only(html, "a", "tag").attrs["href"] == "/tags/tag/"
    assert only(html, "a", "external").attrs["rel"] == "noopener noreferrer"
    assert [img.attrs["src"] for img in elements(html, "img")] == [
        "/files/photo.png",
        "local/pic.png",
    ]
    assert only(html, "li", "footnote-item").attrs["id"] == "fn1"


def test_html_allowed_needs_a_body_parsed_with_it():
    # Parsed without raw HTML, the HTML is text already: it cannot be shown as HTML.
    with pytest.raises(ValueError, match="allow_html"):
        render_body(parse_body(EMAIL), resolve, allow_html=True)


def test_html_parsed_but_not_allowed_is_still_escaped():
    html = render_body(parse_body(EMAIL, allow_html=True), resolve)
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_task_checkboxes_survive_when_html_is_escaped():
    html = render_body(parse_body("- [ ] todo <b>x</b>", allow_html=True), resolve)
    assert only(html, "input").attrs["type"] == "checkbox"
    assert elements(html, "b") == []


# --------------------------------------------------------------------------------------
# Parse once, render later


def test_rendering_does_not_change_the_parsed_body():
    parsed = parse_body("# A\n\n![x](a.png) ![r](https://r.example/x.png) [[Ada]] #t\n")
    first = render_body(parsed, resolve, tag_url=tag_url)
    assert render_body(parsed, resolve, tag_url=tag_url) == first
    other = render_body(parsed, lambda link: "/elsewhere/")
    assert only(other, "a", "wikilink").attrs["href"] == "/elsewhere/"
    assert render_body(parsed, resolve, tag_url=tag_url) == first


def test_resolve_receives_the_collected_links():
    parsed = parse_body("[[Ada#Work|A]] and ![[photo.png]]\n")
    seen: list[WikiLink] = []

    def spy(link: WikiLink) -> str:
        seen.append(link)
        return "/x/"

    render_body(parsed, spy)
    assert seen == list(parsed.links)


def test_parsed_body_shape():
    parsed = parse_body("# H\n\n[[A]] #t")
    assert isinstance(parsed, ParsedBody)
    assert isinstance(parsed.links, tuple) and isinstance(parsed.tags, tuple)
    assert isinstance(parsed.headings, tuple) and isinstance(parsed.html, str)
    assert parse_body("").links == () and render_body(parse_body(""), resolve) == ""


def test_table_alignment_is_a_class_not_a_style_attribute():
    """The dashboard's Content Security Policy refuses style attributes."""
    html = render("| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n")
    assert 'class="align-left"' in html
    assert 'class="align-center"' in html
    assert 'class="align-right"' in html
    assert "style=" not in html
