"""Helpers for migrations. Kept stable: migrations import them forever."""

from django.db import migrations


def grant_group_permissions(apps, grants, *, replace=False):
    """Give each named group the listed (app_label, model, codename) permissions.

    Permissions are normally created after migrations run; they are created here first so a
    fresh database gets its groups in one ``migrate``.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = [
            Permission.objects.get(
                content_type__app_label=app, content_type__model=model, codename=codename
            )
            for app, model, codename in permissions
        ]
        if replace:
            group.permissions.set(found)
        else:
            group.permissions.add(*found)


def drop_index(table, column, name):
    """
    Drop a column's index and nothing else: for a foreign key whose index a composite index or
    unique constraint already leads with. (An AlterField to ``db_index=False`` would also drop
    and re-add the foreign key, which re-checks every row of the table under lock.) Pair it with
    the AlterField as the state operation in a SeparateDatabaseAndState.
    """
    return migrations.RunSQL(
        f'DROP INDEX IF EXISTS "{name}"',
        reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
    )


class AddCheckConstraint(migrations.AddConstraint):
    """
    AddConstraint for a check on a table that may be large. On PostgreSQL the check is added
    NOT VALID (the table is locked only for that moment) and the existing rows are validated by
    a second statement, which lets reads and writes go on; a plain ADD CONSTRAINT would scan
    the table under an exclusive lock. Use it in a migration with ``atomic = False``, or the two
    statements share one transaction and the lock. Elsewhere it is AddConstraint.
    """

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        quote = schema_editor.quote_name
        schema_editor.execute(
            str(self.constraint.create_sql(model, schema_editor)) + " NOT VALID", params=None
        )
        schema_editor.execute(
            f"ALTER TABLE {quote(model._meta.db_table)} "
            f"VALIDATE CONSTRAINT {quote(self.constraint.name)}"
        )
        return None
