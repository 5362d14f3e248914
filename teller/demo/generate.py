"""A firm-sized store for trying the counter and for the benchmarks (`teller demo --clients N`):
N generated clients with a year of history appended to the demo branch, written set-based.

Each generated client has 1 to 5 fund accounts (3 on average; from 2 on, a main and auxiliaries in
the service), a shareholder account, the banks' copy of its key information, and ten journal lines
spread over the last `DAYS` trading days: five queries, a counter transfer main↔aux (two movements
and the archived 划转申请表; a client with one account makes a sixth query instead), a 银证转账
(its request, the bank's record, the link's two lines and the movement) and a purchase or a sale.
A few clients are given the patterns the monitors look for (more than five transfers and a
withdrawal in the last days; a large-value day), so day-end has alerts to raise. The history is a
chained journal that `teller audit verify` accepts, as if migrated: balances are set, not replayed.

How: the rows are built by SQL inside SQLite (INSERT … SELECT over small driving tables), never the
ORM row by row; the only Python per row is the journal hash chain, a function SQLite calls in line
order. A builder thread lays out each day while the writer stores and chains the day before. A PostgreSQL store is generated into a scratch SQLite file the same way, then loaded with COPY.
Like teller.services.setup, this sets up a store; it is not counter business, so it lives with the
demo code rather than the services.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from typing import Callable

from sqlalchemy.engine import Engine
from stdnum.cn import ric

from teller.domain.banks import BANKS
from teller.i18n import _
from teller.services.base import line_hash
from teller.services.books import OPENINGS_SQL

DAYS = 250  # about a year of trading days
Progress = Callable[[str, int, int], None]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国文斌宇浩凯婷雪琳晨欣怡佳慧俊峰志诚海波云龙丹颖博亮辉"
BANK_NAMES = tuple(b.name for b in BANKS)
CODE_BASE = 10_000_000  # generated client codes are 8 digits from here; the demo branch's are 6
STRIDE = 7919  # client i's activities fall on days i*STRIDE + slot*31 (mod DAYS): spread, computable
PLANT_EVERY = 10_007  # one client in this many moves money like a non-trading-purpose pattern
LARGE_EVERY = 20_011  # one in this many moves a large value on the last day
LARGE = 600_000_00
# The tables the generator fills, in the order they are written and copied.
TABLES = ("customer", "fundaccount", "bankkeyinfo", "shareholderaccount", "journal", "movement", "document",
          "bankrequest", "bankledger", "tradeevent")


def client_code(i: int) -> str:
    return str(CODE_BASE + i)


def main_account(i: int) -> str:
    return client_code(i) + "001"


def id_number(i: int) -> str:
    """A valid 18-digit 居民身份证 number, unique for i < 20,000,000 (birth day x sequence); the check
    digit is python-stdnum's, as check_id verifies it."""
    born = date.fromordinal(date(1950, 1, 1).toordinal() + i % 20000)
    body = f"110101{born:%Y%m%d}{i // 20000 % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # it reads the digits before the check digit


def client_name(i: int) -> str:
    s, g = len(SURNAMES), len(GIVEN)
    name = SURNAMES[i % s] + GIVEN[(i // s) % g]
    return name + GIVEN[(i // (s * g)) % g] if i % 3 else name


@dataclass(frozen=True)
class Generated:
    clients: int
    accounts: int
    journal: int
    movements: int
    seconds: float


def generate(engine: Engine, clients: int, *, progress: Progress | None = None, days: int = DAYS) -> Generated:
    """Append `clients` generated clients and their history to an initialised store (the demo
    branch, usually); the history ends on the store's business date."""
    started = time.perf_counter()
    say = progress or (lambda _step, _done, _total: None)
    engine.dispose()  # SQLite: this must be the file's only connection while it loads
    if engine.dialect.name == "sqlite":
        raw = engine.raw_connection()
        try:
            con = raw.driver_connection
            counts = _fill(con, clients, days, say)
            _finish_sqlite(con)
        finally:
            raw.close()
    else:
        counts = _generate_elsewhere(engine, clients, days, say)
    return Generated(clients, counts["accounts"], counts["journal"], counts["movement"], time.perf_counter() - started)


# --- the SQLite fill -----------------------------------------------------------------------------------

class _Chain:
    """The journal hash chain, called by SQLite once per line in line order: prev() is the hash the
    line chains to, then line(text) hashes the line's fields after it with the journal's own
    line_hash (teller.services.base, which chain_hash uses; tests check the lines against chain_hash
    and `teller audit verify`)."""

    def __init__(self, head: str) -> None:
        self.head = head

    def prev(self) -> str:
        return self.head

    def line(self, text: bytes | str) -> str:
        self.head = line_hash(self.head, text)
        return self.head


def _one(con: sqlite3.Connection, sql: str, *args):  # noqa: ANN002, ANN202
    row = con.execute(sql, args).fetchone()
    return row[0] if row else None


def _fill(con: sqlite3.Connection, n: int, days: int, say: Progress, start: dict | None = None) -> dict:
    """Fill the generated clients and their history into an SQLite store; `start` (journal and
    bank-request ids, the chain's seq and head) when the lines carry on from another store's.

    Two threads share the work: a builder lays out each day's lines in a scratch file (pure SQL,
    which runs without the interpreter lock), while this one writes the previous day into the store
    and chains its journal lines. Two scratch files take turns."""
    import queue
    import threading

    from teller.domain.calendar import default_calendar

    con.isolation_level = None
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-1000000", "temp_store=MEMORY"):
        con.execute(f"PRAGMA {pragma}")  # a store being generated is thrown away if this fails
    today = date.fromisoformat(_one(con, "SELECT value FROM setting WHERE key = 'business_date'"))
    cal = default_calendar()
    day_list = [cal.add_trading_days(today, -(days - 1 - d)).isoformat() for d in range(days)]
    opened = cal.add_trading_days(date.fromisoformat(day_list[0]), -1).isoformat()
    if start is None:
        start = {"head": _one(con, "SELECT hash FROM journalchain WHERE chain = ''") or "",
                 "seq": _one(con, "SELECT seq FROM journalchain WHERE chain = ''") or 0,
                 **{t: _one(con, f'SELECT max(id) FROM "{t}"') or 0 for t in ("journal", "bankrequest")}}
    con.create_function("id_number", 1, id_number, deterministic=True)
    con.create_function("client_name", 1, client_name, deterministic=True)
    chain = _Chain(start["head"])
    con.create_function("chain_prev", 0, chain.prev)
    con.create_function("chain_line", 1, chain.line)
    first_movement = _one(con, "SELECT max(id) FROM movement") or 0
    folder = tempfile.mkdtemp(prefix="teller-generate-")
    files = [os.path.join(folder, name) for name in ("drivers.db", "day0.db", "day1.db")]
    builder = _Builder(n, days, day_list, start, files)
    ready: queue.Queue = queue.Queue()
    free: queue.Queue = queue.Queue()
    for k in (0, 1):
        free.put(k)
    worker = threading.Thread(target=builder.run, args=(ready, free), name="teller-generate", daemon=True)
    total = days + 2
    try:
        builder.prepare()
        for name, path in zip(("g", "s0", "s1"), files):
            con.execute(f"ATTACH DATABASE ? AS {name}", (path,))
        worker.start()
        con.execute("BEGIN")
        indexes = _drop_indexes(con, TABLES)  # built again at the end from sorted rows: far cheaper
        _clients(con, n, opened)
        con.execute("COMMIT")
        say(_("客户与资金账户"), 1, total)
        for d, day in enumerate(day_list):
            got = ready.get()
            if isinstance(got, BaseException):
                raise got
            k, lines, j0, seq0 = got
            con.execute("BEGIN")
            if lines:
                _write_day(con, f"s{k}", day, j0, seq0)
            con.execute("COMMIT")
            free.put(k)
            say(_("历史流水 {d}").format(d=day), d + 2, total)
        worker.join()
        con.execute("BEGIN")
        for i, sql in enumerate(indexes):
            say(_("建立索引"), i, len(indexes))
            con.execute(sql)
        # Today's arrivals by main<->aux transfer are not withdrawable until T+1.
        con.execute("""UPDATE fundaccount SET non_withdrawable_today = non_withdrawable_today + t.amount
                       FROM (SELECT fund_account, sum(amount) AS amount FROM movement
                             WHERE business_date = ?2 AND kind = 'ledger_in' AND id > ?1 GROUP BY fund_account) AS t
                       WHERE fundaccount.no = t.fund_account""", (first_movement, day_list[-1]))
        # The generated accounts' books open where their history leaves them (the books check's start).
        con.execute(OPENINGS_SQL + " AND fundaccount.customer_code >= ? AND fundaccount.customer_code < ?",
                    (client_code(0), client_code(n)))
        con.execute("INSERT OR REPLACE INTO journalchain (chain, seq, hash) VALUES ('', ?, ?)", (builder.seq, chain.head))
        con.execute("COMMIT")
    finally:
        free.put(None)  # the builder stops if it is still waiting
        if worker.is_alive():
            worker.join(timeout=60)
        for name in ("g", "s0", "s1"):
            try:
                con.execute(f"DETACH DATABASE {name}")
            except sqlite3.Error:
                pass
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)
    say(_("完成"), total, total)
    return {"accounts": _one(con, "SELECT count(*) FROM fundaccount WHERE customer_code >= ? AND customer_code < ?",
                             client_code(0), client_code(n)),
            "journal": builder.seq - start["seq"],
            "movement": (_one(con, "SELECT max(id) FROM movement") or 0) - first_movement}


def _drop_indexes(con: sqlite3.Connection, tables: tuple[str, ...]) -> list[str]:
    """Drop the tables' secondary indexes (not those of primary keys and unique constraints); returns
    the statements that make them again. Rows inserted in client order would land all over an index
    keyed by date, and the other way round: kept during the load, the indexes cost more than the rows."""
    marks = ",".join("?" * len(tables))
    found = con.execute(f"SELECT name, sql FROM main.sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                        f"AND tbl_name IN ({marks}) ORDER BY tbl_name, name", tables).fetchall()
    for name, _sql in found:
        con.execute(f'DROP INDEX main."{name}"')
    return [sql for _name, sql in found]


def _amount_sql(i: str, k: str, low: int, high: int) -> str:
    """Deterministic, varied whole-yuan amounts in [low, high) fen."""
    return f"({low} + (({i} * 2654435761 + {k} * 40503) % {high - low}) / 100 * 100)"


def _clients(con: sqlite3.Connection, n: int, opened: str) -> None:
    code = f"CAST({CODE_BASE} + k AS TEXT)"
    con.execute(f"""INSERT INTO customer (code, name, kind, id_type, id_no, status, branch, warning_streak)
                    SELECT {code}, client_name(k), 'individual', '居民身份证', id_number(k),
                           CASE WHEN k % 97 = 0 THEN '休眠' ELSE '合格' END, '0001', 0
                    FROM g.gen_nums WHERE k < ? ORDER BY k""", (n,))
    accounts = f"""FROM g.gen_nums c JOIN g.gen_nums j ON j.k <= c.k % 5
                   JOIN g.gen_bank b ON b.b = (c.k + j.k) % {len(BANK_NAMES)} WHERE c.k < {n}"""
    con.execute(f"""INSERT INTO fundaccount (no, customer_code, bank, role, in_service, transfer_flag, custody, status,
                        cash, frozen, non_withdrawable_today, interest_base, liabilities, bank_balance, commission_class,
                        opened_on, capitalized_on, version)
                    SELECT CAST({CODE_BASE} + c.k AS TEXT) || '001' || CASE WHEN j.k = 0 THEN '' ELSE printf('%02d', j.k) END,
                           CAST({CODE_BASE} + c.k AS TEXT), b.name,
                           CASE WHEN c.k % 5 = 0 THEN 'none' WHEN j.k = 0 THEN 'main' ELSE 'aux' END,
                           c.k % 5 > 0, CASE WHEN c.k % 5 > 0 THEN 1 ELSE 0 END, 'signed', 'open',
                           {_amount_sql('c.k', 'j.k', 10_000_00, 2_000_000_00)}, 0, 0,
                           {_amount_sql('c.k', 'j.k', 10_000_00, 2_000_000_00)} * 30, 0, 1000000000, '标准', ?, NULL, 0
                    {accounts} ORDER BY c.k, j.k""", (opened,))
    con.execute(f"""INSERT INTO bankkeyinfo (customer_code, bank, name, id_type, id_no, updated_on)
                    SELECT u.code, b.name, u.name, u.id_type, u.id_no, ?
                    {accounts.replace('WHERE', f'JOIN customer u ON u.code = CAST({CODE_BASE} + c.k AS TEXT) WHERE')}
                    ORDER BY c.k, j.k""", (opened,))
    con.execute(f"""INSERT INTO shareholderaccount (no, customer_code, fund_account, market)
                    SELECT printf('A%09d', {CODE_BASE} + k), {code}, {code} || '001', 'SH' FROM g.gen_nums WHERE k < ? ORDER BY k""",
                (n,))


# The journal's lines as the counter writes them; inputs are JSON with sorted keys (chain_hash's json.dumps).
# (kind, line of the activity, function code, op, inputs, message): SQL over the line's row a of gen_act.
_TEXTS = (
    ("q0", 0, "6102", "query", """'{"account": "' || a.main || '"}'""", "'资金查询：办理成功'"),
    ("q1", 0, "1103", "query_customer", """'{"customer": "' || a.code || '"}'""", "'客户查询：办理成功'"),
    ("q2", 0, "3206", "query_multibank", """'{"customer": "' || a.code || '"}'""", "'查询单帐号多银行账户：办理成功'"),
    ("t", 0, "3203", "ledger_transfer",
     """'{"amount": "' || a.m || '", "channel": "counter", "from": "' || a.src || '", "to": "' || a.dst || '"}'""",
     """a.src || ' → ' || a.dst || ' 划转 ' || a.m || ' 元成功；转入资金当日可用于交易，次一交易日方可转出'"""),
    ("b", 0, "3105", "bank_transfer",
     """'{"account": "' || a.main || '", "amount": "' || a.m || '", "direction": "' || CASE WHEN a.to_main THEN 'in' ELSE 'out' END || '"}'""",
     """CASE WHEN a.to_main THEN '银行转证券 ' ELSE '证券转银行 ' END || a.m || ' 元已提交' || a.bank || '（请求 ' || a.rid || '）'"""),
    ("b", 1, "3107", "bank_answer", """'{"event": "sent", "request": ' || a.rid || '}'""", "'银行应答处理：办理成功'"),
    ("b", 2, "3107", "bank_answer", """'{"event": "answer", "reason": "", "request": ' || a.rid || ', "result": "成功"}'""",
     "'银行应答处理：办理成功'"),
    ("o", 0, "5101", "order",
     """'{"account": "' || a.main || '", "amount": "' || a.m || '", "side": "' || CASE WHEN a.i % 4 = 0 THEN 'sell' ELSE 'buy' END || '"}'""",
     "'买卖委托：办理成功'"),
)


class _Builder:
    """Lays out each history day in a scratch file (d0 and d1 take turns): gen_act, one row per journal
    line in line order with all it needs (ids, client, accounts, amount), and gen_line, the line's
    texts and the text its hash covers. The driving tables are in a third file. Runs in its own
    thread on its own connection."""

    def __init__(self, n: int, days: int, day_list: list[str], start: dict, files: list[str]) -> None:
        self.n, self.days, self.day_list, self.files = n, days, day_list, files
        self.journal, self.request, self.seq = start["journal"], start["bankrequest"], start["seq"]
        self.con: sqlite3.Connection | None = None

    def prepare(self) -> None:
        """The driving tables (the writer reads gen_nums and gen_bank too) and the day files' tables."""
        con = self.con = sqlite3.connect(self.files[0], isolation_level=None, check_same_thread=False, timeout=600)
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("ATTACH DATABASE ? AS d0", (self.files[1],))
        con.execute("ATTACH DATABASE ? AS d1", (self.files[2],))
        for db in ("d0", "d1"):
            for pragma in ("journal_mode=OFF", "synchronous=OFF"):
                con.execute(f"PRAGMA {db}.{pragma}")
            con.execute(f"""CREATE TABLE {db}.gen_act (rn INTEGER PRIMARY KEY, kind TEXT, l INTEGER, i INTEGER, amount INTEGER,
                            to_main INTEGER, rid INTEGER, code TEXT, main TEXT, bank TEXT, teller TEXT, src TEXT, dst TEXT, m TEXT)""")
            con.execute(f"""CREATE TABLE {db}.gen_line (rn INTEGER PRIMARY KEY, fcode TEXT, op TEXT, inputs TEXT, message TEXT,
                            at TEXT, text BLOB)""")
        con.execute("PRAGMA cache_size=-200000")
        con.execute("CREATE TABLE gen_bank (b INTEGER PRIMARY KEY, name TEXT)")
        con.executemany("INSERT INTO gen_bank VALUES (?, ?)", list(enumerate(BANK_NAMES)))
        con.execute("CREATE TABLE gen_nums (k INTEGER PRIMARY KEY)")
        con.execute("INSERT INTO gen_nums WITH RECURSIVE c(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM c WHERE k < ?) SELECT k FROM c",
                    (max(self.n, 5) - 1,))
        inv = pow(STRIDE % self.days, -1, self.days)
        con.execute("CREATE TABLE gen_slot (d INTEGER, s INTEGER, first INTEGER, PRIMARY KEY (d, s))")
        con.executemany("INSERT INTO gen_slot VALUES (?, ?, ?)",
                        [(d, s, ((d - s * 31) * inv) % self.days) for d in range(self.days) for s in range(8)])
        # A day's lines are stamped from 09:00 on, in line order.
        con.execute("CREATE TABLE gen_time (rn INTEGER PRIMARY KEY, t TEXT)")
        con.execute("""INSERT INTO gen_time SELECT k + 1, printf('%02d:%02d:%02d.%06d', (32400 + (k + 1) / 4 % 25200) / 3600,
                           (32400 + (k + 1) / 4 % 25200) / 60 % 60, (32400 + (k + 1) / 4 % 25200) % 60, 1 + (k + 1) % 999998)
                       FROM gen_nums WHERE k < ?""", (min(max(self.n, 5), 12 * (self.n // self.days + 1) + 10_000),))

    def run(self, ready, free) -> None:  # noqa: ANN001 - queues
        try:
            for d in range(self.days):
                k = free.get()
                if k is None:
                    return
                j0, seq0 = self.journal, self.seq
                ready.put((k, self.day(d, f"d{k}"), j0, seq0))
        except BaseException as e:  # noqa: BLE001 - handed to the writer, which raises it
            ready.put(e)
        finally:
            if self.con is not None:
                self.con.close()

    def day(self, d: int, db: str) -> int:
        con, n, days, day = self.con, self.n, self.days, self.day_list[d]
        con.execute("BEGIN")
        con.execute(f"DELETE FROM {db}.gen_act")
        con.execute(f"DELETE FROM {db}.gen_line")
        recent = days - 1 - d
        j0, r0 = self.journal, self.request
        # o orders the slots: 0-7 each client's eight activities, 8 the planted transfers, 9 the planted
        # withdrawal, 10 the large value; k is the amount's seed. kind: q0 q1 q2 queries, t counter
        # transfer, b 银证转账 (three lines), o order.
        plants = ""
        if recent < 6:  # the patterns the monitors look for, on the last days
            top = (n - 4) // PLANT_EVERY
            plants = f"""
              UNION ALL SELECT 8, m.k, 0, 3 + m.k * {PLANT_EVERY}, {90 + recent} FROM gen_nums m
                WHERE m.k <= {top} AND (3 + m.k * {PLANT_EVERY}) % 5 > 0"""
            if recent == 0:
                plants += f"""
              UNION ALL SELECT 9, m.k, l.k, 3 + m.k * {PLANT_EVERY}, 99 FROM gen_nums m JOIN gen_nums l ON l.k < 3
                WHERE m.k <= {top} AND (3 + m.k * {PLANT_EVERY}) % 5 > 0
              UNION ALL SELECT 10, m.k, 0, 6 + m.k * {LARGE_EVERY}, 100 FROM gen_nums m
                WHERE m.k <= {(n - 7) // LARGE_EVERY} AND (6 + m.k * {LARGE_EVERY}) % 5 > 0"""
        inv = pow(STRIDE % days, -1, days)
        first6 = ((d - 6 * 31) * inv) % days
        bank6 = (n - 1 - first6) // days + 1 if first6 < n else 0  # the day's 银证转账: request ids r0+1 ..
        code = f"CAST({CODE_BASE} + i AS TEXT)"
        # The activity is materialised first so that no expression is evaluated twice.
        con.execute(f"""INSERT INTO {db}.gen_act (kind, l, i, amount, to_main, rid, code, main, bank, teller, src, dst, m)
            WITH e AS MATERIALIZED (
              SELECT o, om, l, i,
                     CASE WHEN o IN (6, 9) THEN 'b' WHEN o IN (8, 10) OR (o = 5 AND i % 5 > 0) THEN 't' WHEN o = 7 THEN 'o'
                          ELSE 'q' || ((i + o) % 3) END AS kind,
                     CASE WHEN k = 100 THEN {LARGE} ELSE {_amount_sql('i', 'k', 1_000_00, 50_000_00)} END AS amount,
                     CASE WHEN o IN (6, 9) THEN NOT (i % 3 = 0 OR k = 99) WHEN k = 100 THEN 1 ELSE (i + {d} + k) % 2 END AS to_main,
                     CASE WHEN o = 6 THEN {r0} + om + 1 WHEN o = 9 THEN {r0 + bank6} + om + 1 END AS rid,
                     {code} AS code
              FROM (SELECT s.s AS o, m.k AS om, l.k AS l, s.first + m.k * {days} AS i, s.s AS k
                    FROM gen_slot s JOIN gen_nums m ON m.k <= ({n} - 1 - s.first) / {days}
                    JOIN gen_nums l ON l.k < CASE WHEN s.s = 6 THEN 3 ELSE 1 END
                    WHERE s.d = {d} AND s.first < {n}{plants}))
            SELECT kind, l, i, amount, to_main, rid, code, code || '001', (SELECT name FROM gen_bank WHERE b = i % {len(BANK_NAMES)}),
                   CASE WHEN i % 2 THEN 'T01' ELSE 'T02' END,
                   code || CASE WHEN to_main THEN '00101' ELSE '001' END, code || CASE WHEN to_main THEN '001' ELSE '00101' END,
                   (amount / 100) || '.' || substr('0' || (amount % 100), -2)
            FROM e ORDER BY o, om, l""")
        lines = _one(con, f"SELECT max(rn) FROM {db}.gen_act") or 0
        # The text a line's hash covers, after the previous hash, as chain_hash dumps it: [prev, id, date, at,
        # teller, terminal, function code, op, client, inputs, ok, rule, message, agent].
        texts = "\n          UNION ALL ".join(
            f"SELECT a.rn, a.teller, a.code, '{fcode}' AS fcode, '{op}' AS op, {inputs} AS inputs, {message} AS message "
            f"FROM {db}.gen_act a WHERE a.kind = '{kind}' AND a.l = {line}"
            for kind, line, fcode, op, inputs, message in _TEXTS)
        con.execute(f"""INSERT INTO {db}.gen_line (rn, fcode, op, inputs, message, at, text)
            SELECT x.rn, fcode, op, inputs, message, '{day} ' || t.t,
                   CAST(printf('%d, "{day}", "{day}T%s+00:00", "%s", "T-0%s", "%s", "%s", "%s", %s, true, "", "%s", false]',
                               {j0} + x.rn, t.t, teller, substr(teller, 3), fcode, op, code, inputs, message) AS BLOB)
            FROM ({texts}) x JOIN gen_time t ON t.rn = x.rn ORDER BY x.rn""")
        con.execute("COMMIT")
        self.journal += lines
        self.seq += lines
        self.request = _one(con, f"SELECT max(rid) FROM {db}.gen_act") or r0
        return lines


def _write_day(con: sqlite3.Connection, s: str, day: str, j0: int, seq0: int) -> None:
    """Write one laid-out day (scratch schema `s`) into the store: the journal lines, each chained to the
    one before in line order (gen_line is read in rowid order, and SQLite computes a row's columns in
    order: chain_prev before chain_line), then the movements, papers, bank requests, the bank's
    records and the trades."""
    con.execute(f"""INSERT INTO journal (id, business_date, at, teller_id, terminal, function_code, op, customer_code, inputs,
                       ok, rule, message, agent, chain, seq, prev_hash, hash)
        SELECT {j0} + g.rn, '{day}', g.at, a.teller, 'T-0' || substr(a.teller, 3), g.fcode, g.op, a.code, g.inputs,
               1, '', g.message, 0, '', {seq0} + g.rn, chain_prev(), chain_line(g.text)
        FROM {s}.gen_line g JOIN {s}.gen_act a ON a.rn = g.rn ORDER BY g.rn""")
    con.execute(f"""INSERT INTO movement (journal_id, business_date, customer_code, fund_account, kind, amount, counterpart, channel)
                   SELECT {j0} + rn + (kind = 'b') * 2, '{day}', code, acct, mk, amount, cp, 'counter' FROM (
                     SELECT rn * 2 AS o, rn, kind, code, src AS acct, 'ledger_out' AS mk, amount, dst AS cp FROM {s}.gen_act WHERE kind = 't'
                     UNION ALL SELECT rn * 2 + 1, rn, kind, code, dst, 'ledger_in', amount, src FROM {s}.gen_act WHERE kind = 't'
                     UNION ALL SELECT rn * 2, rn, kind, code, main, CASE WHEN to_main THEN 'bank_in' ELSE 'bank_out' END, amount, bank
                       FROM {s}.gen_act WHERE kind = 'b' AND l = 0
                     UNION ALL SELECT rn * 2, rn, kind, code, main, CASE WHEN i % 4 = 0 THEN 'sell' ELSE 'buy' END, amount, '交易所'
                       FROM {s}.gen_act WHERE kind = 'o') ORDER BY o""")
    con.execute(f"""INSERT INTO document (customer_code, fund_account, name, function_code, journal_id, business_date, note)
                   SELECT code, src, '单客户多银行服务资金划转申请表', '3203', {j0} + rn, '{day}', '' FROM {s}.gen_act
                   WHERE kind = 't' ORDER BY rn""")
    con.execute(f"""INSERT INTO bankrequest (id, journal_id, business_date, customer_code, fund_account, bank, kind, amount,
                       state, detail, attempts, applied_journal, settled_journal)
                   SELECT rid, {j0} + rn, '{day}', code, main, bank, CASE WHEN to_main THEN 'transfer_in' ELSE 'transfer_out' END,
                       amount, '成功', '', 1, {j0} + rn + 2, {j0} + rn + 2 FROM {s}.gen_act WHERE kind = 'b' AND l = 0 ORDER BY rn""")
    con.execute(f"""INSERT INTO bankledger (bank, request_id, business_date, customer_code, fund_account, kind, amount,
                       result, reason, undelivered)
                   SELECT bank, rid, '{day}', code, main, CASE WHEN to_main THEN 'transfer_in' ELSE 'transfer_out' END, amount,
                       '成功', '', 0 FROM {s}.gen_act WHERE kind = 'b' AND l = 0 ORDER BY rn""")
    con.execute(f"""INSERT INTO tradeevent (customer_code, fund_account, business_date, kind, amount)
                   SELECT code, main, '{day}', CASE WHEN i % 4 = 0 THEN 'sell' ELSE 'buy' END, amount FROM {s}.gen_act
                   WHERE kind = 'o' ORDER BY rn""")


def _finish_sqlite(con: sqlite3.Connection) -> None:
    con.execute("PRAGMA analysis_limit=1000")  # statistics from a sample: quick on a big store
    con.execute("ANALYZE")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")


# --- PostgreSQL: generate into a scratch SQLite file, then COPY --------------------------------------

def _generate_elsewhere(engine: Engine, n: int, days: int, say: Progress) -> dict:
    from sqlmodel import SQLModel

    import teller.store.models  # noqa: F401 - the tables
    from teller.store.db import make_engine

    folder = tempfile.mkdtemp(prefix="teller-generate-")
    path = os.path.join(folder, "scratch.db")
    scratch = make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(scratch)
    scratch.dispose()
    raw = engine.raw_connection()
    try:
        pg = raw.driver_connection
        con = sqlite3.connect(path)
        try:
            with pg.cursor() as cur:  # what the generated lines carry on from
                cur.execute("SELECT value FROM setting WHERE key = 'business_date'")
                con.execute("INSERT INTO setting VALUES ('business_date', ?)", cur.fetchone())
                cur.execute("SELECT seq, hash FROM journalchain WHERE chain = ''")
                seq, head = cur.fetchone() or (0, "")
                start = {"seq": seq, "head": head}
                for t in ("journal", "bankrequest"):
                    cur.execute(f'SELECT max(id) FROM "{t}"')
                    start[t] = cur.fetchone()[0] or 0
            pg.commit()
            con.commit()
            counts = _fill(con, n, days, say, start)
            _copy(con, pg, say)
        finally:
            con.close()
    finally:
        raw.close()
        for name in os.listdir(folder):
            os.unlink(os.path.join(folder, name))
        os.rmdir(folder)
    return counts


def _copy(con: sqlite3.Connection, pg, say: Progress) -> None:  # noqa: ANN001 - a psycopg connection
    booleans = {"fundaccount": ("in_service",), "journal": ("ok", "agent")}
    for t in TABLES:
        cols = [r[1] for r in con.execute(f'PRAGMA table_info("{t}")')]
        if t not in ("journal", "bankrequest") and "id" in cols:
            cols.remove("id")  # nothing refers to these ids: the store's own sequence numbers them
        flags = [cols.index(c) for c in booleans.get(t, ())]
        with pg.cursor() as cur, cur.copy(f'COPY "{t}" ({", ".join(cols)}) FROM STDIN') as copy:
            for row in con.execute(f'SELECT {", ".join(cols)} FROM "{t}"'):
                if flags:
                    row = list(row)
                    for f in flags:
                        row[f] = bool(row[f])
                copy.write_row(row)
        say(_("装入 PostgreSQL：{t}").format(t=t), TABLES.index(t) + 1, len(TABLES))
    seq, head = con.execute("SELECT seq, hash FROM journalchain WHERE chain = ''").fetchone()
    with pg.cursor() as cur:
        cur.execute("INSERT INTO journalchain (chain, seq, hash) VALUES ('', %s, %s) ON CONFLICT (chain) DO UPDATE "
                    "SET seq = EXCLUDED.seq, hash = EXCLUDED.hash", (seq, head))
        for t in ("journal", "bankrequest"):
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM \"{t}\"))")
    pg.commit()
    with pg.cursor() as cur:
        cur.execute("ANALYZE")
    pg.commit()
