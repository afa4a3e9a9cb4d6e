"""/whoami and /staff on Discord (issue #15): staff added in chat count at once."""

from __future__ import annotations

from tests.discord.world import FAN, OWNER, Env

NOT_FOR_YOU = "Det kommandot är inte tillgängligt för dig."


async def test_whoami_and_staff_on_discord(env: Env) -> None:
    who = await env.command(FAN, "whoami", locale="en-US")
    assert who.ephemeral
    assert f"Your Discord user id: {FAN}" in (who.content or "")
    env.grant_staff_commands(to=FAN)  # the admin lets this fan see the staff commands
    refused = await env.command(FAN, "announce", {"text": "Hej"})
    assert NOT_FOR_YOU in (refused.content or "")  # seeing them is not being staff

    added = await env.command(OWNER, "staff", {"action": "add", "user": f"<@{FAN}>"})
    assert added.content == f"{FAN} är nu personal på Discord; det gäller direkt."
    draft = await env.command(FAN, "announce", {"text": "Hej alla"})
    assert "Publicera?" in str(draft.embeds) + (draft.content or "")
    listed = await env.command(FAN, "staff", {"action": "list"})
    assert f"Discord: {FAN}." in (listed.content or "")

    removed = await env.command(OWNER, "staff", {"action": "remove", "user": str(FAN)})
    assert removed.content == f"{FAN} är inte längre personal på Discord."
    again = await env.command(FAN, "announce", {"text": "Hej"})
    assert NOT_FOR_YOU in (again.content or "")
    actions = [(a.action, a.detail["user_id"]) for a in await env.app.store.audit_log()]
    assert actions == [("staff_remove", str(FAN)), ("staff_add", str(FAN))]
