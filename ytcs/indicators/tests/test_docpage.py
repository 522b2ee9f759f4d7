"""``docs/indicators.md`` is generated from the definitions: this test fails when the page is stale."""

from ytcs.indicators.definitions import read_definitions
from ytcs.indicators.docpage import DOC_PATH, render_docs


def test_the_docs_page_is_what_the_definitions_say():
    assert DOC_PATH.read_text(encoding="utf-8") == render_docs(), (
        "docs/indicators.md is stale: run `ytcs indicators docs`")


def test_the_page_says_who_is_counted_for_every_indicator():
    text = render_docs()
    for definition in read_definitions():
        assert f"### `{definition.code}`" in text
        assert definition.description_en in text and definition.legal_source in text
