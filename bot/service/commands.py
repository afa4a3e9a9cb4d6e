"""Chat commands shared by every platform: parse arguments, act, answer with a Reply.

Adapters only turn their updates into a ``Caller`` plus argument text and show the
``Reply``. Bad input raises UserError inside and comes back as a helpful answer; staff
broadcasts stop at a preview with a token the adapter turns into Publish/Cancel buttons.
"""

from __future__ import annotations

import secrets
import shlex
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from bot.core.complete import (
    Choice,
    event_choices,
    series_choices,
    timed_session_choices,
    zone_choices,
)
from bot.core.errors import UserError
from bot.core.markup import Bold, Href, Line, Post, line
from bot.core.model import SessionKind, SessionRef
from bot.core.render import event_place_line, event_title, render_next, render_preview
from bot.core.results.resolve import fold
from bot.core.timeutil import LANGUAGES, LocalTimeError, zone
from bot.scheduler import Engine

CONFIRM_TTL = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class Caller:
    """Who wrote the command, where, and what they may do."""

    platform: str
    chat_id: str
    user_id: str
    user_name: str | None = None
    chat_kind: str = "private"
    language: str = "sv"
    is_chat_admin: bool = True
    is_staff: bool = False
    guild_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the adapter should show; ``confirm`` asks for Publish/Cancel buttons."""

    post: Post
    private: bool = False
    confirm: str | None = None
    attachment: tuple[str, bytes, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


T = {
    "sv": {
        "welcome": "Välkommen! Du får nu påminnelser inför varje pass, ”LIVE NU” med länkar och "
        "resultat från Andreas och Jessica Bäckman. Skriv /stop för att sluta, /settings för "
        "språk och påminnelsetider, /help för alla kommandon.",
        "stopped": "Du får inga fler utskick. Skriv {start} för att börja igen.",
        "not_subscribed": "Den här chatten prenumererar inte. Skriv {start}.",
        "subscribed": "Prenumerationen är sparad: {what}.",
        "unsubscribed": "Klart: {what} är borttaget.",
        "admins_only": "Bara gruppens administratörer kan ändra prenumerationen här.",
        "staff_only": "Det kommandot är inte tillgängligt för dig.",
        "no_next": "Inga kommande pass i schemat just nu.",
        "settings": "Inställningar",
        "saved": "Sparat.",
        "preview_delay": "{name} flyttas {minutes:+d} min till {new} (svensk tid). Publicera?",
        "preview_cancel": "{name} ställs in. Publicera?",
        "preview_announce": "Meddelandet nedan skickas till alla prenumeranter. Publicera?",
        "published": "Publicerat till {count} mottagare.",
        "aborted": "Avbrutet, inget skickades.",
        "nothing_pending": "Det finns inget att publicera (det kan ha gått ut efter 15 minuter).",
        "unknown": "Okänt kommando /{name}.",
        "help_title": "Kommandon",
        "language": "Språk",
        "leads": "Påminnelser (minuter före)",
        "kinds": "Pass",
        "tz": "Tidszon",
        "series": "Serier",
        "all": "alla",
        "schedule_for": "Schema",
        "bad_option": "Det går inte att använda {value!r} här. Välj ett av förslagen.",
        "failed": "Något gick fel, inget ändrades. Försök igen om en stund.",
    },
    "en": {
        "welcome": "Welcome! You will now get reminders before every session, “LIVE NOW” with "
        "links and results from Andreas and Jessica Bäckman. Send /stop to stop, /settings for "
        "language and reminder times, /help for all commands.",
        "stopped": "You will get no more posts. Send {start} to begin again.",
        "not_subscribed": "This chat is not subscribed. Send {start}.",
        "subscribed": "Subscription saved: {what}.",
        "unsubscribed": "Done: {what} removed.",
        "admins_only": "Only the group's admins can change the subscription here.",
        "staff_only": "That command is not available to you.",
        "no_next": "No upcoming sessions in the schedule right now.",
        "settings": "Settings",
        "saved": "Saved.",
        "preview_delay": "{name} moves {minutes:+d} min to {new} (Swedish time). Publish?",
        "preview_cancel": "{name} will be cancelled. Publish?",
        "preview_announce": "The message below goes to every subscriber. Publish?",
        "published": "Published to {count} recipients.",
        "aborted": "Cancelled, nothing was sent.",
        "nothing_pending": "Nothing to publish (it may have expired after 15 minutes).",
        "unknown": "Unknown command /{name}.",
        "help_title": "Commands",
        "language": "Language",
        "leads": "Reminders (minutes before)",
        "kinds": "Sessions",
        "tz": "Time zone",
        "series": "Series",
        "all": "all",
        "schedule_for": "Timetable",
        "bad_option": "{value!r} cannot be used here. Pick one of the suggestions.",
        "failed": "Something went wrong and nothing was changed. Please try again later.",
    },
}

FAN_HELP = {
    "start": ("prenumerera på påminnelser", "subscribe to reminders"),
    "stop": ("sluta få utskick", "stop all posts"),
    "subscribe": ("välj serier eller pass: /subscribe race qualifying", "pick series or sessions"),
    "unsubscribe": ("ta bort en serie eller passtyp", "remove a series or session kind"),
    "settings": ("språk, påminnelsetider, pass, tidszon", "language, reminder times, zone"),
    "next": ("nästa pass med nedräkning", "next session with countdown"),
    "schedule": ("helgens schema, eller /schedule EVENT", "this weekend's timetable"),
    "calendar": ("kalenderfil och prenumerationslänk", "calendar file and subscribe link"),
    "results": ("senaste resultaten", "latest results"),
    "standings": ("senaste mästerskapstabellen", "latest standings"),
    "help": ("den här hjälpen", "this help"),
}
STAFF_HELP = {
    "delay": ("PASS MINUTER – flytta ett pass", "SESSION MINUTES – move a session"),
    "cancel": ("PASS – ställ in ett pass", "SESSION – cancel a session"),
    "announce": ("TEXT – meddelande till alla", "TEXT – message everyone"),
    "result": (
        "PASS FÖRARE PLATS … – t.ex. /result race2 andreas dnf jessica 17; en rättelse "
        "ändrar bara förarna den nämner, /result race2 jessica - tar bort Jessicas resultat",
        "SESSION DRIVER PLACE … – e.g. /result race2 andreas dnf jessica 17; a correction "
        "changes only the drivers it names, /result race2 jessica - removes Jessica's result",
    ),
    "standings": ("+ inklistrad tabell – publicera ställningen", "+ pasted tables – publish"),
    "publish": ("publicera det senaste utkastet", "publish the last draft"),
}


def say(language: str, key: str, **values: Any) -> str:
    table = T["en" if language == "en" else "sv"]
    return table[key].format(**values) if values else table[key]


def text_reply(text: str, language: str, *, private: bool = False, title: str = "") -> Reply:
    return Reply(
        Post(title=title, lines=tuple(line(p) for p in text.split("\n")), language=language),
        private,
    )


Handler = Callable[["Commands", Caller, str], Awaitable[Reply]]
Completer = Callable[["Commands", Caller, str], list[Choice]]
_HANDLERS: dict[str, Handler] = {}
_STAFF: set[str] = set()
_COMPLETERS: dict[tuple[str, str], Completer] = {}


def command(*names: str, staff: bool = False) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        for name in names:
            _HANDLERS[name] = func
            if staff:
                _STAFF.add(name)
        return func

    return register


@dataclass(frozen=True, slots=True)
class Menu:
    """The commands a platform offers, under the names its users see, for /help.

    ``names`` maps each offered command to its Swedish name (itself where there is none);
    ``help`` replaces a command's (Swedish, English) help line where the platform does
    more or less than the shared text says.
    """

    names: dict[str, str]
    help: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: Shared commands this platform offers under another command (Discord: no /start).
    instead: dict[str, str] = field(default_factory=dict)

    def _name(self, name: str, language: str) -> str:
        return name if language == "en" else self.names.get(name, name)

    def shown(self, name: str, language: str) -> str:
        """``/name`` as this platform's users know the command that does ``name``."""
        return f"/{self._name(self.instead.get(name, name), language)}"

    def entries(self, language: str, staff: bool) -> list[tuple[str, str]]:
        index = 1 if language == "en" else 0
        return [
            (self._name(name, language), self.help[name][index] if name in self.help else text)
            for name, text in Commands.help_entries(language, staff)
            if name in self.names
        ]


def completer(name: str, option: str) -> Callable[[Completer], Completer]:
    """Register suggestions for one option of a command (staff commands: staff only)."""

    def register(func: Completer) -> Completer:
        _COMPLETERS[(name, option)] = func
        return func

    return register


class Commands:
    """The command table; one instance serves every platform."""

    def __init__(self, engine: Engine, *, extra: dict[str, Handler] | None = None) -> None:
        self.engine = engine
        self.store = engine.store
        self.clock = engine.clock
        self.handlers = dict(_HANDLERS)
        self.handlers.update(extra or {})
        self.public_url = "http://127.0.0.1:8080"
        #: Per platform, the commands it offers where that is not every command (/help).
        self.menus: dict[str, Menu] = {}

    @staticmethod
    def names(staff: bool = False) -> list[str]:
        return sorted(set(FAN_HELP) | (set(STAFF_HELP) if staff else set()))

    @staticmethod
    def help_entries(language: str, staff: bool = False) -> list[tuple[str, str]]:
        index = 1 if language == "en" else 0
        entries = [(name, texts[index]) for name, texts in FAN_HELP.items()]
        if staff:
            entries += [(name, texts[index]) for name, texts in STAFF_HELP.items()]
        return entries

    async def handle(self, caller: Caller, name: str, args: str = "") -> Reply:
        """Run one command; every failure becomes a polite answer, never an exception."""
        name = name.lower().lstrip("/").split("@", 1)[0]
        handler = self.handlers.get(name)
        if handler is None:
            return text_reply(
                say(caller.language, "unknown", name=name) + "\n/help", caller.language
            )
        if name in _STAFF and not caller.is_staff:
            return text_reply(say(caller.language, "staff_only"), caller.language, private=True)
        try:
            return await handler(self, caller, args.strip())
        except UserError as exc:
            return text_reply(str(exc), caller.language, private=True)

    def shown(self, caller: Caller, name: str, language: str | None = None) -> str:
        """How to write command ``name`` on the caller's platform (for texts that cite it)."""
        menu = self.menus.get(caller.platform)
        language = language or caller.language
        return menu.shown(name, language) if menu is not None else f"/{name}"

    def complete(self, caller: Caller, name: str, option: str, typed: str) -> list[Choice]:
        """Suggestions for an option being typed; none where there are none or not allowed."""
        func = _COMPLETERS.get((name, option))
        if func is None or (name in _STAFF and not caller.is_staff):
            return []
        try:
            return func(self, caller, typed)
        except UserError:
            return []

    # -- helpers used by handlers ------------------------------------------------------

    def require_admin(self, caller: Caller) -> None:
        if caller.chat_kind != "private" and not caller.is_chat_admin:
            raise UserError(say(caller.language, "admins_only"))

    async def draft(
        self, caller: Caller, action: str, payload: dict[str, Any], preview: Post
    ) -> Reply:
        token = secrets.token_urlsafe(9)
        await self.store.put_pending(
            token, caller.platform, caller.user_id, action, payload, self.clock.now(), CONFIRM_TTL
        )
        return Reply(preview, private=True, confirm=token)

    def current_event_sessions(self) -> list[SessionRef]:
        """Sessions of the weekend in progress or next up; staff commands default to it."""
        upcoming = self.engine.upcoming(self.clock.now())
        if not upcoming:
            return []
        first = upcoming[0]
        return [
            r
            for r in self.engine.catalog.sessions()
            if r.event == first.event and r.series == first.series
        ]

    def find_session(self, query: str, language: str) -> SessionRef:
        query = query.strip()
        if "/" in query:
            return self.engine.session(query)
        candidates = self.current_event_sessions()
        wanted = fold(query)
        matches = [
            r
            for r in candidates
            if wanted in (fold(r.session.id), fold(r.session.name.sv), fold(r.session.name.en))
        ]
        if len(matches) == 1:
            return matches[0]
        choices = ", ".join(f"{r.session.id} ({r.session.name.get(language)})" for r in candidates)
        if not candidates:
            raise UserError(
                f"No upcoming weekend to find {query!r} in.",
                "Write the full key, e.g. tcr-europe-2020/r6/race1",
            )
        raise UserError(
            ("Okänt pass" if language == "sv" else "Unknown session") + f": {query!r}",
            ("Välj ett av: " if language == "sv" else "Choose one of: ") + choices,
        )


# -- fan commands -------------------------------------------------------------------------


@command("start")
async def _start(cmds: Commands, caller: Caller, args: str) -> Reply:
    cmds.require_admin(caller)
    existing = await cmds.store.get_subscription(caller.platform, caller.chat_id)
    language = existing.language if existing else caller.language
    await cmds.store.subscribe(
        caller.platform,
        caller.chat_id,
        cmds.clock.now(),
        chat_kind=caller.chat_kind,
        language=language,
        guild_id=caller.guild_id,
    )
    await cmds.engine.rebuild()
    return text_reply(say(language, "welcome"), language)


@command("stop")
async def _stop(cmds: Commands, caller: Caller, args: str) -> Reply:
    cmds.require_admin(caller)
    target = await cmds.store.get_subscription(caller.platform, caller.chat_id)
    if target is None or not target.active:
        return _not_subscribed(cmds, caller)
    await cmds.store.deactivate(target.id, "stopped by user", cmds.clock.now())
    start = cmds.shown(caller, "start", target.language)
    return text_reply(say(target.language, "stopped", start=start), target.language)


def _not_subscribed_text(cmds: Commands, caller: Caller) -> str:
    return say(caller.language, "not_subscribed", start=cmds.shown(caller, "start"))


def _not_subscribed(cmds: Commands, caller: Caller) -> Reply:
    return text_reply(_not_subscribed_text(cmds, caller), caller.language)


KIND_WORDS = {
    "race": SessionKind.RACE,
    "races": SessionKind.RACE,
    "race1": SessionKind.RACE,
    "lopp": SessionKind.RACE,
    "qualifying": SessionKind.QUALIFYING,
    "kval": SessionKind.QUALIFYING,
    "tidskval": SessionKind.QUALIFYING,
    "q": SessionKind.QUALIFYING,
    "practice": SessionKind.PRACTICE,
    "träning": SessionKind.PRACTICE,
    "traning": SessionKind.PRACTICE,
    "fp": SessionKind.PRACTICE,
    "other": SessionKind.OTHER,
}


def _parse_filters(cmds: Commands, args: str, language: str) -> tuple[set[str], set[SessionKind]]:
    series_ids = {s.id for s in cmds.engine.catalog.series}
    chosen_series: set[str] = set()
    kinds: set[SessionKind] = set()
    for word in _split(args):
        folded = fold(word)
        if folded in KIND_WORDS:
            kinds.add(KIND_WORDS[folded])
        elif folded in series_ids:
            chosen_series.add(folded)
        else:
            raise UserError(
                ("Okänt val" if language == "sv" else "Unknown choice") + f": {word!r}",
                ("Serier: " if language == "sv" else "Series: ")
                + ", ".join(sorted(series_ids))
                + (
                    "; pass: race, qualifying, practice"
                    if language == "sv"
                    else "; sessions: race, qualifying, practice"
                ),
            )
    return chosen_series, kinds


def _split(args: str) -> list[str]:
    try:
        return shlex.split(args)
    except ValueError as exc:
        raise UserError(f"Cannot read {args!r}: {exc}", "Check the quotes") from exc


@command("subscribe")
async def _subscribe(cmds: Commands, caller: Caller, args: str) -> Reply:
    cmds.require_admin(caller)
    language = caller.language
    series, kinds = _parse_filters(cmds, args, language)
    current = await cmds.store.get_subscription(caller.platform, caller.chat_id)
    fields: dict[str, Any] = {"chat_kind": caller.chat_kind, "guild_id": caller.guild_id}
    if series:
        fields["series"] = (
            tuple(sorted(set(current.series or ()) | series))
            if current and current.series
            else tuple(sorted(series))
        )
    if kinds:
        old = set(current.kinds or ()) if current and current.kinds else set()
        fields["kinds"] = tuple(sorted(old | kinds))
    if current is None:
        fields["language"] = language
    target = await cmds.store.subscribe(caller.platform, caller.chat_id, cmds.clock.now(), **fields)
    await cmds.engine.rebuild()
    return text_reply(
        say(
            target.language,
            "subscribed",
            what=_describe(target.series, target.kinds, target.language),
        ),
        target.language,
    )


@command("unsubscribe")
async def _unsubscribe(cmds: Commands, caller: Caller, args: str) -> Reply:
    cmds.require_admin(caller)
    current = await cmds.store.get_subscription(caller.platform, caller.chat_id)
    if current is None or not current.active:
        return _not_subscribed(cmds, caller)
    if not args:
        return await _stop(cmds, caller, args)
    series, kinds = _parse_filters(cmds, args, current.language)
    all_series = {s.id for s in cmds.engine.catalog.series}
    fields: dict[str, Any] = {}
    if series:
        fields["series"] = tuple(sorted(set(current.series or all_series) - series))
    if kinds:
        fields["kinds"] = tuple(sorted(set(current.kinds or SessionKind) - kinds))
    await cmds.store.update_subscription(
        caller.platform, caller.chat_id, cmds.clock.now(), **fields
    )
    return text_reply(
        say(current.language, "unsubscribed", what=" ".join(_split(args))), current.language
    )


def _describe(
    series: tuple[str, ...] | None, kinds: tuple[SessionKind, ...] | None, language: str
) -> str:
    all_word = say(language, "all")
    series_text = ", ".join(series) if series else all_word
    kinds_text = ", ".join(k.value for k in kinds) if kinds else all_word
    return (
        f"{say(language, 'series').lower()}: {series_text}; "
        f"{say(language, 'kinds').lower()}: {kinds_text}"
    )


@command("settings")
async def _settings(cmds: Commands, caller: Caller, args: str) -> Reply:
    """`/settings` shows; `/settings language en`, `leads 30 10`, `tz Asia/Seoul` change.

    Several at once are separated by ``;`` and are all checked before any is saved.
    """
    current = await cmds.store.get_subscription(caller.platform, caller.chat_id)
    if current is None:
        raise UserError(_not_subscribed_text(cmds, caller))
    changes = [_split(part) for part in args.split(";") if part.strip()]
    if changes:
        cmds.require_admin(caller)
        fields: dict[str, Any] = {}
        for words in changes:
            fields.update(_setting(fold(words[0]), words[1:], current.language))
        current = (
            await cmds.store.update_subscription(
                caller.platform, caller.chat_id, cmds.clock.now(), **fields
            )
            or current
        )
        await cmds.engine.rebuild()
    lang = current.language
    lines: list[Line] = [
        line(Bold(f"{say(lang, 'language')}: "), lang),
        line(
            Bold(f"{say(lang, 'leads')}: "),
            ", ".join(str(m) for m in current.lead_minutes(cmds.engine.settings.leads)),
        ),
        line(
            Bold(f"{say(lang, 'kinds')}: "),
            ", ".join(k.value for k in current.kinds) if current.kinds else say(lang, "all"),
        ),
        line(
            Bold(f"{say(lang, 'series')}: "),
            ", ".join(current.series) if current.series else say(lang, "all"),
        ),
        line(Bold(f"{say(lang, 'tz')}: "), current.timezone),
    ]
    title = ("✅ " + say(lang, "saved") + " " if changes else "") + "⚙️ " + say(lang, "settings")
    return Reply(Post(title=title, lines=tuple(lines), language=lang), extra={"settings": current})


def _setting(key: str, values: list[str], language: str) -> dict[str, Any]:
    usage = (
        "/settings language sv|en · /settings leads 60 15 · "
        "/settings kinds race qualifying · /settings tz Europe/Stockholm"
    )
    if key in ("language", "sprak", "lang") and len(values) == 1 and values[0] in LANGUAGES:
        return {"language": values[0]}
    if key in ("leads", "paminnelser", "reminders") and values:
        try:
            leads = sorted({int(v) for v in values}, reverse=True)
        except ValueError as exc:
            raise UserError(f"Minutes must be numbers: {' '.join(values)}", usage) from exc
        if any(m < 1 or m > 10080 for m in leads) or len(leads) > 5:
            raise UserError("Up to five reminder times between 1 and 10080 minutes.", usage)
        return {"leads": tuple(leads)}
    if key in ("kinds", "pass", "sessions") and values:
        kinds = set()
        for value in values:
            if fold(value) not in KIND_WORDS:
                raise UserError(f"Unknown session kind {value!r}", usage)
            kinds.add(KIND_WORDS[fold(value)])
        return {"kinds": tuple(sorted(kinds))}
    if key in ("tz", "timezone", "tidszon") and len(values) == 1:
        try:
            zone(values[0])
        except LocalTimeError as exc:
            raise UserError(str(exc), exc.hint) from exc
        return {"timezone": values[0]}
    raise UserError(f"Cannot change {key!r} like that.", usage)


@command("next", "nasta")
async def _next(cmds: Commands, caller: Caller, args: str) -> Reply:
    target = await cmds.store.get_subscription(caller.platform, caller.chat_id)
    language = target.language if target else caller.language
    tz = target.tz if target else zone("Europe/Stockholm")
    now = cmds.clock.now()
    upcoming = [
        r for r in cmds.engine.upcoming(now) if r.session.start > now
    ] or cmds.engine.upcoming(now)
    if not upcoming:
        return text_reply(say(language, "no_next"), language)
    return Reply(render_next(upcoming[0], now, language, tz))


@command("schedule", "schema")
async def _schedule(cmds: Commands, caller: Caller, args: str) -> Reply:
    target = await cmds.store.get_subscription(caller.platform, caller.chat_id)
    language = target.language if target else caller.language
    tz = target.tz if target else zone("Europe/Stockholm")
    if args:
        wanted = fold(args)
        found = [
            (s, e)
            for s, e in cmds.engine.catalog.events()
            if wanted in (fold(e.id), fold(e.name), fold(f"{s.id}/{e.id}"))
            or wanted in fold(e.name)
        ]
        if not found:
            names = ", ".join(f"{s.id}/{e.id} ({e.name})" for s, e in cmds.engine.catalog.events())
            raise UserError(f"No weekend matches {args!r}.", f"Try one of: {names}")
        series, event = found[-1]
    else:
        upcoming = cmds.engine.upcoming(cmds.clock.now())
        if not upcoming:
            return text_reply(say(language, "no_next"), language)
        series, event = upcoming[0].series, upcoming[0].event
    if not event.sessions:
        post = Post(
            title=f"🏁 {event_title(series, event, language)}",
            lines=(event_place_line(event, language),),
            color=series.color,
            language=language,
        )
        return Reply(post)
    return Reply(render_preview(series, event, language, tz))


@command("calendar", "kalender")
async def _calendar(cmds: Commands, caller: Caller, args: str) -> Reply:
    """The .ics as a file plus the https and webcal:// subscribe links."""
    from bot.core.calendar import build_calendar, calendar_urls

    series_id = fold(args) or None
    if series_id and cmds.engine.catalog.get(series_id) is None:
        known = ", ".join(s.id for s in cmds.engine.catalog.series)
        raise UserError(f"Unknown series {args!r}.", f"Choose one of: {known}")
    text = build_calendar(
        cmds.engine.catalog,
        cmds.engine.states,
        series_id=series_id,
        language=caller.language,
        now=cmds.clock.now(),
        public_url=cmds.public_url,
    )
    https, webcal = calendar_urls(cmds.public_url, series_id)
    lead = "Prenumerera i din kalender" if caller.language == "sv" else "Subscribe in your calendar"
    post = Post(
        title="📅 " + ("Kalender" if caller.language == "sv" else "Calendar"),
        lines=(line(f"{lead}: "), line(Href(webcal, webcal)), line(Href(https, https))),
        language=caller.language,
    )
    name = f"{series_id or 'racebot'}.ics"
    return Reply(post, attachment=(name, text.encode("utf-8"), "text/calendar"))


@command("help", "hjalp")
async def _help(cmds: Commands, caller: Caller, args: str) -> Reply:
    menu = cmds.menus.get(caller.platform)
    entries = (
        menu.entries(caller.language, caller.is_staff)
        if menu is not None
        else Commands.help_entries(caller.language, caller.is_staff)
    )
    lines = tuple(line(Bold(f"/{name}"), f" – {text}") for name, text in entries)
    return Reply(
        Post(title=say(caller.language, "help_title"), lines=lines, language=caller.language),
        private=True,
    )


@completer("schedule", "event")
def _complete_event(cmds: Commands, caller: Caller, typed: str) -> list[Choice]:
    return event_choices(cmds.engine.catalog.events(), typed, cmds.clock.now())


@completer("settings", "tz")
def _complete_zone(cmds: Commands, caller: Caller, typed: str) -> list[Choice]:
    return zone_choices(typed)


@completer("calendar", "series")
def _complete_series(cmds: Commands, caller: Caller, typed: str) -> list[Choice]:
    return series_choices(cmds.engine.catalog.series, typed)


# -- staff commands ------------------------------------------------------------------------


@command("delay", "forsena", staff=True)
async def _delay(cmds: Commands, caller: Caller, args: str) -> Reply:
    usage = "/delay SESSION MINUTES, e.g. /delay race1 10 (negative moves it earlier)"
    words = _split(args)
    if len(words) < 2:
        raise UserError("Which session, and how many minutes?", usage)
    try:
        minutes = int(words[-1])
    except ValueError as exc:
        raise UserError(f"{words[-1]!r} is not a number of minutes.", usage) from exc
    if minutes == 0 or abs(minutes) > 24 * 60:
        raise UserError("The delay must be between -1440 and 1440 minutes, not 0.", usage)
    ref = cmds.find_session(" ".join(words[:-1]), caller.language)
    new = ref.session.start + timedelta(minutes=minutes)
    text = say(
        caller.language,
        "preview_delay",
        name=f"{ref.session.name.get(caller.language)} – {ref.event.name}",
        minutes=minutes,
        new=f"{new.astimezone(zone('Europe/Stockholm')):%H:%M}",
    )
    return await cmds.draft(
        caller,
        "delay",
        {"session": ref.key, "minutes": minutes},
        text_reply(text, caller.language).post,
    )


@command("cancel", "stall-in", staff=True)
async def _cancel(cmds: Commands, caller: Caller, args: str) -> Reply:
    if not args:
        raise UserError("Which session?", "/cancel SESSION, e.g. /cancel race2")
    ref = cmds.find_session(args, caller.language)
    text = say(
        caller.language,
        "preview_cancel",
        name=f"{ref.session.name.get(caller.language)} – {ref.event.name}",
    )
    return await cmds.draft(
        caller, "cancel", {"session": ref.key}, text_reply(text, caller.language).post
    )


@completer("delay", "session")
@completer("cancel", "session")
def _complete_movable_session(cmds: Commands, caller: Caller, typed: str) -> list[Choice]:
    """Sessions of the current weekend that can still be moved or cancelled."""
    now = cmds.clock.now()
    movable = [
        r for r in cmds.current_event_sessions() if r.session.end > now and not r.session.cancelled
    ]
    return timed_session_choices(movable, typed, caller.language)


@command("announce", "meddela", staff=True)
async def _announce(cmds: Commands, caller: Caller, args: str) -> Reply:
    if not args.strip():
        raise UserError("The announcement is empty.", "/announce TEXT")
    if len(args) > 3000:
        raise UserError("The announcement is too long (max 3000 characters).", "Shorten it")
    preview = Post(
        title=say(caller.language, "preview_announce"),
        lines=tuple(line(p) for p in args.splitlines()),
        language=caller.language,
    )
    return await cmds.draft(caller, "announce", {"text": args}, preview)


@command("publish", "confirm", "ja", staff=True)
async def _publish(cmds: Commands, caller: Caller, args: str) -> Reply:
    token = args.strip() or await cmds.store.latest_pending(
        caller.platform, caller.user_id, cmds.clock.now()
    )
    if not token:
        return text_reply(say(caller.language, "nothing_pending"), caller.language, private=True)
    return await confirm(cmds, caller, token)


@command("abort", "avbryt", staff=True)
async def _abort(cmds: Commands, caller: Caller, args: str) -> Reply:
    token = args.strip() or await cmds.store.latest_pending(
        caller.platform, caller.user_id, cmds.clock.now()
    )
    if token:
        await cmds.store.take_pending(token, caller.platform, caller.user_id, cmds.clock.now())
    return text_reply(say(caller.language, "aborted"), caller.language, private=True)


PUBLISHERS: dict[str, Callable[[Commands, Caller, dict[str, Any]], Awaitable[int]]] = {}


def publisher(
    action: str,
) -> Callable[
    [Callable[[Commands, Caller, dict[str, Any]], Awaitable[int]]],
    Callable[[Commands, Caller, dict[str, Any]], Awaitable[int]],
]:
    def register(
        func: Callable[[Commands, Caller, dict[str, Any]], Awaitable[int]],
    ) -> Callable[[Commands, Caller, dict[str, Any]], Awaitable[int]]:
        PUBLISHERS[action] = func
        return func

    return register


async def confirm(cmds: Commands, caller: Caller, token: str) -> Reply:
    """Carry out a drafted broadcast (the Publish button); only its author, only once."""
    if not caller.is_staff:
        return text_reply(say(caller.language, "staff_only"), caller.language, private=True)
    taken = await cmds.store.take_pending(token, caller.platform, caller.user_id, cmds.clock.now())
    if taken is None:
        return text_reply(say(caller.language, "nothing_pending"), caller.language, private=True)
    action, payload = taken
    try:
        count = await PUBLISHERS[action](cmds, caller, payload)
    except UserError as exc:
        return text_reply(str(exc), caller.language, private=True)
    await cmds.store.audit(
        caller.platform, caller.user_id, caller.user_name, action, payload, cmds.clock.now()
    )
    return text_reply(say(caller.language, "published", count=count), caller.language, private=True)


async def _count_since(cmds: Commands, before: dict[str, int]) -> int:
    after = await cmds.store.delivery_counts()
    return max(0, sum(after.values()) - sum(before.values()))


@publisher("delay")
async def _do_delay(cmds: Commands, caller: Caller, payload: dict[str, Any]) -> int:
    before = await cmds.store.delivery_counts()
    await cmds.engine.delay(payload["session"], int(payload["minutes"]))
    return await _count_since(cmds, before)


@publisher("cancel")
async def _do_cancel(cmds: Commands, caller: Caller, payload: dict[str, Any]) -> int:
    before = await cmds.store.delivery_counts()
    await cmds.engine.cancel(payload["session"])
    return await _count_since(cmds, before)


@publisher("announce")
async def _do_announce(cmds: Commands, caller: Caller, payload: dict[str, Any]) -> int:
    return await cmds.engine.announce(str(payload["text"]))


# Results and standings register their commands on import.
from bot.service import results  # noqa: E402, F401
