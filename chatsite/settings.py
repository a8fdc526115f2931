"""Twitchy Chat settings: one module, every value from the environment.

Defaults run the embedded demo on one machine (SQLite and an embedded Redis in
``var/``); production sets ``DATABASE_URL``, ``REDIS_URL``, ``SECRET_KEY`` and
friends. Every variable is listed in the README's configuration table.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable "
            "(or DEBUG=true for a throwaway development key)."
        )
    SECRET_KEY = get_random_secret_key()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "chatsite",
    "chatsite.users",
    "rooms",
    "emotes",
    "moderation",
    "irc",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "chatsite.middleware.ContentSecurityPolicyMiddleware",
    "chatsite.middleware.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chatsite.middleware.OutageMiddleware",  # last: it sees a view's exceptions first
]

ROOT_URLCONF = "chatsite.urls"
ASGI_APPLICATION = "chatsite.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'twitchy.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # A file, not memory, so that server processes started by the tests share it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # The embedded run shares one SQLite file between the web server and the
    # worker: WAL lets readers and one writer proceed together, IMMEDIATE
    # transactions queue writers instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # While PostgreSQL is unreachable, a request fails in seconds with a clear answer
    # (chatsite.outages) instead of hanging on the connection.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=3)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer, Celery broker, cache ---------------------------

EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
REDIS_URL = env.str("REDIS_URL", default=f"unix://{EMBEDDED_REDIS_SOCKET}")
REDIS_MAX_CONNECTIONS = env.int("REDIS_MAX_CONNECTIONS", default=1000)


def _kombu_redis_url(url: str) -> str:
    """Kombu spells a Unix-socket Redis as ``redis+socket://``."""
    if url.startswith("unix://"):
        return "redis+socket://" + url.removeprefix("unix://")
    return url


# The pub/sub layer publishes a room's change once; each web process's hub (rooms.hub)
# receives it once for all its sockets. Rooms are spread over the Redis servers that
# CHANNEL_REDIS_URLS lists (comma-separated shards; REDIS_URL when unset).
CHANNEL_REDIS_URLS = env.list("CHANNEL_REDIS_URLS", default=[REDIS_URL])
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {
            "hosts": [
                {"address": url, "max_connections": REDIS_MAX_CONNECTIONS}
                for url in CHANNEL_REDIS_URLS
            ],
            "prefix": env.str("CHANNEL_LAYER_PREFIX", default="twitchy"),
        },
    },
}

CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="twitchy")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": CACHE_KEY_PREFIX,
    },
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=_kombu_redis_url(REDIS_URL))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_PREFETCH", default=4)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
# Each kind of work has its own queue, so each pool of workers scales on its own
# and a slow LLM never delays anything else.
CELERY_TASK_ROUTES = {
    "rooms.skibidi.tasks.skibidify_drain": {"queue": "skibidi"},
    "moderation.tasks.automod_drain": {"queue": "moderation"},
}

# --- REST API ---------------------------------------------------------------

# Seconds an API token works after it was issued (rotate it sooner with POST
# /api/auth/token/rotate/); logging in again after that issues a new one.
API_TOKEN_TTL = env.int("API_TOKEN_TTL", default=30 * 24 * 3600)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "chatsite.users.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON in, JSON out: one body format to document, check and parse.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "chatsite.api_errors.exception_handler",
    # Throttle counters live in the cache, which is Redis: they hold across processes.
    # (Keyed by ``chatsite.clients.client_address``: X-Forwarded-For only from TRUSTED_PROXIES.)
    "DEFAULT_THROTTLE_CLASSES": [
        "chatsite.clients.AnonThrottle",
        "chatsite.clients.UserThrottle",
        "chatsite.clients.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/min"),
        "user": env.str("API_USER_RATE", default="1200/min"),
        "login": env.str("LOGIN_RATE", default="10/min"),
        "register": env.str("REGISTER_RATE", default="5/hour"),
    },
}
if DEBUG:
    REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"].append(
        "rest_framework.renderers.BrowsableAPIRenderer"
    )

SPECTACULAR_SETTINGS = {
    "TITLE": "Twitchy Chat API",
    "DESCRIPTION": (
        "Rooms, message history and search, sending, emotes and badges. Authenticate with "
        "`Authorization: Token <key>` (from `POST /api/auth/token/`) or the site's session."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "chatsite.api_errors.add_error_responses",
    ],
}

# --- Auth -----------------------------------------------------------------

AUTH_USER_MODEL = "users.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Serve uploaded files (emote and badge images) from the app itself. Fine for
# one machine; behind a CDN or object storage, turn it off.
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "chatsite.staticfiles.StaticFilesStorage",
    },
}
# Fall back to the plain file name when collectstatic has not run (tests).
WHITENOISE_MANIFEST_STRICT = False

# --- Security ----------------------------------------------------------------

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Proxies whose X-Forwarded-For names the client (addresses or networks, comma-separated).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No inline script or style anywhere: every page's code is a static file of this site.
CONTENT_SECURITY_POLICY = env.str(
    "CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
)

# --- Chat rules ---------------------------------------------------------------


def _rate(name: str, default: str) -> tuple[int, int]:
    """ "20/30" -> at most 20 messages in any 30 seconds."""
    count, seconds = env.str(name, default=default).split("/")
    return int(count), int(seconds)


CHAT_RATE_LIMITS = {
    "regular": _rate("RATE_LIMIT_REGULAR", "20/30"),
    "moderator": _rate("RATE_LIMIT_MODERATOR", "100/30"),  # and the broadcaster
    "bot": _rate("RATE_LIMIT_BOT", "50/30"),  # verified bots
}
UNIQUE_CHAT_WINDOW = env.int("UNIQUE_CHAT_WINDOW", default=600)
# Threads per process that check and store batches of sends (rooms/groupcommit.py).
SEND_COMMITTERS = env.int("SEND_COMMITTERS", default=1)

# Open sockets (browser and IRC together) per client address and per user, in each web
# process (chatsite/connections.py).
WS_MAX_PER_ADDRESS = env.int("WS_MAX_PER_ADDRESS", default=200)
WS_MAX_PER_USER = env.int("WS_MAX_PER_USER", default=20)

# The demo's chatters post now and then in the demo rooms (manage.py demo_chat; make run's
# embedded run starts it). Off: set DEMO_CHAT=false.
DEMO_CHAT = env.bool("DEMO_CHAT", default=True)

# --- The IRC gateway over plain TCP (manage.py irc_server; WebSocket IRC is at / and /irc)
IRC_HOST = env.str("IRC_HOST", default="127.0.0.1")
IRC_PORT = env.int("IRC_PORT", default=6667)

# --- Skibidification LLM (used from the skibidification issue on) -------------

LLM_BACKEND = env.str("LLM_BACKEND", default="embedded")  # embedded | openai | off
LLM_BASE_URL = env.str("LLM_BASE_URL", default="")
LLM_MODEL = env.str("LLM_MODEL", default="")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_TIMEOUT = env.float("LLM_TIMEOUT", default=10.0)
LLM_THREADS = env.int("LLM_THREADS", default=1)
LLM_CONTEXTS = env.int("LLM_CONTEXTS", default=4)  # styles kept evaluated per worker process
# A rewrite later than this many seconds after the message helps nobody: skip it.
LLM_MAX_AGE = env.float("LLM_MAX_AGE", default=2.0)
LLM_BREAKER_FAILURES = env.int("LLM_BREAKER_FAILURES", default=5)
LLM_BREAKER_WINDOW = env.int("LLM_BREAKER_WINDOW", default=60)
LLM_BREAKER_COOLDOWN = env.int("LLM_BREAKER_COOLDOWN", default=30)

# --- Logging and metrics -------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# "json": one JSON object per line (for a log pipeline); "plain": readable lines.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT is 'plain' or 'json', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "chatsite.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
    },
}

# Every process of a host writes its metrics here and /metrics sums them
# (chatsite/metrics.py); empty it when the host's processes start (make run does).
PROMETHEUS_MULTIPROC_DIR = env.str("PROMETHEUS_MULTIPROC_DIR", default=str(VAR_DIR / "metrics"))
Path(PROMETHEUS_MULTIPROC_DIR).mkdir(parents=True, exist_ok=True)
os.environ["PROMETHEUS_MULTIPROC_DIR"] = PROMETHEUS_MULTIPROC_DIR  # before the client loads
