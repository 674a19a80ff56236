"""The interface's language switch, the Babel catalogs and the course glossary (no model)."""
from __future__ import annotations

import pytest

import tutor.i18n as i18n
from tutor.i18n import _, resolve_language, set_language
from tutor.i18n.glossary import glossary, misuses, zh_term


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


@pytest.mark.parametrize("requested, saved, env, expected", [
    ("zh", "en", {"LANG": "en_US.UTF-8"}, "zh"),            # the flag wins
    (None, "zh", {"LANG": "en_US.UTF-8"}, "zh"),            # then the saved preference
    (None, None, {"LANG": "zh_CN.UTF-8"}, "zh"),            # then the locale
    (None, None, {"LC_ALL": "en_GB.UTF-8", "LANG": "zh_CN"}, "en"),  # LC_ALL before LANG
    (None, None, {"LANG": "fr_FR.UTF-8"}, "en"),            # no catalog: English
    (None, None, {"LANG": "C"}, "en"),
    (None, None, {}, "en"),
    ("zh-Hans", None, {}, "zh"),
    ("klingon", None, {"LANG": "zh_TW"}, "zh"),             # an unknown flag is ignored
])
def test_language_comes_from_flag_then_saved_then_locale(requested, saved, env, expected):
    assert resolve_language(requested, saved, env) == expected


def test_switching_language_translates_and_falls_back():
    message = "uses '{found}' for '{term}': the course's word is '{word}'"
    assert set_language("zh") == "zh"
    assert _(message) != message and "本课程" in _(message)
    assert _("a string nobody translated") == "a string nobody translated"
    set_language("en")
    assert _(message) == message
    assert set_language("xx") == "en" and i18n.current_language() == "en"


def test_glossary_terms_are_unique_and_avoid_lists_never_name_the_term():
    terms = glossary()
    assert len({t.en for t in terms}) == len(terms)
    for term in terms:
        assert term.zh not in term.avoid
    assert zh_term("Self-supervised learning") == "自监督学习"
    assert zh_term("fine-tuning") == "微调"
    with pytest.raises(KeyError):
        zh_term("banana")


def test_misuses_report_the_longest_variant_once_with_its_line():
    text = "第一行用的是自监督学习。\nBERT 是一个掩码语言模型，先从头训练再精调。"
    found = sorted((m.line, m.found, m.term.zh) for m in misuses(text))
    assert found == [(2, "从头训练", "从零开始训练"), (2, "掩码语言模型", "遮蔽语言模型"), (2, "精调", "微调")]
    assert misuses("自监督学习、遮蔽语言模型、词元、独热编码、预训练、微调") == []


def test_lang_zh_lists_the_chinese_course():
    import json

    from click.testing import CliRunner

    from tutor.cli import cli

    zh = CliRunner().invoke(cli, ["--lang", "zh", "lessons", "list", "--json"])
    en = CliRunner().invoke(cli, ["--lang", "en", "lessons", "list", "--json"])
    assert zh.exit_code == 0 and en.exit_code == 0, zh.output + en.output

    def titles(result):
        data = json.loads(result.output)
        rows = data["lessons"] if isinstance(data, dict) else data
        return {row["id"]: row["title"] for row in rows}

    zh_titles, en_titles = titles(zh), titles(en)
    assert zh_titles.keys() == en_titles.keys() and len(zh_titles) == 11
    assert zh_titles["welcome"] != en_titles["welcome"]
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in title) for title in zh_titles.values())
