"""studybot's core: platform-neutral study logic (content, search, quiz, scores, daily)."""
