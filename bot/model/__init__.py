"""Plain data shared across the core: the course as written, and the records of play.

Nothing here does I/O or imports another part of the core, so rules (bot.quiz), storage
(bot.store) and content reading (bot.course) can all depend on it without depending on each other.
"""
