"""Quiz rules without I/O: presenting a question, checking an answer, scoring, picking."""
