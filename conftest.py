"""Test set-up for the whole suite: headless Qt, and fresh data folders that are never the user's own."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from coachdesk import i18n  # noqa: E402
from coachdesk.paths import DATA_DIR_ENV  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_data_dir(tmp_path_factory, monkeypatch):
    """Every test gets its own data folder and the source language."""
    folder = tmp_path_factory.mktemp("coachdesk-data")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    i18n.set_language(i18n.SOURCE_LANGUAGE)
    yield folder
    i18n.set_language(i18n.SOURCE_LANGUAGE)
