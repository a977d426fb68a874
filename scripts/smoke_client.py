"""The HTTP side of scripts/smoke.sh: fetch the production server as a browser behind nginx would, and fail on any
5xx or unexpected page. Standard library only (it runs before anything else is known to work).

    python scripts/smoke_client.py http://127.0.0.1:PORT   (SMOKE_EMAIL, SMOKE_PASSWORD, SMOKE_TOTP_KEY set)
"""

import hashlib
import hmac
import http.client
import os
import re
import struct
import sys
import time
import urllib.parse
from html import unescape


class SmokeFailure(Exception):
    pass


class Browser:
    """Enough of a browser: cookies (including Secure ones, as nginx serves HTTPS), the proxy's headers, and
    no automatic redirects so every hop is checked."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, *, referer: str = ""):
        headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",  # what nginx sets after terminating TLS
            "X-Forwarded-For": "192.0.2.10",
            "User-Agent": "opcc-smoke/1",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = referer or f"https://{self.host}:{self.port}{path}"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        print(f"  {method} {path} -> {response.status}")
        if response.status >= 500:
            raise SmokeFailure(f"{method} {path} answered {response.status}")
        return response, content.decode("utf-8", "replace")

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    expect(match is not None, "no CSRF token in the form")
    return match[1]


def location(response) -> str:
    target = response.getheader("Location") or ""
    return urllib.parse.urlsplit(target).path + (
        "?" + urllib.parse.urlsplit(target).query if urllib.parse.urlsplit(target).query else ""
    )


def totp_now(hex_key: str, *, step: int = 30, digits: int = 6) -> str:
    """RFC 6238, as django-otp's TOTPDevice checks it (SHA-1, 30-second steps, 6 digits)."""
    counter = struct.pack(">Q", int(time.time()) // step)
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % (10**digits)
    return f"{code:0{digits}d}"


def wait_until_up(browser: Browser, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            browser.get("/health/")
            return
        except (ConnectionError, OSError):
            if time.monotonic() > deadline:
                raise SmokeFailure("gunicorn did not answer within a minute") from None
            time.sleep(0.5)


def main(base: str) -> None:
    email, password, key = os.environ["SMOKE_EMAIL"], os.environ["SMOKE_PASSWORD"], os.environ["SMOKE_TOTP_KEY"]
    browser = Browser(base)
    wait_until_up(browser)

    print("Health")
    response, body = browser.get("/health/")
    expect(response.status == 200 and '"status": "ok"' in body, f"/health/ said {response.status} {body}")

    print("Sign-in page and its static files")
    response, page = browser.get("/account/sign-in/")
    expect(response.status == 200 and "Sign in" in page, "the sign-in page did not show")
    stylesheet = re.search(r'href="(/static/govuk/application\.[0-9a-f]{12}\.css)"', page)
    expect(stylesheet is not None, "the sign-in page does not link the hashed GOV.UK stylesheet")
    response, css = browser.get(stylesheet[1])
    expect(response.status == 200 and "text/css" in (response.getheader("Content-Type") or ""), "no stylesheet")
    expect("max-age" in (response.getheader("Cache-Control") or ""), "hashed static files should be cached")
    crest = re.search(r'url\("?(/static/govuk/assets/images/govuk-crest\.[0-9a-f]{12}\.svg)', css)
    expect(crest is not None, "the stylesheet's image is not rewritten to its hashed name")
    response, _ = browser.get(crest[1])
    expect(response.status == 200, "an image the stylesheet refers to is missing")

    print("Signing in with a password and a TOTP code")
    response, _ = browser.post(
        "/account/sign-in/", {"csrfmiddlewaretoken": csrf_token(page), "username": email, "password": password}
    )
    expect(response.status == 302, f"signing in answered {response.status}")
    response, _ = browser.get(location(response))
    expect(response.status == 302 and "/account/two-factor/" in location(response), "two-factor was not asked for")
    verify = location(response)
    response, page = browser.get(verify)
    expect(response.status == 200 and "Security code" in page, "the security code page did not show")
    response, page = browser.post(verify, {"csrfmiddlewaretoken": csrf_token(page), "token": totp_now(key)})
    expect(response.status == 302, f"the security code was refused ({response.status}): {unescape(page)[:300]}")

    print("Staff pages, signed in")
    for path in ("/", "/account/people/", "/funds/", "/grants/rounds/"):
        response, page = browser.get(path)
        expect(response.status == 200, f"{path} answered {response.status} to a signed-in administrator")
        expect("Sign out" in page, f"{path} does not show a signed-in page")
    print("Smoke run passed")


if __name__ == "__main__":
    try:
        main(sys.argv[1])
    except SmokeFailure as failure:
        print(f"SMOKE FAILED: {failure}", file=sys.stderr)
        sys.exit(1)
