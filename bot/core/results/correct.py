"""Apply a result command to a session's record: a correction changes only what it names.

Staff enter a session once and correct it later one driver at a time; the post fans see
always shows every driver recorded, so the merge happens here, once, for the draft and
for the publish alike. A merge that would leave two drivers on one place or remove what
is not there is refused in the staff member's language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.errors import UserError
from bot.core.model import Driver
from bot.core.results import phrases as say
from bot.core.results.model import DriverResult, ResultChange, SessionLike
from bot.core.results.phrases import Phrase


@dataclass(frozen=True)
class Correction:
    """A session's full result after a command, and what the command changed in it."""

    results: tuple[DriverResult, ...]
    changed: frozenset[str] = frozenset()
    removed: tuple[DriverResult, ...] = ()
    #: The lines to write: new or changed ones only.
    updated: tuple[DriverResult, ...] = ()
    #: The session's result as recorded before the command (what fans were shown).
    before: tuple[DriverResult, ...] = ()

    @property
    def unchanged(self) -> bool:
        """The command repeats what is recorded: publishing only sends the posts again
        (which heals posts a failed publish left behind), so it is allowed, not refused."""
        return not self.updated and not self.removed


def _merge(old: DriverResult | None, change: ResultChange) -> DriverResult:
    classes = dict(old.class_positions) if old else {}
    for key, place in change.class_positions.items():
        if place is None:
            classes.pop(key, None)
        else:
            classes[key] = place
    note = old.note if old and change.note is None else change.note or None
    return DriverResult(change.driver_id, change.position, change.status, classes, note)


def _in_order(results: dict[str, DriverResult], drivers: Sequence[Driver]) -> list[DriverResult]:
    """The series' driver order (as the releases list them), unknown ids after, by id."""
    rank = {d.id: i for i, d in enumerate(drivers)}
    return sorted(results.values(), key=lambda r: (rank.get(r.driver_id, len(rank)), r.driver_id))


class _Check:
    """The refusals, worded for the staff member, naming drivers by first name."""

    def __init__(self, drivers: Sequence[Driver], session: SessionLike, language: str) -> None:
        self.names = {d.id: d.first_name for d in drivers}
        self.session = session.name.get(language)
        self.session_id = session.id
        self.language = language

    def name(self, driver_id: str) -> str:
        return self.names.get(driver_id, driver_id)

    def refuse(self, phrase: Phrase, hint: Phrase | None = None, **fields: object) -> UserError:
        language, fields = self.language, {"session": self.session, **fields}
        return UserError(
            phrase.say(language, **fields), hint.say(language, **fields) if hint else None
        )

    def removal(self, change: ResultChange, old: DriverResult | None) -> None:
        if old is None:
            who = self.name(change.driver_id)
            raise self.refuse(say.NOTHING_TO_REMOVE, say.REMOVE_ONLY_RECORDED, who=who)

    def class_removals(self, change: ResultChange, old: DriverResult | None) -> None:
        had = old.class_positions if old else {}
        for key, place in change.class_positions.items():
            if place is None and key not in had:
                who = self.name(change.driver_id)
                raise self.refuse(say.NO_CLASS_PLACE_TO_REMOVE, who=who, key=key)

    def places(self, results: Sequence[DriverResult], changed: frozenset[str]) -> None:
        """Two drivers on one place (or class place): say who, and how to fix both at once."""
        taken: dict[tuple[str, int], str] = {}
        for result in sorted(results, key=lambda r: r.driver_id in changed):
            places = [("", result.position)] if result.position is not None else []
            for key, where in [*places, *result.class_positions.items()]:
                other = taken.setdefault((key, where), result.driver_id)
                if other != result.driver_id:
                    self._clash(other, result.driver_id, key, where)

    def _clash(self, holder: str, newcomer: str, key: str, where: int) -> None:
        problem, example = (
            (say.CLASS_PLACE, say.CLASS_CLASH_EXAMPLE) if key else (say.PLACE, say.CLASH_EXAMPLE)
        )
        parts = {"holder": holder, "newcomer": newcomer, "key": key, "where": where}
        raise self.refuse(
            say.ALREADY_HAS,
            say.CORRECT_BOTH,
            who=self.name(holder),
            problem=problem.say(self.language, **parts),
            session_id=self.session_id,
            example=example.say(self.language, **parts),
        )


def apply_changes(
    current: Sequence[DriverResult],
    changes: Sequence[ResultChange],
    drivers: Sequence[Driver],
    *,
    session: SessionLike,
    language: str,
) -> Correction:
    """``current`` with ``changes`` applied, or a UserError (nothing is written anyway).

    Lines are marked as changed only when the session already had a result: a first
    entry is not a correction.
    """
    check = _Check(drivers, session, language)
    merged = {r.driver_id: r for r in current}
    removed: list[DriverResult] = []
    updated: list[DriverResult] = []
    for change in changes:
        old = merged.get(change.driver_id)
        if change.remove:
            check.removal(change, old)
            assert old is not None
            removed.append(merged.pop(change.driver_id))
            continue
        check.class_removals(change, old)
        new = _merge(old, change)
        if new != old:
            merged[change.driver_id] = new
            updated.append(new)
    changed = frozenset(r.driver_id for r in updated) if current else frozenset()
    check.places(list(merged.values()), frozenset(r.driver_id for r in updated))
    return Correction(
        tuple(_in_order(merged, drivers)), changed, tuple(removed), tuple(updated), tuple(current)
    )
