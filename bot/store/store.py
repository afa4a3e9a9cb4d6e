"""The one storage interface: SQLAlchemy 2 (async) on SQLite by default, PostgreSQL by URL.

``Store`` composes one aggregate per job over one database handle (``bot.store.db``):
``subscriptions``, ``outbox`` (queueing), ``claims`` (sending), ``states``,
``race_results``, ``drafts``, ``audit_trail``, ``staff``, ``weekends`` (from press releases),
``server_events`` (Discord scheduled events by session), ``pastes`` (a release being
pasted, its photo), ``leases`` (which process may use each token).
Every method is a short transaction. The long-standing method names stay on ``Store`` as
thin delegates, so callers need not know which aggregate answers.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.core.notices import NotificationData, SessionStateInfo
from bot.store.audit import AuditLog
from bot.store.claims import ClaimedDelivery, Claims, SentMark
from bot.store.db import Database, normalize_url, open_engine
from bot.store.drafts import Drafts
from bot.store.leases import Leases
from bot.store.outbox import DeliveryRecord, Outbox
from bot.store.pastes import ReleasePastes
from bot.store.results import RaceResults
from bot.store.server_events import ServerEvents
from bot.store.staff import StaffMembers
from bot.store.states import SessionStates
from bot.store.status import EXPIRED, FAILED, PENDING, SENDING, SENT, SUPERSEDED
from bot.store.subscriptions import TARGETS_MAX_AGE, Subscriptions
from bot.store.weekends import Weekends


class Store:
    def __init__(self, engine: AsyncEngine) -> None:
        self.db = Database(engine)
        self.engine = engine
        self.is_postgres = self.db.is_postgres
        #: Whether the database answers; every write reports here (see bot.store.health).
        self.health = self.db.health
        self.subscriptions = Subscriptions(self.db)
        self.outbox = Outbox(self.db)
        self.claims = Claims(self.db)
        self.states = SessionStates(self.db)
        self.race_results = RaceResults(self.db)
        self.drafts = Drafts(self.db)
        self.audit_trail = AuditLog(self.db)
        self.staff = StaffMembers(self.db)
        self.weekends = Weekends(self.db)
        self.server_events = ServerEvents(self.db)
        self.pastes = ReleasePastes(self.db)
        #: Which process may use each platform's token (``bot.leases``).
        self.leases = Leases(self.db)

        # The names callers have always used, one line each (bound methods, so a test can
        # still replace one on the instance).
        self.subscribe = self.subscriptions.subscribe
        self.update_subscription = self.subscriptions.update
        self.get_subscription = self.subscriptions.get
        self.deactivate = self.subscriptions.deactivate
        self.move_chat = self.subscriptions.move_chat
        self.targets = self.subscriptions.targets

        self.known_notifications = self.outbox.known_notifications
        self.enqueue = self.outbox.enqueue
        self.revise_notification = self.outbox.revise_notification
        self.requeue_stale = self.claims.requeue_stale
        self.claim = self.claims.claim
        self.renew = self.claims.renew
        self.mark_sent = self.claims.mark_sent
        self.mark_sent_many = self.claims.mark_sent_many
        self.mark_retry = self.claims.mark_retry
        self.mark_final = self.claims.mark_final
        self.supersede_unplanned = self.outbox.supersede_unplanned
        self.next_attempt = self.claims.next_attempt
        self.delivery_counts = self.outbox.delivery_counts
        self.prune_deliveries = self.outbox.prune
        self.prune_images = self.pastes.prune_images
        self.deliveries_for = self.outbox.deliveries_for

        self.session_states = self.states.all
        self.set_override = self.states.set_override
        self.record_fingerprints = self.states.record_fingerprints

        self.save_results = self.race_results.save
        self.results = self.race_results.for_event
        self.latest_results_event = self.race_results.latest_event
        self.save_standings = self.race_results.save_standings
        self.latest_standings = self.race_results.latest_standings

        self.audit = self.audit_trail.record
        self.audit_log = self.audit_trail.newest

        self.put_pending = self.drafts.put
        self.take_pending = self.drafts.take
        self.latest_pending = self.drafts.latest

    @classmethod
    async def open(cls, url: str) -> Store:
        """Connect, create the SQLite file's folder if needed, and migrate in place."""
        return cls(await open_engine(url))

    async def close(self) -> None:
        await self.db.close()


__all__ = [
    "EXPIRED",
    "FAILED",
    "PENDING",
    "SENDING",
    "SENT",
    "SUPERSEDED",
    "TARGETS_MAX_AGE",
    "ClaimedDelivery",
    "DeliveryRecord",
    "NotificationData",
    "SentMark",
    "SessionStateInfo",
    "Store",
    "normalize_url",
]
