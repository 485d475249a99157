"""Spaced review: each student's deck of missed questions and chosen concepts, scheduled by FSRS.

Rules without I/O: `grading` (an answer -> an FSRS rating), `scheduling` (the fsrs package with
seeded fuzz), `days` (study days, the review streak), `items` (what a card asks).
With I/O: `deck` (adding cards from play and /define), `session` (/review in a private chat),
`nudges` (the daily private reminder), `memory` (what /me and /stats show). Queries are in
`bot/store/review_store.py`; the rendering in `messages`.
"""
