"""ETag matching, the one helper behind If-None-Match (API, checklists, the response cache) and
the editors' If-Match."""

from __future__ import annotations

from api.http.etag import etag_matches, etag_of

TAG = etag_of(b"{}")


def test_a_header_naming_the_tag_among_others_matches_weak_or_strong() -> None:
    assert etag_matches(f'"other", {TAG}', TAG)
    assert etag_matches(f"W/{TAG}", TAG)


def test_no_header_an_empty_one_or_another_tag_does_not_match() -> None:
    assert not etag_matches(None, TAG)
    assert not etag_matches("", TAG)
    assert not etag_matches('"other"', TAG)


def test_a_star_matches_any_tag_unless_the_caller_must_name_its_revision() -> None:
    assert etag_matches("*", TAG)
    assert not etag_matches("*", TAG, wildcard=False)
