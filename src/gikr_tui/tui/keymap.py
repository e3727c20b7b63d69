"""Your own keys: `keymap.toml` in gikr's config folder maps binding ids to keys.

posting's pattern: every Binding has an id (`grid.edit`, `app.quit`; `?`
lists them with their keys), and a keymap gives an id other keys:

    [keys]
    "grid.edit" = "enter,e,i"
    "app.export_csv" = "ctrl+e"

The folder is the user config directory (platformdirs; `$GIKR_CONFIG_DIR`
overrides).  A file that cannot be read, or an id that does not exist, is
one warning when the inspector starts; the default keys stay.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Callable

from ..i18n import _

ENV_DIR = "GIKR_CONFIG_DIR"
_AT = re.compile(r"at line (\d+), column (\d+)")
FILE_NAME = "keymap.toml"


def config_dir() -> Path:
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_config_dir("gikr"))


def load(known: set[str] | Callable[[], set[str]], folder: Path | None = None) -> tuple[dict[str, str], list[str]]:
    """(binding id -> keys, problems worth a warning); no file is no keymap and no problem.
    `known`: the binding ids, or what lists them (asked only when there is a file)."""
    path = (folder or config_dir()) / FILE_NAME
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return {}, []
    except OSError as e:
        from .words import os_reason

        return {}, [_("{path}: {reason}").format(path=path, reason=os_reason(e))]
    except tomllib.TOMLDecodeError as e:
        where = _AT.search(str(e))  # tomllib says what is wrong in English only: say where
        reason = (_("not valid TOML at line {line}, column {column}").format(line=where[1], column=where[2])
                  if where else _("not valid TOML"))
        return {}, [_("{path}: {reason}").format(path=path, reason=reason)]
    keys = data.get("keys", {})
    if not isinstance(keys, dict):
        return {}, [_("{path}: [keys] must be a table of binding id = \"keys\"").format(path=path)]
    if callable(known):
        known = known()
    keymap: dict[str, str] = {}
    problems: list[str] = []
    for binding_id, value in keys.items():
        if binding_id not in known:
            problems.append(_("{path}: no binding is called {id}").format(path=path, id=repr(binding_id)))
        elif not isinstance(value, str) or not value.strip():
            problems.append(_("{path}: {id} needs keys as a string, such as \"enter,e\"").format(path=path, id=binding_id))
        else:
            keymap[binding_id] = value
    return keymap, problems
