"""Inserting many rows fast: COPY on PostgreSQL, executemany on SQLite.

For imports and seeding, where the ORM's per-object overhead would dominate. Callers
pass rows in column order and take care of the audit trail themselves.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Insert many rows as fast as the database allows."""
    rows = list(rows)
    if not rows:
        return
    cols = ", ".join(columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # psycopg formats and escapes each value in C (dates, decimals, None, text
            # with tabs or line breaks); the server parses the text as the column's type.
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def copy_frame(table: str, frame) -> None:
    """Insert a polars DataFrame whose columns are named like the table's.

    PostgreSQL reads it as CSV through COPY (polars writes the text in Rust, money as
    exact two-decimal text); SQLite inserts its rows with executemany.
    """
    if frame.height == 0:
        return
    columns = ", ".join(frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv)"
            with cursor.cursor.copy(sql) as copy:
                for start in range(0, frame.height, 200_000):
                    part = frame.slice(start, 200_000)
                    copy.write(part.write_csv(include_header=False, float_precision=2))
        else:
            marks = ", ".join(["%s"] * frame.width)
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", frame.iter_rows()
            )


def in_clause(column: str, values: list) -> tuple[str, list]:
    """`column IN (...)` for a long list: one array parameter on PostgreSQL (cheap to
    send and to plan), placeholders on SQLite (keep lists under its 32,766 limit)."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def db_datetime(value):
    """A datetime as the database stores it, for rows passed to `insert_rows`.

    On SQLite this is the same text the ORM writes (naive UTC), so that raw and ORM rows
    sort together; adapting a shared timestamp once also spares a conversion per row.
    """
    return connection.ops.adapt_datetimefield_value(value)


def next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        return cursor.fetchone()[0] + 1


def reset_sequence(table: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def allocate_ids(table: str, count: int) -> list[int]:
    """`count` fresh primary keys for `table`; call inside the transaction that inserts.

    PostgreSQL draws them from the table's sequence (safe beside other writers); SQLite
    holds the write lock for the whole transaction, so the next ids after MAX(id) are free.
    """
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "
                "FROM generate_series(1, %s)",
                [count],
            )
            return [row[0] for row in cursor.fetchall()]
        # AUTOINCREMENT tables remember the largest id ever used: never hand out the id
        # of a deleted row again (a page may still be showing it).
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
    first = max(next_id(table), (row[0] + 1) if row else 1)
    return list(range(first, first + count))
