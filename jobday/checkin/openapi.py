"""The OpenAPI 3.1 description of the check-in API: the paths written here, the messages
generated from the types the API decodes and answers with (``schema``)."""

from __future__ import annotations

from jobday.checkin.models import DoorBadgeState
from jobday.checkin.schema import MAX_SYNC_SCANS, components

_ERROR = {"$ref": "#/components/schemas/Error"}
_ERRORS = {status: {"description": text, "content": {"application/json": {"schema": _ERROR}}}
           for status, text in (("400", "Malformed input or missing CSRF header"),
                                ("401", "Not authenticated, or device token revoked or expired"),
                                ("403", "Not staff, or a device of another edition"),
                                ("413", "Body too large"), ("429", "Too many unknown codes"))}

_RESULTS = {"type": "array", "items": {"oneOf": [{"$ref": "#/components/schemas/SyncedScan"},
                                                 {"$ref": "#/components/schemas/SyncError"}]}}
_SYNC_STOPPED = {
    "type": "object", "required": ["error", "message", "retry_after", "results"], "additionalProperties": False,
    "properties": {
        "error": {"const": "rate_limited"}, "message": {"type": "string"},
        "retry_after": {"type": "integer", "description": "Seconds until the limit lets scans in again."},
        "results": {**_RESULTS, "description": "The answers to the scans decided before the limit was reached, "
                                               "in order (they are recorded); the scans after them were not "
                                               "read: send them again later."}}}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Jobday check-in API", "version": "1.0.0",
                 "description": "Badge scans at the door of the fair, online and offline."},
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "device": {"type": "http", "scheme": "bearer",
                           "description": "A gate device token (flask gate-token)."},
                "session": {"type": "apiKey", "in": "header", "name": "X-CSRFToken",
                            "description": "A staff session cookie plus its CSRF token."},
            },
            "schemas": components(),
        },
        "security": [{"device": []}, {"session": []}],
        "paths": {
            "/api/v1/checkin": {"post": {
                "summary": "Scan a badge", "operationId": "checkin",
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Scan"}}}},
                "responses": {"200": {"description": "The scan was decided and recorded", "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Answer"}}}}, **_ERRORS,
                    "409": {"description": "An exit scan where the edition does not record exits",
                            "content": {"application/json": {"schema": _ERROR}}}},
            }},
            "/api/v1/checkin/sync": {"post": {
                "summary": "Send scans made offline", "operationId": "checkinSync",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["scans"], "properties": {"scans": {
                        "type": "array", "maxItems": MAX_SYNC_SCANS,
                        "items": {"$ref": "#/components/schemas/OfflineScan"}}}}}}},
                "description": "Each scan is checked on its own: one that is not valid (not an object, "
                               "or an OfflineScan with a wrong field) gets an error entry in the results, "
                               "and the valid ones are still recorded.",
                "responses": {"200": {"description": "One answer per scan, in order", "content": {
                    "application/json": {"schema": {"type": "object", "required": ["results"], "properties": {
                        "results": _RESULTS}}}}},
                    **_ERRORS,
                    "429": {"description": "Too many unknown codes: before the batch, or on the way (then with "
                                           "the answers to the scans decided so far)",
                            "content": {"application/json": {"schema": {"oneOf": [_ERROR, _SYNC_STOPPED]}}}}},
            }},
            "/api/v1/checkin/snapshot": {"get": {
                "summary": "The edition's badges for the offline copy", "operationId": "checkinSnapshot",
                "responses": {"200": {"description": "Badges of the edition", "content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "edition": {"type": "integer"},
                        "generated_at": {"type": "string", "format": "date-time"},
                        "badges": {"type": "array", "items": {"type": "object", "properties": {
                            "code": {"type": "string"}, "name": {"type": "string"},
                            "role": {"type": "string"}, "company": {"type": "string"},
                            "status": {"type": "string", "enum": list(DoorBadgeState.codes())},
                        }}}}}}}}, **{k: v for k, v in _ERRORS.items() if k in ("401", "403")}},
            }},
        },
    }
