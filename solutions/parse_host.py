"""Reference solution for `parse_host`: resolve OLLAMA_HOST like the client, then judge it."""

from __future__ import annotations

import ipaddress
import urllib.parse

DEFAULT_PORT = 11434
DEFAULT_URL = f"http://127.0.0.1:{DEFAULT_PORT}"


def parse_host(value: str | None) -> str:
    """The base URL the official ollama client builds from ``value`` (same rules, same errors)."""
    host, port = value or "", DEFAULT_PORT
    scheme, _, hostport = host.partition("://")
    if not hostport:
        # No "://" at all (or nothing after it): the whole value is HOST[:PORT][/PATH].
        scheme, hostport = "http", host
    elif scheme == "http":  # case-sensitive, like the client: "HTTP://" keeps 11434
        port = 80
    elif scheme == "https":
        port = 443

    split = urllib.parse.urlsplit(f"{scheme}://{hostport}")
    hostname = split.hostname or "127.0.0.1"  # ":8080" has no host: the client uses 127.0.0.1
    port = split.port or port  # .port raises ValueError for "abc" or 99999, like the client

    try:
        if isinstance(ipaddress.ip_address(hostname), ipaddress.IPv6Address):
            hostname = f"[{hostname}]"  # urlsplit drops the brackets; put them back
    except ValueError:
        pass  # a name, not an address

    if path := split.path.strip("/"):
        return f"{scheme}://{hostname}:{port}/{path}"
    return f"{scheme}://{hostname}:{port}"


def is_loopback(url: str) -> bool:
    """True if the client, given ``url``, would connect to this machine's loopback interface.

    Decided from the text alone: no DNS lookup, because deciding whether data may leave
    the machine must not itself send anything. Anything we cannot prove is loopback is not.
    """
    try:
        hostname = urllib.parse.urlsplit(parse_host(url)).hostname or ""
    except ValueError:
        return False  # the client would refuse this value; nothing to vouch for

    if hostname == "localhost":  # urlsplit lowercased it; "localhost." is a different name
        return True
    try:
        ip = ipaddress.ip_address(hostname)
    except ValueError:
        # Any other name (127.0.0.1.nip.io, lоcalhost with a Cyrillic о, 127.1...):
        # only DNS or the C library could say where it goes. Fail closed.
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1 (Python < 3.13 says otherwise)
    # 0.0.0.0 and :: are not loopback: they are bind addresses ("every interface").
    return ip.is_loopback
