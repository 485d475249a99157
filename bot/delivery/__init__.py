"""Delivery: getting the core's replies to the platforms within their limits and faults.

One queue per chat, sliding-window limits per chat and per platform, game messages before
lookups, merging of what waits, "retry after" that delays only its own chat, and a report of
every outcome back to the core (delivered, undeliverable, chat gone, chat moved).
"""
