# Fixtures the configuration tests borrow from the apps they exercise.
from tests.invoices.conftest import merchant_keys  # noqa: F401
from tests.kyc.conftest import reviewer  # noqa: F401
