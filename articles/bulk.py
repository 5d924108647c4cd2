"""Fast bulk inserts for imports and extraction results.

On PostgreSQL, rows are streamed with COPY: building one INSERT with tens of
thousands of placeholders made psycopg spend more time splitting the SQL than
the server spent storing the rows. Elsewhere (SQLite) Django's bulk_create is
used. Either way the objects get their primary keys.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone


def bulk_insert(model: type[models.Model], objs: Sequence[models.Model], *, batch_size: int = 500) -> None:
    """Insert new objects and set their primary keys; raises IntegrityError on a constraint clash."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=batch_size)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # Values as the database takes them (a FieldFile becomes its name); insert_rows adapts JSON itself.
    rows = [
        [
            f.pre_save(obj, True)
            if isinstance(f, models.JSONField)
            else f.get_db_prep_save(f.pre_save(obj, True), connection)
            for f in fields
        ]
        for obj in objs
    ]
    ids = insert_rows(model, [f.attname for f in fields], rows, with_ids=True)
    for obj, new_id in zip(objs, ids, strict=True):
        setattr(obj, model._meta.pk.attname, new_id)
        obj._state.adding = False
        obj._state.db = connection.alias


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: Sequence[Sequence],
    *,
    with_ids: bool = False,
    ids: Sequence[int | None] | None = None,
) -> list[int]:
    """Insert plain rows (values of ``columns``, attnames) without building model instances.

    The model's other fields get their defaults (``auto_now``/``auto_now_add``
    ones: now). Returns the new primary keys, in order, when ``with_ids`` or
    ``ids``: ``ids`` gives, per row, a primary key to reuse (a row deleted in the
    same transaction) or None for a new one. On
    PostgreSQL the rows are COPYed, with ids taken from the table's sequence;
    elsewhere (SQLite) they go through the ORM's bulk_create. Database errors
    come out as Django's (IntegrityError, OperationalError...), as with the ORM.
    """
    if not rows:
        return []
    meta = model._meta
    preset = list(ids) if ids is not None else [None] * len(rows)
    with_ids = with_ids or ids is not None
    if connection.vendor != "postgresql":
        objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        for obj, pk in zip(objs, preset, strict=True):
            if pk is not None:
                obj.pk = pk
        objs = model.objects.bulk_create(objs, batch_size=500)
        return [obj.pk for obj in objs] if with_ids else []

    fields = {f.attname: f for f in meta.concrete_fields}
    now = timezone.now()
    defaults = []
    for f in meta.concrete_fields:
        if f.primary_key or f.attname in columns:
            continue
        value = now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        value = f.get_db_prep_save(value.value if isinstance(value, enum.Enum) else value, connection)
        defaults.append((f.column, value))
    # JSON needs its adapter; the other columns take the plain Python values as they are.
    json_columns = [i for i, name in enumerate(columns) if isinstance(fields[name], models.JSONField)]
    names = [fields[name].column for name in columns] + [column for column, _ in defaults]
    if with_ids:
        names.insert(0, meta.pk.column)
    quote = connection.ops.quote_name
    sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
    tail = tuple(value for _, value in defaults)
    keys: list[int] = []
    with connection.cursor() as cursor, connection.wrap_database_errors:
        if with_ids:
            # Ids from the table's own sequence, so that later ORM inserts never collide.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, preset.count(None)],
            )
            fresh = iter([row[0] for row in cursor.fetchall()])
            keys = [pk if pk is not None else next(fresh) for pk in preset]
        with cursor.cursor.copy(sql) as copy:
            for index, row in enumerate(rows):
                if json_columns:
                    row = list(row)
                    for i in json_columns:
                        row[i] = fields[columns[i]].get_db_prep_save(row[i], connection)
                copy.write_row((keys[index], *row, *tail) if with_ids else (*row, *tail))
    return keys
