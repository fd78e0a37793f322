"""
Where the platform may send requests on a merchant's behalf (callbacks, refresh URLs) and
where it may send customers (redirects).

Production refuses private, loopback, link-local, multicast, reserved and cloud-metadata
addresses, checked when the invoice is created, again by resolving the name just before each
request, and once more on the address the connection actually reached (a DNS answer can change
in between: rebinding); redirects are never followed. The embedded
default allows loopback so integrations can be tried on a laptop (SPEC §3b).
"""

import ipaddress
import socket
import time
from urllib.parse import urlsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

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


class _PeerChecked:
    """
    Checks the address a connection actually reached. The name was checked just before the
    request, but DNS may answer differently a moment later (rebinding, a TTL of 0): only the
    connected socket's peer says where the request is really going.
    """

    def _new_conn(self):
        sock = super()._new_conn()
        peer = sock.getpeername()[0].partition("%")[0]  # an IPv6 scope id is not an address
        if _blocked(peer):
            sock.close()
            raise UnsafeDestination("Private, loopback and link-local addresses are not allowed.")
        return sock


class _CheckedHTTPConnection(_PeerChecked, HTTPConnection):
    pass


class _CheckedHTTPSConnection(_PeerChecked, HTTPSConnection):
    pass


class _CheckedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class _CheckedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPPool,
            "https": _CheckedHTTPSPool,
        }


def outbound_session():
    """
    A requests session for calls made on a merchant's behalf: every connection it opens is
    refused unless the address it reached passes the same rules as ``check_outbound``. (Behind
    an egress proxy the connection goes to the proxy, which then owns this check.)
    """
    session = requests.Session()
    adapter = _CheckedAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def check_redirect(url, *, merchant):
    """Customer redirects: http(s) only, https and an allowed host in production."""
    parts = check_url_shape(url, require_https=settings.PRODUCTION)
    allowed = {host.lower() for host in merchant.allowed_redirect_hosts}
    if settings.PRODUCTION and parts.hostname.lower() not in allowed:
        raise UnsafeDestination("The redirect host is not among the merchant's allowed hosts.")
