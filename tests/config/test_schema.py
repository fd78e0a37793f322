"""Schema rules: what every insert pays for should be there for a read."""

from django.apps import apps
from django.db import models

OUR_APPS = {"accounts", "kyc", "ramp", "invoices"}


def leading_columns(model):
    """The first field of each full (unconditional) index and unique constraint of ``model``."""
    firsts = set()
    for index in model._meta.indexes:
        if index.fields and index.condition is None:
            firsts.add(index.fields[0].lstrip("-"))
    for constraint in model._meta.constraints:
        unique = isinstance(constraint, models.UniqueConstraint)
        if unique and constraint.fields and constraint.condition is None:
            firsts.add(constraint.fields[0])
    for together in model._meta.unique_together:
        firsts.add(together[0])
    return firsts


def test_no_foreign_key_keeps_an_index_a_composite_one_already_leads_with():
    redundant = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and not model._meta.auto_created
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and field.db_index
        and not field.unique
        and field.name in leading_columns(model)
    ]
    assert redundant == [], "set db_index=False (see config.migration_helpers.drop_index)"
