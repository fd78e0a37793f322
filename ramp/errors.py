from config.errors import DomainError, FieldInvalid


class DestinationError(DomainError):
    code = "destination_invalid"


class DestinationFieldInvalid(FieldInvalid, DestinationError):
    pass


class DestinationAlreadyLinked(DestinationError):
    code = "already_linked"
    status_code = 409


class DestinationNameMismatch(DestinationError):
    code = "name_mismatch"
    status_code = 422


class VerificationUnavailable(DestinationError):
    code = "verification_unavailable"
    status_code = 503


class VerificationRefused(DestinationError):
    code = "verification_failed"
    status_code = 422


class QuoteError(DomainError):
    code = "quote_invalid"


class AmountInvalid(FieldInvalid, QuoteError):
    def __init__(self, message, *, field="amount"):
        super().__init__(message, field=field)


class LimitExceeded(QuoteError):
    code = "limit_exceeded"
    status_code = 422


class MethodUnavailable(QuoteError):
    code = "method_unavailable"
    status_code = 422


class RatesUnavailable(QuoteError):
    code = "rates_unavailable"
    status_code = 503


class QuoteNotFound(QuoteError):
    code = "quote_not_found"
    status_code = 404
    default_message = "This quote does not exist."


class QuoteExpired(QuoteError):
    code = "quote_expired"
    status_code = 409
    default_message = "This price has expired. Get a new quote to continue."


class QuoteUsed(QuoteError):
    code = "quote_used"
    status_code = 409
    default_message = "This quote was already used for an order. Get a new quote."


class OrderError(DomainError):
    code = "order_invalid"


class OrderFieldInvalid(FieldInvalid, OrderError):
    pass


class DestinationRequired(OrderError):
    code = "destination_required"
    status_code = 422


class OrderStateChanged(OrderError):
    code = "order_state_changed"
    status_code = 409
    default_message = "This order has moved on; reload to see where it stands."


class OrderExpired(OrderError):
    code = "order_expired"
    status_code = 409
    default_message = "This order has expired. Create a new order; you can use the same UTR there."


class UtrAlreadyUsed(OrderError):
    code = "utr_already_used"
    status_code = 409
    default_message = "This UTR has already been used for another order."


class TxHashAlreadyUsed(OrderError):
    code = "tx_hash_already_used"
    status_code = 409
    default_message = "This transaction has already been claimed by another order."
