from config.errors import DomainError, FieldInvalid


class KycError(DomainError):
    code = "kyc_invalid"


class KycFieldInvalid(FieldInvalid, KycError):
    pass


class DocumentInvalid(KycFieldInvalid):
    code = "document_invalid"

    def __init__(self, message, *, field="document"):
        super().__init__(message, field=field)


class KycAlreadyPending(KycError):
    status_code = 409
    code = "kyc_pending"
    default_message = "Your documents are already being reviewed. We will e-mail you the result."


class KycAlreadyVerified(KycError):
    status_code = 409
    code = "kyc_verified"
    default_message = "You are already verified. To change your details, please contact support."


class KycPanTaken(KycError):
    status_code = 409
    code = "pan_in_use"
    default_message = "This PAN is already registered with another account."


class KycTransitionRefused(KycError):
    status_code = 409
    code = "kyc_state_changed"
    default_message = "This submission is no longer pending review; reload to see its status."


class KycSelfReview(KycError):
    status_code = 403
    code = "kyc_self_review"
    default_message = "Nobody reviews their own verification: ask another reviewer."


class KycRequired(KycError):
    code = "kyc_required"
    status_code = 403
    default_message = "Please complete identity verification first."
