"""At scale: outbox indexes (housekeeping, earliest-deadline claims), subscription revisions

Revision ID: 0007_outbox_retention
Revises: 0002_setup_fields

- ``ix_deliveries_settled`` (status, updated_at): retention deletes settled rows by age,
  ``requeue_stale`` finds the few rows out for sending, ``supersede_unplanned`` the pending
  ones, without scanning the whole outbox (issue #16: 334-555 ms each at 5M rows).
- ``ix_deliveries_deadline`` (platform, status, expires): the worker claims the ready rows
  with the earliest deadline first, reading the index in order.
- ``ix_deliveries_subscription``: a target that left has its queue dropped by this key.
- ``notifications.queued``: false while a fan-out's rows are still being written in
  batches, so a fire cut off by a crash is fired again (adding only the missing rows).
- ``subscriptions.revision``, indexed: a number every insert or update of a subscription
  raises, set by a trigger (so a change made by hand or by another process counts too), so
  each process re-reads only the subscriptions changed since it last looked
  (``bot.store.subscriptions``), not all of them.

A delivery without a deadline (a result) gets the far-future one (``bot.store.tables.NEVER``)
so the deadline order is the same on SQLite and PostgreSQL (they sort NULLs differently).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_outbox_retention"
down_revision = "0006_topics_pins"
branch_labels = None
depends_on = None

#: ``bot.store.tables.NEVER`` as the naive UTC the column stores.
_NEVER = "9999-01-01 00:00:00"


_SQLITE_BUMP = (
    "UPDATE subscriptions SET revision = "
    "(SELECT COALESCE(MAX(revision), 0) + 1 FROM subscriptions) WHERE id = NEW.id"
)
_TRIGGERS = {
    "sqlite": [
        f"CREATE TRIGGER subscriptions_revision_insert AFTER INSERT ON subscriptions"
        f" BEGIN {_SQLITE_BUMP}; END",
        # The bump itself changes the revision, so it does not set the trigger off again.
        f"CREATE TRIGGER subscriptions_revision_update AFTER UPDATE ON subscriptions"
        f" WHEN NEW.revision = OLD.revision BEGIN {_SQLITE_BUMP}; END",
    ],
    "postgresql": [
        "CREATE SEQUENCE subscriptions_revision_seq",
        "SELECT setval('subscriptions_revision_seq',"
        " (SELECT COALESCE(MAX(revision), 0) + 1 FROM subscriptions))",
        "CREATE FUNCTION subscriptions_bump_revision() RETURNS trigger AS $$ BEGIN"
        " NEW.revision := nextval('subscriptions_revision_seq'); RETURN NEW; END $$"
        " LANGUAGE plpgsql",
        "CREATE TRIGGER subscriptions_revision BEFORE INSERT OR UPDATE ON subscriptions"
        " FOR EACH ROW EXECUTE FUNCTION subscriptions_bump_revision()",
    ],
}
_DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS subscriptions_revision_update",
        "DROP TRIGGER IF EXISTS subscriptions_revision_insert",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS subscriptions_revision ON subscriptions",
        "DROP FUNCTION IF EXISTS subscriptions_bump_revision()",
        "DROP SEQUENCE IF EXISTS subscriptions_revision_seq",
    ],
}


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index("ix_subscriptions_revision", ["revision"], unique=False)
    op.execute(sa.text("UPDATE subscriptions SET revision = id"))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("queued", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    for statement in _TRIGGERS.get(dialect, []):
        op.execute(sa.text(statement))
    op.execute(sa.text(f"UPDATE deliveries SET expires = '{_NEVER}' WHERE expires IS NULL"))
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_settled", ["status", "updated_at"], unique=False)
        batch_op.create_index(
            "ix_deliveries_deadline", ["platform", "status", "expires"], unique=False
        )
        batch_op.create_index("ix_deliveries_subscription", ["subscription_id"], unique=False)


def downgrade() -> None:
    for statement in _DROP.get(op.get_bind().dialect.name, []):
        op.execute(sa.text(statement))
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_column("queued")
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_index("ix_subscriptions_revision")
        batch_op.drop_column("revision")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_subscription")
        batch_op.drop_index("ix_deliveries_deadline")
        batch_op.drop_index("ix_deliveries_settled")
    op.execute(sa.text(f"UPDATE deliveries SET expires = NULL WHERE expires = '{_NEVER}'"))
