#!/usr/bin/env python3
"""The translation catalogs: find the strings the code wraps, merge them into the .po files, check them.

    python scripts/catalog.py update   # new strings into every .po (untranslated), gone ones out
    python scripts/catalog.py check    # what the test suite checks: exit 1 and say what is wrong

Two gettext domains, each a `.po` file under src/gikr_tui/locale/<lang>/LC_MESSAGES/:

* `gikr`: every string the package wraps, found by babel's extractor with the
  keywords `_`, `N_`, `ngettext`, `msg` and `nmsg` (gikr_tui.msg: a message made
  in a worker and worded where it is shown).  `check` fails on a string the code
  wraps that the catalog lacks or leaves untranslated (or fuzzy), on an entry the
  code no longer uses, and on a translation whose placeholders differ from its
  msgid's.
* `argparse`: the words argparse itself prints (usage:, options:, its errors),
  found in the running Python's argparse module.  Entries for other Python
  versions may stay; every string of this one must be translated.

A translator edits the .po files with any gettext tool; gikr compiles them
when they are loaded (gikr_tui.i18n), so there is no build step to forget.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "gikr_tui"
LOCALE = PACKAGE / "locale"
LANGUAGES = ("zh",)
# name: None (the first argument is the message) or the positions of singular and plural
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "msg": None, "nmsg": (1, 2)}
ARGPARSE_KEYWORDS = {"_": None, "ngettext": (1, 2)}
_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdrifgx%]")


def _add(catalog: Catalog, found) -> None:
    for filename, lineno, message, comments, context in found:
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        if isinstance(message, tuple):
            message = message[:2]  # babel gives a tuple for the keywords with a plural position
        existing = catalog.get(message[0] if isinstance(message, tuple) else message, context)
        if existing is not None and isinstance(message, tuple) != isinstance(existing.id, tuple):
            raise SystemExit(f"{filename}:{lineno}: {message!r} is used both with and without a plural")
        catalog.add(message, None, [(str(filename), lineno)], auto_comments=comments, context=context)


def template(domain: str = "gikr") -> Catalog:
    """Every string the code wraps, as a catalog without translations."""
    catalog = Catalog(project="gikr", domain=domain, charset="utf-8", fuzzy=False)
    if domain == "gikr":
        found = extract_from_dir(str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
                                 comment_tags=("TRANSLATORS:",), strip_comment_tags=True)
        # babel warns of every f-string among a keyword call's arguments, values included
        # (msg("{size} GB", size=f"{n:.1f}")); tests/test_i18n.py checks that the messages are literals
        with contextlib.redirect_stderr(io.StringIO()):
            _add(catalog, ((str(Path("src/gikr_tui") / f), *rest) for f, *rest in found))
    else:
        source = argparse.__file__
        _add(catalog, ((f"argparse.py (Python {sys.version_info[0]}.{sys.version_info[1]})", lineno, m, c, ctx)
                       for lineno, m, c, ctx in extract_from_file("python", source, keywords=ARGPARSE_KEYWORDS)))
    return catalog


def po_path(lang: str, domain: str = "gikr") -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def load(lang: str, domain: str = "gikr") -> Catalog:
    with open(po_path(lang, domain), "rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def save(catalog: Catalog, lang: str, domain: str = "gikr") -> None:
    path = po_path(lang, domain)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        # no line numbers: a reference that moves with every edit above it is noise in the diff
        write_po(fh, catalog, width=100, omit_header=False, include_previous=True, include_lineno=False)


def placeholders(text: str) -> list[str]:
    """The fields `text` fills: `{name}` (str.format, gikr) and `%(name)s` / `%s` (argparse)."""
    fields = []
    try:
        for _literal, name, spec, _conversion in string.Formatter().parse(text):
            if name is not None:
                fields.append("{" + name + (":" + spec if spec else "") + "}")
    except ValueError:
        fields.append("<unbalanced braces>")
    fields += [m.group(0) for m in _PERCENT.finditer(text) if m.group(0) != "%%"]
    return sorted(fields)


def problems(lang: str, domain: str = "gikr") -> list[str]:
    """What is wrong with one catalog: each a line naming the entry."""
    wanted = template(domain)
    try:
        have = load(lang, domain)
    except FileNotFoundError:
        return [f"{po_path(lang, domain)}: missing"]
    out: list[str] = []
    for message in wanted:
        if not message.id:
            continue
        entry = have.get(message.id, message.context)
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        if entry is None:
            out.append(f"missing: {message.id!r} ({where})")
            continue
        forms = entry.string if isinstance(entry.string, (tuple, list)) else (entry.string,)
        if entry.fuzzy or not all(forms):
            out.append(f"untranslated{' (fuzzy)' if entry.fuzzy else ''}: {message.id!r} ({where})")
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        want = placeholders(ids[-1])
        if any(not set(placeholders(i)) <= set(want) for i in ids) and domain == "gikr":
            # (the singular may leave the count out: "your edit", "your {n} edits")
            out.append(f"the singular fills a field the plural does not: {message.id!r}")
        for form in forms:
            if placeholders(form) != want:
                out.append(f"placeholders differ: {message.id!r} has {want}, the translation {form!r} has "
                           f"{placeholders(form)}")
    if domain == "gikr":  # argparse's catalog may keep other Python versions' strings
        for entry in have:
            if entry.id and wanted.get(entry.id, entry.context) is None:
                out.append(f"no longer used: {entry.id!r}")
    return out


def update(lang: str, domain: str = "gikr") -> tuple[int, int]:
    """Merge the code's strings into the .po: (new entries, entries dropped)."""
    wanted = template(domain)
    try:
        catalog = load(lang, domain)
    except FileNotFoundError:
        catalog = Catalog(locale=lang, domain=domain, project="gikr", charset="utf-8", fuzzy=False)
    before = {e.id for e in catalog if e.id}
    keep_old = domain != "gikr"
    old = {(e.id, e.context): e for e in catalog if e.id} if keep_old else {}
    catalog.update(wanted, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    catalog.obsolete.clear()
    for (mid, context), entry in old.items():  # argparse: other Python versions' strings stay
        if catalog.get(mid, context) is None:
            catalog[mid] = entry
    after = {e.id for e in catalog if e.id}
    save(catalog, lang, domain)
    return len(after - before), len(before - after)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="catalog.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("update", "check"))
    ns = parser.parse_args(argv)
    bad = 0
    for lang in LANGUAGES:
        for domain in ("gikr", "argparse"):
            if ns.command == "update":
                new, gone = update(lang, domain)
                print(f"{po_path(lang, domain).relative_to(ROOT)}: {new} new, {gone} dropped")
            found = problems(lang, domain)
            for line in found:
                print(f"{po_path(lang, domain).relative_to(ROOT)}: {line}")
            bad += len(found)
    if bad:
        print(f"{bad} problems", file=sys.stderr)
    return 1 if bad and ns.command == "check" else 0


if __name__ == "__main__":
    sys.exit(main())
