"""/setup keeps the channel's name and the admin who ran it as fields, not in the title

Revision ID: 0002_setup_fields
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_setup_fields"
down_revision = "0001"
branch_labels = None
depends_on = None

#: How /setup wrote the two into the title before: "#name · admin:123".
_ADMIN_MARK = " · admin:"


def upgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("admin_id", sa.String(length=64), nullable=True))
    subscriptions = sa.table(
        "subscriptions",
        sa.column("id", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("channel_name", sa.String()),
        sa.column("admin_id", sa.String()),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(subscriptions.c.id, subscriptions.c.title).where(
            subscriptions.c.title.like(f"#%{_ADMIN_MARK}%")
        )
    ).all()
    for row_id, title in rows:
        name, _, admin = title.partition(_ADMIN_MARK)
        bind.execute(
            subscriptions.update()
            .where(subscriptions.c.id == row_id)
            .values(
                title=name,
                channel_name=name.removeprefix("#"),
                admin_id=admin if admin.isdigit() else None,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("subscriptions", schema=None) as batch_op:
        batch_op.drop_column("admin_id")
        batch_op.drop_column("channel_name")
