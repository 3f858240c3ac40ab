"""One reading of `Authorization: Bearer …` for tokens, A2A and Pub/Sub."""

import pytest
from django.test import RequestFactory

from accounts.bearer import bearer_token


def _request(header: str | None):
    headers = {} if header is None else {"Authorization": header}
    return RequestFactory().get("/", headers=headers)


@pytest.mark.parametrize(
    ("header", "token"),
    [
        ("Bearer pat_abc", "pat_abc"),
        ("bearer pat_abc", "pat_abc"),
        ("BEARER  a.b.c ", "a.b.c"),
        (None, None),
        ("", None),
        ("Bearer", None),
        ("Bearer   ", None),
        ("Basic dXNlcjpwYXNz", None),
        ("Token pat_abc", None),
        ("Bearerpat_abc", None),
    ],
)
def test_bearer_token_reads_only_the_bearer_scheme(header, token):
    assert bearer_token(_request(header)) == token
