"""A small real DNS server on loopback for the domain-check tests.

It answers UDP queries from `records` (name → TXT strings), NXDOMAIN for any other
name, and can be told to stay silent (a timeout) or to fail (SERVFAIL). The check
under test reaches it through ORGS_DNS_NAMESERVERS, with dnspython's own resolver.
"""

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class DNSServer:
    def __init__(self):
        self.records: dict[str, list[str]] = {}
        self.silent = False
        self.servfail = False
        self.queries: list[str] = []
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.1)
        self.port = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()

    def add_txt(self, name: str, *values: str) -> None:
        self.records.setdefault(name.lower().rstrip("."), []).extend(values)

    def _serve(self):
        while not self._stop.is_set():
            try:
                wire, client = self._socket.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            reply = self._answer(wire)
            if reply is not None:
                self._socket.sendto(reply, client)

    def _answer(self, wire: bytes) -> bytes | None:
        query = dns.message.from_wire(wire)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        self.queries.append(name)
        if self.silent:
            return None
        response = dns.message.make_response(query)
        if self.servfail:
            response.set_rcode(dns.rcode.SERVFAIL)
        elif name not in self.records:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.TXT and self.records[name]:
            quoted = [
                '"' + value.replace('"', '\\"') + '"' for value in self.records[name]
            ]
            response.answer.append(
                dns.rrset.from_text(question.name, 60, "IN", "TXT", *quoted)
            )
        # Else the name exists with no TXT record: NOERROR with no answer.
        return response.to_wire()
