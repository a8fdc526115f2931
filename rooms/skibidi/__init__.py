"""Skibidification: rewriting chat into a room's style, all of it here.

``presets`` holds the styles' rules and prompts; ``instant`` is the deterministic rule
engine every message is shown with at once; ``rewrite`` asks the room's LLM (``llm``)
afterwards, from the Celery task in ``tasks``, and keeps its output only if it passes
``cleaning``'s checks, with ``breaker`` to stop calling a failing backend;
``evaluation`` and ``evalset`` measure the quality.
"""
