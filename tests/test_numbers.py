"""Whole numbers as a Spanish-speaking person writes them: one reading for the
web form, the JSON API and answer files. Nothing is misread (a decimal is never
taken for thousands) and every refusal says why, in Spanish, as a 4xx."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st
from starlette.testclient import TestClient
from web_helpers import make_app

from advisor.errors import BadValue
from advisor.model.numbers import whole_number

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def grouped(number: int, mark: str) -> str:
    return f"{number:,}".replace(",", mark)


@SETTINGS
@given(number=st.integers(min_value=0, max_value=10**15), mark=st.sampled_from([".", " ", "\u00a0", ""]))
def test_a_number_written_with_or_without_thousands_reads_as_itself(number, mark):
    assert whole_number(grouped(number, mark)) == number
    assert whole_number(f"  {grouped(number, mark)} ") == number


@SETTINGS
@given(whole=st.integers(min_value=0, max_value=10**9), decimals=st.text(alphabet="0123456789", min_size=1, max_size=6),
       mark=st.sampled_from([".", ","]))
@example(whole=8000, decimals="5", mark=".")
@example(whole=1, decimals="5", mark=".")
@example(whole=0, decimals="100", mark=".")
def test_a_decimal_is_refused_never_read_as_thousands(whole, decimals, mark):
    """Three decimals after a point read as thousands («8.000») where the groups fit; anything else is refused."""
    text = f"{whole}{mark}{decimals}"
    if mark == "." and len(decimals) == 3 and 1 <= whole <= 999:
        assert whole_number(text) == whole * 1000 + int(decimals)
        return
    with pytest.raises(BadValue) as refused:
        whole_number(text)
    assert "decimales" in refused.value.message


@SETTINGS
@given(number=st.integers(min_value=0, max_value=10**12), sign=st.sampled_from(["-", "+", "\u2212"]))
@example(number=0, sign="-")
def test_a_sign_is_refused_with_its_own_message(number, sign):
    with pytest.raises(BadValue) as refused:
        whole_number(f"{sign}{number}")
    assert "signo" in refused.value.message


@SETTINGS
@given(text=st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=8),
       before=st.sampled_from(["", "12000", "3"]))
@example(text="²³", before="")
@example(text="²", before="12000")
@example(text="①②", before="")
def test_digits_other_than_0_to_9_are_refused(text, before):
    if all("0" <= ch <= "9" for ch in text):
        return
    with pytest.raises(BadValue) as refused:
        whole_number(before + text)
    assert "cifras 0 a 9" in refused.value.message or "demasiadas cifras" in refused.value.message


@SETTINGS
@given(text=st.text(max_size=60))
def test_any_text_is_a_number_or_a_refusal_with_what_was_expected(text):
    try:
        value = whole_number(text)
    except BadValue as refused:
        assert refused.message and refused.expected
    else:
        assert value >= 0 and re.sub(r"\D", "", text.strip()) == str(value) or value == int(text.strip())


@pytest.mark.parametrize("text", ["9" * 4301, "10^20", "1e20", "12.34.567", "1.5.000"])
def test_huge_powers_and_bad_groups_are_refused(text):
    with pytest.raises(BadValue):
        whole_number(text)


# --- the same rules through the API and the form -----------------------------------------


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    with TestClient(make_app(tmp_path_factory.mktemp("db") / "advisor.db"), raise_server_exceptions=False) as c:
        yield c


def new(client) -> str:
    body = {"cuestionario": "diagnostico", "version": 1, "respuestas": {}}
    return client.post("/api/evaluaciones", content=json.dumps(body)).json()["id"]


def put(client, ident: str, value) -> tuple[int, dict]:
    response = client.put(f"/api/evaluaciones/{ident}/respuestas",
                          content=json.dumps({"clave": "perfil.poblacion", "valor": value}))
    return response.status_code, response.json()


@pytest.mark.parametrize("value,expected", [("8.000", 8000), ("1 500 000", 1500000), (8000, 8000)])
def test_the_api_reads_numbers_as_people_write_them(client, value, expected):
    status, body = put(client, new(client), value)
    assert status == 200 and body["respuestas"]["perfil"]["poblacion"] == expected


@pytest.mark.parametrize("value,word", [("8000.5", "decimales"), ("1.5", "decimales"), (8000.5, "decimales"),
                                        ("-5", "signo"), ("+8000", "signo"), ("-0", "signo"),
                                        ("²³", "cifras 0 a 9"), ("12000²", "cifras 0 a 9"), ("①②", "cifras 0 a 9"),
                                        ("9" * 4301, "demasiadas cifras"), ("10^20", "potencias")])
def test_the_api_refuses_what_is_not_a_whole_number_saying_why(client, value, word):
    ident = new(client)
    status, body = put(client, ident, value)
    assert status == 422
    assert word in json.dumps(body, ensure_ascii=False)
    assert "poblacion" not in client.get(f"/api/evaluaciones/{ident}").json()["respuestas"].get("perfil", {})


def section_post(client, ident: str, value: str):
    page = client.get(f"/e/{ident}/seccion/1")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return client.post(f"/e/{ident}/seccion/1", data={"csrf": token, "perfil.poblacion": value},
                       follow_redirects=False)


@SETTINGS
@given(value=st.one_of(st.text(max_size=40), st.integers(min_value=0, max_value=10**12).map(lambda n: grouped(n, "."))))
@example(value="8000.5")
@example(value="²³")
@example(value="9" * 4301)
def test_the_form_stores_exactly_what_the_parser_reads_and_explains_the_rest(client, value):
    ident = new(client)
    response = section_post(client, ident, value)
    assert response.status_code == 303
    stored = client.get(f"/api/evaluaciones/{ident}").json()["respuestas"].get("perfil", {}).get("poblacion")
    from advisor.kb.load import packaged_bundle

    question = packaged_bundle().questionnaires["diagnostico"].by_key["perfil.poblacion"]
    try:
        expected = question.parse(value) if value.strip() else None
    except ValueError:
        expected = None
        page = client.get(response.headers["location"])
        assert page.status_code == 422 and "Error:" in page.text
    assert stored == expected


def test_a_section_number_of_4301_digits_is_a_page_that_does_not_exist(client):
    ident = new(client)
    response = client.get(f"/e/{ident}/seccion/{'9' * 4301}")
    assert response.status_code == 404 and "No existe una evaluación" in response.text
    assert client.post(f"/e/{ident}/seccion/{'9' * 4301}", data={}).status_code == 404


@SETTINGS
@given(value=st.one_of(st.text(max_size=40), st.integers(min_value=-10, max_value=10**12).map(lambda n: grouped(n,
                                                                                                                " ")),
                       st.floats(allow_nan=False, allow_infinity=False)))
def test_the_api_stores_exactly_what_the_parser_reads_and_refuses_the_rest_with_422(client, value):
    from advisor.kb.load import packaged_bundle

    question = packaged_bundle().questionnaires["diagnostico"].by_key["perfil.poblacion"]
    ident = new(client)
    status, body = put(client, ident, value)
    try:
        expected = question.parse(value)
    except ValueError:
        assert status == 422 and body["problemas"][0]["clave"] == "perfil.poblacion"
    else:
        assert status == 200 and body["respuestas"]["perfil"]["poblacion"] == expected
