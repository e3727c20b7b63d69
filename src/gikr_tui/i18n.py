"""The language gikr speaks to people: Chinese (zh) or English (en).

Chosen once per process: `--lang`, else `GIKR_LANG`, else the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG`; `zh*` means Chinese), else English.
Strings are written in English in the code and wrapped in `_()`; the
translations live in a gettext catalog (`locale/zh/LC_MESSAGES/gikr.po`)
that a translator can edit with the usual tools.  Machine-readable output
(jsonl keys, rule ids, status and severity words) never goes through here.

Use `N_()` to mark a string for the catalog where it is defined (a table of
titles, a message template) and `_()` where it is shown.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LANGUAGES = ("zh", "en")
DOMAIN = "gikr"
LOCALE_DIR = Path(__file__).parent / "locale"

_language: str | None = None
_translations: gettext.NullTranslations | None = None


def detect(env: os._Environ | dict | None = None) -> str:
    """The language the environment asks for."""
    env = os.environ if env is None else env
    chosen = (env.get("GIKR_LANG") or "").strip().lower()
    if chosen:
        return "zh" if chosen.startswith("zh") else "en"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(name) or "").strip()
        if value:  # the first one set decides, as in POSIX
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def _load(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return gettext.NullTranslations()
    # Compiled from the .po at load time (babel), so the catalog a translator
    # edits is the one that runs; no build step can be forgotten.
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(lang: str | None) -> str:
    """Use `lang` (zh or en; None: detect) from now on; returns the language in use."""
    global _language, _translations
    lang = (lang or detect()).lower()
    lang = "zh" if lang.startswith("zh") else "en"
    _language, _translations = lang, _load(lang)
    return lang


def language() -> str:
    if _language is None:
        set_language(None)
    return _language  # type: ignore[return-value]


def _(message: str) -> str:
    """`message` in the language in use."""
    if _translations is None:
        set_language(None)
    return _translations.gettext(message)  # type: ignore[union-attr]


def ngettext(singular: str, plural: str, n: int) -> str:
    if _translations is None:
        set_language(None)
    return _translations.ngettext(singular, plural, n)  # type: ignore[union-attr]


def comma() -> str:
    """What separates the items of a list in a sentence: ", " or "，"."""
    return "，" if language() == "zh" else ", "


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet."""
    return message
