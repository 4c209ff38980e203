"""The command line answers at all."""

from coachdesk import __version__
from coachdesk.cli import main


def test_version(capsys):
    try:
        main(["--version"])
    except SystemExit as stop:
        assert stop.code == 0
    assert capsys.readouterr().out.strip() == f"CoachDesk {__version__}"
