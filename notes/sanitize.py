"""Note bodies are HTML from people and agents: keep a small safe subset only."""

import threading

import bleach

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "em",
        "b",
        "i",
        "ul",
        "ol",
        "li",
        "a",
        "code",
        "pre",
        "blockquote",
        "h2",
        "h3",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


# A Cleaner is costly to build (its html5lib parser and serializer) and not safe to
# share between threads: one per thread, built on first use.
_local = threading.local()


def clean_html(html: str) -> str:
    """Scripts, styles, event handlers and javascript: links removed."""
    return _cleaner().clean(html) if html else ""


def _cleaner() -> bleach.Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
        )
    return cleaner
