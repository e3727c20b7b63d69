"""The registry: every check declares itself here, and everything else asks it.

A check is an id, titles in English and Chinese, a severity, a scope and a
pure function over the model.  `gikr check`, the cache, the exports and the
inspector know checks only through this module, so a new one is one
decorated function in one file:

    @check("my_rule", family="form", severity="warning",
           title=N_("My rule"), title_zh="我的规则",
           summary=N_("what it checks"), example=N_("an example"),
           message=lambda f: _("…{n}…").format(n=f.reported))
    def my_rule(report: Report) -> Iterator[Finding]:
        ...

A check registered outside `gikr_tui.checks` (a plugin, a test) is imported
again by each worker process (`plugin_modules()`), and the registry's
fingerprint is part of the cache key, so cached results never hide it.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterable

from ..i18n import _
from ..msg import Msg, msg
from .finding import FAILING, SEVERITIES, Finding

SCOPES = ("report", "series", "folder")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True, slots=True)
class Check:
    id: str  # the rule id findings carry; never translated
    family: str  # arithmetic | prose | form | table2 | hints | … (a module's theme, for --checks)
    severity: str  # the most severe finding it makes (t2_value: warning; its blanks are hints)
    scope: str  # report: run(report); series / folder: run by the code that owns that scope
    title: str  # English, marked with N_() and shown through _()
    title_zh: str
    summary: str  # what it checks, one line (English, N_()); README's rule table
    example: str  # a finding it would make (English, N_())
    run: Callable[..., Iterable[Finding]] = field(repr=False)
    message: Callable[[Finding], str] = field(repr=False)
    module: str = ""  # where it was defined: plugins are re-imported by workers
    module_file: str | None = None


_checks: dict[str, Check] = {}
_generation = 0
_fingerprint: tuple[int, str] | None = None


def register(item: Check) -> Check:
    """Add (or, from the same module, replace) a check."""
    global _generation
    if not _ID.match(item.id):
        raise ValueError(f"check id {item.id!r}: lower-case letters, digits and _ only")
    if item.severity not in SEVERITIES:
        raise ValueError(f"check {item.id}: severity {item.severity!r} is not one of {', '.join(SEVERITIES)}")
    if item.scope not in SCOPES:
        raise ValueError(f"check {item.id}: scope {item.scope!r} is not one of {', '.join(SCOPES)}")
    if item.id in SEVERITIES or item.id == "all":
        raise ValueError(f"check id {item.id!r} is a word --checks reserves")
    old = _checks.get(item.id)
    if old is not None and old.module != item.module:
        raise ValueError(f"check {item.id!r} is already registered by {old.module}")
    _checks[item.id] = item
    _generation += 1
    return item


def check(
    id: str,
    *,
    family: str,
    severity: str,
    title: str,
    title_zh: str,
    summary: str,
    example: str,
    message: Callable[[Finding], str],
    scope: str = "report",
) -> Callable[[Callable[..., Iterable[Finding]]], Callable[..., Iterable[Finding]]]:
    """Decorator: register the function as check `id` (see the module docstring)."""

    def decorate(fn: Callable[..., Iterable[Finding]]) -> Callable[..., Iterable[Finding]]:
        import sys

        module = sys.modules.get(fn.__module__)
        register(Check(
            id, family, severity, scope, title, title_zh, summary, example, fn, message,
            fn.__module__, getattr(module, "__file__", None),
        ))
        return fn

    return decorate


def unregister(check_id: str) -> None:
    global _generation
    if _checks.pop(check_id, None) is not None:
        _generation += 1


def get(check_id: str) -> Check | None:
    return _checks.get(check_id)


def all_checks(scope: str | None = None) -> tuple[Check, ...]:
    """Every registered check (of one scope), in registration order."""
    return tuple(c for c in _checks.values() if scope is None or c.scope == scope)


def families() -> tuple[str, ...]:
    return tuple(dict.fromkeys(c.family for c in _checks.values()))


# --- Choosing checks: --checks ---------------------------------------------------


class SelectionError(ValueError):
    """A --checks value that names nothing."""


@dataclass(frozen=True, slots=True)
class Selection:
    """Which findings to keep: those of these checks, of these severities."""

    ids: frozenset[str]
    severities: frozenset[str] = frozenset(SEVERITIES)

    def keeps(self, finding: Finding) -> bool:
        return finding.rule in self.ids and finding.severity in self.severities

    def keep(self, findings: Iterable[Finding]) -> list[Finding]:
        return [f for f in findings if f.rule in self.ids and f.severity in self.severities]

    @property
    def everything(self) -> bool:
        """Every registered check, every severity: nothing to filter."""
        return self.severities == frozenset(SEVERITIES) and self.ids >= {c.id for c in _checks.values()}


def select(spec: str | None, scope: str | None = None) -> Selection:
    """The findings a `--checks` value chooses.

    Comma-separated words: check ids, families (`arithmetic`, `prose`, …) and
    `all` choose checks; `error`, `warning`, `hint` choose severities.  A word
    with a leading `-` takes away.  No check word means every check, no
    severity word every severity: `--checks -hint` is everything but hints,
    `--checks prose` the prose checks, `--checks arithmetic,-unfilled_total`
    the arithmetic but blank totals.
    """
    every = frozenset(c.id for c in all_checks(scope))
    words = [w.strip() for w in (spec or "").split(",") if w.strip()]
    ids: set[str] | None = None
    severities: set[str] | None = None
    for word in words:
        drop = word.startswith("-")
        name = word[1:].strip() if drop else word
        if name in SEVERITIES:
            if severities is None:
                severities = set() if not drop else set(SEVERITIES)
            severities = severities - {name} if drop else severities | {name}
            continue
        named = _named(name, scope)
        if named is None:
            raise SelectionError(_("--checks: unknown check, family or severity {name} (known: {known})").format(
                name=repr(name), known=", ".join(("all", *SEVERITIES, *families(), *sorted(every)))))
        if ids is None:
            ids = set() if not drop else set(every)
        ids = ids - named if drop else ids | named
    return Selection(
        frozenset(every if ids is None else ids),
        frozenset(SEVERITIES if severities is None else severities),
    )


def _named(name: str, scope: str | None) -> set[str] | None:
    checks = all_checks(scope)
    if name == "all":
        return {c.id for c in checks}
    if name in families():
        return {c.id for c in checks if c.family == name}
    if name in _checks and (scope is None or _checks[name].scope == scope):
        return {name}
    return None


# --- Running ----------------------------------------------------------------------

_local = threading.local()


def derived(factory: Callable[[Any], Any], report: Any) -> Any:
    """`factory(report)`, computed once per run of the checks on one report.

    Several checks need the same derived data (blank totals filled in, the
    prose's sentences); within `run_report` they share it.  Called outside a
    run it simply computes.
    """
    memo = getattr(_local, "memo", None)
    if memo is None or memo[0] is not report:
        return factory(report)
    cache = memo[1]
    try:
        return cache[factory]
    except KeyError:
        value = cache[factory] = factory(report)
        return value


def run_report(report: Any, only: Collection[str] | None = None, errors: list[Msg] | None = None) -> list[Finding]:
    """Every report-scope check (or those in `only`) on one report, in registry order.

    A check that raises does not take the others with it: its failure is
    appended to `errors` (when given) as one line, and the run goes on.
    """
    outer = getattr(_local, "memo", None)
    _local.memo = (report, {})
    try:
        return run_each(all_checks("report"), report, only, errors)
    finally:
        _local.memo = outer


def run_each(items: Iterable[Check], subject: Any, only: Collection[str] | None = None,
             errors: list[Msg] | None = None) -> list[Finding]:
    """The findings of each check in `items` (or of those in `only`) on `subject`, in order.

    A check that raises does not take the others with it: its failure is
    appended to `errors` (when given) as one line, and the run goes on.
    """
    found: list[Finding] = []
    for item in items:
        if only is not None and item.id not in only:
            continue
        try:
            found.extend(item.run(subject))
        except Exception as e:  # noqa: BLE001 - one broken check must not hide the others
            if errors is None:
                raise
            errors.append(msg("internal error: check {id} failed: {error}", id=item.id, error=f"{type(e).__name__}: {e}"))
    return found


def status(findings: Iterable[Finding]) -> str:
    """`violations` when an error or a warning was found; `ok` otherwise (hints alone are ok)."""
    return "violations" if any(f.severity in FAILING for f in findings) else "ok"


def failing(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in FAILING]


def by_severity(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then hints; registry order within each (a stable sort)."""
    return sorted(findings, key=lambda f: _SEVERITY_RANK.get(f.severity, len(SEVERITIES)))


def render(finding: Finding) -> str:
    """A finding's message, from its check (the rule id alone for a check no longer registered)."""
    item = _checks.get(finding.rule)
    if item is None:
        return finding.rule
    return item.message(finding)


def title(item: Check) -> str:
    """The check's title in the language in use (the Chinese title for zh)."""
    from ..i18n import language

    return item.title_zh if language() == "zh" else _(item.title)


# --- For the cache and the workers ----------------------------------------------------


def fingerprint() -> str:
    """Which checks run, and what their code is: part of the cache key."""
    global _fingerprint
    if _fingerprint is not None and _fingerprint[0] == _generation:
        return _fingerprint[1]
    digest = hashlib.blake2b(digest_size=6)
    for item in _checks.values():
        digest.update(f"{item.id}|{item.severity}|{item.scope}|{item.module}\0".encode())
        code = getattr(item.run, "__code__", None)
        if code is not None and not item.module.startswith(__package__ + "."):
            # a plugin's code is not in the package digest the cache already keys on
            digest.update(code.co_code)
            digest.update(repr(code.co_consts).encode())
    _fingerprint = (_generation, digest.hexdigest())
    return _fingerprint[1]


def plugin_modules() -> tuple[tuple[str, str | None], ...]:
    """(module, file) of every check defined outside gikr_tui.checks: a worker imports them."""
    seen: dict[str, str | None] = {}
    for item in _checks.values():
        if not item.module.startswith(__package__ + "."):
            seen.setdefault(item.module, item.module_file)
    return tuple(seen.items())


def load_plugins(modules: Iterable[tuple[str, str | None]]) -> None:
    """Import the modules `plugin_modules()` named in another process."""
    import importlib
    import importlib.util
    import sys

    for name, path in modules:
        if name in sys.modules:
            continue
        try:
            importlib.import_module(name)
            continue
        except ImportError:
            if not path:
                raise
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot load checks from {path}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
