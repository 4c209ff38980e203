"""Print the sample handouts in docs/samples/ from demo data, with a PNG of each first page.

Run with ``make samples``; look at the PNGs after any change to coachdesk/reports/.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("COACHDESK_DATA_DIR", tempfile.mkdtemp(prefix="coachdesk-samples-"))

from sqlalchemy import func, select  # noqa: E402

from coachdesk.model import (  # noqa: E402
    Assessment, AssessmentMode, CoachingSession, Mentee, Plan, PlanStatus, SessionParticipant,
)
from coachdesk.services.assessments import previous_assessment  # noqa: E402
from coachdesk.services.matching import find_peers  # noqa: E402
from coachdesk.services import printing  # noqa: E402
from coachdesk.services.demo import generate_demo  # noqa: E402
from coachdesk.services.workspace import open_workspace  # noqa: E402

LANGUAGES = ("en", "ar", "hi")


def main(out: Path) -> int:
    import pypdfium2 as pdfium

    out.mkdir(parents=True, exist_ok=True)
    db = open_workspace(Path(tempfile.mkdtemp(prefix="coachdesk-samples-db-")) / "Demo.sqlite")
    generate_demo(db, mentees=60, seed=1, today=date(2026, 11, 20))
    with db.read() as session:
        mentee = session.execute(select(Mentee.id).join(Assessment, Assessment.mentee_id == Mentee.id)
                                 .join(Plan, Plan.mentee_id == Mentee.id).where(Plan.status == PlanStatus.ACTIVE)
                                 .group_by(Mentee.id).order_by(func.count().desc(), Mentee.id)).scalars().first()
        training = session.execute(select(CoachingSession.id).join(
            SessionParticipant, SessionParticipant.session_id == CoachingSession.id)
            .group_by(CoachingSession.id).order_by(func.count().desc(), CoachingSession.id)).scalars().first()
        group = _latest_sitting_in_a_group(session)
        peered = max(session.scalars(select(Mentee.id).order_by(Mentee.id)),
                     key=lambda mid: find_peers(session, mid).pairs)
    for language in LANGUAGES:
        for name, kind, ref in (("assessment", "assessment", mentee), ("assessment-group", "assessment", group),
                                ("plan", "plan", mentee), ("attendance", "attendance", training),
                                ("toolbox", "toolbox", "fundraising"), ("peer-exchange", "peer-exchange", peered)):
            pdf = out / f"{name}-{language}.pdf"
            printing.write_handout(db, kind, ref, language, pdf)
            document = pdfium.PdfDocument(str(pdf))
            try:
                document[0].render(scale=1.0).to_pil().save(str(pdf.with_suffix(".png")))
            finally:
                document.close()
            print(pdf)
    db.close()
    return 0


def _latest_sitting_in_a_group(session):  # type: ignore[no-untyped-def]
    """A mentee whose latest assessment was a group in the room, so its handout shows the spread."""
    for mentee_id in session.scalars(select(Mentee.id).order_by(Mentee.id)):
        latest = previous_assessment(session, mentee_id)
        if latest and session.get(Assessment, latest[0]).mode == AssessmentMode.GROUP:
            return mentee_id
    raise SystemExit("the demo data has no group sitting to print")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent))
