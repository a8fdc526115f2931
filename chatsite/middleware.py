"""The project's own middleware: static files for an all-async chain, and outages
answered as the protocol promises."""

import logging
import math
import sys

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.deprecation import MiddlewareMixin
from django.views import defaults
from whitenoise.middleware import WhiteNoiseMiddleware

from chatsite.errors import ChatRefused, ErrorCode
from chatsite.outages import describe, is_outage, unavailable

logger = logging.getLogger(__name__)


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, able to run in async mode.

    WhiteNoise's middleware is sync-only, which puts every request under daphne
    through a sync thread that waits on the event loop for the rest of the
    chain; a process stopped at that moment never exits. Serving a static file
    is a dictionary lookup and an open(), so the async path does it inline.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        super().__init__(get_response)
        if iscoroutinefunction(self.get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request):
        if self.autorefresh:
            static_file = self.find_file(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is not None:
            return self.serve(static_file, request)
        return await self.get_response(request)


class OutageMiddleware(MiddlewareMixin):
    """A page or API call that meets an outage (``chatsite.outages``) answers 503 with
    ``Retry-After``: the API in its error shape, pages with a short page of their own
    (no template that reads the user or the session: those need the database)."""

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("%s %s: %s", request.method, request.path, describe(exception))
        return outage_response(request)


def outage_response(request) -> HttpResponse:
    refused = unavailable()
    if request.path.startswith("/api/"):
        response = JsonResponse(refused.as_dict(), status=refused.status)
    else:
        response = HttpResponse(
            render_to_string("503.html", {"message": refused.message}), status=refused.status
        )
    response["Retry-After"] = str(math.ceil(refused.retry_after))
    return response


def server_error(request, *args, **kwargs) -> HttpResponse:
    """``handler500``: an outage met outside a view (a middleware, the session's save)
    still answers 503; anything else is the plain 500 it is."""
    error = sys.exc_info()[1]
    if error is not None and is_outage(error):
        return outage_response(request)
    if request.path.startswith("/api/"):
        failed = ChatRefused(ErrorCode.SERVER_ERROR)
        return JsonResponse(failed.as_dict(), status=failed.status)
    return defaults.server_error(request, *args, **kwargs)


API_DOCS_PATH = "/api/docs/"


class ContentSecurityPolicyMiddleware:
    """Every response carries ``CONTENT_SECURITY_POLICY``: scripts, styles and connections
    from this site only, no inline script, no framing. Nothing user-written is rendered as
    HTML anyway; this is the second line, should a bug ever let markup through."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY
        if iscoroutinefunction(self.get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        return self._secure(request, self.get_response(request))

    async def __acall__(self, request):
        return self._secure(request, await self.get_response(request))

    def _secure(self, request, response):
        if self.policy and "Content-Security-Policy" not in response:
            policy = self.policy
            if request.path == API_DOCS_PATH:
                # Swagger UI (the API's docs, third-party) styles its widgets inline; its
                # scripts stay files of this site, as everywhere.
                policy = policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            response["Content-Security-Policy"] = policy
        return response


def _api_error(code: ErrorCode) -> JsonResponse:
    refused = ChatRefused(code)
    return JsonResponse(refused.as_dict(), status=refused.status)


def not_found(request, exception=None) -> HttpResponse:
    """``handler404``: under /api/, the API's error shape rather than a page."""
    if request.path.startswith("/api/"):
        return _api_error(ErrorCode.NOT_FOUND)
    return defaults.page_not_found(request, exception)


def bad_request(request, exception=None) -> HttpResponse:
    """``handler400``: under /api/, the API's error shape."""
    if request.path.startswith("/api/"):
        return _api_error(ErrorCode.INVALID_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None) -> HttpResponse:
    """``handler403``: under /api/, the API's error shape."""
    if request.path.startswith("/api/"):
        return _api_error(ErrorCode.PERMISSION_DENIED)
    return defaults.permission_denied(request, exception)
