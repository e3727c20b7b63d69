"""The language comes from --lang, GIKR_LANG or the locale, and the catalog loads."""

from __future__ import annotations

import pytest

from gikr_tui import i18n


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        ({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),
        ({"LC_MESSAGES": "zh_CN", "LANG": "en_US"}, "zh"),
        ({"GIKR_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        ({"GIKR_LANG": "zh", "LANG": "C"}, "zh"),
    ],
)
def test_language_from_the_environment(env, lang):
    assert i18n.detect(env) == lang


def test_chinese_catalog_translates_and_english_is_the_source():
    try:
        assert i18n.set_language("zh") == "zh"
        assert i18n._("consistent") == "勾稽一致"
        i18n.set_language("en")
        assert i18n._("consistent") == "consistent"
    finally:
        i18n.set_language("en")
