"""The translation set-up: babel.cfg finds the strings, and the Dutch catalogue is complete and current."""
from __future__ import annotations

import gettext
import io
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.util import pathmatch

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
POT = ROOT / "translations" / "messages.pot"
NL_PO = ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
# The same keywords as `make extract`.
EXTRACT = ["extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext"]


def read_catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def key(message) -> tuple:
    return (message.context, message.id)


def keys(catalogue) -> set[tuple]:
    return {key(m) for m in catalogue if m.id}


def patterns() -> list[tuple[str, str]]:
    with BABEL_CFG.open() as handle:
        method_map, _options = parse_mapping_cfg(handle)
    return method_map


def project_files() -> list[str]:
    """Every file in the repository, relative and with forward slashes, skipping hidden folders."""
    found = []
    for folder, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_")) and d not in {"node_modules"}]
        found += [Path(folder, f).relative_to(ROOT).as_posix() for f in files]
    return found


def source_files() -> list[str]:
    """The files that hold customer texts: templates and the portal's Python code."""
    return [f for f in project_files()
            if (f.startswith("templates/") and f.endswith((".html", ".txt")))
            or (f.startswith("portal/") and f.endswith(".py"))]


def test_every_babel_cfg_pattern_matches_real_files():
    files = project_files()
    unmatched = [pattern for pattern, _method in patterns()
                 if not any(pathmatch(pattern, f) for f in files)]
    assert not unmatched, f"babel.cfg patterns that match no file (renamed folder?): {unmatched}"


def test_every_template_and_portal_module_is_covered_by_babel_cfg():
    files = source_files()
    assert any(f.startswith("templates/") for f in files) and any(f.startswith("portal/") for f in files)
    missed = [f for f in files if not any(pathmatch(pattern, f) for pattern, _method in patterns())]
    assert not missed, f"files whose strings are never extracted: {missed}"


def test_templates_are_read_as_jinja_and_python_as_python():
    methods = dict(patterns())
    for pattern, method in methods.items():
        if pattern.startswith("templates/"):
            assert method == "jinja2", pattern
        if pattern.endswith(".py"):
            assert method == "python", pattern


@pytest.fixture(scope="module")
def fresh_extract(tmp_path_factory):
    """The catalogue template as `make extract` would write it now."""
    output = tmp_path_factory.mktemp("extract") / "fresh.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    command = [str(pybabel)] if pybabel.exists() else [sys.executable, "-m", "babel.messages.frontend"]
    result = subprocess.run(command + EXTRACT + ["-o", str(output), "."], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return read_catalogue(output)


def test_extraction_finds_strings_in_templates_and_in_portal(fresh_extract):
    places = Counter(path.split("/")[0] for m in fresh_extract if m.id for path, _line in m.locations)
    assert places["templates"] >= 50, places
    assert places["portal"] >= 20, places
    ids = {m.id for m in fresh_extract}
    # One from a lazy form label (-k _l), one from a template, one from a mail subject (gettext).
    assert "What happened?" in ids
    assert "There is a problem" in ids
    assert "The link to your complaint (%(ref)s)" in ids


def difference(name_a: str, a: set, name_b: str, b: set) -> str:
    lines = [f"in {name_a}, not in {name_b}: {m!r}" for m in sorted(a - b, key=str)]
    lines += [f"in {name_b}, not in {name_a}: {m!r}" for m in sorted(b - a, key=str)]
    return "\n".join(lines)


def test_the_catalogue_template_is_up_to_date(fresh_extract):
    fresh, pot = keys(fresh_extract), keys(read_catalogue(POT))
    assert fresh == pot, ("translations/messages.pot is out of date; run `make extract`:\n"
                          + difference("the code", fresh, "messages.pot", pot))


def test_every_msgid_of_the_template_is_in_the_dutch_catalogue():
    pot, po = keys(read_catalogue(POT)), keys(read_catalogue(NL_PO))
    assert pot == po, ("the Dutch catalogue does not match messages.pot; run `make extract`:\n"
                       + difference("messages.pot", pot, "nl/messages.po", po))


def test_the_dutch_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = read_catalogue(NL_PO)
    assert not catalogue.fuzzy, "the header is marked fuzzy: pybabel compile would skip the file"
    untranslated = [m.id for m in catalogue if m.id and (
        not m.string or isinstance(m.string, tuple) and not all(m.string))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not untranslated and not fuzzy, (
        "untranslated:\n" + "\n".join(map(repr, untranslated))
        + "\nfuzzy (check the translation, then remove the flag):\n" + "\n".join(map(repr, fuzzy)))


PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrs]|%[diouxXeEfFgGcrs]|\{(\w*)\}")


def placeholders(text: str) -> Counter:
    return Counter(match.group(0) for match in PLACEHOLDER.finditer(text))


def test_placeholders_are_the_same_in_msgid_and_msgstr():
    problems = []
    for message in read_catalogue(NL_PO):
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        # Singular and plural msgid have the same placeholders; every msgstr form has them too.
        expected = placeholders(ids[-1])
        for string in strings:
            if placeholders(string) != expected:
                problems.append(f"{ids[0]!r} -> {string!r}: {dict(expected)} vs "
                                f"{dict(placeholders(string))}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_passes_babels_own_checks():
    problems = [f"{message.id!r}: {error}" for message, errors in read_catalogue(NL_PO).check()
                for error in errors]
    assert not problems, "\n".join(problems)


def test_the_catalogue_compiles_and_every_text_comes_back_out():
    catalogue = read_catalogue(NL_PO)
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    compiled = gettext.GNUTranslations(buffer)
    wrong = []
    for message in catalogue:
        if not message.id or not isinstance(message.id, str):
            continue
        got = (compiled.pgettext(message.context, message.id) if message.context
               else compiled.gettext(message.id))
        if got != message.string:
            wrong.append(f"{message.id!r}: {got!r}")
    assert not wrong, "\n".join(wrong)


def test_pybabel_compile_succeeds(tmp_path):
    """The command `make translations` runs, on a copy so the working tree is left alone."""
    pybabel = Path(sys.executable).with_name("pybabel")
    command = [str(pybabel)] if pybabel.exists() else [sys.executable, "-m", "babel.messages.frontend"]
    output = tmp_path / "messages.mo"
    result = subprocess.run(command + ["compile", "-i", str(NL_PO), "-o", str(output), "-l", "nl",
                                       "--statistics"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "error" not in result.stderr.lower(), result.stderr
    assert output.stat().st_size > 1000
