"""The address of the person behind a request, for the sign-in limits and the audit trail.

Behind the reverse proxy the README prescribes, every request comes from the proxy's address, and the person's own
address travels in X-Forwarded-For, a header anyone can also send. So the header is read only when the request
comes from a proxy listed in PLANEA_TRUSTED_PROXIES (addresses or networks), and only as far as the chain of trusted
proxies goes: the first address, from the right, that is not a trusted proxy is the person's. A request that did
not come through a trusted proxy is its own REMOTE_ADDR, whatever headers it carries."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _trusted(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_address(request: Any) -> str:
    """The person's IP address as text ("" when the request carries none that is valid)."""
    if request is None:
        return ""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return ""
    trusted = _trusted(tuple(settings.PLANEA_TRUSTED_PROXIES))

    def is_trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        return any(address in network for network in trusted)

    if not is_trusted(remote):
        return str(remote)
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    nearest = remote
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # a malformed entry: trust nothing beyond the last proxy that handed it over
        if not is_trusted(address):
            return str(address)
        nearest = address
    return str(nearest)
