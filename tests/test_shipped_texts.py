"""Every customer-facing text the portal ships passes the charter's plain-language lint.

What is checked, and how strictly:
- the catalogue: every Dutch msgstr (nl) and every English msgid (en) used on customer pages and in
  mails (agent, admin and development screens are left out);
- the default promise-timelines: labels and explanations in both languages, linted as promises;
- the rights shown on "Your rights" are in tests/charter/test_rights.py; the demo categories'
  texts (what we can and cannot do, where to go) here;
- words written straight into the mail templates, which the catalogue does not see.
Every finding fails: hedge words (right 3), but also officialese and jargon and long sentences
(right 4). They are "warnings" for an agent writing a reply; a text we ship has time to be right.
Validation messages also may not use the words GOV.UK and NL Design System ban in error messages.
"""
from __future__ import annotations

import ast
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from jinja2 import Environment

from charter import error_message_problems, lint, readability
from charter.lint import sentences

ROOT = Path(__file__).resolve().parent.parent
POT = ROOT / "translations" / "messages.pot"
NL_PO = ROOT / "translations" / "nl" / "LC_MESSAGES" / "messages.po"
# Screens only staff see. A msgid used on any other page or mail is customer-facing.
NOT_FOR_CUSTOMERS = ("templates/dev/", "templates/agent/", "templates/admin/",
                     "portal/dev/", "portal/agent/", "portal/admin/", "portal/cli.py", "portal/wording/staff.py")
GETTEXT_NAMES = {"_", "_l", "gettext", "lazy_gettext", "ngettext", "lazy_ngettext"}

# Readability floors, from STANDARDS §5.5: Flesch-Douma 70+ for Dutch interface text ("fairly
# easy"), Flesch 60+ for English ("standard"); on average at most 15 (nl) / 20 (en) words a sentence.
READABILITY_FLOOR = {"nl": 70.0, "en": 60.0}
AVERAGE_SENTENCE_MAX = {"nl": 15.0, "en": 20.0}


@dataclass(frozen=True)
class Shipped:
    where: str
    language: str
    text: str
    promise: bool = False


def read_catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def forms(value) -> list[str]:
    """A msgid or msgstr, or each form of a plural one."""
    return [value] if isinstance(value, str) else [v for v in value if v]


def customer_facing(message) -> bool:
    places = [path for path, _line in message.locations]
    return not places or any(not path.startswith(NOT_FOR_CUSTOMERS) for path in places)


def where(message) -> str:
    return ", ".join(f"{path}:{line}" for path, line in message.locations[:3]) or "no location"


def catalogue_texts() -> list[Shipped]:
    shipped = []
    for message in read_catalogue(POT):
        if message.id and customer_facing(message):
            shipped += [Shipped(f"translations/messages.pot msgid ({where(message)})", "en", text)
                        for text in forms(message.id)]
    for message in read_catalogue(NL_PO):
        if message.id and customer_facing(message):
            shipped += [Shipped(f"translations/nl/LC_MESSAGES/messages.po msgstr for msgid "
                                f"{forms(message.id)[0]!r}", "nl", text)
                        for text in forms(message.string)]
    return shipped


def is_step(value) -> bool:
    return isinstance(value, dict) and {"key", "label_nl", "label_en"} <= set(value)


def built_in_steps() -> list[tuple[str, dict]]:
    """Every promise step portal/services/timelines.py ships, found by shape, not by name: the
    seeded timelines, and the steps added later (manager, decision, new proposal, reopening, …)."""
    from portal.services import timelines

    found = []
    for name, value in vars(timelines).items():
        if is_step(value):
            found.append((name, value))
        elif isinstance(value, (list, tuple)):
            found += [(name, step) for step in value if is_step(step)]
        elif isinstance(value, dict):
            found += [(f"{name}[{kind}]", step) for kind, steps in value.items()
                      if isinstance(steps, (list, tuple)) for step in steps if is_step(step)]
    return found


def promise_texts() -> list[Shipped]:
    return [Shipped(f"portal/services/timelines.py {name}/{step['key']} {field}_{language}",
                    language, step[f"{field}_{language}"], promise=True)
            for name, step in built_in_steps() for field in ("label", "explanation")
            for language in ("nl", "en") if step.get(f"{field}_{language}")]


def category_texts() -> list[Shipped]:
    from portal.services.demo import CATEGORIES

    return [Shipped(f"portal/services/demo.py {category['slug']} {name}", name[-2:], value)
            for category in CATEGORIES for name, value in category.items()
            if re.fullmatch(r"(name|hint|can_do|cannot_do|disagree)_(nl|en)", name) and value]


def customer_templates() -> list[Path]:
    return sorted(path for path in (ROOT / "templates").rglob("*")
                  if path.suffix in {".html", ".txt"}
                  and not str(path.relative_to(ROOT)).startswith(NOT_FOR_CUSTOMERS))


def literal_text(path: Path) -> str:
    """What a template says outside {{ }}, {% %}, {% trans %} and HTML tags."""
    env = Environment(extensions=["jinja2.ext.i18n"])
    parts, depth, previous = [], 0, None
    for _line, kind, value in env.lex(path.read_text(encoding="utf-8")):
        if kind == "name" and previous == "block_begin":
            depth += value == "trans"
            depth -= value == "endtrans"
        if kind == "data" and not depth:
            parts.append(value)
        if kind not in {"whitespace"}:
            previous = kind
    text = "".join(parts)
    if path.suffix == ".html":
        text = re.sub(r"<!--.*?-->|<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]*>", " ", text, flags=re.S)
    return " ".join(html.unescape(text).split())


def lint_report(shipped: list[Shipped]) -> list[str]:
    lines = []
    for item in shipped:
        findings = lint(item.text, item.language, promise=item.promise)
        if findings:
            lines.append(f"{item.where} [{item.language}{', promise' if item.promise else ''}]:"
                         f"\n    {item.text!r}")
            lines += [f"      {f.kind} (right {f.right}, {f.severity}): {f.phrase!r} -> {f.suggestion}"
                      for f in findings]
    return lines


def assert_all_plain(shipped: list[Shipped]) -> None:
    assert shipped, "nothing found to check: did a file move?"
    report = lint_report(shipped)
    assert not report, (f"{len([line for line in report if not line.startswith('  ')])} shipped texts fail the "
                        "charter lint:\n" + "\n".join(report))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_texts_pass_the_lint(language):
    texts = [t for t in catalogue_texts() if t.language == language]
    assert len(texts) > 100, "the catalogue should hold the portal's texts"
    assert_all_plain(texts)


def test_default_promise_texts_pass_the_lint_as_promises():
    texts = promise_texts()
    assert len(texts) >= 5 * 4, "3 complaint steps, 1 compliment, 1 suggestion, the manager step"
    assert_all_plain(texts)


def test_the_promise_lint_sees_every_built_in_step():
    """A step added beside MANAGER_STEP (a decision, a new proposal, reopening) is linted too."""
    from portal.services import timelines

    seen = {id(step) for _name, step in built_in_steps()}
    expected = [timelines.MANAGER_STEP, timelines.DECISION_STEP, timelines.NEW_PROPOSAL_STEP,
                *timelines.REOPEN_STEPS, *(s for steps in timelines.DEFAULT_STEPS.values() for s in steps)]
    assert all(id(step) in seen for step in expected)
    labels = {text.text for text in promise_texts()}
    for step in expected:
        assert step["label_nl"] in labels and step["label_en"] in labels, step["key"]


def test_demo_category_texts_pass_the_lint():
    assert_all_plain(category_texts())


def test_mail_templates_say_nothing_outside_the_catalogue():
    """A word typed straight into a mail is neither translated nor linted: there must be none."""
    mails = [p for p in customer_templates() if "mail" in p.relative_to(ROOT / "templates").parts]
    assert len(mails) >= 6, "mail templates moved?"
    literal = {str(p.relative_to(ROOT)): literal_text(p) for p in mails}
    words = {path: re.findall(r"[^\W\d_]{2,}", text) for path, text in literal.items()}
    untranslated = {path: found for path, found in words.items() if found}
    assert not untranslated, f"words in mail templates outside _(): {untranslated}"


def test_literal_text_in_customer_templates_passes_the_lint():
    """Language names in the language switch and the like: whatever is written straight in."""
    shipped = []
    for path in customer_templates():
        text = literal_text(path)
        if re.search(r"[^\W\d_]{2,}", text):
            shipped += [Shipped(f"{path.relative_to(ROOT)} (literal text)", language, text)
                        for language in ("nl", "en")]
    assert not lint_report(shipped), "\n".join(lint_report(shipped))


def validation_messages() -> tuple[dict[str, str], list[str]]:
    """msgids used as validation messages in portal/, and built-in validators left without one.

    A message is any translated string inside a `validators=[...]` list, inside a call to a
    validator class (WTForms' or portal.validators'), inside ValidationError/StopValidation, or
    added by a view with `form.field.errors.append(...)`.
    """
    import wtforms.validators

    import portal.validators

    validator_names = {name for name, value in vars(wtforms.validators).items()
                       if isinstance(value, type)} | {
        name for name, value in vars(portal.validators).items() if isinstance(value, type)}
    validator_names |= {"ValidationError", "StopValidation"}
    needs_message = validator_names & {
        "DataRequired", "InputRequired", "Length", "Email", "EqualTo", "NumberRange", "Regexp",
        "URL", "AnyOf", "NoneOf", "IPAddress", "MacAddress", "UUID"}

    def name_of(call: ast.Call) -> str:
        return getattr(call.func, "id", None) or getattr(call.func, "attr", "")

    def msgids(node) -> list[str]:
        return [sub.args[0].value for sub in ast.walk(node)
                if isinstance(sub, ast.Call) and name_of(sub) in GETTEXT_NAMES and sub.args
                and isinstance(sub.args[0], ast.Constant) and isinstance(sub.args[0].value, str)]

    found, bare = {}, []
    for path in sorted((ROOT / "portal").rglob("*.py")):
        relative = str(path.relative_to(ROOT))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            nodes = [kw.value for kw in node.keywords if kw.arg == "validators"]
            if name_of(node) in validator_names or (
                    isinstance(node.func, ast.Attribute) and node.func.attr in {"append", "extend"}
                    and (getattr(node.func.value, "attr", None) == "errors"
                         or getattr(node.func.value, "id", None) == "problems")):  # a service's checks
                nodes.append(node)
            if name_of(node) in needs_message and not node.args and not any(
                    kw.arg in ("message", "error") for kw in node.keywords):  # error=: marshmallow (the API)
                bare.append(f"{relative}:{node.lineno} {name_of(node)}() without a message")
            for sub in nodes:
                for msgid in msgids(sub):
                    found.setdefault(msgid, f"{relative}:{node.lineno}")
    return found, bare


def test_validation_messages_are_found():
    messages, _bare = validation_messages()
    assert {"Tell us what happened", "Enter your name",
            "Enter an email address in the correct format, like name@example.com",
            "Select what your complaint is about"} <= set(messages), sorted(messages)


def test_no_validator_falls_back_to_the_english_default_message():
    """WTForms' defaults ("This field is required.") are English and use banned words."""
    _messages, bare = validation_messages()
    assert not bare, "\n".join(bare)


def test_validation_messages_use_no_forbidden_words_in_either_language():
    messages, _bare = validation_messages()
    translations = {m.id: m.string for m in read_catalogue(NL_PO) if m.id}
    problems = []
    for msgid, place in sorted(messages.items()):
        if words := error_message_problems(msgid, "en"):
            problems.append(f"{place} msgid {msgid!r}: {words}")
        msgstr = translations.get(msgid)
        if not msgstr:
            problems.append(f"{place} msgid {msgid!r}: no Dutch translation to check")
        elif words := error_message_problems(msgstr, "nl"):
            problems.append(f"{place} msgstr {msgstr!r} (for {msgid!r}): {words}")
        for text, language in ((msgid, "en"), (msgstr or "", "nl")):
            problems += [f"{place} {text!r}: {f.kind} {f.phrase!r} -> {f.suggestion}"
                         for f in lint(text, language)]
    assert not problems, "validation messages a customer should not read:\n" + "\n".join(problems)


def as_prose(texts: list[str]) -> str:
    """The texts as one text of sentences: placeholders out, each text ends a sentence."""
    prose = []
    for text in texts:
        text = re.sub(r"%\(\w+\)[sdif]|\{\w*\}", "", text).strip()
        if re.search(r"\w", text):
            prose.append(text if text[-1] in ".!?" else text.rstrip(":,;") + ".")
    return " ".join(prose)


def customer_texts(language: str) -> list[str]:
    return [t.text for t in catalogue_texts() + promise_texts() + category_texts()
            if t.language == language]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_customer_texts_read_easily_as_a_whole(language):
    texts = customer_texts(language)
    score = readability(as_prose(texts), language)
    print(f"\nreadability {language}: {score:.1f} over {len(texts)} texts")
    assert score >= READABILITY_FLOOR[language], (
        f"the customer texts in {language} score {score:.1f}; the floor is "
        f"{READABILITY_FLOOR[language]}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_customer_sentences_are_short_on_average(language):
    parts = [sentence for text in customer_texts(language) for _start, sentence in sentences(text)]
    words = sum(len(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", part)) for part in parts)
    average = words / len(parts)
    print(f"\nwords per sentence {language}: {average:.1f} over {len(parts)} sentences")
    assert average <= AVERAGE_SENTENCE_MAX[language]
