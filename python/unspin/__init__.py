"""unspin: find machine-"spun" English text, restore its original wording, score documents.

    import unspin
    engine = unspin.Engine()                  # the default models (./setup.sh)
    result = engine.check(text)               # dict: docs/SCHEMA.md §2, as `unspin check --json`
    print(result["verdict"], result["score"])
    print(engine.restore(text))               # the text with the spun wording restored

Offsets in results are code points, i.e. Python string indices. Errors raise
:class:`unspin.Error` with the CLI's message, ``code`` (SCHEMA §7) and
``exit_code`` (the CLI's exit status).
"""

from __future__ import annotations

import os
import warnings as _warnings
from typing import Iterable, List, Optional, Sequence, Tuple, Union

from . import _unspin

__all__ = ["Engine", "Error", "__version__"]
__version__ = _unspin.__version__

Text = Union[str, bytes]
PathLike = Union[str, "os.PathLike[str]"]


class Error(Exception):
    """An error from unspin, with the CLI's message.

    Attributes:
        message: the message the CLI prints after ``unspin: error:``.
        code: the error's name in docs/SCHEMA.md §7 (``"invalid_utf8"``,
            ``"empty"``, ``"bad_model"``, ``"io"``, ``"usage"``, ...).
        exit_code: the CLI's exit status for the same error (README "Exit codes").
        index: for batch calls (``check_many``, ``learn``), the position of the
            text that failed; ``None`` otherwise.
    """

    def __init__(self, message: str, code: str, exit_code: int, index: Optional[int] = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.exit_code = exit_code
        self.index = index

    def __reduce__(self):  # picklable, for multiprocessing and Dask
        return (type(self), (self.message, self.code, self.exit_code, self.index))


_unspin._set_error_class(Error)


class Engine:
    """Loaded models, ready to check and restore texts; safe to share between threads.

    Args:
        models: folder with ``en-us.ulm`` and ``default.ulex``; ``None`` uses
            ``$UNSPIN_MODELS``, else the folder ``./setup.sh`` fills (as the CLI).
        lexicons: extra lexicons stacked on the default (``--lexicon``): ``.ulex``,
            TSV, a spinner's group table or a Problematic Paper Screener CSV.
        archive: an archive of originals (``unspin archive add``); when a text's
            source is found, it is restored from the source (``--archive``) and
            :meth:`trace` is available.
        threshold: score at or above which a document is "spun" (0..1);
            ``None`` is the calibrated default (``--threshold``).
        min_confidence: apply only edits at least this likely (``--min-confidence``).
        max_input_bytes: refuse longer texts (``--max-input-bytes``, default 64 MiB).
        base_rate: the share of spun documents the score assumes, strictly
            between 0 and 1 (``--base-rate``, default 0.1; 0.5 for a suspected copy).
        papers: paper screening (``--papers``): unlisted tortured-phrase
            suspects also in documents the fast screen calls clean (about twice
            the screen's time).
        table_engine: how a spinner's group table among ``lexicons`` was
            applied (``--table-engine``): ``"plugin"`` (original -> one of its
            alternatives) or ``"rewriter"`` (the article rewriter: any member of
            a line -> any other member).
        uncalibrated: run even when the model bundle (``fitted.ubundle``) was
            fitted for another LM, lexicon or feature version (``--uncalibrated``);
            every result then holds ``"calibrated": False``.

    Raises:
        Error: ``bad_model`` (missing or damaged model or bundle), ``model_mismatch``
            (a bundle fitted for other models, without ``uncalibrated``), ``io``,
            ``bad_data``, ``usage``.

    Warnings about skipped lexicon lines are issued as :class:`UserWarning`
    and kept in :attr:`warnings`.
    """

    def __init__(self, models: Optional[PathLike] = None, lexicons: Sequence[PathLike] = (),
                 archive: Optional[PathLike] = None, threshold: Optional[float] = None,
                 min_confidence: float = 0.5, max_input_bytes: int = 64 << 20, base_rate: float = 0.1,
                 papers: bool = False, table_engine: str = "plugin", uncalibrated: bool = False):
        if isinstance(lexicons, (str, bytes, os.PathLike)):
            lexicons = [lexicons]
        self._engine = _unspin.Engine(models, list(lexicons), archive, threshold, min_confidence,
                                      max_input_bytes, base_rate, bool(papers), str(table_engine),
                                      bool(uncalibrated))
        for w in self._engine.warnings:
            _warnings.warn(f"unspin: {w}", UserWarning, stacklevel=2)

    @property
    def warnings(self) -> List[str]:
        """Warnings from loading the user lexicons (skipped lines)."""
        return list(self._engine.warnings)

    @property
    def provenance(self) -> dict:
        """The ``version``, ``models`` and ``options`` each check result carries."""
        return self._engine.provenance

    def check(self, text: Text) -> dict:
        """Scores one document: the dict of docs/SCHEMA.md §2, as ``unspin check --json``
        (without ``file``). ``str`` or UTF-8 ``bytes``; offsets are code points.

        Raises:
            Error: ``invalid_utf8``, ``binary``, ``too_large``, ``empty``.
        """
        return self._engine.check(text)

    def restore(self, text: Text) -> str:
        """The text with the spun wording restored to its likely original (``unspin restore``).

        Raises:
            Error: as :meth:`check`.
        """
        return self._engine.restore(text)

    def check_many(self, texts: Iterable[Text], threads: int = 0) -> List[dict]:
        """:meth:`check` for each text, on ``threads`` threads (0: one per core) with the
        GIL released; the results are in input order and equal to one-by-one checks.

        Raises:
            Error: the first failing text's error (``index`` names it); no results then.
        """
        if threads < 0:
            raise ValueError("threads must be >= 0")
        return self._engine.check_many(texts, threads)

    def trace(self, text: Text) -> List[dict]:
        """The text's likely sources in the archive, best first, as ``unspin trace --json``'s
        ``sources``: ``{"id", "score", "aligned", "substitutions": [{"offset", "length",
        "spun", "original", "source_offset", "source_length"}]}`` (code points).

        Raises:
            Error: ``usage`` when the Engine has no archive; input errors as :meth:`check`.
        """
        return self._engine.trace(text)

    def answer_jsonl(self, lines: Iterable[Text], line_numbers: Optional[Sequence[int]] = None,
                     restore: bool = False, same_source: bool = False) -> List[Tuple[str, str]]:
        """Answers JSON-lines input as ``unspin check --jsonl`` (``restore --jsonl`` with
        ``restore=True``) does, line for line (docs/SCHEMA.md §6).

        Args:
            lines: the input lines, each ``{"id", "text", "url"?}`` without its newline.
            line_numbers: each line's 1-based number in its file (the answer's ``line``);
                ``None`` numbers them 1, 2, ...
            restore: answer ``{"line", "id", "restored", "edits"}`` instead of the check result.
            same_source: the lines' texts come from one site or spinner: decode them together
                under one learned table, as ``--same-source`` does.

        Returns:
            ``(answer, status)`` per line, in order: ``answer`` the line the CLI prints (compact
            JSON, no newline); ``status`` the verdict (``"spun"``, ``"clean"``, ``"too short"``,
            ``"not English"``) or ``"error"`` when the answer is an error object (a blank or
            malformed line, an invalid text). Bad lines never raise.
        """
        if not isinstance(lines, list):
            lines = list(lines)
        numbers = list(range(1, len(lines) + 1)) if line_numbers is None else list(line_numbers)
        return self._engine.answer_jsonl(lines, numbers, restore, same_source)

    def learn(self, texts: Iterable[Text], same_source: bool = False,
              min_prior: float = 0.5) -> List[Tuple[str, str, float]]:
        """The spinner's table estimated from texts it spun: ``(original, spun, prior)``
        rows, strongest first, as ``unspin learn`` writes them (with an archive: from the
        texts' aligned sources, as ``unspin learn --archive``).

        Args:
            same_source: the texts share one spinner: pool them into one table.
            min_prior: keep pairs at least this probable.
        """
        return self._engine.learn(texts, same_source, min_prior)

    def learn_counts(self, texts: Iterable[Text], keys: Optional[Sequence[str]] = None) -> str:
        """One site's evidence from these pages, as mergeable sums (the text of
        ``unspin learn --counts``): counts of partitions of a crawl are learned
        apart and given together to :meth:`learned_table`.

        Args:
            keys: per text, its URL or id (fixes the page's fold); ``None``: the texts.
        """
        return self._engine.learn_counts(texts, list(keys) if keys is not None else [])

    def learned_table(self, counts: Sequence[str], site: str = "", min_prior: float = 0.5) -> str:
        """The learned table (docs/SCHEMA.md §9, as ``unspin learn`` writes it) of
        the merged ``counts`` of one site."""
        return self._engine.learned_table(list(counts), site, min_prior)

    def aligned_counts(self, texts: Iterable[Text]) -> str:
        """The evidence of ``unspin learn --archive`` from these pages, as mergeable
        sums (the text of ``unspin learn --archive --counts``, docs/SCHEMA.md §9): each
        page traced to its source in the Engine's archive. Counts of partitions of a
        crawl are made apart and given together to :meth:`aligned_table`.
        Needs ``Engine(archive=PATH)``."""
        return self._engine.aligned_counts(texts)

    def aligned_table(self, counts: Sequence[str], site: str = "", min_prior: float = 0.0) -> str:
        """The learned table (``method=aligned``, as ``unspin learn --archive --jsonl``
        writes it) of the merged aligned ``counts`` of one site; the sources are read
        from the Engine's archive, which must still hold them. ``min_prior`` 0 keeps
        every pair the alignments prove, as the CLI without ``--min-prior``."""
        return self._engine.aligned_table(list(counts), site, min_prior)


def site_of_url(url: str) -> str:
    """The site of a URL as ``unspin learn --jsonl`` groups pages: its lowercased
    host without port or a leading ``www.``; ``""`` when it has none."""
    return _unspin.site_of_url(url)
