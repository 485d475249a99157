"""The composition root: the `studybot` command, which wires settings, core and adapters."""
