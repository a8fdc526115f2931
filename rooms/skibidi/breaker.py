"""A circuit breaker shared by every worker, in Redis (through Django's cache).

After ``failures`` errors within ``window`` seconds the breaker opens: nobody
calls the LLM backend for ``cooldown`` seconds and the instant text stands.
Then calls resume; the first success clears the count.
"""

from django.core.cache import cache

from chatsite import metrics

OPEN_KEY = "llm-breaker:open"
FAILURES_KEY = "llm-breaker:failures"


def breaker_is_open() -> bool:
    return cache.get(OPEN_KEY) is not None


def breaker_record_failure(*, failures: int, window: int, cooldown: int) -> bool:
    """Count a failure; True when this one opened the breaker."""
    cache.add(FAILURES_KEY, 0, window)
    if cache.incr(FAILURES_KEY) < failures:
        return False
    cache.set(OPEN_KEY, 1, cooldown)
    cache.delete(FAILURES_KEY)
    return True


def breaker_record_success() -> None:
    cache.delete(FAILURES_KEY)


@metrics.read_at_scrape("twitchy_llm_breaker_open", "1 while the LLM breaker is open.")
def _breaker_state() -> int:
    return int(breaker_is_open())
