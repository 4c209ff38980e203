"""Handouts and the evaluation report, as printed: for each document and each shipped language the
PDF opens, has the pages it should, and its text (extracted as a reader's search would) holds the
translated captions and the mentee's own data. Bad ids, keys and languages write no file."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from sqlalchemy import func, select

from coachdesk.cli import main
from coachdesk.i18n import shipped_languages, use_language, _
from coachdesk.model import Assessment, CoachingSession, Mentee, Plan, PlanStatus, SessionParticipant
from coachdesk.services import printing
from coachdesk.services.demo import generate_demo
from coachdesk.services.workspace import open_workspace

LANGUAGES = shipped_languages()


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    """A demo database and the ids a trainer would print for."""
    path = tmp_path_factory.mktemp("reports") / "demo.sqlite"
    db = open_workspace(path)
    generate_demo(db, mentees=40, seed=4, today=date(2026, 11, 20))
    with db.read() as s:
        mentee = s.execute(select(Mentee).join(Assessment, Assessment.mentee_id == Mentee.id)
                           .join(Plan, Plan.mentee_id == Mentee.id).where(Plan.status == PlanStatus.ACTIVE)
                           .group_by(Mentee.id).having(func.count(func.distinct(Assessment.id)) > 1)
                           .order_by(Mentee.name)).scalars().first()
        session = s.execute(select(CoachingSession).join(SessionParticipant,
                                                         SessionParticipant.session_id == CoachingSession.id)
                            .group_by(CoachingSession.id).having(func.count() > 2)
                            .order_by(CoachingSession.id)).scalars().first()
        people = sorted(s.scalars(select(Mentee.name).join(SessionParticipant, SessionParticipant.mentee_id == Mentee.id)
                                  .where(SessionParticipant.session_id == session.id)))
        ids = {"mentee": str(mentee.id), "name": mentee.name, "session": str(session.id),
               "title": session.title, "people": people}
    yield db, ids
    db.close()


def pdf_text(path: Path) -> tuple[int, str]:
    document = pdfium.PdfDocument(str(path))
    try:
        text = "\n".join(document[n].get_textpage().get_text_range() for n in range(len(document)))
        return len(document), text
    finally:
        document.close()


def searchable(text: str) -> set[str]:
    """The words of ``text`` a search finds in the PDF: right-to-left lines come out word-reversed,
    so words are compared, not phrases.

    Known limit (docs/printing.md): a Devanagari vowel sign drawn before its consonant (ि), a
    reph (र् drawn over the next letter) or an anusvara (ं, drawn over the letter) comes out of
    the PDF in drawing order or with a space, so words with them are not compared; conjuncts
    and every other letter are."""
    import unicodedata

    text = unicodedata.normalize("NFKD", text)
    text = re.sub("[\u064b-\u0652\u0670]", "", text)  # optional Arabic vowel marks are not printed
    words = re.findall(r"[\w\u0900-\u097f\u0600-\u06ff]+", text)
    return {w for w in words if len(w) > 1 and "\u093f" not in w and "\u0930\u094d" not in w
            and "\u0902" not in w}


def assert_shows(text: str, *expected: str) -> None:
    found = searchable(text)
    for phrase in expected:
        missing = searchable(phrase) - found
        assert not missing, f"{phrase!r}: {sorted(missing)} not in the PDF's text"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["assessment", "plan", "session", "attendance"])
def test_each_handout_prints_in_each_language(library, tmp_path, kind, language):
    db, ids = library
    ref = ids["session"] if kind in ("session", "attendance") else ids["mentee"]
    out = tmp_path / f"{kind}.pdf"
    printed = printing.write_handout(db, kind, ref, language, out)
    pages, text = pdf_text(out)
    assert pages == printed.pages >= 1
    with use_language(language):
        captions = {"assessment": [_("Assessment summary"), _("Capacity"), _("Evidence")],
                    "plan": [_("Notes"), _("Owner")],
                    "session": [_("Who took part"), _("Next steps")],
                    "attendance": [_("Attendance sheet"), _("Signature")]}[kind]
        furniture = _("Page {page} of {pages}").format(page=1, pages=pages)
    assert_shows(text, *captions, furniture, "CoachDesk")
    if kind in ("assessment", "plan"):
        assert_shows(text, ids["name"])
    else:
        assert_shows(text, *ids["people"])
    if kind == "attendance":
        assert pages == 1  # ten names and eight blank lines fit one sheet


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("key", ["fundraising", "it_safety", "mentoring_coaching"])
def test_toolbox_handouts_fit_one_page_in_each_language(library, tmp_path, key, language):
    db, _ids = library
    out = tmp_path / f"{key}.pdf"
    printing.write_handout(db, "toolbox", key, language, out)
    pages, text = pdf_text(out)
    assert pages == 1
    texts = printing.handout_texts(language)
    entry = texts["capacity"].get(key) or texts["method"][key]
    assert_shows(text, entry["questions"][0], entry["first_steps"][-1])
    if language != "en":  # really translated, not the English fallback
        assert entry["what"] != printing.handout_texts("en").get("capacity", {}).get(key, {}).get("what")


def test_every_capacity_and_method_has_a_handout_in_every_shipped_language():
    import tomllib

    from coachdesk.paths import resources_dir

    taxonomy = tomllib.loads((resources_dir() / "reference" / "taxonomy.toml").read_text())
    toolbox = tomllib.loads((resources_dir() / "reference" / "toolbox.toml").read_text())
    capacities = [c for area in taxonomy["area"] for c in area["capacities"]]
    for language in LANGUAGES:
        raw = tomllib.loads((resources_dir() / "handouts" / f"{language}.toml").read_text())
        assert list(raw["capacity"]) == capacities and list(raw["method"]) == toolbox["methods"], language
        for entry in [*raw["capacity"].values(), *raw["method"].values()]:
            assert entry["what"] and entry["why"] and len(entry["questions"]) >= 5 and len(entry["first_steps"]) >= 3


def test_arabic_pages_read_right_to_left(library, tmp_path):
    db, ids = library
    out = tmp_path / "plan-ar.pdf"
    printing.write_handout(db, "plan", ids["mentee"], "ar", out)
    document = pdfium.PdfDocument(str(out))
    page = document[0]
    textpage = page.get_textpage()
    width = page.get_width()
    with use_language("ar"):
        caption = _("Notes")
    found = textpage.search(caption)
    assert found.get_next() is not None
    # The title and headings start at the right margin, not the left.
    boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
    title_box = next(b for b in boxes if b[1] > page.get_height() * 0.8 and b[2] > 0)
    assert max(b[2] for b in boxes if abs(b[1] - title_box[1]) < 2) > width * 0.85
    document.close()


def test_pdf_metadata_names_the_document_and_its_language(library, tmp_path):
    db, ids = library
    out = tmp_path / "s.pdf"
    printing.write_handout(db, "session", ids["session"], "ar", out)
    raw = out.read_bytes()
    assert b"/Lang (ar)" in raw and b"/Creator (CoachDesk" in raw
    document = pdfium.PdfDocument(str(out))
    assert document.get_metadata_dict()["Title"] == ids["title"]
    document.close()


def test_evaluation_report_as_pdf_and_csv_agree(library, tmp_path):
    db, _ids = library
    pdf = tmp_path / "eval.pdf"
    sheet = tmp_path / "eval.csv"
    printing.write_evaluation(db, pdf, date(2026, 1, 1), date(2026, 12, 31), "en")
    printing.write_evaluation(db, sheet, date(2026, 1, 1), date(2026, 12, 31), "en")
    rows = list(csv.DictReader(io.StringIO(sheet.read_text(encoding="utf-8"))))
    totals = {r["measure"]: r["value"] for r in rows if r["section"] == "total"}
    with db.read() as s:
        sessions = s.scalar(select(func.count()).select_from(CoachingSession).where(
            CoachingSession.deleted.is_(False), CoachingSession.started_at >= "2026-01-01",
            CoachingSession.started_at < "2027-01-01"))
    assert int(totals["sessions"]) == sessions > 0
    pages, text = pdf_text(pdf)
    assert pages >= 1
    assert_shows(text, "Evaluation report", "By capacity", "By month", "Assessment progress", f"{sessions:,}")
    assert {r["section"] for r in rows} >= {"capacity", "method", "community", "month", "total"}


@pytest.mark.parametrize("args, message", [
    (["handout", "plan", "not-an-id"], "is not an id of a mentee"),
    (["handout", "plan", "019a0410c80073c79605e7708a63f881"], "No mentee has the id"),
    (["handout", "session", "019a0410c80073c79605e7708a63f881"], "No session has the id"),
    (["handout", "toolbox", "juggling"], "is neither a capacity nor a method"),
    (["handout", "toolbox", "legal", "--lang", "xx-nope"], "is not a language code"),
    (["handout", "toolbox", "legal", "--lang", "ja"], "has no translation for “ja”"),
    (["report", "evaluation", "--from", "2026-05-01", "--to", "2026-01-01"], "starts after it ends"),
])
def test_bad_ids_keys_and_languages_exit_2_and_write_no_file(library, tmp_path, capsys, args, message):
    db, _ids = library
    out = tmp_path / "out.pdf"
    code = main(["--db", str(db.path), *args, "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and message in err and err.count("\n") == 1
    assert not out.exists() and not list(tmp_path.glob(".out.pdf*"))


def test_the_command_line_prints_a_handout(library, tmp_path, capsys):
    db, ids = library
    out = tmp_path / "att.pdf"
    assert main(["--db", str(db.path), "handout", "attendance", ids["session"], "--lang", "en", "-o", str(out),
                 "--json"]) == 0
    assert '"pages": 1' in capsys.readouterr().out
    assert out.read_bytes().startswith(b"%PDF")


def test_the_evaluation_report_runs_over_a_hubs_database(tmp_path, capsys):
    from coachdesk.services import hub as hub_service
    from coachdesk.services.team import export_for_hub, join_team

    invitation = hub_service.init_hub(tmp_path / "hub", "Sahel circuit")
    device = open_workspace(tmp_path / "device.sqlite")
    join_team(device, invitation)
    generate_demo(device, mentees=6, seed=8)
    export_for_hub(device, tmp_path / "d.cdsync")
    with device.read() as s:
        sessions = s.scalar(select(func.count()).select_from(CoachingSession))
    device.close()
    hub_service.ingest(tmp_path / "hub", [tmp_path / "d.cdsync"])
    out = tmp_path / "hub.csv"
    assert main(["report", "evaluation", "--hub-dir", str(tmp_path / "hub"), "-o", str(out)]) == 0
    totals = {r["measure"]: r["value"] for r in csv.DictReader(io.StringIO(out.read_text())) if r["section"] == "total"}
    assert int(totals["sessions"]) == sessions > 0
    pdf = tmp_path / "hub.pdf"
    assert main(["report", "evaluation", "--hub-dir", str(tmp_path / "hub"), "-o", str(pdf)]) == 0
    assert_shows(pdf_text(pdf)[1], "Sahel circuit")
