"""Search: cases by number, defendant or attorney, and docket entries by their text.

Entries are found by the database's full-text search: on PostgreSQL the generated tsvector
column `docket_entry.search_vector` (GIN index) against `websearch_to_tsquery('english', q)`,
ranked by `ts_rank`, then the newest; on SQLite the FTS5 table `docket_entry_fts` (porter
stemming) with a query built here from the words, ranked by bm25. Both engines stem alike
("suppress" finds "suppression") and ignore the same stop words.

A word that matches a great many entries is ranked among its most recent matches only
(CANDIDATES below; the page says so): ranking reads every candidate, and at millions of
entries that cannot be done per search.

The access rule is part of the same query (`visible_cases_clause` and
`visible_entries_clause`), so the search never returns an entry the user may not see, and its
highlighted fragment (`ts_headline`, `snippet()`) is only ever made from a row that passed
them. The fragment comes back with private-use markers around the matched words and is
escaped here, marker by marker, into Markup: no entry text reaches a page unescaped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup, escape
from sqlalchemy import column, literal_column, select, table, text
from sqlalchemy import func as sql_func
from sqlalchemy.dialects.postgresql import REGCONFIG, TSVECTOR
from sqlalchemy.sql.util import ClauseAdapter

from docket.cases.service import search_cases
from docket.clock import court_today
from docket.core.vocabulary import entry_type_label
from docket.extensions import db
from docket.models import Case, CounselOfRecord, DocketEntry, User
from docket.permissions import current_on, visible_cases_clause, visible_entries_clause

MIN_QUERY = 2
MAX_QUERY = 200
CASES_SHOWN = 10

# Around each matched word in a fragment (Unicode private use: never in a docket text typed
# by a person; if one ever is, the highlighting is off, never the escaping).
START, STOP = "\ue000", "\ue001"
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=40, MinWords=18, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
SNIPPET_TOKENS = 40
# Ranking reads every candidate's words: a common word, matching millions of entries, is ranked
# among its CANDIDATES most recent matches, and the page says so. On PostgreSQL a word is
# common with COMMON matches among the RECENT newest entries (else all its matches are
# ranked); on SQLite (FTS5 reads matches newest first and stops) always.
CANDIDATES = 500
RECENT = 10_000
COMMON = 50

# PostgreSQL's 'english' stop words (share/tsearch_data/english.stop, from Snowball): the
# words to_tsvector drops. SQLite's FTS5 keeps every word, so the query built for it leaves
# them out, and a query of nothing else gets a message on both engines.
STOP_WORDS = frozenset(
    """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which
    who whom this that these those am is are was were be been being have has had having do
    does did doing a an the and but if or because as until while of at by for with about
    against between into through during before after above below to from up down in out on
    off over under again further then once here there when where why how all any both each
    few more most other some such no nor not only own same so than too very s t can will
    just don should now""".split()  # noqa: SIM905 (a word list reads better as text)
)

WORD = re.compile(r"\w+")
# websearch syntax: "a phrase", -excluded, OR between alternatives, anything else a word.
TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')


class QueryRefused(ValueError):
    """A query that cannot be searched, with what to do instead."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    phrase: bool = False

    def fts5(self) -> str:
        # Every term is one FTS5 string: double quotes around words that hold none.
        return '"' + " ".join(self.words) + '"'


@dataclass
class TextQuery:
    """The parsed query: groups of alternatives (AND between groups, OR within), and the
    terms an entry must not hold."""

    groups: list[list[Term]]
    excluded: list[Term]

    def fts5(self) -> str:
        text = " AND ".join(
            "(" + " OR ".join(term.fts5() for term in group) + ")" for group in self.groups
        )
        for term in self.excluded:
            text = f"({text}) NOT {term.fts5()}"
        return text


def parse(q: str) -> TextQuery:
    """The words to look for, as websearch_to_tsquery reads them: quoted phrases, `-word`
    to exclude, `or` between alternatives. Stop words outside phrases are dropped; a query
    with nothing left to look for is refused with a message, never sent to the database."""
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    pending_or = False
    for match in TOKEN.finditer(q):
        quoted = match.group(2) is not None
        negated = (match.group(1) if quoted else match.group(3)) == "-"
        raw = match.group(2) if quoted else match.group(4)
        if not quoted and not negated and raw.lower() == "or":
            pending_or = bool(groups)
            continue
        words = tuple(word.lower() for word in WORD.findall(raw))
        if not quoted and len(words) == 1 and words[0] in STOP_WORDS:
            continue
        if not words or all(word in STOP_WORDS for word in words):
            continue
        term = Term(words, phrase=quoted or len(words) > 1)
        if negated:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    if not groups:
        if not WORD.search(q):
            raise QueryRefused(
                "Type words to look for: only letters and digits are searched, and this "
                "search has none."
            )
        if excluded:
            raise QueryRefused(
                "Say what to look for: a search of only excluded words (“-word”) finds nothing."
            )
        raise QueryRefused(
            "Those words are too common to search for (such as “the”, “and”, “of”): "
            "add a word that says what the entry is about."
        )
    return TextQuery(groups=groups, excluded=excluded)


def check_query(q: str) -> str:
    """The query with its spaces collapsed and control and private-use characters dropped
    (PostgreSQL refuses NUL in text; the highlight markers are private-use), or why not."""
    q = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in q or "")
    q = " ".join(q.split())
    if not q:
        raise QueryRefused(
            "Type a case number, a defendant's or attorney's name, or words of a docket entry."
        )
    if len(q) < MIN_QUERY:
        raise QueryRefused(f"Type at least {MIN_QUERY} characters to search.")
    if len(q) > MAX_QUERY:
        raise QueryRefused(f"The search is {len(q)} characters long; at most {MAX_QUERY}.")
    return q


def highlight(fragment: str | None) -> Markup:
    """The fragment, escaped, with <mark> around the matched words (balanced even if a marker
    is missing or doubled)."""
    out: list[str] = []
    inside = False
    for part in re.split(f"([{START}{STOP}])", fragment or ""):
        if part == START:
            if not inside:
                out.append("<mark>")
                inside = True
        elif part == STOP:
            if inside:
                out.append("</mark>")
                inside = False
        elif part:
            out.append(str(escape(part)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


@dataclass
class EntryHit:
    id: int
    case_id: int
    case_number: str
    caption: str
    number: int
    filed_at: datetime
    entry_type: str
    subtype: str | None
    stricken: bool
    fragment: Markup

    @property
    def type_label(self) -> str:
        return entry_type_label(self.entry_type, self.subtype)


@dataclass
class SearchResults:
    q: str = ""
    message: str | None = None  # why nothing was searched
    entries_message: str | None = None  # why entries were not searched (cases were)
    cases: list = field(default_factory=list)
    more_cases: bool = False
    entries: list[EntryHit] = field(default_factory=list)
    matched: int = 0  # visible matches ranked: all of them, or the CANDIDATES most recent
    candidates: int = 0  # CANDIDATES when a common word was ranked among its most recent
    read: str = ""  # where the matches were read from (see _postgresql): for the tests

    @property
    def more_entries(self) -> bool:
        return self.matched > len(self.entries)

    @property
    def capped(self) -> bool:
        """So many entries match that only the most recent were ranked."""
        return bool(self.candidates) and self.matched >= self.candidates


def search(user: User, q: str, *, limit: int = 50, cases_shown: int = CASES_SHOWN):
    """Cases and entries `user` may see matching `q`, at most `limit` entries, the best
    first. Five queries at most (six when a large attorney's newest-first read falls short):
    the cases, their defendants and judges; the entries (and on PostgreSQL how common the
    words are)."""
    try:
        q = check_query(q)
    except QueryRefused as refused:
        return SearchResults(q=(q or "").strip()[:MAX_QUERY], message=str(refused))
    results = SearchResults(q=q)
    # LIKE wildcards are the user's characters, not patterns; nothing left, no case search
    # (an empty search would list every case).
    case_q = q.replace("%", "").replace("_", "").strip()
    if case_q:
        case_page = search_cases(user, q=case_q, page=1, per_page=cases_shown)
        results.cases, results.more_cases = case_page.rows, case_page.has_next
    try:
        parsed = parse(q)
    except QueryRefused as refused:
        results.entries_message = str(refused)
        return results
    if db.engine.dialect.name == "postgresql":
        rows, windowed, results.read = _postgresql(user, q, limit)
    else:
        rows, windowed, results.read = _sqlite(user, parsed, limit), True, "newest first"
    for row in rows:
        values = row._asdict()
        results.matched = values.pop("matched")
        results.entries.append(EntryHit(**{**values, "fragment": highlight(row.fragment)}))
    results.candidates = CANDIDATES if windowed else 0
    return results


_HIT_COLUMNS = (
    DocketEntry.id,
    DocketEntry.case_id,
    Case.case_number,
    Case.caption,
    DocketEntry.number,
    DocketEntry.filed_at,
    DocketEntry.entry_type,
    DocketEntry.subtype,
    DocketEntry.stricken,
)


def _visible(user: User):
    return (visible_cases_clause(user), visible_entries_clause(user))


def _postgresql(user: User, q: str, limit: int) -> tuple[list, bool, str]:
    """Two queries, rarely three: how common the words are among the most recent entries (a
    fixed amount of work), then the ranked page, the fragments made for its rows only.

    Ranking reads every candidate's vector, so a common word (at least COMMON matches in the
    newest RECENT entries) is ranked among its CANDIDATES most recent visible matches; a
    rarer one is ranked over all its visible matches, which the GIN index finds. Deciding
    from the planner's estimate instead would read the primary key backwards for a word the
    statistics do not know, through millions of entries that do not hold it.

    Where the common matches are read from (`read`, kept on the results for the tests):
    - "index": the GIN index (rare words; any word for the court's own users, newest first);
    - "their entries": an attorney's common word, tested row by row in the entries of their
      cases (about s·N rows: s their share of the court's cases, N the entries);
    - "newest first": the same for an attorney of record in a large share of the cases (a
      prosecutor's office), walking the entries newest first until CANDIDATES are found:
      about CANDIDATES / (f·s) rows, f the words' share of the RECENT newest entries (of all
      of them, where there are fewer). It is chosen when that is fewer than s·N
      (s²·f·N > CANDIDATES), and it reads at most
      `_walk_rows` entries: finding fewer than CANDIDATES there (their cases are old, or the
      estimate was off), the search reads their entries after all ("newest first, then
      their entries"), so the page is always the same whichever way it was read.

    For this transaction only: no JIT (it compiled these statements for 35-675 ms) and no
    parallel workers (starting two cost 12-60 ms for a rare word's sub-millisecond work);
    measured by bench/docket.py over 5,000,000 entries."""
    db.session.execute(
        text(
            "SELECT set_config('jit', 'off', true), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
    )
    english = sql_func.cast("english", REGCONFIG)
    query = sql_func.websearch_to_tsquery(english, q)
    attorney = user.role == "attorney"
    hits, theirs, cases, entries = _how_common(user, query, attorney)
    common = hits >= COMMON
    if not (attorney and common):
        return _ranked_page(_matches(user, query, common), query, limit), common, "index"
    walk = _walk_rows(hits, theirs, cases, entries)
    if walk:
        rows = _ranked_page(_newest_first(user, query, walk), query, limit)
        if rows and rows[0].matched >= CANDIDATES:
            return rows, True, "newest first"
    rows = _ranked_page(_matches(user, query, True), query, limit)
    return rows, True, "newest first, then their entries" if walk else "their entries"


def _how_common(user: User, query, attorney: bool) -> tuple[int, int, float, float]:
    """In one statement: the matches among the RECENT newest entries and, for an attorney,
    their current cases and the planner's counts of cases and entries (reltuples: 0 until
    the tables were first analyzed, and then the walk is not chosen)."""
    vector = literal_column("docket_entry.search_vector")
    recent = (
        select(vector.label("search_vector"))
        .select_from(DocketEntry)
        .order_by(DocketEntry.id.desc())
        .limit(RECENT)
        .subquery("recent")
    )
    hits = (
        select(sql_func.count())
        .select_from(recent)
        .where(recent.c.search_vector.op("@@")(query))
        .scalar_subquery()
    )
    if not attorney:
        return db.session.scalar(select(hits)), 0, 0.0, 0.0
    theirs = select(sql_func.count()).select_from(_current_cases(user).subquery()).scalar_subquery()
    row = db.session.execute(
        select(hits, theirs, _reltuples("court_case"), _reltuples("docket_entry"))
    ).one()
    return row[0], row[1], float(row[2] or 0), float(row[3] or 0)


def _reltuples(name: str):
    return literal_column(
        f"(SELECT greatest(reltuples, 0) FROM pg_class WHERE oid = to_regclass('{name}'))"
    )


def _walk_rows(hits: int, theirs: int, cases: float, entries: float) -> int:
    """How many entries the newest-first walk may read, or 0 when reading the attorney's
    entries is cheaper: expected CANDIDATES / (f·s) rows against s·N. The bound allows
    four times the expected rows, never more than s·N, so a walk that falls short costs at
    most as much again as reading their entries."""
    if cases <= 0 or entries <= 0 or theirs <= 0:
        return 0
    share = min(theirs / cases, 1.0)
    f = hits / min(RECENT, entries)
    expected = CANDIDATES / (f * share)
    their_entries = share * entries
    if expected >= their_entries:
        return 0
    return int(min(their_entries, 4 * expected)) + 1


def _matches(user: User, query, common: bool):
    """The visible matches, read from the GIN index (or, for an attorney's common word, from
    the entries of their cases), the newest CANDIDATES when the word is common."""
    vector = literal_column("docket_entry.search_vector")
    matches = (
        select(
            DocketEntry.id.label("id"),
            vector.label("search_vector"),
            DocketEntry.filed_at.label("filed_at"),
        )
        .join(Case, Case.id == DocketEntry.case_id)
        .where(*_visible(user))
    )
    if user.role != "attorney":
        matches = matches.where(vector.op("@@")(query))
    else:
        # An attorney sees the entries of their cases only. Left to itself, the planner may
        # repeat the GIN scan once per case of theirs (minutes for a common word and a
        # prosecutor's thousands of cases), so the plan is spelled out: for a common word,
        # the entries of their cases, the words checked row by row (coalesce() keeps the
        # index out); for a rarer one, the index read once, then their cases.
        if common:
            unindexed = sql_func.coalesce(vector, sql_func.cast("", TSVECTOR))
            matches = matches.where(
                DocketEntry.case_id.in_(_current_cases(user)), unindexed.op("@@")(query)
            )
        else:
            found = (
                select(DocketEntry.id, DocketEntry.case_id)
                .where(vector.op("@@")(query))
                .cte("found")
                .prefix_with("MATERIALIZED")
            )
            theirs = select(found.c.id).where(found.c.case_id.in_(_current_cases(user)))
            matches = matches.where(DocketEntry.id.in_(theirs), vector.op("@@")(query))
    if common:
        matches = matches.order_by(DocketEntry.id.desc()).limit(CANDIDATES)
    return matches


def _newest_first(user: User, query, walk: int):
    """The CANDIDATES newest visible matches found by reading at most `walk` entries in id
    order backwards (the primary key); the LIMIT fences the read so the planner keeps that
    order, and each row is tested against the attorney's cases (hashed) and the words."""
    newest = (
        select(
            DocketEntry.id,
            DocketEntry.case_id,
            DocketEntry.sealed,
            DocketEntry.seal_allows_filer,
            DocketEntry.filer_party,
            DocketEntry.defendant_id,
            DocketEntry.filed_at,
            literal_column("docket_entry.search_vector").label("search_vector"),
        )
        .order_by(DocketEntry.id.desc())
        .limit(walk)
        .subquery("newest")
    )
    return (
        select(
            newest.c.id.label("id"),
            newest.c.search_vector.label("search_vector"),
            newest.c.filed_at.label("filed_at"),
        )
        .where(
            newest.c.search_vector.op("@@")(query),
            newest.c.case_id.in_(select(Case.id).where(visible_cases_clause(user))),
            ClauseAdapter(newest).traverse(visible_entries_clause(user)),
        )
        .limit(CANDIDATES)
    )


def _ranked_page(matches, query, limit: int) -> list:
    """The page: the matches ranked, the best `limit` with their fragments and how many
    matches were ranked."""
    english = sql_func.cast("english", REGCONFIG)
    candidates = matches.subquery("candidates")
    rank = sql_func.ts_rank(candidates.c.search_vector, query).label("rank")
    ranked = (
        select(
            candidates.c.id,
            rank,
            candidates.c.filed_at,
            sql_func.count().over().label("matched"),
        )
        .order_by(rank.desc(), candidates.c.filed_at.desc(), candidates.c.id.desc())
        .limit(limit)
        .subquery("ranked")
    )
    fragment = sql_func.ts_headline(english, DocketEntry.text, query, HEADLINE_OPTIONS)
    return db.session.execute(
        select(*_HIT_COLUMNS, fragment.label("fragment"), ranked.c.matched)
        .select_from(ranked)
        .join(DocketEntry, DocketEntry.id == ranked.c.id)
        .join(Case, Case.id == DocketEntry.case_id)
        .order_by(ranked.c.rank.desc(), ranked.c.filed_at.desc(), ranked.c.id.desc())
    ).all()


def _current_cases(user: User):
    today = court_today()
    return select(CounselOfRecord.case_id).where(
        CounselOfRecord.attorney_id == user.attorney_id,
        current_on(today),
    )


def _sqlite(user: User, parsed: TextQuery, limit: int) -> list:
    """The same on FTS5: the visible matches newest first (FTS5 gives rowids in order), up to
    CANDIDATES, ranked by bm25, with their snippets."""
    fts_table = table("docket_entry_fts", column("rowid"))
    fts = literal_column("docket_entry_fts")  # the table's own name: MATCH, snippet, bm25
    match = fts.op("MATCH")(parsed.fts5())
    candidates = (
        select(fts_table.c.rowid.label("id"))
        .join(DocketEntry, DocketEntry.id == fts_table.c.rowid)
        .join(Case, Case.id == DocketEntry.case_id)
        .where(match, *_visible(user))
        .order_by(fts_table.c.rowid.desc())
        .limit(CANDIDATES)
        .cte("candidates")
    )
    # bm25() and snippet() refuse a window function beside them: the count is a subquery.
    matched = select(sql_func.count()).select_from(candidates).scalar_subquery()
    fragment = sql_func.snippet(fts, 0, START, STOP, "…", SNIPPET_TOKENS)
    return db.session.execute(
        select(*_HIT_COLUMNS, fragment.label("fragment"), matched.label("matched"))
        .select_from(fts_table)
        .join(DocketEntry, DocketEntry.id == fts_table.c.rowid)
        .join(Case, Case.id == DocketEntry.case_id)
        .where(match, fts_table.c.rowid.in_(select(candidates.c.id)))
        .order_by(sql_func.bm25(fts), DocketEntry.filed_at.desc(), DocketEntry.id.desc())
        .limit(limit)
    ).all()
