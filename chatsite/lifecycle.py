"""Whether this process is stopping (a deploy, a scale-down, Ctrl-C): set first thing on
SIGTERM (chatsite.server), read by ``/readyz`` (chatsite.probes), which answers 503 from
then on so that the load balancer sends no one new here while the process drains."""

_state = {"stopping": False}


def mark_stopping() -> None:
    _state["stopping"] = True


def stopping() -> bool:
    return _state["stopping"]
