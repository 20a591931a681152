"""Every page of the example vault's dashboard, at a desktop and a phone width.

The pages are found by walking the built site, so a new page is swept without
anyone adding it to a list. One browser, one tab per width, reused for every page.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from netvault import build

pytestmark = pytest.mark.browser

TODAY = date(2026, 11, 20)

# What the page itself reports, in one evaluation: whether it, or a box in it,
# is wider than it is shown (and which element sticks out the furthest), and the
# visible text, outside code, that still shows Obsidian's link or field markup.
SURVEY = """() => {
  const name = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += "#" + el.id;
    for (const c of el.classList) text += "." + c;
    return text;
  };
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(name(e));
    }
    return parts.join(" > ");
  };
  // The element inside `root` whose box or own text reaches furthest past `edge`
  // (the outermost one, if several reach as far): the one to fix.
  const widest = (root, edge) => {
    let found = "nothing";
    const show = NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT;
    const walker = document.createTreeWalker(root, show);
    const range = document.createRange();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.nodeType === Node.TEXT_NODE;
      if (text) range.selectNodeContents(node);
      const right = (text ? range : node).getBoundingClientRect().right;
      if (right > edge + 0.5) {
        edge = right;
        found = (text ? path(node.parentElement) + " (its text)" : path(node)) +
          ", its right edge at " + Math.round(right + window.scrollX) + " px";
      }
    }
    return found;
  };
  const wide = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    wide.push("the page is " + root.scrollWidth + " px wide in a " + window.innerWidth +
      " px window; widest: " + widest(document.body, window.innerWidth - window.scrollX));
  }
  // A box that scrolls sideways hides its overflow from the page, not from the
  // reader. Code blocks keep their lines, and a large network graph its size
  // (.chart-scroll): both scroll on purpose.
  for (const el of document.body.querySelectorAll("*")) {
    if (el.scrollWidth <= el.clientWidth + 1 || el.closest("pre, .chart-scroll")) continue;
    const overflow = getComputedStyle(el).overflowX;
    if (overflow !== "auto" && overflow !== "scroll") continue;
    const edge = el.getBoundingClientRect().left + el.clientLeft + el.clientWidth;
    wide.push(path(el) + " scrolls sideways, " + el.scrollWidth + " px in " + el.clientWidth +
      " px; widest: " + widest(el, edge));
  }
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue;
    if (!text.includes("[[") && !text.includes("::")) continue;
    const parent = node.parentElement;
    if (parent.closest("code, pre, script, style, template") || !parent.checkVisibility()) {
      continue;
    }
    raw.push(path(parent) + ": " + text.trim().slice(0, 80));
  }
  return {wide: wide, raw: raw};
}"""


def site_pages(site: Path) -> list[Path]:
    """Every HTML page of the built site."""
    return sorted(site.rglob("*.html"))


def page_problems(tab, failed: list[str]) -> list[str]:
    """What is wrong with the page open in `tab`, one line each."""
    survey = tab.page.evaluate(SURVEY)
    found = [f"error: {error}" for error in tab.errors]
    found += [f"failed request: {request}" for request in failed]
    found += [
        f"request beyond file://: {url}" for url in tab.requests if not url.startswith("file://")
    ]
    found += survey["wide"]
    found += [f"raw markup in {text}" for text in survey["raw"]]
    return found


def sweep(tab, site: Path) -> list[str]:
    """Open every page of `site` in `tab`; what is wrong with each, one line each."""
    failed: list[str] = []
    tab.page.on(
        "requestfailed", lambda request: failed.append(f"{request.url} ({request.failure})")
    )
    problems: list[str] = []
    for path in site_pages(site):
        tab.requests.clear()
        tab.errors.clear()
        failed.clear()
        tab.open(path)
        rel = path.relative_to(site).as_posix()
        problems += [f"{rel}: {problem}" for problem in page_problems(tab, failed)]
    return problems


@pytest.mark.parametrize("width", [1400, 390])
def test_every_page_of_the_example_is_clean_private_and_fits_the_width(
    sized_tab, example_site, width
):
    """At a desktop and a phone width: no error, no request beyond the files, nothing
    to scroll sideways, and no [[link]] or field:: shown as written."""
    assert len(site_pages(example_site)) > 100
    problems = sweep(sized_tab(width), example_site)
    assert problems == [], f"{len(problems)} problems at {width} px:\n" + "\n".join(problems)


# Words and addresses too long for a phone's line, everywhere a note can put them.
WORD = "Donaudampfschifffahrtselektrizitaetenhauptbetriebswerkbauunterbeamtengesellschaft"
URL = "https://example.org/" + "a-very-long-path-segment-without-any-spaces" * 3 + "?q=" + "x" * 60
LONG = {
    f"contacts/Ada {WORD}.md": (
        f'---\norg: "[[{WORD} Ltd]]"\nrole: {WORD}\ntags: [{WORD.lower()}]\n'
        f"follow_up: 2026-11-13\nfollow_up_note: {URL}\nwebsite: {URL}\n---\n"
        f"{WORD} said: {URL}\n\nSee [the page]({URL}) and `{WORD}{WORD}`.\n\n"
        f"| Link | Word |\n| --- | --- |\n| {URL} | {WORD} |\n\n"
        f"- [ ] Read {URL} 📅 2026-11-25\n"
    ),
    f"orgs/{WORD} Ltd.md": f"---\nwebsite: {URL}\n---\n{URL}\n",
    f"interactions/2026-11-16 Coffee with {WORD}.md": (
        f'---\ntype: coffee\nwith: "[[Ada {WORD}]]"\nsummary: {WORD} {URL}\n'
        f"tags: [{WORD.lower()}]\n---\n{WORD}\n"
    ),
    f"goals/Work at {WORD}.md": (
        f'---\nstatus: active\ntargets: ["[[{WORD} Ltd]]"]\nroles: [{WORD}]\n---\n{URL}\n'
    ),
}


def test_long_words_and_addresses_wrap_at_a_phone_width(sized_tab, tmp_path):
    """A long word or URL in a note, its name or its fields wraps instead of
    widening the page or its table at 390 px. (On a wide screen a table keeps
    whole words, so a goal named with one this long scrolls in its table's box.)"""
    vault = tmp_path / "vault"
    for rel, text in LONG.items():
        path = vault / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    build.build(vault, tmp_path / "site", TODAY)
    problems = sweep(sized_tab(390), tmp_path / "site")
    assert problems == [], f"{len(problems)} problems at 390 px:\n" + "\n".join(problems)
