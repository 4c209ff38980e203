"""The peer-exchange handout: the peers suggested for a mentee's priority gaps, and what each side of
every pair can give the other. Its words come from ``resources/handouts/<language>.toml``
(``[peer_exchange]``); the data is gathered by ``services.printing.peer_exchange_doc``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from coachdesk.i18n import format_date
from coachdesk.reports.layout import Page


@dataclass
class PeerRow:
    name: str
    about: str  # kind · community
    level: int
    they_offer: str  # the gap capacity, with the peer's level
    you_offer: str  # the mentee's assets that are the peer's gaps, with the mentee's levels
    languages: str  # shared languages, by name


@dataclass
class GapSection:
    capacity: str
    level: int
    peers: list[PeerRow]


@dataclass
class PeerExchangeDoc:
    mentee: str
    about: str  # kind · community
    assessed_on: date | None
    gaps: list[GapSection]
    assets: str  # what the mentee is strong in, for any peer who asks
    opted_in: int
    words: dict[str, str] = field(default_factory=dict)


def peer_exchange(doc: PeerExchangeDoc, page: Page) -> list[Flowable]:
    words = doc.words
    story: list[Flowable] = [page.p(words["title"], "title"),
                             page.p(" · ".join(x for x in (doc.mentee, doc.about) if x), "subtitle")]
    if doc.assessed_on:
        story.append(page.p(words["assessed"].format(date=format_date(doc.assessed_on, "long")), "small"))
    story.append(page.p(words["intro"]))
    if doc.assessed_on is None:
        story.append(page.p(words["no_assessment"]))
    elif not doc.gaps:
        story.append(page.p(words["no_gaps"]))
    # "They can offer" names the capacity with the peer's level: a separate level column would repeat it.
    header = [words["peer"], words["they_offer"], words["you_offer"], words["languages"]]
    for gap in doc.gaps:
        part: list[Flowable] = [page.p(words["gap"].format(capacity=gap.capacity, level=gap.level), "heading")]
        if gap.peers:
            rows = [header] + [[f"{p.name}\n{p.about}" if p.about else p.name, p.they_offer, p.you_offer or "—",
                                p.languages or "—"] for p in gap.peers]
            part.append(page.table(rows, [27, 24, 31, 18]))
        else:
            part.append(page.p(words["no_peers"].format(count=doc.opted_in), "small"))
        story.append(KeepTogether(part))
    if doc.assets:
        story += [CondPageBreak(25 * mm), page.p(words["your_assets"], "heading"), page.p(doc.assets)]
    story += [KeepTogether([page.p(words["how_to_meet_title"], "heading"), page.p(words["how_to_meet"])]),
              KeepTogether([page.p(words["notes"], "heading"), *page.lines(3)])]
    return story
