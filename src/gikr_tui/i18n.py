"""The language gikr speaks to people: Chinese (zh) or English (en).

Chosen once per process: `--lang`, else `GIKR_LANG`, else the locale
(`LC_ALL`, `LC_MESSAGES`, `LANG`; `zh*` means Chinese), else English.
Strings are written in English in the code and wrapped in `_()`; the
translations live in gettext catalogs (`locale/zh/LC_MESSAGES/gikr.po`, and
`argparse.po` for argparse's own words) that a translator edits with the
usual tools; `scripts/catalog.py` merges new strings in and checks them.
Machine-readable output (jsonl keys, rule ids, status and severity words)
never goes through here.

Use `N_()` to mark a string for the catalog where it is defined (a table of
titles, a message template) and `_()` where it is shown; a message made in a
worker is data until it is shown (`gikr_tui.msg`).

A catalog is compiled from its .po by babel the first time it is loaded, and
the compiled .mo is kept in the user cache folder under the .po's digest:
later runs load it with the standard library alone (importing babel and
parsing the .po would cost start-up and the inspector's first frame ~0.1 s).
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
from pathlib import Path

LANGUAGES = ("zh", "en")
DOMAIN = "gikr"
LOCALE_DIR = Path(__file__).parent / "locale"

_language: str | None = None
_translations: gettext.NullTranslations | None = None
_argparse: gettext.NullTranslations | None = None


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


def _compiled_dir() -> Path:
    override = os.environ.get("GIKR_CACHE_DIR")  # the result cache's folder (cache.cache_dir)
    if override:
        return Path(override) / "locale"
    import platformdirs

    return Path(platformdirs.user_cache_dir("gikr")) / "locale"


def _compile(po: bytes, lang: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def load(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The catalog of `domain` in `lang` (English: the source, no catalog)."""
    if lang == "en":
        return gettext.NullTranslations()
    try:
        po = (LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po").read_bytes()
    except OSError:
        return gettext.NullTranslations()
    name = f"{domain}-{lang}-{hashlib.blake2b(po, digest_size=10).hexdigest()}.mo"
    folder = _compiled_dir()
    try:
        mo = (folder / name).read_bytes()
        return gettext.GNUTranslations(io.BytesIO(mo))
    except Exception:  # noqa: BLE001 - absent (OSError) or damaged (bad magic, struct.error): compile again
        pass
    mo = _compile(po, lang)
    try:  # kept for the next run; written whole under a temporary name, then renamed
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = folder / f".{name}.{os.getpid()}"
        temporary.write_bytes(mo)
        os.replace(temporary, folder / name)
    except OSError:
        pass  # a read-only home: compiled again next time
    return gettext.GNUTranslations(io.BytesIO(mo))


def set_language(lang: str | None) -> str:
    """Use `lang` (zh or en; None: detect) from now on; returns the language in use."""
    global _language, _translations, _argparse
    lang = (lang or detect()).lower()
    lang = "zh" if lang.startswith("zh") else "en"
    _language, _translations, _argparse = lang, load(lang), None
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


def pgettext(context: str, message: str) -> str:
    """`message` as said in `context`, where one English word needs two Chinese ones
    ("findings": 存在问题 as a report's status, 问题数 as a column)."""
    if _translations is None:
        set_language(None)
    return _translations.pgettext(context, message)  # type: ignore[union-attr]


def _argparse_catalog() -> gettext.NullTranslations:
    global _argparse
    if _argparse is None:
        _argparse = load(language(), "argparse")
    return _argparse


def argparse_gettext(message: str) -> str:
    """argparse's own words (usage:, options:, its errors) in the language in use."""
    return _argparse_catalog().gettext(message)


def argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return _argparse_catalog().ngettext(singular, plural, n)


def comma() -> str:
    """What separates the items of a list in a sentence: ", " or "，"."""
    return "，" if language() == "zh" else ", "


def colon() -> str:
    """What follows a name before what is said of it: ": " or "："."""
    return "：" if language() == "zh" else ": "


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet."""
    return message
