"""Looking a domain claim's token up in DNS, through dnspython.

The nameservers are ORGS_DNS_NAMESERVERS (default: the system's resolver); the whole
lookup takes at most ORGS_DNS_TIMEOUT seconds. Every failure is an outcome, never an
exception: a check that cannot answer leaves the claim pending and says why.
"""

import dns.exception
import dns.inet
import dns.nameserver
import dns.resolver

from orgs.app_settings import app_settings
from orgs.models import DomainCheckOutcome


def _nameserver(text: str) -> dns.nameserver.Do53Nameserver:
    """ "192.0.2.1", "192.0.2.1:5353", "2001:db8::1" or "[2001:db8::1]:5353";
    ValueError for anything else (a host name would need a resolver to find it)."""
    text = text.strip()
    host, port = text, "53"
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
        host = host.rstrip("]")
    elif text.count(":") == 1:
        host, port = text.split(":")
    dns.inet.af_for_address(host)  # ValueError unless an IPv4 or IPv6 address
    return dns.nameserver.Do53Nameserver(host, int(port or 53))


def _resolver() -> dns.resolver.Resolver:
    servers = app_settings.DNS_NAMESERVERS
    resolver = dns.resolver.Resolver(configure=not servers)
    if servers:
        resolver.nameservers = [_nameserver(server) for server in servers]
    resolver.lifetime = app_settings.DNS_TIMEOUT
    resolver.cache = None  # a check after adding the record must ask again
    return resolver


def _txt_values(answer) -> set[str]:
    # One TXT record may come as several strings (each at most 255 bytes): joined.
    return {
        b"".join(rdata.strings).decode("ascii", "replace").strip() for rdata in answer
    }


def find_token(name: str, token: str) -> DomainCheckOutcome:
    """Whether a TXT record at `name` holds exactly `token`, as an outcome."""
    try:
        answer = _resolver().resolve(name, "TXT", search=False)
    except dns.resolver.NXDOMAIN:
        return DomainCheckOutcome.NO_NAME
    except dns.resolver.NoAnswer:
        return DomainCheckOutcome.NO_RECORD
    except dns.exception.Timeout:
        return DomainCheckOutcome.TIMEOUT
    except (dns.exception.DNSException, OSError, ValueError):
        # SERVFAIL/REFUSED from every server, no resolver configured, a bad
        # nameserver setting, an unreachable network.
        return DomainCheckOutcome.DNS_ERROR
    if token in _txt_values(answer):
        return DomainCheckOutcome.FOUND
    return DomainCheckOutcome.WRONG_TOKEN
