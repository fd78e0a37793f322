"""Helpers for data migrations. Kept stable: migrations import them forever."""


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
