from config.errors import DomainError


class DestinationError(DomainError):
    code = "destination_invalid"


class DestinationFieldInvalid(DestinationError):
    code = "validation_error"

    def __init__(self, message, *, field):
        super().__init__(message, details={field: [message]})
        self.field = field


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
