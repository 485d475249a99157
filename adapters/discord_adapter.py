"""The Discord adapter: discord.py 2.7 <-> the platform-neutral core.

It only translates. Slash commands (generated from the command table, bot/commands.py, in
Vietnamese with en-US localizations), button presses and the "answer" form become core events;
the core's replies become interaction responses (ephemeral when they are for one user) or
channel messages sent by the outbox through `render`/`send`. Buttons are dynamic items whose
custom ids carry what the core needs, so they keep working after a restart; the answer form's
submission is read from the raw interaction, so it too works after a restart.

Visibility follows Discord's rules: a response is ephemeral when the reply is for one user;
when the core is slow the bot defers, always ephemerally (Discord shows the first follow-up
with the deferral's visibility, whatever its own flags say), and public replies go to the
channel through the outbox. No reply pings anyone: allowed mentions are none and echoed text
is escaped.

Run with DISCORD_TOKEN set: `studybot run`. DISCORD_GUILD_ID syncs the commands to one server
at once (for development); otherwise they are synced globally.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import math
import re
from typing import Any, Optional, Sequence

import aiohttp
import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.utils import escape_markdown, escape_mentions

from adapters.contract import Fatal
from bot.commands import COMMANDS, Spec
from bot.delivery.transport import (
    ChatGone, Limits, Receipt, TemporaryFailure, Undeliverable,
)
from bot.events import Chat, Command, Press, TypedText, User, button_number
from bot.i18n import catalog
from bot.platform import Capabilities
from bot.replies import Reply
from bot.text import Rich, shorten

log = logging.getLogger(__name__)

PLATFORM = "discord"
MESSAGE_LIMIT = 2000
EMBED_LIMIT = 4096
EMBED_FROM = 300             # longer replies (cards, reveals) go out as embeds
MAX_ROWS, PER_ROW = 5, 5
FORM_KEPT = 15 * 60.0        # seconds discord.py keeps an answer form it opened
MARKS = {"b": "**", "i": "*", "code": "`", "": ""}
CAPABILITIES = Capabilities(reads_chat=False, answer_form=True, private_in_group=True)
LIMITS = Limits(group=(5, 5.0), private=(5, 5.0), overall=(50, 1.0))
ENGLISH = (discord.Locale.american_english, discord.Locale.british_english)
VI = catalog("vi")


def render_markdown(text: Rich) -> str:
    """Every span escaped for Markdown and mentions, then marked. Spaces at a span's edges go
    outside its marks: Discord shows `*Liên quan: *` with its stars, `*Liên quan:* ` in italics."""
    out = []
    for span in text.spans:
        body = span.text if span.style == "code" else escape_mentions(escape_markdown(span.text))
        if span.style == "code":
            body = body.replace("`", "ˋ")
        core = body.strip()
        if not core or not span.style:
            out.append(body)
            continue
        lead, trail = body[:len(body) - len(body.lstrip())], body[len(body.rstrip()):]
        mark = MARKS[span.style]
        out.append(f"{lead}{mark}{core}{mark}{trail}")
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

    def __init__(self, button_id: str, label: str = "·", row: int | None = None):
        super().__init__(discord.ui.Button(label=label[:80] or "·", custom_id=button_id,
                                           style=discord.ButtonStyle.secondary, row=row))
        self.button_id = button_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match: re.Match[str]):
        return cls(match["id"], item.label or "·")

    async def callback(self, interaction: discord.Interaction) -> None:
        await CoreButton.adapter.on_press(interaction, self.button_id)


def view_for(replies: Sequence[Reply]) -> discord.ui.View | None:
    """Each reply's buttons on rows of their own (at most 5 rows of 5)."""
    rows: list[list] = []
    for reply in replies:
        for n in range(0, len(reply.buttons), PER_ROW):
            rows.append(list(reply.buttons[n:n + PER_ROW]))
    if not rows:
        return None
    if len(rows) > MAX_ROWS:
        log.warning("a message has %d rows of buttons; Discord shows %d, the rest are left out",
                    len(rows), MAX_ROWS)
    view = discord.ui.View(timeout=None)
    for row, buttons in enumerate(rows[:MAX_ROWS]):
        for button in buttons:
            if button.url:
                view.add_item(discord.ui.Button(label=button.label[:80], url=button.url, row=row))
            else:
                view.add_item(CoreButton(button.id, button.label, row))
    return view


def message_kwargs(replies: Sequence[Reply]) -> list[dict]:
    """The send() keyword sets that show these replies: one message while they fit (content,
    or an embed when long), the buttons on the last. Replies whose buttons fill more rows than
    one message holds go out one after another, each with its own."""
    rows = sum((len(r.buttons) + PER_ROW - 1) // PER_ROW for r in replies)
    if rows > MAX_ROWS and len(replies) > 1:
        return [kwargs for reply in replies for kwargs in message_kwargs([reply])]
    text = Rich()
    for n, reply in enumerate(replies):
        text = text + ("\n\n" if n else "") + reply.text
    body = render_markdown(text)
    if len(text) > EMBED_FROM:
        parts = [{"embed": discord.Embed(description=p)} for p in split(body, EMBED_LIMIT)]
    else:
        parts = [{"content": p} for p in split(body, MESSAGE_LIMIT)]
    view = view_for(replies)
    if view is not None:
        parts[-1]["view"] = view
    return parts


def _log_failed_lookup(lookup: asyncio.Future) -> None:
    if not lookup.cancelled() and lookup.exception() is not None:
        log.warning("could not look up a chat's language for an answer form: %r", lookup.exception())


def to_user(member: discord.abc.User, is_admin: bool) -> User:
    return User(PLATFORM, str(member.id), member.display_name, is_admin)


def to_chat(interaction: discord.Interaction) -> Chat:
    return Chat(PLATFORM, str(interaction.channel_id), interaction.guild_id is not None)


def is_admin(interaction: discord.Interaction) -> bool:
    """Manage Server, checked in code (the declared default permission is only a hint)."""
    if interaction.guild_id is None:
        return True
    return bool(interaction.permissions.manage_guild)


def form_values(data: Any) -> dict[str, str]:
    """custom_id -> value of every text field in a submitted form, however nested."""
    found: dict[str, str] = {}
    if isinstance(data, dict):
        if "custom_id" in data and isinstance(data.get("value"), str):
            found[data["custom_id"]] = data["value"]
        for value in data.values():
            found.update(form_values(value))
    elif isinstance(data, list):
        for value in data:
            found.update(form_values(value))
    return found


class CatalogTranslator(app_commands.Translator):
    """English names for the Vietnamese command descriptions, options and choices, from the
    catalogue key each string carries."""

    async def translate(self, string: locale_str, locale: discord.Locale, context) -> str | None:
        key = string.extras.get("key")
        if key is None or locale not in ENGLISH:
            return None
        return shorten(catalog("en")(key), 100)


def _described(key: str) -> locale_str:
    return locale_str(shorten(VI(key), 100), key=key)


class DiscordAdapter:
    platform = PLATFORM
    capabilities = CAPABILITIES
    limits = LIMITS
    shows_private_replies = False    # only interaction responses can be ephemeral, not channel posts

    def __init__(self, token: str, guild_id: int | None = None, answer_within: float = 2.0,
                 connect_attempts: int = 5, retry_delay: float = 1.0, guild_ready_timeout: float = 2.0):
        # No privileged intent: typed answers come through the answer form or /answer.
        # guild_ready_timeout: how long discord.py waits for the servers' GUILD_CREATE after READY.
        self.token = token
        self.client = discord.Client(intents=discord.Intents.default(),
                                     allowed_mentions=discord.AllowedMentions.none(),
                                     guild_ready_timeout=guild_ready_timeout)
        self.tree = app_commands.CommandTree(self.client)
        self.guild = discord.Object(guild_id) if guild_id else None
        self.guild_id = guild_id
        self.answer_within = answer_within       # seconds before deferring, inside Discord's 3
        self.connect_attempts = connect_attempts
        self.retry_delay = retry_delay           # the first pause before trying again; it doubles
        self.bot = self.outbox = None
        self._runner: asyncio.Task | None = None
        self._stopping = False
        self.client.setup_hook = self._setup_hook
        self.client.event(self.on_interaction)
        CoreButton.adapter = self
        for spec in COMMANDS:
            self.tree.add_command(self._slash(spec))

    # --- rendering and sending (the outbox's transport) ----------------------------------------
    def render(self, chat: Chat, replies: Sequence[Reply]) -> list[dict]:
        """Channel messages for these replies (a reply meant for one member goes out as an
        ephemeral response instead, and the outbox refuses one here: shows_private_replies)."""
        return message_kwargs(replies)

    async def send(self, chat: Chat, message: dict) -> Receipt:
        channel = self.client.get_partial_messageable(int(chat.id))
        try:
            sent = await channel.send(**message)
            return Receipt(key=str(sent.id))
        except discord.Forbidden as refused:
            raise ChatGone("removed", refused.text or str(refused.status)) from None
        except discord.NotFound as missing:
            raise ChatGone("deleted", missing.text or str(missing.status)) from None
        except discord.DiscordServerError as trouble:
            raise TemporaryFailure(str(trouble)) from None
        except discord.HTTPException as error:
            raise Undeliverable(error.text or str(error.status)) from None
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as trouble:
            raise TemporaryFailure(str(trouble) or type(trouble).__name__) from None

    # --- interactions --------------------------------------------------------------------------
    def _event_user(self, interaction: discord.Interaction) -> User:
        return to_user(interaction.user, is_admin(interaction))

    async def _answer(self, interaction: discord.Interaction, event) -> None:
        """Run the core; answer within Discord's 3 seconds, deferring ephemerally if it is slow."""
        if self._stopping:
            return
        work = asyncio.ensure_future(self.bot.handle(event))
        await asyncio.wait({work}, timeout=self.answer_within)
        deferred = not work.done()
        if deferred:
            try:
                await interaction.response.defer(ephemeral=True, thinking=True)
            except discord.HTTPException as error:     # too late (a stalled loop): nothing can answer it
                log.warning("could not defer an interaction in %s in time (%s %s)", event.chat.key,
                            error.status, error.text)
        await self._respond(interaction, event.chat, await work, deferred)

    async def _respond(self, interaction: discord.Interaction, chat: Chat, replies: list[Reply],
                       deferred: bool) -> None:
        """Private replies as ephemeral responses; the first public one as the response when
        nothing is private and the core was quick; every other public reply through the outbox.
        Whatever Discord refuses here, the public replies still reach the channel."""
        private = [r for r in replies if r.to is not None]
        public = [r for r in replies if r.to is None]
        try:
            if private:
                await self._tell(interaction, private, deferred)
            elif public and not deferred and not interaction.response.is_done() and public[0].question is None:
                await self._say(interaction, public[0])
                public = public[1:]
            elif deferred:
                await interaction.delete_original_response()   # its replies go to the channel
            if not interaction.response.is_done():
                if interaction.type == discord.InteractionType.component:
                    await interaction.response.defer()           # acknowledged, nothing to show
                else:
                    await interaction.response.defer(ephemeral=True, thinking=True)
                    await interaction.delete_original_response()
        except discord.HTTPException as error:
            shown = "a private reply was not shown" if private else "its public replies go to the channel"
            log.warning("could not answer an interaction in %s (%s %s): %s", chat.key, error.status,
                        error.text, shown)
        finally:
            await self.outbox.post(chat, public)

    @staticmethod
    async def _tell(interaction: discord.Interaction, private: list[Reply], deferred: bool) -> None:
        for n, reply in enumerate(private):
            for kwargs in message_kwargs([reply]):
                if n == 0 and not deferred and not interaction.response.is_done():
                    await interaction.response.send_message(ephemeral=True, **kwargs)
                else:
                    await interaction.followup.send(ephemeral=True, **kwargs)

    @staticmethod
    async def _say(interaction: discord.Interaction, reply: Reply) -> None:
        for kwargs in message_kwargs([reply]):
            if not interaction.response.is_done():
                await interaction.response.send_message(**kwargs)
            else:
                await interaction.followup.send(**kwargs)

    async def on_press(self, interaction: discord.Interaction, button_id: str) -> None:
        if button_id.startswith("t:"):
            await self._open_answer_form(interaction, button_id)
            return
        await self._answer(interaction, Press(self._event_user(interaction), to_chat(interaction), button_id))

    async def _open_answer_form(self, interaction: discord.Interaction, form_id: str) -> None:
        """The form must be the first response to the press, within Discord's 3 seconds: only
        the chat's language is looked up first, and not waited for long. The form object is
        forgotten after FORM_KEPT seconds; its submission is read in on_interaction anyway."""
        lookup = asyncio.ensure_future(self.bot.catalog_of(to_chat(interaction)))
        lookup.add_done_callback(_log_failed_lookup)
        await asyncio.wait({lookup}, timeout=self.answer_within / 2)
        failed = not lookup.done() or lookup.cancelled() or lookup.exception() is not None
        tr = self.bot.default_catalog() if failed else lookup.result()
        form = discord.ui.Modal(title=shorten(tr("quiz.answer_form_title"), 45), custom_id=form_id,
                                timeout=FORM_KEPT)
        form.add_item(discord.ui.TextInput(label=shorten(tr("quiz.answer_form_label"), 45), custom_id="answer",
                                           max_length=200))
        try:
            await interaction.response.send_modal(form)
        except discord.HTTPException as error:
            form.stop()
            log.warning("could not open the answer form in %s (%s %s)", to_chat(interaction).key,
                        error.status, error.text)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        """Form submissions, read from the raw interaction so they work after a restart too."""
        if interaction.type != discord.InteractionType.modal_submit:
            return
        data = interaction.data or {}
        form_id = str(data.get("custom_id", ""))
        asked = form_id[2:] if form_id.startswith("t:") else ""
        asked_id = button_number(asked) or 0                                   # 0: no such question
        text = form_values(data.get("components", [])).get("answer", "")
        event = TypedText(self._event_user(interaction), to_chat(interaction), text, answer_to=asked_id)
        await self._answer(interaction, event)

    # --- commands from the table ---------------------------------------------------------------
    def _slash(self, spec: Spec) -> app_commands.Command:
        adapter = self
        parameters = [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                        annotation=discord.Interaction)]
        descriptions, choices, completions = {}, {}, {}
        for arg in spec.args:
            annotation: Any = str
            if arg.kind == "int":
                annotation = app_commands.Range[int, arg.low, arg.high]
            if arg.kind == "choice":
                choices[arg.name] = [app_commands.Choice(name=_described(f"choice.{spec.name}.{v}"), value=v)
                                     for v in arg.choices]
            if arg.kind in ("term", "topic"):
                completions[arg.name] = self._complete_terms if arg.kind == "term" else self._complete_topics
            descriptions[arg.name] = _described(f"arg.{spec.name}.{arg.name}")
            parameters.append(inspect.Parameter(
                arg.name, inspect.Parameter.KEYWORD_ONLY,
                annotation=annotation if arg.required else Optional[annotation],
                default=inspect.Parameter.empty if arg.required else None))

        async def callback(interaction: discord.Interaction, **values) -> None:
            words = []
            for arg in spec.args:
                value = values.get(arg.name)
                value = value.value if isinstance(value, app_commands.Choice) else value
                if value is not None and str(value).strip():
                    words.append(str(value).strip())
            event = Command(adapter._event_user(interaction), to_chat(interaction), spec.name, " ".join(words))
            await adapter._answer(interaction, event)

        callback.__signature__ = inspect.Signature(parameters)
        callback.__discord_app_commands_param_description__ = descriptions
        callback.__discord_app_commands_param_choices__ = choices
        callback.__discord_app_commands_param_autocomplete__ = completions
        command = app_commands.Command(name=spec.name, description=_described(f"cmd.{spec.name}"), callback=callback)
        if spec.admins_only:       # listed to admins only, like Telegram's administrators' menu;
            command.default_permissions = discord.Permissions(manage_guild=True)   # still checked in the core
        return command

    async def _complete_terms(self, interaction: discord.Interaction, current: str):
        return [app_commands.Choice(name=term[:100], value=term[:100])
                for term in self.bot.complete_terms(current, 25)]

    async def _complete_topics(self, interaction: discord.Interaction, current: str):
        return [app_commands.Choice(name=title[:100], value=topic_id)
                for topic_id, title in self.bot.complete_topics(current, 25)]

    # --- life ----------------------------------------------------------------------------------
    async def _setup_hook(self) -> None:
        self.client.add_dynamic_items(CoreButton)
        await self.tree.set_translator(CatalogTranslator())
        try:
            if self.guild is not None:
                self.tree.copy_global_to(guild=self.guild)
                await self.tree.sync(guild=self.guild)
            else:
                await self.tree.sync()
        except discord.Forbidden as refused:
            where = f"DISCORD_GUILD_ID={self.guild_id}: the bot is not in that server" if self.guild else \
                "Discord refused the command sync"
            raise Fatal(f"{where} ({refused.status} {refused.text}); invite the bot with the "
                        "applications.commands scope or fix DISCORD_GUILD_ID") from None

    async def start(self, bot, outbox) -> None:
        """Log in and connect (retrying an unreachable Discord with a line per attempt); return
        once ready, or raise Fatal for what the operator must fix."""
        self.bot, self.outbox = bot, outbox
        self._runner = asyncio.create_task(self._run_client(), name="discord client")
        ready = asyncio.create_task(self.client.wait_until_ready())
        await asyncio.wait({self._runner, ready}, return_when=asyncio.FIRST_COMPLETED)
        if not ready.done():
            ready.cancel()
            await asyncio.gather(ready, return_exceptions=True)
            await self._runner                       # raises what went wrong
            raise Fatal("the Discord connection ended before it was ready")

    async def _run_client(self) -> None:
        delay = self.retry_delay
        for attempt in range(1, self.connect_attempts + 1):
            try:
                await self.client.start(self.token)
                return
            except discord.LoginFailure:
                raise Fatal("DISCORD_TOKEN was refused by Discord (401): reset the bot's token in the "
                            "Developer Portal and put it in DISCORD_TOKEN") from None
            except discord.PrivilegedIntentsRequired:
                raise Fatal("Discord refused the bot's intents (4014): turn off privileged intents in the "
                            "bot's settings or enable them in the Developer Portal") from None
            except discord.ConnectionClosed as closed:
                raise Fatal(f"Discord closed the connection for good (code {closed.code}): check "
                            "DISCORD_TOKEN and the bot's settings in the Developer Portal") from None
            except (aiohttp.ClientError, OSError, asyncio.TimeoutError, discord.GatewayNotFound) as error:
                if attempt == self.connect_attempts or self._stopping:
                    raise Fatal(f"cannot reach Discord ({error or type(error).__name__}) after {attempt} "
                                "attempts: check the network") from None
                log.warning("cannot reach Discord (%s); attempt %d of %d, next in %g s",
                            error or type(error).__name__, attempt, self.connect_attempts, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30)

    async def wait(self) -> None:
        """Until stopped; raises Fatal when the connection cannot go on."""
        await self._runner
        if not self._stopping:
            raise RuntimeError("the Discord connection ended unexpectedly")

    def alive(self) -> bool:
        """Connected to the gateway (during a reconnect there is no latency to measure)."""
        return self.client.is_ready() and not self.client.is_closed() and not math.isnan(self.client.latency)

    async def stop(self) -> None:
        """Stop taking interactions; channel messages can still be sent while the outbox drains."""
        self._stopping = True

    async def close(self) -> None:
        self._stopping = True
        await self.client.close()
        if self._runner is not None:
            await asyncio.gather(self._runner, return_exceptions=True)
