"""A delivery's statuses: pending -> sending -> sent, or failed / expired / superseded."""

from __future__ import annotations

PENDING, SENDING, SENT, FAILED, EXPIRED, SUPERSEDED = (
    "pending",
    "sending",
    "sent",
    "failed",
    "expired",
    "superseded",
)
