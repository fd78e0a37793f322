"""OpenAPI post-processing: every operation documents the error answers it can give."""

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "example": "validation_error"},
                "message": {"type": "string"},
                "details": {"type": "object", "additionalProperties": True},
            },
        }
    },
}

ERRORS = {
    "400": "Bad input: the body or a field is invalid (details name the fields).",
    "401": "Missing, invalid, revoked or expired credentials.",
    "403": "Not allowed: missing scope, identity verification required, or not your customer.",
    "404": "No such object (or it belongs to someone else).",
    "405": "Method not allowed.",
    "409": "Conflict with the current state (expired or used quote, duplicate UTR, reused key).",
    "413": "Request body too large.",
    "415": "Unsupported media type.",
    "422": "Refused by a business rule (limits, balance, name mismatch, …).",
    "429": "Too many requests; see Retry-After.",
    "503": "A price source or verification provider is unavailable; retry later.",
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result
