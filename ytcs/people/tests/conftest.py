import pytest

from ytcs.people.search import clear_word_stats


@pytest.fixture(autouse=True)
def _fresh_word_stats():
    """Word statistics are cached per process; each test has its own register."""
    clear_word_stats()
    yield
    clear_word_stats()
