"""Typed errors: classification, bodies that cannot be read, configuration checked before I/O."""

from __future__ import annotations

import httpx
import pytest

from msplink import RetryPolicy
from msplink._core import Call, SyncExecutor, decode_json, error_class_for_status, path
from msplink.errors import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
)
from msplink.testing import MockRouter
from tests.core._toy import BASE_URL, TOY, ToySandbox, create_call, get_call, sync_executor


def _raw_call(kind: str) -> Call[object]:
    return Call(
        method="GET", path=f"/raw/{kind}", template="/raw/{kind}", parse=lambda r: decode_json(r)["id"]
    )


@pytest.mark.parametrize("kind", ["html", "truncated", "other"])
def test_unreadable_body_is_an_api_error_carrying_the_status(kind: str) -> None:
    executor = sync_executor(ToySandbox(), sleep=lambda s: None)
    with pytest.raises(APIError) as info:
        executor.execute(_raw_call(kind))
    error = info.value
    assert type(error) is APIError
    assert error.status_code == 200
    assert error.codes == ("malformed_response",)
    assert error.path == "/raw/{kind}"
    assert isinstance(error.__cause__, (ValueError, KeyError))


def test_not_found_carries_vendor_details_and_the_template() -> None:
    executor = sync_executor(ToySandbox(records=1), sleep=lambda s: None)
    with pytest.raises(NotFoundError) as info:
        executor.execute(get_call(99))
    error = info.value
    assert (error.platform, error.status_code, error.method, error.path) == ("toy", 404, "GET", "/items/{id}")
    assert error.errors[0].message == "item 99 not found"
    assert str(error) == "toy GET /items/{id} -> 404 [NotFound] item 99 not found"


def test_classification_by_meaning_overrides_the_status() -> None:
    sandbox = ToySandbox(records=1)
    executor = sync_executor(sandbox, sleep=lambda s: None)
    with pytest.raises(ConflictError) as info:
        executor.execute(create_call("item 1"))
    assert info.value.status_code == 400
    assert info.value.codes == ("ObjectExists",)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, BadRequestError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
    ],
)
def test_status_classes(status: int, cls: type[APIError]) -> None:
    router = MockRouter()
    router.get("/api/x", status=status, text="<html>oops</html>", headers={"x-toy-request-id": "req-9"})
    executor = SyncExecutor(
        platform=TOY,
        base_url=BASE_URL,
        transport=router.transport(),
        retry=RetryPolicy.none(),
        sleep=lambda s: None,
    )
    with pytest.raises(cls) as info:
        executor.execute(Call(method="GET", path="/x"))
    assert error_class_for_status(status) is cls
    assert info.value.status_code == status
    assert info.value.request_id == "req-9"
    assert info.value.errors == ()


def test_messages_use_the_template_never_query_values() -> None:
    router = MockRouter()
    router.get("/api/companies", status=400, json={"code": "InvalidObject", "message": "bad"})
    executor = SyncExecutor(
        platform=TOY, base_url=BASE_URL, transport=router.transport(), sleep=lambda s: None
    )
    with pytest.raises(BadRequestError) as info:
        executor.execute(Call(method="GET", path="/companies", params={"conditions": "name='Jane Secret'"}))
    assert "Jane" not in str(info.value)
    assert "Jane" not in repr(info.value)
    assert router.calls[0].url.params["conditions"] == "name='Jane Secret'"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"base_url": "toy.example.com"},
        {"timeout": -1},
        {"timeout": "30"},
        {"retry": {"max_attempts": 2}},
        {"transport": httpx.MockTransport(lambda r: httpx.Response(200)), "http_client": httpx.Client()},
    ],
)
def test_invalid_configuration_fails_before_any_io(kwargs: dict[str, object]) -> None:
    options: dict[str, object] = {"platform": TOY, "base_url": BASE_URL, **kwargs}
    with pytest.raises(ConfigurationError):
        SyncExecutor(**options)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["", True])
def test_empty_path_values_are_refused(value: object) -> None:
    with pytest.raises(ConfigurationError):
        path("/company/companies/{id}", id=value)  # type: ignore[arg-type]


def test_missing_path_placeholder_is_refused() -> None:
    with pytest.raises(ConfigurationError):
        path("/company/companies/{id}/sites/{site}", id=1)


def test_call_cannot_carry_two_bodies() -> None:
    with pytest.raises(ConfigurationError):
        Call(method="POST", path="/x", json={"a": 1}, content=b"a")
