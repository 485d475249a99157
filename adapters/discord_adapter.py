"""The Discord adapter: discord.py 2.7 <-> the platform-neutral core.

It only translates. Slash commands (with autocomplete) and button presses become core events;
core replies become messages or embeds with buttons, ephemeral when they are for one user.
Buttons are dynamic items whose custom ids carry what the core needs, so they keep working
after a restart. No reply pings anyone: allowed mentions are none and echoed text is escaped.

Run with DISCORD_TOKEN set: `studybot run`. DISCORD_GUILD_ID syncs the commands to one server
at once (for development); otherwise they are synced globally.
"""

from __future__ import annotations

import asyncio
import logging
import re

import discord
from discord import app_commands
from discord.utils import escape_markdown, escape_mentions

from bot.events import Chat, Command, Press, User
from bot.help import command_descriptions
from bot.replies import Reply
from bot.service import StudyBot
from bot.text import Rich

log = logging.getLogger(__name__)

PLATFORM = "discord"
MESSAGE_LIMIT = 2000
EMBED_LIMIT = 4096
EMBED_FROM = 300             # longer replies (cards, reveals) go out as embeds
ANSWER_WITHIN = 2.0          # seconds before deferring, inside Discord's 3-second window
MARKS = {"b": "**", "i": "*", "code": "`", "": ""}
DESCRIPTIONS = dict(command_descriptions("vi"))


def render_markdown(text: Rich) -> str:
    """Every span escaped for Markdown and mentions, then marked: nothing echoed is markup."""
    out = []
    for span in text.spans:
        body = span.text if span.style == "code" else escape_mentions(escape_markdown(span.text))
        if span.style == "code":
            body = body.replace("`", "ˋ")
        mark = MARKS[span.style] if body.strip() else ""
        out.append(f"{mark}{body}{mark}")
    return "".join(out)


def split(text: str, limit: int) -> list[str]:
    parts = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > limit // 2 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return parts + [text] if text else parts or [""]


class CoreButton(discord.ui.DynamicItem[discord.ui.Button], template=r"(?P<id>[a-z]:[^\s]{1,90})"):
    """A button whose custom id is the core's button id; found again after a restart."""

    adapter: "DiscordAdapter | None" = None

    def __init__(self, button_id: str, label: str = "·"):
        super().__init__(discord.ui.Button(label=label[:80], custom_id=button_id,
                                           style=discord.ButtonStyle.secondary))
        self.button_id = button_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["id"], item.label or "·")

    async def callback(self, interaction: discord.Interaction) -> None:
        await CoreButton.adapter.on_press(interaction, self.button_id)


def view_for(reply: Reply) -> discord.ui.View | None:
    if not reply.buttons:
        return None
    view = discord.ui.View(timeout=None)
    for button in reply.buttons[:25]:
        view.add_item(CoreButton(button.id, button.label))
    return view


def message_kwargs(reply: Reply) -> list[dict]:
    """One or more send() keyword sets for a reply: content or an embed, the buttons last."""
    text = render_markdown(reply.text)
    if len(reply.text) > EMBED_FROM:
        parts = [{"embed": discord.Embed(description=p)} for p in split(text, EMBED_LIMIT)]
    else:
        parts = [{"content": p} for p in split(text, MESSAGE_LIMIT)]
    view = view_for(reply)
    if view is not None:
        parts[-1]["view"] = view
    return parts


def to_user(member: discord.abc.User, is_admin: bool) -> User:
    return User(PLATFORM, str(member.id), member.display_name, is_admin)


def to_chat(interaction: discord.Interaction) -> Chat:
    return Chat(PLATFORM, str(interaction.channel_id), interaction.guild_id is not None)


def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server, checked in code (the declared default permission is only a hint)."""
    if interaction.guild_id is None:
        return True
    return bool(interaction.permissions.manage_guild)


class DiscordAdapter:
    def __init__(self, guild_id: int | None = None):
        # No privileged intent: typed answers come through /answer, everything else is
        # slash commands and buttons.
        self.client = discord.Client(intents=discord.Intents.default(),
                                     allowed_mentions=discord.AllowedMentions.none())
        self.tree = app_commands.CommandTree(self.client)
        self.guild = discord.Object(guild_id) if guild_id else None
        self.bot: StudyBot | None = None
        self.client.setup_hook = self._setup_hook
        CoreButton.adapter = self
        self._register_commands()

    def attach(self, bot: StudyBot) -> None:
        self.bot = bot

    # --- sending ---------------------------------------------------------------------------
    async def send(self, chat: Chat, replies: list[Reply]) -> None:
        """The core's outbox: pushed messages (reveals, next questions, daily posts)."""
        channel = self.client.get_partial_messageable(int(chat.id))
        for reply in replies:
            try:
                for kwargs in message_kwargs(reply):
                    await channel.send(**kwargs)
            except (discord.Forbidden, discord.NotFound) as refused:
                await self.bot.pause_daily(chat, f"Discord refused: {refused.text or refused.status}")
                return
            except discord.HTTPException as error:
                log.error("discord send to %s failed: %s", chat.key, error)

    async def _respond(self, interaction: discord.Interaction, replies: list[Reply]) -> None:
        """Answer an interaction: the first reply as the response, the rest as follow-ups."""
        for reply in replies:
            ephemeral = reply.to is not None
            for kwargs in message_kwargs(reply):
                if not interaction.response.is_done():
                    await interaction.response.send_message(ephemeral=ephemeral, **kwargs)
                else:
                    await interaction.followup.send(ephemeral=ephemeral, **kwargs)
        if not interaction.response.is_done():
            await interaction.response.defer()

    async def _handle(self, interaction: discord.Interaction, event) -> None:
        work = asyncio.ensure_future(self.bot.handle(event))
        done, _ = await asyncio.wait({work}, timeout=ANSWER_WITHIN)
        if not done:            # stay inside the 3-second window, then follow up
            await interaction.response.defer(thinking=True)
        await self._respond(interaction, await work)

    async def on_press(self, interaction: discord.Interaction, button_id: str) -> None:
        event = Press(to_user(interaction.user, is_admin(interaction)), to_chat(interaction), button_id)
        await self._handle(interaction, event)

    # --- commands --------------------------------------------------------------------------
    def _command(self, interaction: discord.Interaction, name: str, args: str = "") -> Command:
        return Command(to_user(interaction.user, is_admin(interaction)), to_chat(interaction), name, args)

    def _register_commands(self) -> None:
        tree, adapter = self.tree, self

        async def term_choices(interaction, current: str):
            return [app_commands.Choice(name=term[:100], value=term[:100])
                    for term in adapter.bot.complete_terms(current, 25)]

        async def topic_choices(interaction, current: str):
            return [app_commands.Choice(name=title[:100], value=topic_id)
                    for topic_id, title in adapter.bot.complete_topics(current, 25)]

        @tree.command(name="define", description=DESCRIPTIONS["define"][:100])
        @app_commands.describe(term="khái niệm cần tra, ví dụ: hội nhập quốc tế")
        @app_commands.autocomplete(term=term_choices)
        async def define(interaction: discord.Interaction, term: str):
            await adapter._handle(interaction, adapter._command(interaction, "define", term))

        @tree.command(name="quiz", description=DESCRIPTIONS["quiz"][:100])
        @app_commands.describe(topic="chủ đề (để trống: mọi chủ đề)", count="số câu, 1 đến 20")
        @app_commands.autocomplete(topic=topic_choices)
        async def quiz(interaction: discord.Interaction, topic: str | None = None,
                       count: app_commands.Range[int, 1, 20] | None = None):
            args = " ".join(str(p) for p in (topic, count) if p is not None)
            await adapter._handle(interaction, adapter._command(interaction, "quiz", args))

        @tree.command(name="top", description=DESCRIPTIONS["top"][:100])
        @app_commands.choices(period=[app_commands.Choice(name=n, value=v) for n, v in (
            ("tuần này", "week"), ("tháng này", "month"), ("mọi thời gian", "all"), ("chuỗi ngày", "streak"))])
        async def top(interaction: discord.Interaction, period: app_commands.Choice[str] | None = None):
            await adapter._handle(interaction, adapter._command(interaction, "top", period.value if period else ""))

        @tree.command(name="daily", description=DESCRIPTIONS["daily"][:100])
        @app_commands.describe(action="on, off, time hoặc tz (quản trị viên)", value="giờ HH:MM hoặc múi giờ")
        @app_commands.choices(action=[app_commands.Choice(name=a, value=a) for a in ("on", "off", "time", "tz")])
        async def daily(interaction: discord.Interaction, action: app_commands.Choice[str] | None = None,
                        value: str | None = None):
            args = " ".join(p for p in ((action.value if action else None), value) if p)
            await adapter._handle(interaction, adapter._command(interaction, "daily", args))

        @tree.command(name="review", description=DESCRIPTIONS["review"][:100])
        @app_commands.describe(action="on, off hoặc tz (để trống: ôn các thẻ đến hạn)", value="giờ HH:MM hoặc múi giờ")
        @app_commands.choices(action=[app_commands.Choice(name=a, value=a) for a in ("on", "off", "tz")])
        async def review(interaction: discord.Interaction, action: app_commands.Choice[str] | None = None,
                         value: str | None = None):
            args = " ".join(p for p in ((action.value if action else None), value) if p)
            await adapter._handle(interaction, adapter._command(interaction, "review", args))

        @tree.command(name="answer", description=DESCRIPTIONS["answer"][:100])
        async def answer(interaction: discord.Interaction, text: str):
            await adapter._handle(interaction, adapter._command(interaction, "answer", text))

        for name in ("stop", "me", "help", "topics"):
            self._simple_command(name)

    def _simple_command(self, name: str) -> None:
        adapter = self

        async def run(interaction: discord.Interaction):
            await adapter._handle(interaction, adapter._command(interaction, name))

        self.tree.command(name=name, description=DESCRIPTIONS[name][:100])(run)

    async def _setup_hook(self) -> None:
        self.client.add_dynamic_items(CoreButton)
        if self.guild is not None:
            self.tree.copy_global_to(guild=self.guild)
            await self.tree.sync(guild=self.guild)
        else:
            await self.tree.sync()

    async def start(self, token: str) -> None:
        await self.client.start(token)

    async def stop(self) -> None:
        await self.client.close()
