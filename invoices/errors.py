from config.errors import DomainError


class InvoiceError(DomainError):
    code = "invoice_invalid"


class InvoiceNotOpen(InvoiceError):
    code = "invoice_not_open"
    status_code = 409
    default_message = "This invoice is no longer open."


class PaymentInFlight(InvoiceError):
    code = "payment_in_progress"
    status_code = 409
    default_message = (
        "A payment for this invoice is being checked; it can no longer be cancelled or replaced."
    )


class InvoiceTaken(InvoiceError):
    code = "invoice_taken"
    status_code = 409
    default_message = "Someone else is already paying this invoice."


class InsufficientBalance(InvoiceError):
    code = "insufficient_balance"
    status_code = 422


class UnsafeUrl(InvoiceError):
    code = "validation_error"
