"""Time the docket sheet of a 500-entry case, and text search over 5,000,000 entries (issue 6).

    python -m bench.docket sheet --database-url sqlite
    python -m bench.docket sheet --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres
    python -m bench.docket search --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

A fresh database (SQLite file in a temporary folder, or `docket_bench_<random>` on the
PostgreSQL server, dropped afterwards unless --keep), migrated with the real Alembic
migrations, filled in the database by INSERT ... SELECT over a generated series: one court, 8
judges, 25 prosecutors and 600 defense attorneys; per case one defendant (a surname from 200
common ones; one case in a thousand one of 50 rare ones), a prosecutor and defense counsel of
record; per case numbered docket entries telling the case as a PACER docket reads
(indictment, notice of appearance, arraignment minutes, release order, discovery, then rounds
of motion / response / reply / order resolving it / minute entry / notice / the State's motion
to continue and exclude time / the order granting it), the text naming the defendant, counsel,
the judge, dates and the entries referred to. 1.5% of entries sealed (two in five with the
seal allowing the filer to see them), 0.75% stricken; 0.5% of cases sealed.

sheet (goal: p50 under 100 ms of server time): case 1 holds --entries (500) entries, among
--cases (2,000) cases of 20 entries; every case's entries have their documents (a main PDF;
two attachments per motion), their links (response to, reply to, resolves), their seal and
strike corrections and their plan events; case 1's deadlines are computed by the deadline
engine. GET /cases/1/docket through the Flask test client, each request in its own app
context, signed in as the clerk, as the case's defense counsel, and the clerk's printable
layout (?print=1): p50, p90, max, CPU (this process, plus the PostgreSQL backends when the
server runs on this host), SQL statements per request, bytes.

search (PostgreSQL; goal: p50 under 200 ms): --cases (250,000) cases of 20 entries,
5,000,000 entries. The full-text index (ix_docket_entry_search, GIN) is dropped before the
load and built after it, as a bulk load would; then VACUUM ANALYZE. Timed: the search as the
search page runs it (`docket.filings.search.search(user, q, limit)`: cases and entries), and
its entries query alone, for the clerk (court-wide), a defense attorney (about 420 cases) and
a prosecutor (10,000 cases), with common and rare words, and where the entries query read
its matches (the GIN index, the attorney's entries, or newest first). --variants all also times
the query without the newest-first read (see `entries_queries`) and checks both show the same page;
--explain prints EXPLAIN (ANALYZE, BUFFERS) of each entries query. --existing URL times a
database kept before (--keep). The last lines to grep start with RESULT.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import event, text
from sqlalchemy.engine import make_url

from bench.sql import series

ZONE = ZoneInfo("America/Chicago")
PASSWORD = "bench password"
PROSECUTORS = 25
DEFENDERS = 600
SHEET_CASE = 1
RARE_CASE = 7  # a case whose defendant has a rare surname (case id % 1000 == 7)


def _words(names: str) -> list[str]:
    return names.split()


FIRST_NAMES = _words(
    """James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William
Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Christopher Lisa Daniel Nancy
Matthew Betty Anthony Sandra Mark Margaret Donald Ashley Steven Kimberly Andrew Emily Paul
Donna Joshua Michelle Kenneth Carol Kevin Amanda Brian Melissa George Deborah Timothy
Stephanie Ronald Rebecca Jason Sharon Edward Laura Jeffrey Cynthia Ryan Amy Jacob Angela Luis
Ana Carlos Maria Jose Rosa Juan Sofia Miguel Elena"""
)

LAST_NAMES = _words(
    """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson
White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres
Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Gomez
Phillips Evans Turner Diaz Parker Cruz Edwards Collins Reyes Stewart Morris Morales Murphy Cook
Rogers Gutierrez Ortiz Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward
Richardson Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell Sullivan Bell
Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons Romero Jordan Patterson
Alexander Hamilton Graham Reynolds Griffin Wallace Moreno West Cole Hayes Bryant Herrera Gibson
Ellis Tran Medina Aguilar Stevens Murray Ford Castro Marshall Owens Harrison Fernandez
McDonald Woods Washington Kennedy Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns
Crawford Olson Simpson Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt
Hicks Holmes Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice
Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne Grant Dunn
Kelley Spencer Hawkins"""
)[:200]

RARE_LAST_NAMES = _words(
    """Quisenberry Zabriskie Vanderslice Oyelaran Thistlewood Abernathy-Kwan
Drummelsmith Featherstonehaugh Gwiazdowski Hrabowski Ilunga Jablonowski Kittredge Lachapelle
Mbeki-Sutton Nakagawara Okonkwo-Reyes Pettigrew Quattlebaum Rautenberg Szczepanski Tadros
Umberger Villalobos-Kent Wojciechowski Xiong-Hart Yarborough Zuckerman Applewhite Bettencourt
Cholmondeley Dziedzic Eckersley Fitzsimmons Gallimore Holtzclaw Ignatowski Jergensen
Kaczmarczyk Lindqvist Marchetti-Ross Nussbaum Orendorff Pfannenstiel Quinteros Rzepecki
Stroebel Trzaskowski Uchenna Vukovich"""
)[:50]

JUDGES = [
    "Adaeze Okafor",
    "Peter Lind",
    "Helen Marquez",
    "Samuel Brandt",
    "Grace Whitfield",
    "Tomas Herrera",
    "Naomi Feld",
    "Arthur Pemberton",
]

# (subtype, the motion's words after "MOTION to")
MOTIONS = [
    ("suppress", "Suppress Evidence Obtained in the Traffic Stop"),
    ("dismiss", "Dismiss Count Two of the Indictment"),
    ("compel_discovery", "Compel Discovery of Body Camera Recordings"),
    ("sever", "Sever Counts for Trial"),
    ("in_limine", "in Limine to Exclude Evidence of Prior Convictions"),
    ("continue", "Continue the Status Conference"),
]

# The story of a case: kinds 1-5 open it, then rounds of kinds 6-13 (entry n >= 6 is kind
# 6 + (n - 6) % 8). back: the entry referred to is n - back, by `relation`.
# Placeholders: {D} defendant, {A} defense counsel, {P} prosecutor, {J} judge, {T} the date,
# {N} the number referred to, {S} the motion's words, {G} granting/denying, {H} a hearing,
# {O} what is noticed, {I} an interpreter's presence.
KINDS = [
    (1, "indictment", "prosecution", 0, None,
     "INDICTMENT as to {D} (1) count(s) 1, 2, 3. Presented by {P}."),
    (2, "notice", "defense", 0, None,
     "NOTICE OF ATTORNEY APPEARANCE: {A} appearing for {D}."),
    (3, "minute_entry", "court", 0, None,
     "MINUTE ENTRY for proceedings held before Judge {J}: Initial Appearance and Arraignment as "
     "to {D} held on {T}. Plea of not guilty entered as to all counts.{I}"),
    (4, "order", "court", 0, None,
     "ORDER Setting Conditions of Release as to {D}. Signed by Judge {J} on {T}."),
    (5, "discovery_disclosure", "prosecution", 0, None,
     "DISCOVERY DISCLOSURE by {P} as to {D}: police reports, laboratory results and recorded "
     "statements."),
    (6, "motion", "defense", 0, None,
     "MOTION to {S} by {D}. (Attachments: # 1 Exhibit A, # 2 Proposed Order) ({A})"),
    (7, "response", "prosecution", 1, "responds_to",
     "RESPONSE in Opposition by {P} as to {D} re {N} MOTION to {S}."),
    (8, "reply", "defense", 1, "replies_to",
     "REPLY by {D} re {N} Response in Opposition to Motion to {S}. ({A})"),
    (9, "order", "court", 3, "resolves",
     "ORDER {G} {N} Motion to {S} as to {D}. Signed by Judge {J} on {T}."),
    (10, "minute_entry", "court", 0, None,
     "MINUTE ENTRY for proceedings held before Judge {J}: {H} as to {D} held on {T}. Defendant "
     "present with counsel {A}; {P} for the State.{I}"),
    (11, "notice", "prosecution", 0, None, "NOTICE of {O} by {P} as to {D}."),
    (12, "motion", "prosecution", 0, None,
     "MOTION to Continue Trial and Exclude Time under Rule 8.4 by {P} as to {D}."),
    (13, "order", "court", 1, "resolves",
     "ORDER granting {N} Motion to Continue Trial as to {D}; the time from {T} is excluded "
     "under Rule 8.4. Jury Trial reset. Signed by Judge {J}."),
]  # fmt: skip

# (label, query, whose): common words, a phrase, medium and rare words; "rare" is the
# surname of case RARE_CASE's defendant (in the attorneys' own cases too).
QUERIES = [
    ("common", "motion"),
    ("common, two words", "order granting"),
    ("phrase", '"exclude time"'),
    ("medium", "suppress evidence"),
    ("rare name", "{rare}"),
    ("rare name and word", "{rare} suppress"),
    ("no match", "xylophone"),
]


# --- SQL pieces ------------------------------------------------------------------------------


def _pg(engine: str) -> bool:
    return engine == "postgresql"


def _day(engine: str, day: str, days: str) -> str:
    if _pg(engine):
        return f"({day} + ({days})::int)"
    return f"date({day}, ({days}) || ' days')"


def _instant(engine: str, day: str, minutes: str) -> str:
    """A UTC instant on `day`: 15:00 UTC (9 or 10 am in Chicago) plus `minutes`."""
    if _pg(engine):
        return (
            f"(({day})::timestamp + interval '15 hours' + ({minutes}) * interval '1 minute')"
            " AT TIME ZONE 'UTC'"
        )
    return f"datetime({day}, '+15 hours', '+' || ({minutes}) || ' minutes')"


def _plus_day(engine: str, instant: str) -> str:
    if _pg(engine):
        return f"({instant} + interval '1 day')"
    return f"datetime({instant}, '+1 days')"


def _us_date(engine: str, day: str) -> str:
    if _pg(engine):
        return f"to_char({day}, 'FMMM/FMDD/YYYY')"
    return f"strftime('%m/%d/%Y', {day})"


def _padded(engine: str, prefix: str, number: str, width: int) -> str:
    if _pg(engine):
        return f"'{prefix}' || lpad(({number})::text, {width}, '0')"
    return f"printf('{prefix}%0{width}d', {number})"


def _hex64(engine: str, number: str) -> str:
    if _pg(engine):
        return f"lpad(to_hex({number}), 64, '0')"
    return f"printf('%064x', {number})"


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _values_table(run, name: str, columns: str, rows: list[tuple]) -> None:
    run(f"CREATE TEMPORARY TABLE {name} ({columns})")
    for start in range(0, len(rows), 200):
        values = ", ".join(
            "(" + ", ".join(_quote(v) if isinstance(v, str) else str(v) for v in row) + ")"
            for row in rows[start : start + 200]
        )
        run(f"INSERT INTO {name} VALUES {values}")


# --- the generator ---------------------------------------------------------------------------


def generate(
    connection,
    engine: str,
    cases: int,
    per_case: int,
    big_entries: int,
    extras_cases: int,
    today: date,
    progress=print,
) -> dict[str, int]:
    """Cases 1..cases; case 1 holds `big_entries` entries (if > 0), the others `per_case`.
    Documents, links, corrections and plan events for the entries of cases 1..extras_cases.
    Returns the rows per table."""
    from werkzeug.security import generate_password_hash

    def run(sql: str, **params):
        return connection.execute(text(sql), params)

    pg = _pg(engine)
    now = "CURRENT_TIMESTAMP"
    true = "true" if pg else "1"
    started = time.perf_counter()

    def step(what: str) -> None:
        progress(f"  {what}: {time.perf_counter() - started:.1f} s", flush=True)

    _values_table(
        run, "bench_first", "i INTEGER PRIMARY KEY, name TEXT", list(enumerate(FIRST_NAMES))
    )
    _values_table(
        run, "bench_last", "i INTEGER PRIMARY KEY, name TEXT", list(enumerate(LAST_NAMES))
    )
    _values_table(
        run, "bench_rare", "i INTEGER PRIMARY KEY, name TEXT", list(enumerate(RARE_LAST_NAMES))
    )
    _values_table(
        run,
        "bench_motion",
        "m INTEGER PRIMARY KEY, subtype TEXT, words TEXT",
        [(i, s, w) for i, (s, w) in enumerate(MOTIONS)],
    )
    _values_table(
        run,
        "bench_kind",
        "k INTEGER PRIMARY KEY, entry_type TEXT, filer_party TEXT, back INTEGER, "
        "relation TEXT, template TEXT",
        [(k, t, p, b, r or "", tpl) for k, t, p, b, r, tpl in KINDS],
    )

    run(
        "INSERT INTO court (id, code, name, time_zone, address) VALUES "
        "(1, 'BENCH', 'Bench County Superior Court', 'America/Chicago', '1 Court Square')"
    )
    for i, name in enumerate(JUDGES, start=1):
        run(f"INSERT INTO judge (id, court_id, name, active) VALUES ({i}, 1, :n, {true})", n=name)
    fl, ll = len(FIRST_NAMES), len(LAST_NAMES)
    run(
        f"""INSERT INTO attorney (id, bar_number, name, office)
        SELECT g, {_padded(engine, "BAR-", "g", 6)}, f.name || ' ' || l.name,
            CASE WHEN g <= {PROSECUTORS} THEN 'prosecutor'
                 WHEN g % 3 = 0 THEN 'retained' ELSE 'public_defender' END
        FROM {series(engine, PROSECUTORS + DEFENDERS)}
        JOIN bench_first f ON f.i = (g * 7) % {fl}
        JOIN bench_last l ON l.i = (g * 13 + 5) % {ll}"""
    )
    # Accounts: the clerk, and counsel of the sheet's case and of the rare-name case.
    method = "pbkdf2:sha256:1000"
    accounts = [("clerk@bench.test", "Bench Clerk", "clerk", None)]
    for case_id in (SHEET_CASE, RARE_CASE):
        accounts.append((f"defense{case_id}@bench.test", "", "attorney", _defense(case_id)))
        accounts.append((f"prosecutor{case_id}@bench.test", "", "attorney", _prosecutor(case_id)))
    for email, name, role, attorney in accounts:
        run(
            "INSERT INTO user_account (email, name, password_hash, role, court_id, attorney_id,"
            f" active, created_at, digest_opt_in) VALUES (:email, :name, :hash, :role, :court,"
            f" :attorney, {true}, {now}, {'false' if pg else '0'})",
            email=email,
            name=name or email,
            hash=generate_password_hash(PASSWORD, method=method),
            role=role,
            court=1 if role == "clerk" else None,
            attorney=attorney,
        )
    clerk_id = run("SELECT id FROM user_account WHERE email = 'clerk@bench.test'").scalar_one()

    # Cases: filed so that their last entry is a few days before today.
    span = f"(CASE WHEN g = {SHEET_CASE} AND {big_entries} > 0 THEN 1000 ELSE 180 END)"
    last = f"CASE WHEN g % 1000 = {RARE_CASE} THEN r.name ELSE l.name END"
    today_sql = f"DATE '{today.isoformat()}'" if pg else f"'{today.isoformat()}'"
    filed_on = _day(engine, today_sql, f"-5 - {span} - (g * 7919) % 1500")
    run(
        f"""INSERT INTO court_case (id, court_id, case_number, caption, case_type, filed_on,
            track, custody_status, assigned_judge_id, status, sealed, created_at, updated_at,
            version)
        SELECT g, 1, {_padded(engine, "CR-", "g", 7)}, 'State v. ' || {last},
            CASE WHEN g % 3 = 0 THEN 'misdemeanor' ELSE 'felony' END,
            {filed_on},
            CASE g % 7 WHEN 0 THEN 'expedited' WHEN 1 THEN 'complex' ELSE 'standard' END,
            CASE WHEN g % 4 = 0 THEN 'in_custody' ELSE 'released' END,
            1 + g % {len(JUDGES)}, 'active',
            (g % 200 = 13), {now}, {now}, 1
        FROM {series(engine, cases)}
        JOIN bench_last l ON l.i = (g * 37) % {ll}
        JOIN bench_rare r ON r.i = (g / 1000) % {len(RARE_LAST_NAMES)}"""
    )
    run(
        f"""INSERT INTO defendant (id, case_id, number, last_name, first_name, middle_name,
            name_key)
        SELECT g, g, 1, {last}, f.name, '', lower({last} || ' ' || f.name)
        FROM {series(engine, cases)}
        JOIN bench_first f ON f.i = (g * 11) % {fl}
        JOIN bench_last l ON l.i = (g * 37) % {ll}
        JOIN bench_rare r ON r.i = (g / 1000) % {len(RARE_LAST_NAMES)}"""
    )
    run(
        f"""INSERT INTO counsel_of_record (id, case_id, attorney_id, side, defendant_id,
            appeared_on)
        SELECT 2 * c.id - 1, c.id, {_prosecutor("c.id")}, 'prosecution', NULL, c.filed_on
        FROM court_case c"""
    )
    run(
        f"""INSERT INTO counsel_of_record (id, case_id, attorney_id, side, defendant_id,
            appeared_on)
        SELECT 2 * c.id, c.id, {_defense("c.id")}, 'defense', c.id,
            {_day(engine, "c.filed_on", "1")}
        FROM court_case c"""
    )
    step(f"{cases:,} cases, defendants and counsel")

    blocks = []
    if big_entries:
        blocks.append((SHEET_CASE, 1, big_entries, 1000, 0))
        blocks.append((2, cases - 1, per_case, 180, big_entries))
    else:
        blocks.append((1, cases, per_case, 180, 0))
    for first_case, count, per, days, first_id in blocks:
        _insert_entries(run, engine, first_case, count, per, days, first_id, clerk_id)
        step(f"{count * per:,} docket entries")
    run(
        "INSERT INTO docket_counter (case_id, last_number) "
        "SELECT case_id, MAX(number) FROM docket_entry GROUP BY case_id"
    )
    if extras_cases:
        _insert_extras(run, engine, extras_cases, clerk_id)
        step(f"documents, links, corrections and events of {extras_cases:,} cases")
    if pg:
        for table in ("court", "judge", "attorney", "court_case", "defendant",
                      "counsel_of_record", "docket_entry"):  # fmt: skip
            run(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT max(id) FROM {table}))"
            )
    for name in ("bench_first", "bench_last", "bench_rare", "bench_motion", "bench_kind"):
        run(f"DROP TABLE {name}")
    counts = {}
    for table in ("court_case", "counsel_of_record", "docket_entry", "document",
                  "docket_entry_link", "record_correction", "case_event"):  # fmt: skip
        counts[table] = run(f"SELECT count(*) FROM {table}").scalar()
    return counts


def _mix(case: int | str, salt: int) -> int | str:
    """A hash of the case id (so that an attorney's cases share no residue: not all one
    judge's, not all the same kinds of motion)."""
    if isinstance(case, int):
        return (case * 2654435761 + salt) % 4294967291
    return f"(({case} * 2654435761 + {salt}) % 4294967291)"


def _prosecutor(case: int | str) -> int | str:
    if isinstance(case, int):
        return 1 + _mix(case, 1) % PROSECUTORS
    return f"(1 + {_mix(case, 1)} % {PROSECUTORS})"


def _defense(case: int | str) -> int | str:
    if isinstance(case, int):
        return PROSECUTORS + 1 + _mix(case, 2) % DEFENDERS
    return f"({PROSECUTORS + 1} + {_mix(case, 2)} % {DEFENDERS})"


def _insert_entries(run, engine, first_case, cases, per, days, first_id, clerk_id) -> None:
    """Entries 1..per of cases first_case.., ids first_id + 1.., filed over `days` days."""
    pg = _pg(engine)
    kind = "CASE WHEN s.n <= 5 THEN s.n ELSE 6 + (s.n - 6) % 8 END"
    round_ = "(CASE WHEN s.n <= 5 THEN 0 ELSE (s.n - 6) / 8 END)"
    day = _day(engine, "c.filed_on", f"(s.n * {days}) / {per}")
    hearing = (
        f"CASE {round_} % 4 WHEN 0 THEN 'Status Conference' WHEN 1 THEN 'Motion Hearing' "
        "WHEN 2 THEN 'Pretrial Conference' ELSE 'Evidentiary Hearing' END"
    )
    noticed = (
        f"CASE {round_} % 4 WHEN 0 THEN 'Intent to Use Expert Testimony' "
        "WHEN 1 THEN 'Hearing on Motion' WHEN 2 THEN 'Filing Exhibit List' "
        "ELSE 'Disclosure of Witnesses' END"
    )
    body = "k.template"
    for mark, value in (
        ("{D}", "d.first_name || ' ' || d.last_name"),
        ("{A}", "da.name"),
        ("{P}", "pa.name"),
        ("{J}", "j.name"),
        ("{T}", _us_date(engine, day)),
        ("{N}", f"CAST(s.n - k.back AS {'text' if pg else 'TEXT'})"),
        ("{S}", "m.words"),
        ("{G}", f"CASE WHEN (s.case_id + {round_}) % 3 = 0 THEN 'granting' ELSE 'denying' END"),
        ("{H}", hearing),
        ("{O}", noticed),
        ("{I}", "CASE WHEN s.case_id % 9 = 0 THEN ' Spanish interpreter present.' ELSE '' END"),
    ):
        body = f"replace({body}, '{mark}', {value})"
    spread = "((s.case_id * 131 + s.n * 31) % 100)"
    sealed = f"(s.n > 5 AND {spread} < 2)"
    stricken = f"(s.n > 5 AND {spread} = 50)"
    filed = _instant(engine, day, "(s.n % 7) * 13")
    sql = f"""INSERT INTO docket_entry (id, case_id, number, filed_at, filer_party,
            filer_attorney_id, defendant_id, entry_type, subtype, text, sealed,
            seal_allows_filer, stricken, stricken_reason, created_by_id, created_at)
        SELECT s.id, s.case_id, s.n, {filed}, k.filer_party,
            CASE k.filer_party WHEN 'prosecution' THEN pa.id WHEN 'defense' THEN da.id END,
            CASE WHEN k.filer_party = 'defense' THEN d.id END,
            k.entry_type,
            CASE k.k WHEN 6 THEN m.subtype WHEN 12 THEN 'exclude_time' END,
            {body},
            {sealed}, ({sealed} AND k.filer_party <> 'court' AND s.n % 2 = 0),
            {stricken}, CASE WHEN {stricken} THEN 'Filed in the wrong case.' END,
            CASE WHEN k.filer_party = 'court' THEN {clerk_id} END,
            CASE WHEN s.n % 33 = 0 THEN {_plus_day(engine, filed)} ELSE {filed} END
        FROM (SELECT {first_id} + g AS id, {first_case} + (g - 1) / {per} AS case_id,
                (g - 1) % {per} + 1 AS n
              FROM {series(engine, cases * per)}) AS s
        JOIN court_case c ON c.id = s.case_id
        JOIN defendant d ON d.id = s.case_id
        JOIN judge j ON j.id = c.assigned_judge_id
        JOIN attorney pa ON pa.id = {_prosecutor("s.case_id")}
        JOIN attorney da ON da.id = {_defense("s.case_id")}
        JOIN bench_kind k ON k.k = {kind}
        JOIN bench_motion m ON m.m = (s.case_id + {round_}) % {len(MOTIONS)}"""
    run(sql)


def _insert_extras(run, engine, up_to_case: int, clerk_id: int) -> None:
    """Documents, links, corrections and plan events of the entries of cases 1..up_to_case."""
    kind = "CASE WHEN e.number <= 5 THEN e.number ELSE 6 + (e.number - 6) % 8 END"
    mine = f"e.case_id <= {up_to_case}"
    run(
        f"""INSERT INTO document (docket_entry_id, position, description, file_name,
            media_type, size_bytes, sha256, uploaded_at, uploaded_by_id)
        SELECT e.id, 0, NULL, e.entry_type || '-' || e.number || '.pdf', 'application/pdf',
            30000 + (e.id * 7919) % 900000, {_hex64(engine, "e.id * 3")}, e.created_at,
            e.created_by_id
        FROM docket_entry e WHERE {mine} AND e.entry_type <> 'minute_entry'"""
    )
    for position, description in ((1, "Exhibit A"), (2, "Proposed Order")):
        run(
            f"""INSERT INTO document (docket_entry_id, position, description, file_name,
                media_type, size_bytes, sha256, uploaded_at, uploaded_by_id)
            SELECT e.id, {position}, '{description}',
                '{description.lower().replace(" ", "-")}.pdf', 'application/pdf',
                20000 + (e.id * 7907 + {position}) % 400000,
                {_hex64(engine, f"e.id * 3 + {position}")}, e.created_at, e.created_by_id
            FROM docket_entry e WHERE {mine} AND e.entry_type = 'motion'"""
        )
    run(
        f"""INSERT INTO docket_entry_link (entry_id, target_id, relation)
        SELECT e.id, t.id, k.relation
        FROM docket_entry e
        JOIN bench_kind k ON k.k = {kind}
        JOIN docket_entry t ON t.case_id = e.case_id AND t.number = e.number - k.back
        WHERE {mine} AND k.back > 0"""
    )
    run(
        f"""INSERT INTO record_correction (case_id, docket_entry_id, action, reason,
            order_entry_id, filer_may_see, by_user_id, at)
        SELECT e.case_id, e.id, 'seal', 'Protects a cooperating witness.', o.id,
            e.seal_allows_filer, {clerk_id}, e.created_at
        FROM docket_entry e
        JOIN docket_entry o ON o.case_id = e.case_id AND o.number = 4
        WHERE {mine} AND e.sealed"""
    )
    run(
        f"""INSERT INTO record_correction (case_id, docket_entry_id, action, reason,
            order_entry_id, filer_may_see, by_user_id, at)
        SELECT e.case_id, e.id, 'strike', e.stricken_reason, NULL, NULL, {clerk_id},
            e.created_at
        FROM docket_entry e WHERE {mine} AND e.stricken"""
    )
    occurred = (
        "(e.filed_at AT TIME ZONE 'America/Chicago')::date"
        if _pg(engine)
        else "date(e.filed_at, '-6 hours')"
    )
    event_type = (
        "CASE WHEN e.number = 1 THEN 'indictment_filed' WHEN e.number = 3 THEN 'arraignment_held'"
        " WHEN e.entry_type = 'motion' THEN 'motion_filed' ELSE 'motion_decided' END"
    )
    run(
        f"""INSERT INTO case_event (case_id, defendant_id, event_type, occurred_on,
            docket_entry_id, note, recorded_by_id, recorded_at)
        SELECT e.case_id, e.defendant_id, {event_type}, {occurred}, e.id,
            'Docket entry #' || e.number, {clerk_id}, e.created_at
        FROM docket_entry e
        WHERE {mine} AND NOT e.stricken AND (e.number IN (1, 3) OR e.entry_type = 'motion'
            OR (e.number > 5 AND ({kind}) IN (9, 13)))"""
    )


# --- measuring ---------------------------------------------------------------------------------


def _backend_cpu(pids: list[int]) -> float:
    """Seconds of CPU used by these PostgreSQL backends (when the server runs on this host)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _backends(app) -> list[int]:
    from docket.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            return []
        with db.engine.connect() as connection:
            return list(
                connection.scalars(
                    text(
                        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        "AND backend_type = 'client backend'"
                    )
                )
            )


def _load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def _summary(ms: list[float]) -> tuple[float, float, float]:
    p90 = statistics.quantiles(ms, n=10, method="inclusive")[-1] if len(ms) > 1 else ms[0]
    return statistics.median(ms), p90, max(ms)


def measure_sheet(app, samples: int) -> list[tuple]:
    from docket.extensions import db

    statements = [0]

    def count(*_args) -> None:
        statements[0] += 1

    with app.app_context():
        engine = db.engine
    results = []
    views = [
        ("clerk", "clerk@bench.test", ""),
        ("defense counsel", f"defense{SHEET_CASE}@bench.test", ""),
        ("clerk, printable", "clerk@bench.test", "?print=1"),
    ]
    url = f"/cases/{SHEET_CASE}/docket"
    for name, email, query in views:
        client = app.test_client()
        signed = client.post("/sign-in", data={"email": email, "password": PASSWORD})
        assert signed.status_code == 302, (email, signed.status_code)
        first = client.get(url + query)
        assert first.status_code == 200, first.status_code
        size = len(first.data)
        sealed_shown = first.data.count(b"SEALED")
        for _ in range(5):
            client.get(url + query)
        pids = _backends(app)
        event.listen(engine, "before_cursor_execute", count)
        wall, cpu, queries = [], [], set()
        for _ in range(samples):
            statements[0] = 0
            cpu_started = time.process_time() + _backend_cpu(pids)
            started = time.perf_counter()
            response = client.get(url + query)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() + _backend_cpu(pids) - cpu_started) * 1000)
            assert response.status_code == 200, response.status_code
            queries.add(statements[0])
        event.remove(engine, "before_cursor_execute", count)
        results.append((name, wall, cpu, queries, size, sealed_shown))
        print(
            f"{name:18} p50 {statistics.median(wall):7.1f} ms  cpu p50 "
            f"{statistics.median(cpu):7.1f} ms  load {_load_average()}",
            flush=True,
        )
    return results


def _search_users(app) -> list[tuple[str, int, str]]:
    """(label, user id, the rare surname) for the clerk, a defense attorney, a prosecutor."""
    from docket.extensions import db

    with app.app_context():
        rare = db.session.scalar(
            text(f"SELECT last_name FROM defendant WHERE case_id = {RARE_CASE}")
        )
        rows = db.session.execute(text("SELECT email, id FROM user_account ORDER BY id")).all()
        cases = {
            email: db.session.scalar(
                text(
                    "SELECT count(*) FROM counsel_of_record c JOIN user_account u "
                    "ON u.attorney_id = c.attorney_id WHERE u.email = :email"
                ),
                {"email": email},
            )
            for email, _ in rows
        }
    ids = dict(rows)
    return [
        ("clerk (court-wide)", ids["clerk@bench.test"], rare),
        (
            f"defense attorney ({cases[f'defense{RARE_CASE}@bench.test']:,} cases)",
            ids[f"defense{RARE_CASE}@bench.test"],
            rare,
        ),
        (
            f"prosecutor ({cases[f'prosecutor{RARE_CASE}@bench.test']:,} cases)",
            ids[f"prosecutor{RARE_CASE}@bench.test"],
            rare,
        ),
    ]


VARIANTS = ("current", "no walk")


def entries_queries(pg: bool) -> dict:
    """The entries query as docket/filings/search.py runs it ("current"), and on PostgreSQL
    the same with the newest-first read turned off ("no walk": an attorney's common word is
    always looked for in the entries of their cases, as before the walk), to show what the
    walk saves and that it shows the same page. Each returns the page's rows with their
    fragments; `READS` records where the current query read its matches."""
    from docket.filings import search

    if not pg:
        return {"current": lambda user, q, limit: search._sqlite(user, search.parse(q), limit)}

    def current(user, q, limit):
        rows, _windowed, READS[(user.id, q)] = search._postgresql(user, q, limit)
        return rows

    def no_walk(user, q, limit):
        walk_rows, search._walk_rows = search._walk_rows, lambda *counts: 0
        try:
            return search._postgresql(user, q, limit)[0]
        finally:
            search._walk_rows = walk_rows

    return {"current": current, "no walk": no_walk}


READS: dict[tuple[int, str], str] = {}


def measure_search(
    app, runs: int, explain: bool, timeout_s: float, variants: list[str]
) -> list[tuple]:
    """Per searcher, query and variant of the entries query: one warm-up, then `runs` timed
    runs (3 when a run takes over 2 s). "search" is the whole search as the page runs it
    (`search.search`: cases and entries); the others time the entries query alone. A run over
    `timeout_s` is cancelled (statement_timeout) and reported as such."""
    from sqlalchemy.exc import OperationalError

    from docket.extensions import db
    from docket.filings import search
    from docket.models import User

    results = []
    limit = app.config["DOCKET_ENTRIES_PER_SEARCH"]

    def once(function, user_id: int, q: str, pg: bool):
        """(wall ms, CPU ms, entries shown), or None when cancelled at the timeout."""
        user = db.session.get(User, user_id)
        _ = user.role  # loaded before the clock starts (a request has it)
        backend = []
        if pg:
            backend = [db.session.scalar(text("SELECT pg_backend_pid()"))]
            db.session.execute(
                text("SELECT set_config('statement_timeout', :ms, true)"),
                {"ms": str(int(timeout_s * 1000))},
            )
        cpu_started = time.process_time() + _backend_cpu(backend)
        started = time.perf_counter()
        try:
            shown = function(user, q)
        except OperationalError:
            db.session.rollback()
            return None
        elapsed = (time.perf_counter() - started) * 1000
        spent = (time.process_time() + _backend_cpu(backend) - cpu_started) * 1000
        db.session.rollback()
        return elapsed, spent, shown

    print(f"load average {_load_average()}", flush=True)
    with app.app_context():
        engine = db.engine
        pg = engine.dialect.name == "postgresql"
        queries = entries_queries(pg)

        def counted(function):
            return lambda user, q: len(function(user, q, limit + 1)[:limit])

        parts = {"search": lambda user, q: len(search.search(user, q, limit=limit).entries)}
        parts.update((name, counted(queries[name])) for name in variants if name in queries)
        if "current" not in variants:
            del parts["search"]
        for label, user_id, rare in _search_users(app):
            for kind, pattern in QUERIES:
                q = pattern.format(rare=rare)
                timings = {part: [] for part in parts}
                cpu = {part: [] for part in parts}
                shown: dict[str, int] = {}
                timed_out: set[str] = set()
                for part, function in parts.items():
                    warm = once(function, user_id, q, pg)
                    if warm is None:
                        timed_out.add(part)
                        continue
                    for _ in range(runs if warm[0] < 2000 else 3):
                        run = once(function, user_id, q, pg)
                        if run is None:
                            timed_out.add(part)
                            break
                        timings[part].append(run[0])
                        cpu[part].append(run[1])
                        shown[part] = run[2]
                matches = None
                if pg:
                    matches = db.session.scalar(
                        text(
                            "SELECT count(*) FROM docket_entry WHERE search_vector @@ "
                            "websearch_to_tsquery('english', :q)"
                        ),
                        {"q": q},
                    )
                    db.session.rollback()
                # Does each variant show the page the current query shows (same entries, same
                # order)? It should, the rule and the ranking being the same.
                pages = {}
                for name in queries:
                    if name in parts and "current" in parts and not timed_out & {name, "current"}:
                        rows = queries[name](db.session.get(User, user_id), q, limit + 1)
                        pages[name] = [row.id for row in rows]
                        db.session.rollback()
                same = {name: ids == pages["current"] for name, ids in pages.items()}
                shown["same"] = same
                read = READS.get((user_id, q), "-")
                results.append((label, kind, q, matches, shown, timings, cpu, timed_out, read))
                p50s = "  ".join(
                    f"{part} {statistics.median(timings[part]):.1f}"
                    if timings[part]
                    else f"{part} > {timeout_s:.0f} s"
                    for part in parts
                )
                print(f"{label:30} {q!r:24} p50 ms: {p50s}  load {_load_average()}", flush=True)
                if explain and pg:
                    for part in parts:
                        if part != "search" and part not in timed_out:
                            _explain(engine, queries[part], part, db.session.get(User, user_id),
                                     q, limit)  # fmt: skip
    print(f"load average {_load_average()}", flush=True)
    return results


def _explain(engine, function, name: str, user, q: str, limit: int) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of the entries statement `function` runs, after the
    statements it runs before it (SET LOCAL, an attorney's case ids), in one transaction."""
    from docket.extensions import db

    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        function(user, q, limit + 1)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
        db.session.rollback()
    last = max(i for i, (sql, _) in enumerate(statements) if "search_vector" in sql)
    with engine.connect() as connection:
        for sql, parameters in statements[:last]:
            connection.exec_driver_sql(sql, parameters)
        plan = connection.exec_driver_sql(
            "EXPLAIN (ANALYZE, BUFFERS) " + statements[last][0], statements[last][1]
        ).scalars()
        print(f"  EXPLAIN {name}:", flush=True)
        print("\n".join("    " + line for line in plan), flush=True)
        connection.rollback()


# --- main --------------------------------------------------------------------------------------


def _app(url: str):
    """The app as `docket run` makes it (docket.cli._create_app: start-up objects frozen out
    of the garbage collector's way)."""
    import gc

    from docket import create_app

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "COURT_TIMEZONE": ZONE.key,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
        }
    )
    gc.freeze()
    return app


def _load(app, engine: str, args, today: date) -> None:
    from flask_migrate import upgrade

    from docket.extensions import db

    with app.app_context():
        upgrade()
        started = time.perf_counter()
        search = args.part == "search"
        with db.engine.begin() as connection:
            if engine == "postgresql" and search:
                # The full-text index is built after the load, as a bulk load would.
                connection.exec_driver_sql("DROP INDEX ix_docket_entry_search")
            counts = generate(
                connection,
                engine,
                cases=args.cases,
                per_case=args.per_case,
                big_entries=0 if search else args.entries,
                extras_cases=0 if search else args.cases,
                today=today,
            )
        loaded = time.perf_counter() - started
        index_seconds = 0.0
        with db.engine.connect() as connection:
            connection = connection.execution_options(isolation_level="AUTOCOMMIT")
            if engine == "postgresql" and search:
                index_started = time.perf_counter()
                connection.exec_driver_sql("SET maintenance_work_mem = '1GB'")
                connection.exec_driver_sql(
                    "CREATE INDEX ix_docket_entry_search ON docket_entry USING gin (search_vector)"
                )
                index_seconds = time.perf_counter() - index_started
            analyze_started = time.perf_counter()
            connection.exec_driver_sql("VACUUM ANALYZE" if engine == "postgresql" else "ANALYZE")
            analyzed = time.perf_counter() - analyze_started
        if not search:
            from docket.deadlines import service as deadlines

            deadlines.recompute([SHEET_CASE])
            db.session.commit()
        db.engine.dispose()
    total = time.perf_counter() - started
    print(
        f"loaded in {total:.1f} s (rows {loaded:.1f} s, full-text index {index_seconds:.1f} s, "
        f"vacuum/analyze {analyzed:.1f} s): " + ", ".join(f"{k} {v:,}" for k, v in counts.items()),
        flush=True,
    )
    print(
        f"RESULT engine={engine} part=load cases={args.cases} "
        f"entries={counts['docket_entry']} seconds={total:.1f} rows_seconds={loaded:.1f} "
        f"index_seconds={index_seconds:.1f} analyze_seconds={analyzed:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.docket",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("part", choices=["sheet", "search"])
    parser.add_argument("--database-url", default="sqlite")
    parser.add_argument("--cases", type=int, help="default: 2,000 (sheet), 250,000 (search)")
    parser.add_argument("--per-case", type=int, default=20, help="entries per other case")
    parser.add_argument("--entries", type=int, default=500, help="entries of the sheet's case")
    parser.add_argument("--samples", type=int, default=100, help="sheet requests per view")
    parser.add_argument("--runs", type=int, default=11, help="runs per search")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per search run")
    parser.add_argument(
        "--variants",
        default="current",
        help="entries queries to time, comma-separated: current (the app's, with the whole "
        "search) and 'no walk' (the same without the newest-first read), or all",
    )
    parser.add_argument("--today", type=date.fromisoformat)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--existing", metavar="URL", help="measure a kept database: no load")
    args = parser.parse_args(argv)
    if args.cases is None:
        args.cases = 2_000 if args.part == "sheet" else 250_000

    from bench.demo_load import _fresh_postgres_database, _size

    workdir = Path(tempfile.mkdtemp(prefix="docket_bench_"))
    os.environ["DOCKET_INSTANCE_PATH"] = str(workdir)
    today = args.today or datetime.now(ZONE).date()
    drop = None
    try:
        if args.existing:
            url = args.existing
        elif args.database_url.startswith("sqlite"):
            url = f"sqlite:///{workdir / 'docket.sqlite'}"
        else:
            url, drop = _fresh_postgres_database(args.database_url)
        engine = make_url(url).get_backend_name()
        app = _app(url)
        print(f"load average {_load_average()}; {os.cpu_count()} CPUs", flush=True)
        if not args.existing:
            _load(app, engine, args, today)
            if args.keep:
                print(f"database: {url}", flush=True)
        if args.part == "sheet":
            _report_sheet(engine, measure_sheet(app, args.samples))
        else:
            variants = list(VARIANTS) if args.variants == "all" else args.variants.split(",")
            results = measure_search(app, args.runs, args.explain, args.timeout, variants)
            _report_search(engine, args.cases, args.timeout, results)
        print(f"size={_size(url)} load average {_load_average()}")
    finally:
        if drop and not args.keep:
            drop()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"kept: {workdir}")
    return 0


def _report_sheet(engine: str, results) -> None:
    print()
    print("| engine | viewer | requests | p50 ms | p90 ms | max ms | CPU p50 ms | statements |"
          " bytes | SEALED shown |")  # fmt: skip
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, wall, cpu, queries, size, sealed in results:
        p50, p90, top = _summary(wall)
        q = "/".join(str(n) for n in sorted(queries))
        print(
            f"| {engine} | {name} | {len(wall)} | {p50:.1f} | {p90:.1f} | {top:.1f} | "
            f"{statistics.median(cpu):.1f} | {q} | {size:,} | {sealed} |"
        )
    print()
    for name, wall, cpu, queries, size, _ in results:
        p50, p90, top = _summary(wall)
        print(
            f"RESULT engine={engine} part=sheet viewer={name.replace(' ', '_')} "
            f"requests={len(wall)} p50_ms={p50:.1f} p90_ms={p90:.1f} max_ms={top:.1f} "
            f"cpu_p50_ms={statistics.median(cpu):.1f} "
            f"queries={'/'.join(str(n) for n in sorted(queries))} bytes={size}"
        )


def _figures(ms: list[float], cpu: list[float]) -> tuple[str, str, str, str]:
    """p50, p90, max and CPU p50 as text ("-" when nothing was timed)."""
    if not ms:
        return "-", "-", "-", "-"
    p50, p90, top = _summary(ms)
    return f"{p50:.1f}", f"{p90:.1f}", f"{top:.1f}", f"{statistics.median(cpu):.1f}"


def _report_search(engine: str, cases: int, timeout_s: float, results) -> None:
    parts = list(results[0][5]) if results else []
    print()
    print(
        "| searcher | query | matches | "
        + " | ".join(f"{part} p50 ms (p90)" for part in parts)
        + " | shown | page differs from current | read |"
    )
    print("|---|---|---:|" + "---:|" * len(parts) + "---:|---|---|")
    for label, kind, q, matches, shown, timings, _cpu, timed_out, read in results:
        cells = []
        for part in parts:
            if part in timed_out and not timings[part]:
                cells.append(f"> {timeout_s:.0f} s")
            else:
                p50, p90, _, _ = _figures(timings[part], _cpu[part])
                cells.append(f"{p50} ({p90})")
        count = "-" if matches is None else f"{matches:,}"
        print(
            f"| {label} | {kind}: `{q}` | {count} | "
            + " | ".join(cells)
            + f" | {'/'.join(str(n) for n in sorted({v for k, v in shown.items() if k != 'same'}))}"
            + f" | {', '.join(k for k, v in shown.get('same', {}).items() if not v) or '-'}"
            + f" | {read} |"
        )
    print()
    for label, _kind, q, matches, _shown, timings, cpu, timed_out, read in results:
        for part in parts:
            p50, p90, top, p50_cpu = _figures(timings[part], cpu[part])
            print(
                f"RESULT engine={engine} part=search cases={cases} "
                f"searcher={label.split(' (')[0]!r} query={q!r} measured={part!r} "
                f"matches={matches} p50_ms={p50} p90_ms={p90} max_ms={top} "
                f"cpu_p50_ms={p50_cpu} timed_out={part in timed_out} read={read!r}"
            )


if __name__ == "__main__":
    sys.exit(main())
