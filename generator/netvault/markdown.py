"""Parsing note bodies (Obsidian-flavoured Markdown) and rendering them to safe HTML.

Parsing and rendering are separate steps: the build parses every note once, to learn
its wikilinks, tags and headings and to render it into a template, and fills in the
template's links later, once every note's URL is known.

One `MarkdownIt` instance, built at import, serves every call. It holds no per-note
state: what a parse or a render needs travels in markdown-it's `env` dictionary, and
a `ParsedBody` can be rendered again and again.

Privacy: raw HTML in a note is shown as text unless the site opts in with
`allow_html`, in which case the rendered page is sanitised with nh3. Nothing rendered
makes a network request: remote images become plain links.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from datetime import date
from html import unescape
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block.html_block import html_block as _html_block_rule
from markdown_it.rules_block.state_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.rules_inline.html_inline import html_inline as _html_inline_rule
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import footnote_inline as _footnote_inline_rule
from mdit_py_plugins.tasklists import tasklists_plugin

from .dates import DateError, parse_date, short_date
from .records import record
from .text import clean

__all__ = ["ParsedBody", "WikiLink", "heading_id", "parse_body", "plain_text", "render_body"]


@record
class WikiLink:
    """One `[[wikilink]]` or `![[embed]]` as written in a note."""

    target: str  # note name or path as written, without '#heading' or '.md'; '' for [[#Heading]]
    heading: str | None  # "Heading" from [[Note#Heading]], else None
    text: str | None  # shown text from [[Note|text]] (for image embeds: the size), else None
    embed: bool  # True for ![[...]]
    line: int  # 0-based line within the body where it appears


@record
class ParsedBody:
    """A note body, parsed and rendered once: a template and what the build needs to know.

    It holds no markdown-it tokens (they take ten times the memory of the text), nor the
    text itself, so it is small, picklable and independent of every other note. A
    vault holds tens of thousands of them at once.
    """

    # The rendered body with slots for links, tags and raw HTML (see render_body), as
    # compressed UTF-8: one emoji anywhere (Obsidian's 📅 on a task) makes a str take
    # four bytes a character, and compressing takes the rest down to about 40 %.
    template: bytes
    slots: tuple[tuple[str, Any], ...]  # what fills each slot, in order
    links: tuple[WikiLink, ...]  # every wikilink and embed, in order (none from code)
    tags: tuple[str, ...]  # every #tag, without '#', lower-cased, first-seen order
    headings: tuple[str, ...]  # heading texts, in order
    raw_html: bool = False  # whether raw HTML was kept as HTML tokens (parse_body(allow_html=))

    @property
    def html(self) -> str:
        """The template as text."""
        return zlib.decompress(self.template).decode()


EMPTY_BODY = ParsedBody(zlib.compress(b""), (), (), (), ())


# --------------------------------------------------------------------------------------
# Constants

IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "webp", "svg", "avif", "bmp"})

# Keys of markdown-it's `env` used by this module (namespaced: plugins share `env`).
_RAW_HTML = "netvault_raw_html"  # parse: keep raw HTML as HTML tokens
_SLOTS = "netvault_slots"  # render: the slots of the template being rendered

_CALLOUT_HEAD = re.compile(r"\[!([^\]\n]+)\]([+-]?)[ \t]*(.*)")
_CALLOUT_TYPE_DROP = re.compile(r"[^a-z0-9-]+")
_CALLOUT_TYPE_DASH = re.compile(r"[\s_]+")
_EMBED_SIZE = re.compile(r"(\d{1,5})(?:x(\d{1,5}))?")
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.\-]*:")
_BAD_SCHEME = re.compile(r"(?:javascript|vbscript|file|data):", re.IGNORECASE)
_FILE_EXTENSION = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,7}$")
_MD_SUFFIX = re.compile(r"\.md$", re.IGNORECASE)
# Browsers drop tabs and newlines anywhere in a URL, and C0 controls and spaces at its ends.
_URL_INVISIBLE = dict.fromkeys(map(ord, "\t\n\r"), None)
_URL_TRIM = "".join(map(chr, range(0x21)))
_TAG_PUNCTUATION = frozenset("_-/")
# A Dataview inline field's key: up to its `::`, on one line, no brackets, code or colon.
_FIELD_KEY = re.compile(r"[^\[\]()`\n:]+?(?=::)")
_FIELD_CLOSE = {"[": "]", "(": ")"}
# Fields whose date reads as a date: Obsidian Tasks' and Dataview's task dates.
_DATE_FIELDS = frozenset({"due", "scheduled", "start", "created", "completion"})
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_BACKTICKS = re.compile("`+")
_EXTERNAL_REL = "noopener noreferrer"


# --------------------------------------------------------------------------------------
# Helpers


def heading_id(text: str) -> str:
    """The slug used as a heading's `id` and as the anchor of `[[Note#Heading]]`.

    Lower-cased; letters and digits of any script, `_` and `-` kept; runs of spaces and
    dashes become one `-`; other punctuation dropped. Never empty.
    """
    out: list[str] = []
    dash = False
    for ch in clean(text).lower():
        if ch.isalnum() or ch == "_" or unicodedata.category(ch)[0] == "M":
            if dash and out:
                out.append("-")
            dash = False
            out.append(ch)
        elif ch == "-" or ch.isspace():
            dash = True
    return "".join(out) or "section"


def _is_local_url(url: str) -> bool:
    """True for a relative URL (a path or an anchor): one that cannot leave the site."""
    bare = url.translate(_URL_INVISIBLE).strip(_URL_TRIM)
    if _SCHEME.match(bare):
        return False
    # '//host' is protocol-relative; browsers read '\' as '/'.
    return not (len(bare) >= 2 and bare[0] in "/\\" and bare[1] in "/\\")


def _validate_link(url: str) -> bool:
    """markdown-it's link check, stricter: no javascript:, vbscript:, file: or data: at all."""
    return not _BAD_SCHEME.match(url.translate(_URL_INVISIBLE).strip(_URL_TRIM))


def _is_image(target: str) -> bool:
    name = target.rpartition("/")[2]
    return "." in name and name.rpartition(".")[2].lower() in IMAGE_EXTENSIONS


def _default_text(link: WikiLink) -> str:
    """What Obsidian shows for a link without `|text`: the link as written."""
    if link.heading is None:
        return link.target
    heading = " › ".join(part.strip() for part in link.heading.split("#"))
    return f"{link.target} › {heading}" if link.target else heading


def _anchor(heading: str) -> str:
    # [[Note#Part#Sub]] names a sub-heading; the page anchor is the last one.
    return "#" + heading_id(heading.rpartition("#")[2])


# --------------------------------------------------------------------------------------
# Parser rules


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    """`[[Note]]`, `[[Note#Heading|text]]`, `![[embed]]` (also with `\\|` inside tables)."""
    src = state.src
    pos = state.pos
    if src.startswith("[[", pos):
        embed, start = False, pos + 2
    elif src.startswith("![[", pos):
        embed, start = True, pos + 3
    else:
        return False
    # In `[text [[Note]]](url)` markdown-it sees a nested link and drops the outer one,
    # so a wikilink never ends up inside another <a>.
    end = src.find("]]", start, state.posMax)
    if end < 0:
        return False
    inner = src[start:end]
    if "\n" in inner or "[[" in inner:
        return False
    target_part, pipe, text = inner.replace("\\|", "|").partition("|")
    target, hash_, heading = target_part.partition("#")
    target = _MD_SUFFIX.sub("", target.strip())
    heading = heading.strip() if hash_ else ""
    if not target and not heading:
        return False
    if not silent:
        token = state.push("wikilink", "a", 0)
        token.content = inner
        token.meta = {
            "target": target,
            "heading": heading or None,
            "text": (text.strip() or None) if pipe else None,
            "embed": embed,
            "rel_line": src.count("\n", 0, pos),
        }
    state.pos = end + 2
    return True


def _tag_rule(state: StateInline, silent: bool) -> bool:
    """`#tag` and `#nested/tag`, after a line start, a space or `(`; not all digits."""
    src = state.src
    pos = state.pos
    if src[pos] != "#":
        return False
    if pos > 0:
        before = src[pos - 1]
        if not (before.isspace() or before == "("):
            return False
    if getattr(state, "linkLevel", 0) > 0:  # no tag links inside a link's text
        return False
    end = pos + 1
    maximum = state.posMax
    has_non_digit = False
    while end < maximum:
        ch = src[end]
        if ch.isdecimal():
            pass
        elif ch.isalnum() or ch in _TAG_PUNCTUATION or unicodedata.category(ch)[0] == "M":
            has_non_digit = True
        else:
            break
        end += 1
    if not has_non_digit:
        return False
    if not silent:
        token = state.push("tag", "a", 0)
        token.content = src[pos + 1 : end]
        token.markup = "#"
    state.pos = end
    return True


def _field_end(src: str, start: int, end: int, opener: str) -> int | None:
    """Where the field opened by `opener` closes: its bracket at depth 0, on this line.

    Code spans bind tighter than brackets, as in CommonMark: a bracket inside one is text.
    """
    closer = _FIELD_CLOSE[opener]
    depth = 0
    pos = start
    while pos < end:
        ch = src[pos]
        if ch == "\\":
            pos += 2  # an escaped character neither opens nor closes
            continue
        if ch == "`":
            run = _BACKTICKS.match(src, pos, end)
            assert run is not None
            same = re.compile(rf"(?<!`){run[0]}(?!`)").search(src, run.end(), end)
            if same is not None and "\n" not in src[pos : same.start()]:
                pos = same.end()  # past the code span
            else:
                pos = run.end()
            continue
        if ch == "\n":
            return None
        if ch == opener:
            depth += 1
        elif ch == closer:
            if depth == 0:
                return pos
            depth -= 1
        pos += 1
    return None


def _field_date(key: str, value: str) -> date | None:
    """The date a task-date field (`due`, `scheduled`, …) holds, if it holds just one."""
    if key.casefold() not in _DATE_FIELDS or not _ISO_DAY.fullmatch(value):
        return None
    try:
        return parse_date(value)
    except DateError:
        return None


def _push_parsed(state: StateInline, text: str, rel_line: int) -> None:
    """`text` parsed as inline Markdown of its own, its tokens added to `state`'s.

    Parsed apart, nothing in it can reach past its end (a code span or a link looking for
    its closing mark); the lines its links are on are those of the text in `state`.
    """
    children: list[Token] = []
    state.md.inline.parse(text, state.md, state.env, children)
    for child in children:
        child.level += state.level
        if "rel_line" in child.meta:
            child.meta["rel_line"] += rel_line
        state.tokens.append(child)
        state.tokens_meta.append(None)


def _field_rule(state: StateInline, silent: bool) -> bool:
    """Dataview's inline fields: `[key:: value]` (key and value shown), `(key:: value)` (value).

    The value is Markdown (a `[[link]]` in it is a link); a task date such as
    `[due:: 2026-12-05]` becomes a `<time>`.
    """
    src = state.src
    pos = state.pos
    opener = src[pos]
    if opener not in _FIELD_CLOSE:
        return False
    key_match = _FIELD_KEY.match(src, pos + 1, state.posMax)
    if key_match is None or not key_match[0].strip():
        return False
    key = key_match[0].strip()
    start = key_match.end() + 2
    end = _field_end(src, start, state.posMax, opener)
    if end is None:
        return False
    if not silent:
        value = src[start:end].strip()
        day = _field_date(key, value)
        # A date alone says nothing: a task's date keeps its key even in `(due:: …)`.
        shown = opener == "[" or day is not None
        token = state.push("field_open", "span", 1)
        token.meta = {"key": key, "shown": shown, "date": day}
        if day is None:
            _push_parsed(state, value, src.count("\n", 0, pos))
        state.push("field_close", "span", -1)
    state.pos = end + 1
    return True


def _gated_html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's HTML block rule, only when this parse keeps raw HTML."""
    if not state.env.get(_RAW_HTML):
        return False
    if not _html_block_rule(state, start, end, silent):
        return False
    if not silent:
        state.tokens[-1].meta["raw"] = True
    return True


def _gated_html_inline(state: StateInline, silent: bool) -> bool:
    """markdown-it's inline HTML rule, only when this parse keeps raw HTML."""
    if not state.env.get(_RAW_HTML):
        return False
    if not _html_inline_rule(state, silent):
        return False
    if not silent:
        state.tokens[-1].meta["raw"] = True
    return True


def _footnote_inline_with_line(state: StateInline, silent: bool) -> bool:
    """The footnote plugin's `^[inline note]` rule, remembering the line it is on."""
    pos = state.pos
    if not _footnote_inline_rule(state, silent):
        return False
    if not silent:
        state.tokens[-1].meta["rel_line"] = state.src.count("\n", 0, pos)
    return True


def _callout_type(raw: str) -> str:
    kind = _CALLOUT_TYPE_DROP.sub("", _CALLOUT_TYPE_DASH.sub("-", raw.strip().lower()))
    return kind.strip("-") or "note"


def _callouts(state: StateCore) -> None:
    """Turn blockquotes whose first line is `[!type]±? Title` into callout tokens.

    Runs after block parsing and before inline parsing, so the title line can be split
    off the first paragraph as raw text and then parsed as inline Markdown.
    """
    tokens = state.tokens
    if not any(t.type == "blockquote_open" for t in tokens):
        return
    out: list[Token] = []
    closers: list[list[Token] | None] = []  # per open blockquote: tokens that close it
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "blockquote_close":
            ends = closers.pop()
            if ends is not None:
                out.extend(ends)
                i += 1
                continue
        elif tok.type == "blockquote_open":
            head = None
            if (
                i + 3 < len(tokens)
                and tokens[i + 1].type == "paragraph_open"
                and tokens[i + 2].type == "inline"
                and tokens[i + 2].content.startswith("[!")
            ):
                head = _CALLOUT_HEAD.fullmatch(tokens[i + 2].content.partition("\n")[0])
            if head is None:
                closers.append(None)
            else:
                closers.append(_open_callout(tokens, i, head, out))
                i += 4  # blockquote_open, paragraph_open, inline, paragraph_close
                continue
        out.append(tok)
        i += 1
    state.tokens = out


def _open_callout(
    tokens: list[Token], i: int, head: re.Match[str], out: list[Token]
) -> list[Token]:
    """Append the tokens that open a callout; return the ones that will close it."""
    quote, para_open, inline, para_close = tokens[i : i + 4]
    raw_type, fold, title = head.groups()
    kind = _callout_type(raw_type)
    outer = "details" if fold else "div"
    level = quote.level
    line = quote.map[0] if quote.map else 0

    opener = Token("callout_open", outer, 1, block=True, map=quote.map, level=level, markup=">")
    opener.attrs["class"] = f"callout callout-{kind}"
    if fold == "+":
        opener.attrs["open"] = ""
    opener.meta = {"type": kind, "fold": fold}
    title_tag = "summary" if fold else "div"
    title_open = Token("callout_title_open", title_tag, 1, block=True, level=level + 1)
    title_open.attrs["class"] = "callout-title"
    # The default title is the (sanitised) type, which has no Markdown syntax in it.
    title_inline = Token("inline", "", 0, map=[line, line + 1], level=level + 2, children=[])
    title_inline.content = title.strip() or kind.capitalize()
    title_close = Token("callout_title_close", title_tag, -1, block=True, level=level + 1)
    body_open = Token("callout_content_open", "div", 1, block=True, level=level + 1)
    body_open.attrs["class"] = "callout-content"
    out += [opener, title_open, title_inline, title_close, body_open]

    _head, newline, rest = inline.content.partition("\n")
    if newline and rest.strip():
        # The rest of the first paragraph is the start of the callout's content.
        body_map = [inline.map[0] + 1, inline.map[1]] if inline.map else None
        para_open.map = body_map
        inline.map = body_map
        inline.content = rest
        out += [para_open, inline, para_close]

    body_close = Token("callout_content_close", "div", -1, block=True, level=level + 1)
    closer = Token("callout_close", outer, -1, block=True, level=level, markup=">")
    return [body_close, closer]


_ALIGN_STYLE = re.compile(r"text-align:\s*(left|center|right)")


def _table_align_classes(state: StateCore) -> None:
    """Column alignment as `class="align-right"`: the site's CSP forbids style attributes."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrGet("style")
            match = _ALIGN_STYLE.search(str(style)) if style else None
            if match:
                del token.attrs["style"]
                token.attrJoin("class", f"align-{match[1]}")


def _build() -> MarkdownIt:
    # `html` is on so markdown-it's HTML rules can run, but they are replaced by gated
    # versions that only fire when the parse asks for raw HTML (env[_RAW_HTML]).
    md = MarkdownIt(
        "commonmark",
        {"html": True, "linkify": False, "typographer": False, "breaks": True, "xhtmlOut": False},
    )
    md.enable(["table", "strikethrough"])
    md.block.ruler.at(
        "html_block", _gated_html_block, {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.inline.ruler.at("html_inline", _gated_html_inline)
    md.use(footnote_plugin)
    md.inline.ruler.at("footnote_inline", _footnote_inline_with_line)
    md.use(tasklists_plugin)  # checkboxes rendered disabled
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.inline.ruler.before("link", "field", _field_rule)
    md.inline.add_terminator_char("(")  # so that `(key:: value)` inside text is seen
    md.inline.ruler.push("tag", _tag_rule)
    md.core.ruler.after("block", "callouts", _callouts)
    md.core.ruler.push("table_align_classes", _table_align_classes)
    md.validateLink = _validate_link  # type: ignore[method-assign]
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("tag", _render_tag)
    md.add_render_rule("field_open", _render_field_open)
    md.add_render_rule("field_close", _render_field_close)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("html_block", _render_html_block)
    md.add_render_rule("html_inline", _render_html_inline)
    return md


# --------------------------------------------------------------------------------------
# After parsing: collect links, tags and headings; settle heading ids and external links


def _plain_text(children: Sequence[Token] | None) -> str:
    """A heading's text as a reader sees it (markup dropped)."""
    parts: list[str] = []
    for tok in children or ():
        kind = tok.type
        if kind in ("text", "code_inline"):
            parts.append(tok.content)
        elif kind == "wikilink":
            link = tok.meta.get("link")
            if link is not None:
                parts.append(link.text or _default_text(link))
        elif kind == "tag":
            parts.append("#" + tok.content)
        elif kind == "field_open":
            meta = tok.meta
            if meta["date"] is not None:
                parts.append(f"{meta['key']} {short_date(meta['date'])}")
            elif meta["shown"]:
                parts.append(meta["key"] + ": ")
        elif kind in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif kind == "image":
            parts.append(_plain_text(tok.children))
    return " ".join("".join(parts).split())


class _Collector:
    """Walks a freshly parsed token stream once, in document order."""

    def __init__(self, footnotes: dict[int, Any]) -> None:
        self.links: list[WikiLink] = []
        self.tags: dict[str, None] = {}
        self.headings: list[str] = []
        self.footnotes = footnotes  # the footnote plugin's list: id -> data
        self.walked_footnotes: set[int] = set()

    def walk(self, tokens: list[Token]) -> None:
        used_ids: set[str] = set()
        skip = False
        for i, tok in enumerate(tokens):
            kind = tok.type
            if kind == "inline":
                if not skip and (i == 0 or tokens[i - 1].type != "heading_open"):
                    self._inline(tok.children or [], tok.map[0] if tok.map else 0)
            elif kind == "heading_open":
                self._heading(tok, tokens[i + 1], used_ids)
            elif kind == "footnote_open":
                # An inline footnote's content was walked where its ^[ is.
                skip = tok.meta.get("id") in self.walked_footnotes
            elif kind == "footnote_close":
                skip = False
        # Footnote definitions were moved to the end; put their links back in line order.
        self.links.sort(key=lambda link: link.line)

    def _inline(self, children: list[Token], base: int) -> None:
        for tok in children:
            kind = tok.type
            if kind == "wikilink":
                meta = tok.meta
                link = WikiLink(
                    target=meta["target"],
                    heading=meta["heading"],
                    text=meta["text"],
                    embed=meta["embed"],
                    line=base + meta["rel_line"],
                )
                meta["link"] = link
                self.links.append(link)
            elif kind == "tag":
                self.tags.setdefault(sys.intern(tok.content.lower()), None)
            elif kind == "link_open":
                if not _is_local_url(str(tok.attrs.get("href", ""))):
                    tok.attrs["class"] = "external"
                    tok.attrs["rel"] = _EXTERNAL_REL
            elif kind == "footnote_ref" and "rel_line" in tok.meta:  # ^[inline footnote]
                ident = tok.meta["id"]
                content = self.footnotes.get(ident, {}).get("tokens")
                if content is not None and ident not in self.walked_footnotes:
                    self.walked_footnotes.add(ident)
                    self._inline(content, base + tok.meta["rel_line"])

    def _heading(self, opener: Token, inline: Token, used_ids: set[str]) -> None:
        # Links inside the heading must be known for its text: collect them first.
        self._inline(inline.children or [], inline.map[0] if inline.map else 0)
        text = _plain_text(inline.children)
        self.headings.append(text)
        base = heading_id(text)
        ident, n = base, 2
        while ident in used_ids:
            ident, n = f"{base}-{n}", n + 1
        used_ids.add(ident)
        opener.attrs["id"] = ident


def _parse(text: str, raw_html: bool) -> ParsedBody:
    env: dict[str, Any] = {_RAW_HTML: True} if raw_html else {}
    tokens = _MD.parse(text, env)
    collector = _Collector(env.get("footnotes", {}).get("list", {}))
    collector.walk(tokens)
    slots: list[Slot] = []
    env[_SLOTS] = slots
    html = _MD.renderer.render(tokens, _MD.options, env)
    return ParsedBody(
        template=zlib.compress(html.encode(), 1),  # level 1: quick, and as small as 6 here
        slots=tuple(slots),
        links=tuple(collector.links),
        tags=tuple(collector.tags),
        headings=tuple(collector.headings),
        raw_html=raw_html,
    )


def parse_body(text: str, *, allow_html: bool = False) -> ParsedBody:
    """Parse a note body once: tokens for `render_body`, plus its links, tags and headings.

    With `allow_html`, raw HTML is kept as HTML (for `render_body(allow_html=True)`,
    which sanitises it); otherwise it is ordinary text, as markdown-it's `html=False`.
    """
    return _parse(text, allow_html)


# --------------------------------------------------------------------------------------
# Rendering
#
# A body is rendered in two steps. At parse time markdown-it renders it once into a
# template: HTML in which every piece that depends on the rest of the vault (a
# wikilink's target, a tag's page) or on the site's settings (raw HTML) is a slot,
# `\x00n\x00`. markdown-it turns every NUL in its input into U+FFFD, so NUL never
# occurs in rendered text: a slot marker cannot be forged by a note. `render_body`
# then fills the slots, which costs a string substitution, not a Markdown render,
# and the template can be cached on disk and made in another process.

_SLOT = re.compile("\x00(\\d+)\x00")

# What a slot holds: ("link", WikiLink), ("tag", "name"), ("block" | "inline", raw HTML).
Slot = tuple[str, Any]


def _slot(env: Any, kind: str, value: Any) -> str:
    slots: list[Slot] = env[_SLOTS]
    slots.append((kind, value))
    return f"\x00{len(slots) - 1}\x00"


def _render_wikilink(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return _slot(env, "link", tokens[idx].meta["link"])


def _render_tag(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    return _slot(env, "tag", tokens[idx].content)


def _render_field_open(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    meta = tokens[idx].meta
    key, day = meta["key"], meta["date"]
    if day is not None:
        return (
            f'<span class="field"><span class="field-key">{escapeHtml(key)}</span> '
            f'<time datetime="{day.isoformat()}">{short_date(day)}</time>'
        )
    if meta["shown"]:
        return f'<span class="field"><span class="field-key">{escapeHtml(key)}:</span> '
    return f'<span class="field" title="{escapeHtml(key)}">'


def _render_field_close(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    return "</span>"


def _inside_link(tokens: Sequence[Token], idx: int) -> bool:
    depth = 0
    for tok in tokens[:idx]:
        if tok.type == "link_open":
            depth += 1
        elif tok.type == "link_close":
            depth -= 1
    return depth > 0


def _render_image(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    """Local images as <img>; remote ones as a link, so that nothing is fetched."""
    token = tokens[idx]
    src = str(token.attrs.get("src", ""))
    alt = self.renderInlineAsText(token.children, options, env)
    if _is_local_url(src):
        title = token.attrs.get("title")
        title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
        return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr}>'
    label = escapeHtml("image: " + (alt or src))
    if _inside_link(tokens, idx):  # an <a> cannot hold another one
        return f'<span class="remote-image">{label}</span>'
    return (
        f'<a href="{escapeHtml(src)}" class="external remote-image" rel="{_EXTERNAL_REL}">'
        f"{label}</a>"
    )


def _render_html_block(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    return _slot(env, "block", token.content) if token.meta.get("raw") else token.content


def _render_html_inline(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: Any
) -> str:
    token = tokens[idx]
    # Not raw: the task-list plugin's checkboxes, which are always kept.
    return _slot(env, "inline", token.content) if token.meta.get("raw") else token.content


@record
class _Filler:
    resolve: Callable[[WikiLink], str | None]
    tag_url: Callable[[str], str] | None
    allow_html: bool

    def fill(self, slot: Slot) -> str:
        kind, value = slot
        if kind == "link":
            return self.link(value)
        if kind == "tag":
            label = escapeHtml("#" + value)
            if self.tag_url is None:
                return f'<span class="tag">{label}</span>'
            return f'<a class="tag" href="{escapeHtml(self.tag_url(value.lower()))}">{label}</a>'
        if self.allow_html:
            return value
        if kind == "block":
            return "<p>" + escapeHtml(value.rstrip("\n")) + "</p>\n"
        return escapeHtml(value)

    def link(self, link: WikiLink) -> str:
        if link.embed and _is_image(link.target):
            return self.image(link)
        classes = "wikilink embed" if link.embed else "wikilink"
        label = link.text or _default_text(link)
        if not link.target:  # [[#Heading]]: a place in this same note
            href = _anchor(link.heading or "")
        else:
            found = self.resolve(link)
            if found is None:
                what = "file" if _FILE_EXTENSION.search(link.target) else "note"
                return _missing(classes, what, link, label)
            href = found + _anchor(link.heading) if link.heading else found
        return f'<a class="{classes}" href="{escapeHtml(href)}">{escapeHtml(label)}</a>'

    def image(self, link: WikiLink) -> str:
        src = self.resolve(link)
        if src is None:
            return _missing("wikilink embed", "file", link, link.target)
        if not _is_local_url(src):  # only local attachments are ever loaded
            return (
                f'<a class="wikilink embed external" href="{escapeHtml(src)}" '
                f'rel="{_EXTERNAL_REL}">{escapeHtml(link.target)}</a>'
            )
        alt = link.target
        size = ""
        if link.text:
            dims = _EMBED_SIZE.fullmatch(link.text)
            if dims is None:
                alt = link.text
            else:
                size = f' width="{dims[1]}"' + (f' height="{dims[2]}"' if dims[2] else "")
        return f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{size}>'


def _missing(classes: str, what: str, link: WikiLink, label: str) -> str:
    title = f"No {what} named “{link.target}”"
    return f'<a class="{classes} missing" title="{escapeHtml(title)}">{escapeHtml(label)}</a>'


def render_body(
    parsed: ParsedBody,
    resolve: Callable[[WikiLink], str | None],
    *,
    allow_html: bool = False,
    tag_url: Callable[[str], str] | None = None,
) -> str:
    """The body as HTML.

    `resolve(link)` gives the href of a wikilink's note or attachment, or None when
    there is none (the link is then shown as missing). `tag_url(tag)` gives the href
    of a (lower-cased) tag's page; without it tags are plain spans. With `allow_html`
    (for a body parsed with it), raw HTML in the note is kept and the whole result
    sanitised.
    """
    if allow_html and not parsed.raw_html:
        # Its raw HTML was parsed as text: there is nothing left to keep.
        raise ValueError("render_body(allow_html=True) needs parse_body(allow_html=True)")
    filler = _Filler(resolve, tag_url, allow_html)
    slots = parsed.slots
    html = parsed.html
    if slots:
        html = _SLOT.sub(lambda m: filler.fill(slots[int(m[1])]), html)
    return _sanitise(html) if allow_html else html


# Tags that end a block of text: dropping them would join the words either side.
_BLOCK_TAG = re.compile(r"</?(?:p|li|h[1-6]|br|hr|tr|td|th|div|pre|blockquote|ul|ol|table)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]*>")


def plain_text(parsed: ParsedBody) -> str:
    """The body as a reader reads it: words only, in one line, for search and snippets.

    A wikilink is the words it shows, a tag its `#name`, and raw HTML the text it
    was written as (as the page shows it unless the site allows HTML).
    """
    text = parsed.html
    if not text:
        return ""
    # The slots' markers hold no `<` or `&`: the tags and entities around them go first.
    text = unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", text)))
    slots = parsed.slots
    if slots:
        text = _SLOT.sub(lambda m: _slot_text(slots[int(m[1])]), text)
    return " ".join(text.split())


def _slot_text(slot: Slot) -> str:
    kind, value = slot
    if kind == "link":
        return value.text or _default_text(value)
    if kind == "tag":
        return "#" + value
    return f" {value} " if kind == "block" else value


# --------------------------------------------------------------------------------------
# Sanitising (only with allow_html)

_SAFE_CLASSES = frozenset(
    {
        "wikilink",
        "embed",
        "missing",
        "tag",
        "external",
        "remote-image",
        "callout",
        "task-list-item",
        "task-list-item-checkbox",
        "contains-task-list",
        "footnote-ref",
        "footnotes",
        "footnotes-sep",
        "footnotes-list",
        "footnote-item",
        "footnote-backref",
        "field",
        "field-key",
    }
)
_SAFE_CLASS_PREFIXES = ("callout-", "language-")  # callout-tip, callout-title, …


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attr == "src":
        return value if _is_local_url(value) else None
    if attr == "class":
        kept = [
            name
            for name in value.split()
            if name in _SAFE_CLASSES or name.startswith(_SAFE_CLASS_PREFIXES)
        ]
        return " ".join(kept) or None
    if tag == "input" and attr == "type":
        return value if value == "checkbox" else None
    return value


@functools.cache
def _sanitiser() -> Any:
    """The nh3 cleaner: built on first use (nh3 is only needed when raw HTML is allowed)."""
    import nh3

    tags = set(nh3.ALLOWED_TAGS) | {"section", "input", "details", "summary", "s", "del"}
    tags -= {"map", "area"}
    headings = {f"h{n}": {"id"} for n in range(1, 7)}
    attributes: dict[str, set[str]] = {
        **{name: set(allowed) for name, allowed in nh3.ALLOWED_ATTRIBUTES.items()},
        **headings,
        "a": {"href", "title", "class", "id"},
        "img": {"src", "alt", "title", "width", "height"},
        "span": {"class", "title"},
        "div": {"class"},
        "details": {"class", "open"},
        "summary": {"class"},
        "section": {"class"},
        "hr": {"class"},
        "ul": {"class"},
        "ol": {"class", "start"},
        "li": {"class", "id"},
        "sup": {"class", "id"},
        "code": {"class"},
        "input": {"class", "type", "checked"},
        "th": {"class"},
        "td": {"class"},
        "time": {"datetime"},
    }
    return nh3.Cleaner(
        tags=tags,
        attributes=attributes,
        attribute_filter=_attribute_filter,
        set_tag_attribute_values={"input": {"disabled": "disabled"}},
        link_rel=_EXTERNAL_REL,
    )


def _sanitise(html: str) -> str:
    return _sanitiser().clean(html)


_MD = _build()
