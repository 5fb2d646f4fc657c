"""The OpenAPI 3.1 description of the check-in API, written by hand (it is small)."""

from __future__ import annotations

RESULTS = ["ok", "already_inside", "unknown", "revoked", "wrong_edition", "not_today", "cancelled", "exit"]

_ERROR = {"type": "object", "required": ["error", "message"],
          "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                         "field": {"type": "string"}}}
_ANSWER = {
    "type": "object", "additionalProperties": False,
    "required": ["result", "message", "name", "role", "company", "interviews", "first_entry", "forced"],
    "properties": {
        "result": {"type": "string", "enum": RESULTS},
        "message": {"type": "string", "description": "The result in the reader's language."},
        "name": {"type": "string", "description": "Display name (empty for unknown codes)."},
        "role": {"type": "string", "enum": ["", "candidate", "recruiter", "staff", "visitor"]},
        "company": {"type": "string"},
        "interviews": {"type": "array", "description": "Today's interviews of a candidate.",
                       "items": {"type": "object", "properties": {
                           "at": {"type": "string", "format": "date-time"},
                           "company": {"type": "string"}, "stand": {"type": "string"}}}},
        "first_entry": {"oneOf": [{"type": "null"}, {"type": "object", "properties": {
            "at": {"type": "string", "format": "date-time"}, "gate": {"type": "string"}}}],
            "description": "For already_inside: when and where the person came in."},
        "forced": {"type": "boolean"},
    },
}
_SCAN = {
    "type": "object", "required": ["code", "nonce"],
    "properties": {
        "code": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "\\S",
                 "description": "As read or typed; normalised. Not blank."},
        "gate": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9 _-]{0,19}$",
                 "description": "Required with a staff session; a device's own gate is used otherwise "
                                "(a gate it sends must still be well formed)."},
        "nonce": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{8,64}$",
                  "description": "Unique per scan attempt; a retried nonce returns the recorded answer."},
        "mode": {"type": "string", "enum": ["entry", "exit"], "default": "entry"},
        "force": {"type": "boolean", "default": False, "description": "Organisers only."},
    },
}
_ERRORS = {status: {"description": text, "content": {"application/json": {"schema": _ERROR}}}
           for status, text in (("400", "Malformed input or missing CSRF header"),
                                ("401", "Not authenticated, or device token revoked or expired"),
                                ("403", "Not staff, or a device of another edition"),
                                ("413", "Body too large"), ("429", "Too many unknown codes"))}


def document() -> dict:
    offline_scan = {**_SCAN, "required": ["code", "nonce", "client_time"],
                    "properties": {**_SCAN["properties"],
                                   "client_time": {"type": "string", "format": "date-time"},
                                   "local_result": {"type": "string", "enum": RESULTS,
                                                    "description": "What the offline page answered."}}}
    synced = {**_ANSWER, "required": [*_ANSWER["required"], "nonce"],
              "properties": {**_ANSWER["properties"], "nonce": {"type": "string"}}}
    item_error = {"type": "object", "additionalProperties": False, "required": ["nonce", "error"],
                  "properties": {"nonce": {"type": ["string", "null"]},
                                 "error": {"type": "string", "description": "Why this scan was not recorded "
                                           "(invalid_input, invalid_gate, ...); the others still are."}}}
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
            "schemas": {"Scan": _SCAN, "OfflineScan": offline_scan, "Answer": _ANSWER, "Error": _ERROR,
                        "SyncedScan": synced, "SyncError": item_error},
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
                        "type": "array", "maxItems": 500,
                        "items": {"$ref": "#/components/schemas/OfflineScan"}}}}}}},
                "description": "Each scan is checked on its own: one that is not valid (not an object, "
                               "or an OfflineScan with a wrong field) gets an error entry in the results, "
                               "and the valid ones are still recorded.",
                "responses": {"200": {"description": "One answer per scan, in order", "content": {
                    "application/json": {"schema": {"type": "object", "required": ["results"], "properties": {
                        "results": {"type": "array", "items": {"oneOf": [
                            {"$ref": "#/components/schemas/SyncedScan"},
                            {"$ref": "#/components/schemas/SyncError"}]}}}}}}},
                    **_ERRORS},
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
                            "status": {"type": "string", "enum": ["active", "revoked", "cancelled"]},
                        }}}}}}}}, **{k: v for k, v in _ERRORS.items() if k in ("401", "403")}},
            }},
        },
    }
