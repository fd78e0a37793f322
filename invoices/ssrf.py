"""
Where the platform may send requests on a merchant's behalf (callbacks, refresh URLs) and
where it may send customers (redirects).

Production refuses private, loopback, link-local, multicast, reserved and cloud-metadata
addresses, checked when the invoice is created and again, by resolving the name, just before
each request (a DNS answer can change in between); redirects are never followed. The embedded
default allows loopback so integrations can be tried on a laptop (SPEC §3b).
"""

import ipaddress
import socket
import time
from urllib.parse import urlsplit

from django.conf import settings

from config.memory import Memory

METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data"}
PUBLIC_HOST_SECONDS = 300  # how long a host found public is not looked up again at creation


class UnsafeDestination(ValueError):
    pass


def _blocked(address):
    ip = ipaddress.ip_address(address)
    if getattr(ip, "ipv4_mapped", None):
        ip = ip.ipv4_mapped
    if settings.WEBHOOKS_ALLOW_PRIVATE and ip.is_loopback:
        return False
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or str(ip) == "169.254.169.254"
    )


def check_url_shape(url, *, require_https):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeDestination("Use an absolute http(s) URL.")
    if require_https and parts.scheme != "https":
        raise UnsafeDestination("Use an https URL.")
    if parts.username or parts.password:
        raise UnsafeDestination("URLs with credentials are not accepted.")
    if parts.hostname.lower() in METADATA_HOSTS:
        raise UnsafeDestination("This host is not allowed.")
    return parts


def check_outbound(url, *, resolve=True):
    """Raise UnsafeDestination unless ``url`` is a public http(s) endpoint (loopback allowed in
    the embedded default)."""
    parts = check_url_shape(url, require_https=settings.PRODUCTION)
    host = parts.hostname
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        if not resolve:
            return
        try:
            infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80))
        except socket.gaierror as error:
            raise UnsafeDestination("The host name does not resolve.") from error
        addresses = {ipaddress.ip_address(info[4][0]) for info in infos}
    if any(_blocked(str(address)) for address in addresses):
        raise UnsafeDestination("Private, loopback and link-local addresses are not allowed.")


def check_outbound_at_creation(url):
    """
    ``check_outbound`` for a URL being stored (an invoice's callback or refresh URL). A host this
    process found public in the last PUBLIC_HOST_SECONDS is not looked up again: merchants reuse
    a few hosts, and a resolver round trip on every invoice creation costs more than the rest of
    it. Kept per process, like a resolver's own cache, so it costs no round trip either. Safe
    because this check only gives early feedback — the one that guards a request is made again,
    uncached, just before the request is sent.
    """
    parts = check_url_shape(url, require_https=settings.PRODUCTION)
    host = (parts.scheme, parts.hostname.lower(), parts.port)
    if (_public_hosts.get(host) or 0) > time.time():
        return
    check_outbound(url, resolve=True)
    _public_hosts.keep(host, time.time() + PUBLIC_HOST_SECONDS)


_public_hosts = Memory(size=1024)  # (scheme, host, port) -> until when it is taken as public


def check_redirect(url, *, merchant):
    """Customer redirects: http(s) only, https and an allowed host in production."""
    parts = check_url_shape(url, require_https=settings.PRODUCTION)
    allowed = {host.lower() for host in merchant.allowed_redirect_hosts}
    if settings.PRODUCTION and parts.hostname.lower() not in allowed:
        raise UnsafeDestination("The redirect host is not among the merchant's allowed hosts.")
