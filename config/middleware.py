"""Content-Security-Policy on every response.

Django 5.2 has no CSP of its own. The policy (settings.VIGIE_CSP) allows scripts, styles and
requests from our own origin only: no inline script or style, no eval. Every page is built for
it (templates/ has no inline <script>, <style>, style= or on*= attribute; tests/test_csp.py
scans them), so a payload that slips past escaping into an article's page still cannot run.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

HEADER = "Content-Security-Policy"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.VIGIE_CSP  # read per request: tests override it with the settings fixture
        # A view that needs a stricter policy of its own keeps it.
        if policy and HEADER not in response.headers:
            response.headers[HEADER] = policy
        return response
