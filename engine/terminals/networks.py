"""Where a terminal call comes from, and whether that is one of the terminal's allowed networks.

ZKTeco terminals cannot sign their requests (the comm key is a shared default), so a registered serial
number alone proves nothing: the source network is the second factor. The address is the socket peer.
Behind a reverse proxy the peer is the proxy, so `device_trusted_proxies` names the proxies whose
`X-Forwarded-For` is believed: the chain is read from the right, skipping trusted proxies, and the first
address that is not one is the caller. A header from a peer that is not a trusted proxy is ignored, so a
terminal that reaches the app directly cannot claim another address.
"""
from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from engine.errors import InvalidInput

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
MAX_NETWORKS = 32
# Wider than this is no boundary at all ("anyone on the internet"); a terminal sits in an office LAN.
_WIDEST_PREFIX = {4: 8, 6: 32}


def parse_network(text: str) -> Network:
    """A CIDR network (`10.1.2.0/24`, or an address for itself); host bits are dropped; ValueError if bad."""
    return ipaddress.ip_network(str(text).strip(), strict=False)


def checked_networks(values: Iterable[str] | None, *, field: str = "allowed_networks") -> list[str]:
    """Normalise an allowed-networks list for storage, or raise InvalidInput saying which entry is wrong."""
    if values is None or isinstance(values, str):
        raise InvalidInput("allowed_networks is a list of CIDR networks, e.g. [\"10.20.0.0/24\"].",
                           code="networks_invalid", field=field)
    networks: list[str] = []
    for value in values:
        try:
            network = parse_network(value)
        except ValueError as exc:
            raise InvalidInput(f"{value!r} is not a network such as 10.20.0.0/24 or 10.20.0.15.",
                               code="networks_invalid", field=field) from exc
        if network.prefixlen < _WIDEST_PREFIX[network.version]:
            raise InvalidInput(f"{network} is too wide for a terminal; use at most "
                               f"/{_WIDEST_PREFIX[network.version]} networks.",
                               code="network_too_wide", field=field)
        if str(network) not in networks:
            networks.append(str(network))
    if not networks or len(networks) > MAX_NETWORKS:
        raise InvalidInput(f"A terminal needs 1 to {MAX_NETWORKS} allowed networks.",
                           code="networks_invalid", field=field)
    return networks


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().removeprefix("[").split("]")[0].split("%")[0])
    except ValueError:
        return None


def address_in(address: str, networks: Iterable[str | Network]) -> bool:
    """Whether `address` lies in any of `networks` (an unreadable address lies in none)."""
    parsed = _address(address)
    if parsed is None:
        return False
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped  # ::ffff:10.0.0.5 from a dual-stack socket is 10.0.0.5
    for network in networks:
        network = parse_network(network) if isinstance(network, str) else network
        if parsed.version == network.version and parsed in network:
            return True
    return False


def is_narrowing(old: Iterable[str], new: Iterable[str]) -> bool:
    """Whether every network of `new` lies inside one of `old` (so the change lets no new address in)."""
    olds = [parse_network(n) for n in old]
    return all(any(n.version == o.version and n.subnet_of(o) for o in olds) for n in map(parse_network, new))


def trusted_proxies(setting: str) -> list[Network]:
    """The `device_trusted_proxies` setting as networks; a bad entry stops the app at start."""
    return [parse_network(part) for part in setting.split(",") if part.strip()]


def caller_address(*, peer: str, forwarded_for: str, proxies: list[Network]) -> str:
    """The calling terminal's address: the socket peer, or behind trusted proxies the forwarded one."""
    if not proxies or not address_in(peer, proxies):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not address_in(hop, proxies):
            return hop if _address(hop) is not None else peer
    return hops[0] if hops else peer


def terminal_proxy_problems(settings) -> list[str]:
    """What is wrong with `device_trusted_proxies`, in words an operator can act on (the app does not start)."""
    try:
        trusted_proxies(settings.device_trusted_proxies)
    except ValueError as exc:
        return [f"OPSTA_DEVICE_TRUSTED_PROXIES must be comma-separated networks such as 10.0.0.2/32: {exc}."]
    return []
