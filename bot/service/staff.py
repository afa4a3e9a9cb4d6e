"""Staff broadcasts: /delay, /cancel and /announce draft; Publish carries the draft out.

Every broadcast stops at a preview with a token (``Context.draft``); only its author can
publish it, once, within 15 minutes. Typed entry points (``delay``, ``cancel``) take
Discord's options as they are; the text commands parse their words into the same call.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.core.complete import Choice, timed_session_choices
from bot.core.errors import UserError
from bot.core.markup import Bold, Line, Post, line
from bot.core.model import SessionRef
from bot.core.texts import chat_count, texts, zone_words
from bot.service import release
from bot.service.chats import split
from bot.service.context import Context
from bot.service.sessions import current_event_sessions, find_session
from bot.service.types import Caller, Command, CommandGroup, Reply, text_reply

MAX_DELAY = 24 * 60
MAX_ANNOUNCEMENT = 3000


async def delay(cmds: Context, caller: Caller, session: str, minutes: int) -> Reply:
    """Draft moving ``session`` by ``minutes`` (negative: earlier)."""
    chosen = texts(caller.language)
    if minutes == 0 or abs(minutes) > MAX_DELAY:
        raise UserError(chosen.delay_range, chosen.delay_usage)
    ref = find_session(cmds.engine, session, caller.language, cmds.clock.now())
    _refuse_cancelled(ref, caller.language)
    new = ref.session.start + timedelta(minutes=minutes)
    template = chosen.preview_delay if minutes > 0 else chosen.preview_earlier
    text = template.format(
        name=f"{ref.session.name.get(caller.language)} – {ref.event.name}",
        minutes=abs(minutes),
        new=f"{new.astimezone(cmds.home):%H:%M}",
        zone=zone_words(cmds.home.key, caller.language),
    )
    return await cmds.draft(
        caller,
        "delay",
        {"session": ref.key, "minutes": minutes},
        text_reply(text, caller.language).post,
    )


async def _delay(cmds: Context, caller: Caller, args: str) -> Reply:
    chosen = texts(caller.language)
    words = split(args, caller.language)
    if len(words) < 2:
        raise UserError(chosen.delay_which, chosen.delay_usage)
    try:
        minutes = int(words[-1])
    except ValueError as exc:
        problem = chosen.delay_not_minutes.format(value=words[-1])
        raise UserError(problem, chosen.delay_usage) from exc
    return await delay(cmds, caller, " ".join(words[:-1]), minutes)


async def cancel(cmds: Context, caller: Caller, session: str) -> Reply:
    """Draft cancelling ``session``."""
    chosen = texts(caller.language)
    if not session.strip():
        raise UserError(chosen.cancel_which, chosen.cancel_usage)
    ref = find_session(cmds.engine, session, caller.language, cmds.clock.now())
    text = chosen.preview_cancel.format(
        name=f"{ref.session.name.get(caller.language)} – {ref.event.name}"
    )
    return await cmds.draft(
        caller, "cancel", {"session": ref.key}, text_reply(text, caller.language).post
    )


async def _cancel(cmds: Context, caller: Caller, args: str) -> Reply:
    if not args.strip() and await release.collecting(cmds, caller):
        return await release.drop(cmds, caller)  # /cancel during a paste drops the paste
    return await cancel(cmds, caller, args)


def _complete_movable_session(cmds: Context, caller: Caller, typed: str) -> list[Choice]:
    """Sessions of the current weekend that can still be moved or cancelled."""
    now = cmds.clock.now()
    movable = [
        r
        for r in current_event_sessions(cmds.engine, now)
        if r.session.end > now and not r.session.cancelled
    ]
    return timed_session_choices(movable, typed, caller.language, cmds.home)


#: "sv:" / "en:" (and the languages' names) opening each part of a two-language text.
_PART = re.compile(
    r"(?:^|(?<=\s))(sv|svenska|swedish|en|engelska|english)\s*:", re.IGNORECASE | re.MULTILINE
)
_PART_LANGUAGE = {"sv": "sv", "svenska": "sv", "swedish": "sv"}


def split_languages(text: str) -> dict[str, str]:
    """``sv: Hej! en: Hi!`` (on one line or several, either order) -> text per language;
    a text that does not open with a language marker is one text for everyone ({"": …}).

    The second part starts at the *last* marker of the other language, so a Swedish
    sentence with "en:" in it ("Vi kör en: …") stays whole."""
    body = text.strip()
    marks = list(_PART.finditer(body))
    if not marks or marks[0].start() != 0:
        return {"": body}
    first = _language_of(marks[0])
    others = [m for m in marks if _language_of(m) != first]
    if not others:  # one language given: it is what everyone reads
        return {"": body[marks[0].end() :].strip()}
    second = others[-1]
    return {
        first: body[marks[0].end() : second.start()].strip(),
        _language_of(second): body[second.end() :].strip(),
    }


def _language_of(mark: re.Match[str]) -> str:
    return _PART_LANGUAGE.get(mark[1].lower(), "en")


async def _announce(cmds: Context, caller: Caller, args: str) -> Reply:
    chosen = texts(caller.language)
    if not args.strip():
        raise UserError(chosen.announce_empty, chosen.announce_usage)
    parts = split_languages(args)
    for language, text in parts.items():
        if not text:
            prefix = f"{language}:"
            raise UserError(
                chosen.announce_part_empty.format(prefix=prefix), chosen.announce_both_usage
            )
        if len(text) > MAX_ANNOUNCEMENT:
            raise UserError(chosen.announce_too_long, chosen.announce_shorten)
    if "" in parts:
        preview = Post(
            title=chosen.preview_announce,
            lines=tuple(line(p) for p in parts[""].splitlines()),
            language=caller.language,
        )
        return await cmds.draft(caller, "announce", {"text": parts[""]}, preview)
    labels = {"sv": chosen.announce_in_sv, "en": chosen.announce_in_en}
    shown: list[Line] = []
    for language in ("sv", "en"):
        shown += [*([()] if shown else []), line(Bold(labels[language]))]
        shown += [line(p) for p in parts[language].splitlines()]
    preview = Post(title=chosen.preview_announce_both, lines=tuple(shown), language=caller.language)
    return await cmds.draft(caller, "announce", {"texts": parts}, preview)


async def _latest_draft(cmds: Context, caller: Caller, token: str) -> str | None:
    return token.strip() or await cmds.store.latest_pending(
        caller.platform, caller.user_id, cmds.clock.now()
    )


async def _publish(cmds: Context, caller: Caller, args: str) -> Reply:
    token = await _latest_draft(cmds, caller, args)
    if not token:
        return text_reply(texts(caller.language).nothing_pending, caller.language, private=True)
    return await confirm(cmds, caller, token)


async def abort(cmds: Context, caller: Caller, token: str) -> Reply:
    """Drop a draft (the Cancel button, or /abort for the latest)."""
    found = await _latest_draft(cmds, caller, token)
    if found:
        await cmds.store.take_pending(found, caller.platform, caller.user_id, cmds.clock.now())
    return text_reply(texts(caller.language).aborted, caller.language, private=True)


async def confirm(cmds: Context, caller: Caller, token: str) -> Reply:
    """Carry out a drafted broadcast (the Publish button); only its author, only once.

    The staff check is the service boundary's: this runs as the staff command "publish".
    """
    taken = await cmds.store.take_pending(token, caller.platform, caller.user_id, cmds.clock.now())
    if taken is None:
        return text_reply(texts(caller.language).nothing_pending, caller.language, private=True)
    action, payload = taken
    count = await cmds.publishers[action](cmds, caller, payload)
    await cmds.store.audit(
        caller.platform, caller.user_id, caller.user_name, action, payload, cmds.clock.now()
    )
    chats = chat_count(count, caller.language)
    return text_reply(
        texts(caller.language).published.format(chats=chats), caller.language, private=True
    )


def _refuse_cancelled(ref: SessionRef, language: str) -> None:
    """A cancelled session has no time to move: its fans were told "Inställt" already,
    and a delay would send them a second, contradicting notice."""
    if ref.session.cancelled:
        name = f"{ref.session.name.get(language)} – {ref.event.name}"
        raise UserError(texts(language).delay_cancelled.format(name=name))


async def _do_delay(cmds: Context, caller: Caller, payload: dict[str, Any]) -> int:
    # Cancelled between the draft and the Publish: refuse here too.
    _refuse_cancelled(cmds.engine.session(payload["session"]), caller.language)
    changed = await cmds.engine.delay(payload["session"], int(payload["minutes"]))
    return changed.recipients


async def _do_cancel(cmds: Context, caller: Caller, payload: dict[str, Any]) -> int:
    return (await cmds.engine.cancel(payload["session"])).recipients


async def _do_announce(cmds: Context, caller: Caller, payload: dict[str, Any]) -> int:
    if "texts" in payload:  # one text per chat language (#14)
        return await cmds.engine.announce({k: str(v) for k, v in payload["texts"].items()})
    return await cmds.engine.announce(str(payload["text"]))


async def _abort(cmds: Context, caller: Caller, args: str) -> Reply:
    return await abort(cmds, caller, args)


def group() -> CommandGroup:
    """The staff broadcasts, for the app to register."""
    return CommandGroup(
        commands=(
            Command(("delay", "forsena"), _delay, staff=True),
            Command(("cancel", "stall-in"), _cancel, staff=True),
            Command(("announce", "meddela"), _announce, staff=True),
            Command(("publish", "confirm", "ja"), _publish, staff=True),
            Command(("abort", "avbryt"), _abort, staff=True),
        ),
        completers={
            ("delay", "session"): _complete_movable_session,
            ("cancel", "session"): _complete_movable_session,
        },
        publishers={"delay": _do_delay, "cancel": _do_cancel, "announce": _do_announce},
    )
