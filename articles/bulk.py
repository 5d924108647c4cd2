"""Fast bulk inserts for imports.

On PostgreSQL, rows are streamed with COPY: building one INSERT with tens of
thousands of placeholders made psycopg spend more time splitting the SQL than
the server spent storing the rows. Elsewhere (SQLite) Django's bulk_create is
used. Either way the objects get their primary keys.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, connection, models


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 500) -> None:
    """Insert new objects and set their primary keys; raises IntegrityError on a constraint clash."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return

    import psycopg

    meta = model._meta
    pk = meta.pk
    fields = list(meta.concrete_fields)
    table = connection.ops.quote_name(meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        # Take ids from the table's own sequence so that later ORM inserts never collide.
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        for obj, new_id in zip(objs, ids, strict=True):
            setattr(obj, pk.attname, new_id)
        try:
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for obj in objs:
                    copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
        except psycopg.errors.IntegrityError as exc:
            for obj in objs:
                setattr(obj, pk.attname, None)
            raise IntegrityError(str(exc)) from exc
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
