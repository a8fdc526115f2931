"""Skibidification: rewriting chat into a room's style.

``instant`` is the deterministic rule engine every message is shown with at
once; ``llm`` rewrites it afterwards in a Celery worker; ``cleaning`` checks
what the LLM said before it may replace the instant text.
"""
