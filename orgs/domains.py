"""Email domains: whose they are, and which nobody may claim for an organization."""

from functools import cache
from pathlib import Path

_FREE_MAIL_FILE = Path(__file__).parent / "data" / "free_email_domains.txt"


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


@cache
def free_mail_domains() -> frozenset[str]:
    lines = _FREE_MAIL_FILE.read_text().splitlines()
    return frozenset(
        line.strip().lower()
        for line in lines
        if line.strip() and not line.startswith("#")
    )


def is_free_mail(domain: str) -> bool:
    return domain.lower() in free_mail_domains()
