"""The one API error body and the handlers that produce it for every router.

Every refusal of the JSON API has the same shape, whatever app raised it::

    {"errors": [{"field": "systolic" | null, "code": "out_of_range", "message": "…"}]}

with 422 for input (a service's :class:`~ytcs.core.errors.DomainError` or ninja's schema validation), 400
for a body that is not JSON,
404 for out of scope, 403 for a role that may not act, 401 when not signed in, 413 for a body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` and 429 when throttled. Messages are in the request's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination

from ytcs.core.errors import DomainError, FieldError

_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


class ErrorItem(Schema):
    field: str | None
    code: str
    message: str


class ErrorOut(Schema):
    """The one error body of the API."""

    errors: list[ErrorItem]


class Pages(LimitOffsetPagination):
    """ninja's limit/offset pagination with both bounded, so a huge number is a 422, not a database overflow."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=2**31 - 1)


def error_response(api: NinjaAPI, request: HttpRequest, errors: Sequence[FieldError], status: int) -> HttpResponse:
    return api.create_response(request, {"errors": [e.as_dict() for e in errors]}, status=status)


def _field(loc: Sequence) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        location = parts.pop(0)
        # ninja names the body parameter itself (``payload``) before the field; clients never see it
        if location == "body" and len(parts) > 1:
            parts.pop(0)
    return ".".join(parts) or None


def _schema_message(error: dict) -> tuple[str, str]:
    kind = str(error.get("type", ""))
    if kind == "missing":
        return "required", _("Trường này là bắt buộc.")
    if kind == "int_from_float":
        return "invalid", _("Cần một số nguyên.")
    if kind.startswith(("int_", "float_", "decimal_")) or kind == "finite_number":
        return "invalid", _("Cần một số.")
    if kind.startswith("bool_"):
        return "invalid", _("Cần giá trị đúng/sai (true/false).")
    if kind.startswith("date_"):
        return "invalid", _("Ngày không hợp lệ; viết theo dạng YYYY-MM-DD.")
    if kind.startswith(("datetime_", "time_")):
        return "invalid", _("Thời điểm không hợp lệ; viết theo dạng ISO 8601 (YYYY-MM-DDTHH:MM).")
    if kind.startswith("string_"):
        return "invalid", _("Cần một chuỗi ký tự.")
    if kind in {"json_invalid", "model_attributes_type", "dict_type", "model_type"}:
        return "invalid_json", _("Nội dung gửi lên không phải JSON hợp lệ.")
    if kind.startswith(("list_", "tuple_")):
        return "invalid", _("Cần một danh sách.")
    if kind == "extra_forbidden":
        return "unknown_field", _("Trường này không được hỗ trợ.")
    return "invalid", _("Giá trị không hợp lệ.")


def schema_errors(exc: ValidationError) -> list[FieldError]:
    """ninja's (pydantic's) validation errors as the project's field errors, in the active language."""
    errors = []
    for error in exc.errors:
        code, message = _schema_message(error)
        errors.append(FieldError(_field(error.get("loc", ())), code, message))
    return errors


def document_error_responses(schema: dict) -> dict:
    """Declare :class:`ErrorOut` as the ``4XX`` answer of every operation of an OpenAPI document.

    The handlers answer every router's refusals with it, so the document says so once for all operations,
    today's and tomorrow's; a status an operation declares itself keeps its own schema. The body is published
    as ``components/schemas/ErrorOut`` (replacing any app model of the same name).
    """
    body = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.update(body.pop("$defs", {}))
    components["ErrorOut"] = body
    answer = {
        "description": "The one error body (422 input, 400 not JSON, 401, 403, 404, 413, 429)",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
    }
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            operation.setdefault("responses", {}).setdefault("4XX", answer)
    return schema


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every router of ``api`` answer refusals with :class:`ErrorOut`, and say so in its OpenAPI document."""
    openapi_schema = api.get_openapi_schema

    def documented_openapi_schema(**kwargs: object) -> dict:
        return document_error_responses(openapi_schema(**kwargs))

    api.get_openapi_schema = documented_openapi_schema

    def domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, exc.errors, 422)

    def schema(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return error_response(api, request, schema_errors(exc), 422)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return error_response(api, request, [FieldError(None, "not_found", _("Không tìm thấy."))], 404)

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or _("Vai trò của bạn không được thực hiện thao tác này.")
        return error_response(api, request, [FieldError(None, "forbidden", message)], 403)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, RequestDataTooBig):  # ninja wraps whatever reading the body raised
            return too_large(request, exc.__cause__)
        if exc.status_code == 400 and exc.__cause__ is not None:  # the body could not be parsed
            item = FieldError(None, "invalid_json", _("Nội dung gửi lên không phải JSON hợp lệ."))
        elif isinstance(exc, AuthenticationError) or exc.status_code == 401:
            item = FieldError(None, "not_authenticated", _("Cần đăng nhập."))
        elif exc.status_code == 429:
            item = FieldError(None, "throttled", _("Quá nhiều yêu cầu; vui lòng thử lại sau."))
        elif exc.status_code == 403:
            item = FieldError(None, "forbidden", _("Vai trò của bạn không được thực hiện thao tác này."))
        else:
            item = FieldError(None, "http_error", str(exc))
        return error_response(api, request, [item], exc.status_code)

    def too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        message = _("Nội dung gửi lên quá lớn.")
        return error_response(api, request, [FieldError(None, "too_large", message)], 413)

    api.add_exception_handler(DomainError, domain)
    api.add_exception_handler(ValidationError, schema)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(HttpError, http_error)
    api.add_exception_handler(RequestDataTooBig, too_large)
