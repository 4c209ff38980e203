"""The shipped reference data: taxonomy, toolbox and funding arrive complete, the same on every
device, once; translations are added later without touching what people edited."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import table_dump
from sqlalchemy import select

from coachdesk.model import (
    Capacity,
    CapacityArea,
    CapacityAreaText,
    CapacityText,
    FundingOpportunity,
    ToolboxMethod,
    ToolboxMethodText,
    named_id,
)
from coachdesk.services.reference_data import (
    ReferenceDataError,
    ensure_reference_data,
    read_reference_data,
    reference_folder,
)
from coachdesk.services.workspace import open_workspace

REFERENCE_TABLES = (
    "capacity_area", "capacity", "toolbox_method", "funding_opportunity",
    "capacity_area_text", "capacity_text", "toolbox_method_text",
)


def _shipped(name: str) -> dict:
    with (reference_folder() / name).open("rb") as handle:
        return tomllib.load(handle)


def _reference_rows(db) -> dict[str, list[tuple]]:
    dump = table_dump(db)
    return {table: dump[table] for table in REFERENCE_TABLES}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped reference folder that a test may change."""
    copy = tmp_path / "reference"
    shutil.copytree(reference_folder(), copy)
    return copy


def test_the_whole_taxonomy_arrives_in_its_order(db):
    taxonomy = _shipped("taxonomy.toml")["area"]
    with db.read() as session:
        areas = session.scalars(select(CapacityArea.key).order_by(CapacityArea.position)).all()
        capacities = session.scalars(
            select(Capacity.key).join(CapacityArea).order_by(CapacityArea.position, Capacity.position)
        ).all()
        area_of = dict(session.execute(select(Capacity.key, CapacityArea.key).join(CapacityArea)).all())

    assert areas == [a["key"] for a in taxonomy]
    assert len(areas) == 4
    assert capacities == [c for a in taxonomy for c in a["capacities"]]
    assert len(capacities) == 21
    assert area_of == {c: a["key"] for a in taxonomy for c in a["capacities"]}


def test_the_toolbox_has_its_ten_methods_in_order(db):
    with db.read() as session:
        methods = session.scalars(select(ToolboxMethod.key).order_by(ToolboxMethod.position)).all()
    assert methods == _shipped("toolbox.toml")["methods"]
    assert len(methods) == 10


def test_every_entry_has_its_english_text_from_the_shipped_file(db):
    english = _shipped("text/en.toml")
    with db.read() as session:
        areas = {a.key: (t.label, t.description) for t, a in session.execute(
            select(CapacityAreaText, CapacityArea).join(CapacityArea).where(CapacityAreaText.language == "en"))}
        capacities = {c.key: t for t, c in session.execute(
            select(CapacityText, Capacity).join(Capacity).where(CapacityText.language == "en"))}
        methods = {m.key: (t.label, t.description) for t, m in session.execute(
            select(ToolboxMethodText, ToolboxMethod).join(ToolboxMethod).where(ToolboxMethodText.language == "en"))}

    assert areas == {k: (v["label"], v["description"]) for k, v in english["area"].items()}
    assert methods == {k: (v["label"], v["description"]) for k, v in english["method"].items()}
    assert len(methods) == 10
    assert set(capacities) == set(english["capacity"]) and len(capacities) == 21
    for key, text in capacities.items():
        shipped = english["capacity"][key]
        assert (text.label, text.description) == (shipped["label"], shipped["description"])
        anchors = text.level_anchors.split("\n")
        assert anchors == shipped["anchors"]
        assert len(anchors) == 5 and all(line.strip() for line in anchors)


def test_funding_opportunities_arrive_from_the_funding_file(db):
    programs = _shipped("funding.toml")["program"]
    with db.read() as session:
        rows = {f.key: f for f in session.scalars(select(FundingOpportunity))}
    assert sorted(rows) == sorted(p["key"] for p in programs)
    for program in programs:
        row = rows[program["key"]]
        assert (row.program, row.provider, row.amount, row.url, row.eligibility, row.notes) == (
            program["program"], program.get("provider", ""), program.get("amount", ""), program.get("url", ""),
            program.get("eligibility", ""), program.get("notes", ""))
        assert row.deadline == program.get("deadline")


def test_reference_rows_have_ids_named_for_what_they_are(db):
    with db.read() as session:
        assert all(a.id == named_id("capacity_area", a.key) for a in session.scalars(select(CapacityArea)))
        assert all(c.id == named_id("capacity", c.key) for c in session.scalars(select(Capacity)))
        assert all(m.id == named_id("toolbox_method", m.key) for m in session.scalars(select(ToolboxMethod)))
        assert all(f.id == named_id("funding_opportunity", f.key) for f in session.scalars(select(FundingOpportunity)))
        assert all(t.id == named_id(t.capacity_id, t.language) for t in session.scalars(select(CapacityText)))


def test_two_fresh_databases_hold_identical_reference_rows(tmp_path):
    first, second = open_workspace(tmp_path / "a.sqlite"), open_workspace(tmp_path / "b.sqlite")
    try:
        rows = _reference_rows(first)
        assert rows == _reference_rows(second)
        assert all(rows[table] for table in REFERENCE_TABLES)
    finally:
        first.close()
        second.close()


def test_opening_again_adds_nothing_and_changes_nothing(db_path):
    db = open_workspace(db_path)
    before = table_dump(db)
    assert ensure_reference_data(db) == 0
    db.close()
    db = open_workspace(db_path)
    try:
        assert table_dump(db) == before
    finally:
        db.close()


def test_a_new_translation_is_added_and_leaves_edited_texts_alone(db, folder):
    fundraising = named_id("capacity", "fundraising")
    legal = named_id("capacity", "legal")
    with db.write() as session:
        english = session.get(CapacityText, named_id(fundraising, "en"))
        english.label = "Raising money and in-kind support"
    # The new release also rewords an English label; the database keeps the one it has.
    en_file = folder / "text" / "en.toml"
    shipped_english = en_file.read_text(encoding="utf-8")
    assert 'label = "Legal"\n' in shipped_english
    en_file.write_text(shipped_english.replace('label = "Legal"\n', 'label = "Law and rules"\n'), encoding="utf-8")
    (folder / "text" / "pt.toml").write_text(
        'language = "pt"\n'
        "[area.governance_management]\n"
        'label = "Governança e gestão"\n'
        "[capacity.fundraising]\n"
        'label = "Captação de recursos"\n'
        'description = "Encontrar o dinheiro e o apoio de que as atividades precisam."\n'
        'anchors = ["Ainda não.", "Com ajuda.", "Às vezes.", "Com um plano.", "Ensinamos outros."]\n'
        "[method.training]\n"
        'label = "Formação"\n'
        "[capacity.no_such_capacity]\n"
        'label = "Não existe"\n',
        encoding="utf-8",
    )
    before = table_dump(db)

    assert ensure_reference_data(db, read_reference_data(folder)) == 3

    after = table_dump(db)
    for table, rows in before.items():
        if table != "sync_state":  # its counters move with every write
            assert set(rows) <= set(after[table]), table
    grown = {table for table in after if len(after[table]) != len(before[table])}
    assert grown == {"capacity_area_text", "capacity_text", "toolbox_method_text", "sync_row_clock"}
    with db.read() as session:
        portuguese = session.get(CapacityText, named_id(fundraising, "pt"))
        assert (portuguese.label, portuguese.level_anchors.split("\n")[3]) == ("Captação de recursos", "Com um plano.")
        assert session.get(ToolboxMethodText, named_id(named_id("toolbox_method", "training"), "pt")).label == "Formação"
        assert session.get(CapacityText, named_id(fundraising, "en")).label == "Raising money and in-kind support"
        assert session.get(CapacityText, named_id(legal, "en")).label == "Legal"
        languages = set(session.scalars(select(CapacityText.language)))
    assert {"en", "pt"} <= languages  # shipped languages plus the new one


def test_a_changed_file_that_adds_no_entries_adds_no_rows(db, folder):
    taxonomy = folder / "taxonomy.toml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    before = _reference_rows(db)
    assert ensure_reference_data(db, read_reference_data(folder)) == 0
    assert _reference_rows(db) == before


@pytest.mark.parametrize("name", ["funding.toml", "taxonomy.toml", "text/en.toml"])
def test_a_malformed_file_is_refused_naming_it(db, folder, name):
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8") + '\n[[broken\nlabel = "\n', encoding="utf-8")
    before = table_dump(db)
    with pytest.raises(ReferenceDataError, match=Path(name).name.replace(".", r"\.")):
        ensure_reference_data(db, read_reference_data(folder))
    assert table_dump(db) == before


def test_a_malformed_translation_is_refused_naming_it(folder):
    (folder / "text" / "pt.toml").write_text('language = "pt"\n[capacity.fundraising\n', encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"pt\.toml"):
        read_reference_data(folder)


def test_a_missing_file_is_refused_naming_it(folder):
    (folder / "toolbox.toml").unlink()
    with pytest.raises(ReferenceDataError, match=r"toolbox\.toml"):
        read_reference_data(folder)


def test_a_file_of_an_unknown_format_is_refused_naming_it(folder):
    funding = folder / "funding.toml"
    funding.write_text(funding.read_text(encoding="utf-8").replace("format = 1", "format = 2"), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"funding\.toml: format 2"):
        read_reference_data(folder)


def test_english_texts_missing_for_a_capacity_are_refused(folder):
    taxonomy = folder / "taxonomy.toml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace('"it_safety"', '"it_safety", "first_aid"'),
                        encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="capacity text for: first_aid"):
        read_reference_data(folder)


def test_the_funding_list_reads_in_every_shipped_language_and_edits_keep_to_the_language_shown(db):
    from coachdesk.model import FundingOpportunity, FundingText
    from coachdesk.services.reference_edit import list_funding, save_funding

    rapid = named_id("funding_opportunity", "wmf_rapid_fund")
    with db.read() as s:
        english = {f.id: f for f in list_funding(s, "en")}[rapid]
        for language in ("ar", "hi", "es", "fr", "pt_BR", "sw", "id"):
            shown = {f.id: f for f in list_funding(s, language)}[rapid]
            assert shown.program == "Rapid Fund"  # a name, not translated
            assert shown.eligibility and shown.eligibility != english.eligibility, language
    with db.read() as s:
        arabic = {f.id: f for f in list_funding(s, "ar")}[rapid]
    arabic.notes = "ملاحظة من مجتمعنا"
    with db.write() as s:
        save_funding(s, arabic, "ar")
    with db.read() as s:
        assert s.get(FundingText, named_id(rapid, "ar")).notes == "ملاحظة من مجتمعنا"
        assert s.get(FundingOpportunity, rapid).notes == english.notes  # the English text is untouched
        assert {f.id: f for f in list_funding(s, "en")}[rapid].notes == english.notes
