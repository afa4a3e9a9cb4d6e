"""Migration 0002: /setup's channel name and admin move out of the title into fields."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from bot.store import migrate

NOW = datetime(2020, 11, 1, tzinfo=UTC)


def test_titles_written_by_the_old_setup_become_fields(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
        for chat_id, title in [
            ("1", "#påminnelser · admin:4242"),
            ("2", "@fan"),  # a DM: its title is kept as it is
            ("3", None),
            ("4", "#odd · admin:x"),  # no id to keep, the name still is
        ]:
            conn.execute(
                text(
                    "INSERT INTO subscriptions (platform, chat_id, chat_kind, title, language,"
                    " timezone, active, created_at, updated_at) VALUES ('discord', :chat,"
                    " 'channel', :title, 'sv', 'Europe/Stockholm', 1, :now, :now)"
                ),
                {"chat": chat_id, "title": title, "now": NOW.isoformat()},
            )
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT chat_id, title, channel_name, admin_id FROM subscriptions ORDER BY 1")
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("1", "#påminnelser", "påminnelser", "4242"),
        ("2", "@fan", None, None),
        ("3", None, None, None),
        ("4", "#odd", "odd", None),
    ]
