"""The README and the guides under docs/ hold together: every link inside the repository leads somewhere, none
leads out of it (a clone has nothing beside the repository), the README stays short enough to read in five minutes,
and every `make` target it names exists."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
README_MAX_LINES = 250

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1")
# [text](target "title") and ![alt](target); the text may hold one level of brackets, as in [`x[0]`](…).
INLINE_LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
MAKE_IN_CODE = re.compile(r"(?:^|[\s;&|(])make\s+([A-Za-z0-9_][A-Za-z0-9_.-]*)")
MAKE_RULE = re.compile(r"^([A-Za-z0-9_.][A-Za-z0-9_. -]*?)\s*::?(?!=)")


def documents() -> list[Path]:
    return [README, *sorted((ROOT / "docs").rglob("*.md"))]


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """The lines outside fenced code blocks, with inline code removed: links and headings live there."""
    lines, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append((number, INLINE_CODE.sub("", line)))
    return lines


def links(path: Path) -> list[tuple[int, str]]:
    found = []
    for number, line in prose_lines(path):
        found += [(number, target) for target in INLINE_LINK.findall(line)]
        reference = REFERENCE_LINK.match(line)
        if reference:
            found.append((number, reference.group(1)))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped (letters of every script, digits, `_` and `-`
    stay), spaces become hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading anchors by its text
    # HTML tags vanish, but inside code `<id>` is text: ``/tasks/<id>`` anchors as "tasksid".
    parts = re.split(r"(`+[^`]*`+)", text)
    text = "".join(part if part.startswith("`") else re.sub(r"<[^>]+>", "", part) for part in parts)
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


@cache
def anchors(path: Path) -> frozenset[str]:
    seen: dict[str, int] = {}
    result, fenced = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        heading = None if fenced else HEADING.match(line)
        if not heading:
            continue
        base = slug(heading.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return frozenset(result)


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_readme_and_the_guides_exist():
    assert README.is_file()
    assert len(documents()) > 1, "docs/ holds the guides the README links to"


@pytest.mark.parametrize("document", documents(), ids=relative)
def test_every_relative_link_leads_to_a_file_in_the_repository(document: Path):
    problems = []
    for number, target in links(document):
        where = f"{relative(document)}:{number}: {target}"
        if not target or SCHEME.match(target):
            continue  # https:, mailto: … are not files of the repository
        path_part, _, anchor = target.partition("#")
        if path_part.startswith("/"):
            problems.append(f"{where} is an absolute path; link relative to the document")
            continue
        resolved = (document.parent / path_part).resolve() if path_part else document
        if resolved != ROOT and ROOT not in resolved.parents:
            problems.append(f"{where} leads outside the repository")
            continue
        if not resolved.exists():
            problems.append(f"{where} does not exist")
            continue
        if anchor:
            if resolved.suffix != ".md" or not resolved.is_file():
                problems.append(f"{where} has an anchor but is not a Markdown file")
            elif anchor not in anchors(resolved):
                problems.append(f"{where}: no heading with the anchor #{anchor} in {relative(resolved)}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("document", documents(), ids=relative)
def test_nothing_refers_to_files_outside_the_repository(document: Path):
    text = document.read_text(encoding="utf-8")
    assert "../shared" not in text, f"{relative(document)} refers to ../shared, which a clone does not have"


def test_the_readme_is_read_in_five_minutes():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < README_MAX_LINES, f"README.md has {len(lines)} lines; move detail into docs/"


def makefile_targets() -> set[str]:
    targets = set()
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        if line.startswith((".PHONY:", "\t", "#")):
            continue
        rule = MAKE_RULE.match(line)
        if rule:
            targets.update(rule.group(1).split())
    return targets


def make_commands_in_readme() -> set[str]:
    """`make X` as a command: in inline code or in a fenced code block (prose may say “make” in English)."""
    named, fenced = set(), False
    for line in README.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        spans = [line] if fenced else [code for _, code in INLINE_CODE.findall(line)]
        for span in spans:
            named.update(MAKE_IN_CODE.findall(span))
    return named


def test_every_make_target_the_readme_names_exists():
    named = make_commands_in_readme()
    assert {"run", "test"} <= named, "the README names the two commands"
    missing = sorted(named - makefile_targets())
    assert not missing, f"README names make targets the Makefile does not have: {missing}"


def test_every_guide_is_reachable_from_the_readme():
    """A page nobody links to is a page nobody reads: every document under docs/ is linked from the README or from
    a document the README leads to."""
    reached, queue = {README}, [README]
    while queue:
        document = queue.pop()
        for _, target in links(document):
            path_part = target.partition("#")[0]
            if not path_part or SCHEME.match(target) or path_part.startswith("/"):
                continue
            resolved = (document.parent / path_part).resolve()
            if resolved.suffix == ".md" and resolved.is_file() and resolved not in reached:
                reached.add(resolved)
                queue.append(resolved)
    orphans = [relative(path) for path in documents() if path.resolve() not in reached]
    assert not orphans, f"documents no link leads to: {orphans}"
