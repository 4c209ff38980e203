"""A coverage-guided fuzzer for sync bundles: whatever it is fed, ``read_bundle`` answers with the
records or a BundleError, never another exception.

It is run by hand, not by the test suite. atheris is not one of CoachDesk's dependencies; install it
into the virtual environment first (there are wheels for CPython 3.11 on Linux x86-64), then run
this from the repository's root. libFuzzer writes the inputs it finds into the first folder it is
given, so give it a scratch folder first and the committed corpus second, as seeds::

    .venv/bin/pip install atheris
    mkdir -p /tmp/bundle-corpus
    .venv/bin/python tests/fuzz/atheris_bundle.py /tmp/bundle-corpus tests/data/fuzz -atheris_runs=200000

The first byte of each input picks what the rest is: the bytes of a bundle file; the plaintext
inside a bundle, encrypted for the hub by a key holder; or the payload of a bundle properly signed
and encrypted, with an honest manifest (to reach the record parsing that encryption otherwise
hides from a fuzzer). An input that crashes it is written to ``crash-<hash>`` in the current
folder: add it to tests/data/fuzz/make_corpus.py or as an ``@example`` in tests/test_fuzz.py.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import atheris

with atheris.instrument_imports():
    from coachdesk.sync import bundle
    from coachdesk.sync.bundle import BundleError, read_bundle

_spec = importlib.util.spec_from_file_location(
    "make_corpus", Path(__file__).resolve().parent.parent / "data" / "fuzz" / "make_corpus.py")
corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(corpus)


def _counts(payload: bytes) -> dict:
    """The counts an honest manifest would carry for ``payload``, when they can be said."""
    try:
        records = [json.loads(line) for line in payload.split(b"\n")] if payload else []
        counts = bundle._count(records)
        bundle._canonical(counts)
        return counts
    except (ValueError, RecursionError, AttributeError):
        return {}


def test_one_input(data: bytes) -> None:
    if not data:
        return
    mode, rest = data[0] % 3, data[1:]
    if mode == 0:
        candidate = rest
    elif mode == 1:
        candidate = bundle._seal(rest, corpus.DEVICE, [corpus.HUB.public()])
    else:
        candidate = corpus.hand_signed(rest, counts=_counts(rest))
    try:
        read_bundle(candidate, corpus.HUB)
    except BundleError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
