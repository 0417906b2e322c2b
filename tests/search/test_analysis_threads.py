"""The analysis runs in every thread of a server process (gunicorn's gthread workers)."""

import sys
from concurrent.futures import ThreadPoolExecutor

import snowballstemmer

from search import analysis

WORDS = ["relational", "conditional", "hopefulness", "organization", "generalizations"]


def test_english_stemming_from_many_threads_at_once_gives_each_its_own_word():
    expected = {w: snowballstemmer.stemmer("english").stemWord(w) for w in WORDS}
    # Distinct words (never answered from the cache) and a tiny switch interval, so threads
    # interleave inside the stemmer as they do under load.
    words = [f"{WORDS[i % len(WORDS)]}{'s' * (i // len(WORDS) % 3)}x{i}" for i in range(6000)]
    reference = snowballstemmer.stemmer("english")
    wanted = {w: reference.stemWord(w) for w in words}
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with ThreadPoolExecutor(8) as pool:
            got = dict(zip(words, pool.map(analysis.english_stem, words), strict=True))
    finally:
        sys.setswitchinterval(interval)
    assert got == wanted
    assert all(analysis.english_stem(w) == s for w, s in expected.items())
