"""The agent card answers conditional requests as RFC 9110 §13.1.2 says (a weak
comparison of If-None-Match, which may list tags or be `*`); a method neither the card
nor the endpoint takes is a 405 in JSON."""

import pytest

pytestmark = pytest.mark.django_db

CARD = "/.well-known/agent-card.json"


@pytest.fixture
def etag(client):
    return client.get(CARD)["ETag"]


@pytest.mark.parametrize(
    "if_none_match",
    [
        "{etag}",
        "W/{etag}",
        '"other", {etag}',
        '"other",W/{etag}, "third"',
        "*",
    ],
    ids=["strong", "weak", "listed", "listed weak", "star"],
)
def test_a_matching_if_none_match_is_304(client, etag, if_none_match):
    response = client.get(
        CARD, headers={"If-None-Match": if_none_match.format(etag=etag)}
    )
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "public, max-age=300"


@pytest.mark.parametrize("if_none_match", ['"other"', 'W/"other", "more"', "garbage"])
def test_another_tag_gets_the_card(client, etag, if_none_match):
    response = client.get(CARD, headers={"If-None-Match": if_none_match})
    assert response.status_code == 200
    assert response.json()["name"]


def test_the_card_answers_head_and_refuses_other_methods_in_json(client):
    assert client.head(CARD).status_code == 200
    response = client.post(CARD)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_the_endpoint_refuses_other_methods_in_json(client):
    response = client.get("/a2a/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["error"]["code"] == "method_not_allowed"
