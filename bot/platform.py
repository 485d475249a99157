"""What a platform can do, as far as the core's wording and choices depend on it.

The core tells students only what works where they are: "type your answer" where the bot reads
the chat, a button that opens a form where the platform has forms, and so on.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Capabilities:
    reads_chat: bool = True          # the bot sees plain messages in a group (typed answers there)
    answer_form: bool = False        # a button can open a form to type an answer in (Discord)
    private_in_group: bool = True    # a reply for one member can be shown to them alone in a group


CONSOLE = Capabilities()
