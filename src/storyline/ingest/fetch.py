"""Fetch an explicitly given http(s) URL with urllib: timeout, size cap, a User-Agent, and a refusal of hosts that
resolve to loopback / private / link-local / reserved / multicast / unspecified addresses (every resolved address
is checked, again after every redirect) unless ``allow_private``."""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from ._common import InputError

USER_AGENT = "storyline/0.1 (+offline news event engine; explicit fetch)"
TIMEOUT = 20.0


class URLRefused(InputError):
    """The URL's host resolves to an address that is not allowed."""


@dataclass
class Fetched:
    url: str  # final URL after redirects
    data: bytes
    content_type: str  # lower-case media type without parameters
    charset: str | None


def check_url(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise URLRefused(f"URL refused: scheme {parts.scheme!r} is not http or https")
    host = parts.hostname
    if not host:
        raise URLRefused("URL refused: no host")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as e:
        raise InputError(f"URL fetch failed: cannot resolve host {host!r} ({e})") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0].split("%")[0])
        if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
            addr = addr.ipv4_mapped
        if (addr.is_loopback or addr.is_private or addr.is_link_local or addr.is_reserved or addr.is_multicast
                or addr.is_unspecified):
            raise URLRefused(f"URL refused: host {host!r} resolves to non-public address {addr} "
                             f"(use allow_private to permit)")


class _CheckingRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        check_url(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, allow_private: bool = False, max_bytes: int = 20 * 1024 * 1024,
          timeout: float = TIMEOUT) -> Fetched:
    check_url(url, allow_private)
    opener = urllib.request.build_opener(_CheckingRedirects(allow_private))
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"})
    try:
        with opener.open(req, timeout=timeout) as resp:
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"URL response too large ({int(length)} bytes > max {max_bytes})")
            data = resp.read(max_bytes + 1)
            if len(data) > max_bytes:
                raise InputError(f"URL response too large (more than {max_bytes} bytes)")
            ctype = resp.headers.get_content_type() or "application/octet-stream"
            charset = resp.headers.get_content_charset()
            final = resp.geturl()
    except URLRefused:
        raise
    except urllib.error.HTTPError as e:
        raise InputError(f"URL fetch failed: HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        if isinstance(e.reason, InputError):
            raise e.reason from None
        raise InputError(f"URL fetch failed: {e.reason}") from None
    except (TimeoutError, socket.timeout):
        raise InputError(f"URL fetch failed: timed out after {timeout:g} s") from None
    except OSError as e:
        raise InputError(f"URL fetch failed: {e}") from None
    return Fetched(url=final, data=data, content_type=ctype.lower(), charset=charset)
