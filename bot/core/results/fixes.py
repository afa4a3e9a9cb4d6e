"""A correction as fans are told it (#14): "Rättelse: Jessica 16:e i Race 2 (inte 18:e)".

Editing the post fans got is silent, so each chat that got it also gets one short
follow-up naming what changed; the staff draft shows the same change as old → new.
Only what a result post shows counts as a change (place, status, class places).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.markup import Line, Post, line
from bot.core.model import Driver
from bot.core.results.model import DriverResult, SessionLike
from bot.core.results.render import CHANGED, outcome_text
from bot.core.texts import texts


@dataclass(frozen=True, slots=True)
class Fix:
    """One driver's shown result before and after (None: no result)."""

    driver_id: str
    old: DriverResult | None
    new: DriverResult | None


def result_fixes(
    before: Sequence[DriverResult], after: Sequence[DriverResult], drivers: Sequence[Driver]
) -> list[Fix]:
    """Drivers whose shown result differs, in the series' driver order; none for a first
    entry (nothing was shown, so nothing is corrected)."""
    if not before:
        return []
    old = {r.driver_id: r for r in before}
    new = {r.driver_id: r for r in after}
    rank = {d.id: i for i, d in enumerate(drivers)}
    ids = sorted({*old, *new}, key=lambda d: (rank.get(d, len(rank)), d))
    return [
        Fix(d, old.get(d), new.get(d))
        for d in ids
        if _shown(old.get(d), "sv") != _shown(new.get(d), "sv")
    ]


def _shown(result: DriverResult | None, language: str) -> str | None:
    return outcome_text(result, language) if result is not None else None


def _parts(fix: Fix, language: str, names: dict[str, str]) -> dict[str, str]:
    chosen = texts(language)
    old, new = _shown(fix.old, language), _shown(fix.new, language)
    return {
        "who": names.get(fix.driver_id, fix.driver_id),
        "new": new if new is not None else chosen.correction_removed,
        "was": chosen.correction_was.format(old=old) if old else chosen.correction_added,
    }


def correction_text(
    session: SessionLike, fixes: Sequence[Fix], language: str, drivers: Sequence[Driver]
) -> str:
    """The follow-up's one sentence, one driver or several."""
    chosen = texts(language)
    names = {d.id: d.first_name for d in drivers}
    name = session.name.get(language)
    if len(fixes) == 1:
        return chosen.correction.format(session=name, **_parts(fixes[0], language, names))
    items = [chosen.correction_item.format(**_parts(f, language, names)) for f in fixes]
    return chosen.corrections.format(session=name, changes=", ".join(items))


def render_correction(
    session: SessionLike,
    fixes: Sequence[Fix],
    language: str,
    drivers: Sequence[Driver],
    color: int | None = None,
) -> Post:
    """The short follow-up post: the sentence as its title, nothing more."""
    text = correction_text(session, fixes, language, drivers)
    return Post(title=f"{CHANGED} {text}", lines=(), color=color, language=language)


def fix_lines(fixes: Sequence[Fix], language: str, drivers: Sequence[Driver]) -> list[Line]:
    """The staff draft's "Jessica: 18:e → 16:e" lines."""
    chosen = texts(language)
    names = {d.id: d.first_name for d in drivers}
    return [
        line(
            f"{CHANGED} ",
            chosen.correction_arrow.format(
                who=names.get(f.driver_id, f.driver_id),
                old=_shown(f.old, language) or "–",
                new=_shown(f.new, language) or "–",
            ),
        )
        for f in fixes
    ]
