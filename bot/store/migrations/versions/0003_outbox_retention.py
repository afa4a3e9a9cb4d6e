"""Outbox at scale: indexes for housekeeping, earliest-deadline claims and a target's rows

Revision ID: 0003_outbox_retention
Revises: 0002_setup_fields

- ``ix_deliveries_settled`` (status, updated_at): retention deletes settled rows by age,
  ``requeue_stale`` finds the few rows out for sending, ``supersede_unplanned`` the pending
  ones, without scanning the whole outbox (issue #16: 334-555 ms each at 5M rows).
- ``ix_deliveries_deadline`` (platform, status, expires): the worker claims the ready rows
  with the earliest deadline first, reading the index in order.
- ``ix_deliveries_subscription``: a target that left has its queue dropped by this key.

A delivery without a deadline (a result) gets the far-future one (``bot.store.tables.NEVER``)
so the deadline order is the same on SQLite and PostgreSQL (they sort NULLs differently).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_outbox_retention"
down_revision = "0002_setup_fields"
branch_labels = None
depends_on = None

#: ``bot.store.tables.NEVER`` as the naive UTC the column stores.
_NEVER = "9999-01-01 00:00:00"


def upgrade() -> None:
    op.execute(sa.text(f"UPDATE deliveries SET expires = '{_NEVER}' WHERE expires IS NULL"))
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_settled", ["status", "updated_at"], unique=False)
        batch_op.create_index(
            "ix_deliveries_deadline", ["platform", "status", "expires"], unique=False
        )
        batch_op.create_index("ix_deliveries_subscription", ["subscription_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_subscription")
        batch_op.drop_index("ix_deliveries_deadline")
        batch_op.drop_index("ix_deliveries_settled")
    op.execute(sa.text(f"UPDATE deliveries SET expires = NULL WHERE expires = '{_NEVER}'"))
