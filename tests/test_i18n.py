"""English is a complete, compiled translation of the Chinese-first UI.

The catalogue is locale/en/LC_MESSAGES/django.po (refresh it with `make messages`,
then compile it with `manage.py compilemessages`); the compiled django.mo is kept
in the repository so `make run` needs no gettext tools.
"""
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdfirx%]")
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unquote(text):
    """The value of one quoted .po string ("..."), C escapes resolved."""
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), text
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), m.group(1)), body[1:-1])


def parse_po(path):
    """The active entries of a .po file as dicts: msgid, msgid_plural, msgstr (list), flags."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank line or obsolete entry
            continue
        if line.startswith("#"):
            if entry is not None and "msgid" in entry:  # a comment starts the next entry
                finish()
                entry = None
            entry = entry or {"flags": set(), "msgstr": {}}
            if line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith('"'):
            value = _unquote(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            if entry is not None and "msgid" in entry:
                finish()
                entry = None
            entry = entry or {"flags": set(), "msgstr": {}}
            key = "msgid"
            entry[key] = _unquote(rest)
        elif keyword == "msgid_plural":
            key = "msgid_plural"
            entry[key] = _unquote(rest)
        elif keyword == "msgstr":
            key = ("msgstr", 0)
            entry["msgstr"][0] = _unquote(rest)
        elif keyword.startswith("msgstr["):
            key = ("msgstr", int(keyword[7:-1]))
            entry["msgstr"][key[1]] = _unquote(rest)
        else:
            raise AssertionError(f"unexpected line in {path.name}: {raw!r}")
    finish()
    header = [e for e in entries if e["msgid"] == ""]
    return header, [e for e in entries if e["msgid"] != ""]


@pytest.fixture(autouse=True)
def chinese_afterwards():
    """offices.middleware activates the request's language and leaves it active on the thread;
    put the default back so later tests do not run in English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def catalogue():
    return parse_po(PO_FILE)


# --- pages --------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_default_language_is_chinese(client):
    html = client.get(reverse("login")).content.decode()
    assert "登录" in html
    assert "乡镇民政办规范化建设管理系统" in html
    assert "Log in" not in html


@pytest.mark.django_db
def test_language_menu_shows_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    for text in ("Log in", "Username", "Password", "Township Civil-Affairs Office Standardization Management System"):
        assert text in html
    for text in ("登录", "用户名", "密码", "乡镇民政办规范化建设管理系统"):
        assert text not in html


@pytest.mark.django_db
def test_language_cookie_shows_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("login")).content.decode()
    assert "Log in" in html
    assert "Five Haves" in html
    assert "登录" not in html


@pytest.mark.django_db
def test_english_scorecard(login, clerk):
    client = login(clerk)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("assessments:scorecard", args=[clerk.township.code]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Log out" in html
    assert "Compliance of the civil-affairs office with the standard" in html
    assert "There is no data for any year yet. Please enter the population first." in html
    assert "退出" not in html


# --- the catalogue ------------------------------------------------------------------------------------------------


def test_po_file_parses_and_is_not_empty(catalogue):
    header, entries = catalogue
    assert len(header) == 1
    assert "Language: en" in header[0]["msgstr"][0]
    assert len(entries) > 500


def test_every_entry_is_translated_and_not_fuzzy(catalogue):
    header, entries = catalogue
    fuzzy = [e["msgid"] for e in header + entries if "fuzzy" in e["flags"]]
    assert fuzzy == []
    untranslated = [e["msgid"] for e in entries if not all(v.strip() for v in e["msgstr"].values())]
    assert untranslated == []
    plural_forms_missing = [e["msgid"] for e in entries if "msgid_plural" in e and sorted(e["msgstr"]) != [0, 1]]
    assert plural_forms_missing == []


def test_translations_keep_their_placeholders(catalogue):
    _, entries = catalogue
    wrong = []
    for e in entries:
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for index, translated in e["msgstr"].items():
            source = sources[min(index, 1)]
            expected = sorted(PLACEHOLDER.findall(source))
            found = sorted(PLACEHOLDER.findall(translated))
            # A singular English form may spell out the count instead of using %(n)s.
            if expected != found and not ("msgid_plural" in e and set(expected) - {"%(n)s"} == set(found) - {"%(n)s"}):
                wrong.append((e["msgid"], translated))
    assert wrong == []


def test_translations_are_english(catalogue):
    _, entries = catalogue
    han = re.compile(r"[\u4e00-\u9fff]")
    # Only examples of Chinese document numbers may stay in Chinese.
    chinese = [e["msgid"] for e in entries for v in e["msgstr"].values() if han.search(v) and "〔" not in v]
    assert chinese == []


def test_compiled_catalogue_matches_the_po_file(catalogue):
    """Every .po entry is in the compiled .mo with the same text, so the .mo is not stale."""
    _, entries = catalogue
    assert MO_FILE.exists()
    stale = []
    with translation.override("en"):
        for e in entries:
            if "msgid_plural" in e:
                got = [translation.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
                want = [e["msgstr"][0], e["msgstr"][1]]
            else:
                got, want = translation.gettext(e["msgid"]), e["msgstr"][0]
            if got != want:
                stale.append((e["msgid"], got, want))
    assert stale == [], f"{len(stale)} entries differ; run manage.py compilemessages"


def test_some_domain_terms():
    with translation.override("en"):
        assert translation.gettext("登录") == "Log in"
        assert translation.gettext("有人管事") == "Staff"
        assert translation.gettext("有钱干事") == "Funding"
        assert translation.gettext("达标") == "Compliant"
        assert translation.gettext("乡镇（街道）") == "Township (subdistrict)"
    with translation.override("zh-hans"):
        assert translation.gettext("登录") == "登录"
