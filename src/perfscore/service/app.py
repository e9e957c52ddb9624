"""The ASGI application (Starlette): routes, the token, limits, and errors as JSON.

===========================  ==============================================  =================
``GET  /health``             liveness; the only route without the token      ``{"status": "ok"}``
``GET  /openapi.json``       this API, response schemas = the shipped ones   OpenAPI 3.1
``GET  /schemes``            ``perfscore schemes --format json``             perfscore.schemes/1
``GET  /schemes/{name}``     one scheme, with its TOML                       perfscore.schemes/1
``POST /score``              rows as JSON (``perfscore.evaluation`` input)   perfscore.evaluation/1
``POST /score/file``         an uploaded file, every format ``score`` reads  evaluation or workbook
``POST /parse``              ``{"texts": [...], "actual": false}``           perfscore.parse/1
``POST /audit``              an uploaded self-evaluation                     perfscore.findings/1
``POST /lint``               an uploaded target table                        perfscore.findings/1
===========================  ==============================================  =================

Options are query parameters, named as the CLI's (``scheme``, ``recompute``, ``year``,
``budget``, ``executed``, ``sheet``; ``filename`` for a raw upload).  A 200 answer
carries ``X-Perfscore-Problems: 1`` where the CLI would exit with status 1.  The work
runs in worker threads, at most ``workers`` at once, each under the time limit.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
from collections.abc import Awaitable, Callable
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, TypeVar

import anyio
import anyio.to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from .. import __version__
from ..errors import PerfscoreError
from . import operations as ops
from .config import MAX_TEXTS, ServiceConfig
from .problems import Problem, from_error
from .schemes import SchemeBook
from .uploads import Upload, private_folder, read_limited, upload_from_body

if TYPE_CHECKING:
    from starlette.types import ASGIApp

    from ..documents import Document

__all__ = ["create_app"]

log = logging.getLogger("perfscore.service")
T = TypeVar("T")
Endpoint = Callable[[Request], Awaitable[Response]]

JSON_TYPE = "application/json"
TIMEOUT = (
    "处理超时（超过 {seconds} 秒）：请拆分文件后重试 (the work took longer than the"
    " {seconds}-second limit: split the file and try again)"
)
SLOW_BODY = (
    "请求体在 {seconds} 秒内未传完 (the request body did not arrive within {seconds} seconds)"
)
INTERNAL = (
    "服务内部错误，已记录在服务日志中；请把请求内容发给维护人员"
    " (an internal error, logged on the server: please report the request)"
)
UNAUTHORIZED = (
    "缺少或错误的令牌：请在 Authorization 头中给出 Bearer 令牌"
    " (missing or wrong token: send Authorization: Bearer TOKEN)"
)
NOT_JSON = (
    "请求体应为 JSON，Content-Type: application/json"
    " (the body must be JSON, sent with Content-Type: application/json)"
)
STATUS_CODES = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}


def problem_response(problem: Problem) -> JSONResponse:
    """The JSON answer of an error."""
    return JSONResponse(problem.to_dict(), status_code=problem.status, headers=problem.headers)


class Service:
    """One configured service: its settings, schemes, and the gate on concurrent work."""

    def __init__(self, config: ServiceConfig) -> None:
        self.config = config
        self.schemes = SchemeBook(config.schemes_dir)
        self.limiter = anyio.CapacityLimiter(config.workers)
        # Threads left running after a timeout still hold this: new work waits for them.
        self.running = threading.BoundedSemaphore(config.workers)
        from .openapi import openapi_document

        self.openapi = openapi_document()

    # --- the frame every endpoint runs in -----------------------------------------------

    def endpoint(self, handler: Endpoint, *, token: bool = True) -> Endpoint:
        """``handler`` behind the token check, with every error answered as JSON."""

        async def run(request: Request) -> Response:
            try:
                if token:
                    self.check_token(request)
                return await handler(request)
            except Problem as problem:
                return problem_response(problem)
            except Exception:  # a bug: logged here, a plain message to the client
                log.exception("perfscore serve: %s %s failed", request.method, request.url.path)
                return problem_response(Problem(500, "internal", INTERNAL))

        return run

    def check_token(self, request: Request) -> None:
        """401 unless the request carries the configured token (compared in constant time)."""
        expected = self.config.token
        if expected is None:
            return
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        ok = scheme.lower() == "bearer" and hmac.compare_digest(
            given.strip().encode("utf-8"), expected.encode("utf-8")
        )
        if not ok:
            headers = {"WWW-Authenticate": 'Bearer realm="perfscore"'}
            raise Problem(401, "unauthorized", UNAUTHORIZED, headers=headers)

    async def compute(self, work: Callable[[], T]) -> T:
        """Run ``work`` in a worker thread under the time limit; 503 when it runs over."""
        abandoned = threading.Event()

        def guarded() -> T:
            with self.running:
                if abandoned.is_set():  # its request was answered 503 while it waited
                    raise Problem(503, "timeout", TIMEOUT.format(seconds=self.config.timeout))
                return work()

        try:
            with anyio.fail_after(self.config.timeout):
                return await anyio.to_thread.run_sync(
                    guarded, abandon_on_cancel=True, limiter=self.limiter
                )
        except TimeoutError:
            abandoned.set()
            seconds = f"{self.config.timeout:g}"
            raise Problem(503, "timeout", TIMEOUT.format(seconds=seconds)) from None

    async def body(self, request: Request) -> bytes:
        """The request body: 413 past ``max_bytes``, 408 when it takes longer than the
        time limit to arrive (a client that sends a byte a minute holds nothing for long)."""
        declared = request.headers.get("content-length")
        try:
            with anyio.fail_after(self.config.timeout):
                return await read_limited(request.stream(), self.config.max_bytes, declared)
        except TimeoutError:
            seconds = f"{self.config.timeout:g}"
            headers = {"Connection": "close"}
            raise Problem(
                408, "timeout", SLOW_BODY.format(seconds=seconds), headers=headers
            ) from None

    def answer(self, result: ops.Answer) -> Response:
        """A 200 with the CLI's JSON text."""
        headers = {"X-Perfscore-Problems": "1" if result.problems else "0"}
        return Response(result.body.encode("utf-8"), media_type=JSON_TYPE, headers=headers)

    # --- endpoints ----------------------------------------------------------------------

    async def health(self, request: Request) -> Response:
        """Liveness for load balancers and container probes; needs no token."""
        return JSONResponse({"status": "ok", "version": __version__})

    async def openapi_json(self, request: Request) -> Response:
        """The OpenAPI 3.1 document."""
        return JSONResponse(self.openapi)

    async def list_schemes(self, request: Request) -> Response:
        """``perfscore schemes --format json``, with the allow-listed custom schemes."""
        _query(request, set())

        def work() -> ops.Answer:
            from ..report.outputs import dumps, schemes_data

            schemes = []
            for name in self.schemes.names():
                try:
                    schemes.append(self.schemes.load(name))
                except Problem as problem:  # a broken custom file: listed by GET /schemes/{name}
                    log.warning("perfscore serve: scheme %s skipped: %s", name, problem.message)
            return ops.Answer(dumps(schemes_data(schemes)) + "\n", False)

        return self.answer(await self.compute(work))

    async def get_scheme(self, request: Request) -> Response:
        """One scheme as ``schemes`` lists it, plus its TOML text under ``toml``."""
        _query(request, set())
        name = str(request.path_params["name"])

        def work() -> ops.Answer:
            from ..report.outputs import dumps, scheme_data, schemes_data

            scheme = self.schemes.load(name, status=404)
            data = schemes_data([])
            data["schemes"] = [{**scheme_data(scheme), "toml": self.schemes.toml(name)}]
            return ops.Answer(dumps(data) + "\n", False)

        return self.answer(await self.compute(work))

    async def score(self, request: Request) -> Response:
        """Rows given as JSON, scored."""
        query = _query(request, SCORE_OPTIONS - {"sheet"})
        _require_json(request)
        body = await self.body(request)
        options = self.options(query)
        max_rows = self.config.max_rows
        return self.answer(await self.compute(lambda: ops.score_rows(body, options, max_rows)))

    async def score_file(self, request: Request) -> Response:
        """An uploaded file, scored as ``perfscore score FILE --format json``."""
        query = _query(request, SCORE_OPTIONS | {"filename"})
        options = self.options(query)
        body = await self.body(request)
        return await self.with_upload(
            request,
            query,
            body,
            options.sheet,
            lambda documents, name: ops.score_documents(documents, options),
            every_sheet=True,
        )

    async def audit(self, request: Request) -> Response:
        """An uploaded self-evaluation, audited as ``perfscore audit FILE --format json``."""
        query = _query(request, SCORE_OPTIONS - {"recompute"} | {"filename"})
        options = self.options(query)
        body = await self.body(request)
        return await self.with_upload(
            request,
            query,
            body,
            options.sheet,
            lambda documents, name: ops.audit_file(documents[0], options, name),
            every_sheet=False,
        )

    async def lint(self, request: Request) -> Response:
        """An uploaded target table, checked as ``perfscore lint FILE --format json``."""
        query = _query(request, {"sheet", "filename"})
        body = await self.body(request)
        return await self.with_upload(
            request,
            query,
            body,
            query.get("sheet"),
            lambda documents, name: ops.lint_file(documents[0], name),
            every_sheet=False,
        )

    async def parse(self, request: Request) -> Response:
        """Texts read as targets (or, with ``"actual": true``, as actuals)."""
        query = _query(request, {"scheme"})
        _require_json(request)
        body = await self.body(request)
        texts, actual = _parse_request(body)

        def work() -> ops.Answer:
            scheme = self.schemes.load(query.get("scheme"))
            return ops.parse_texts(texts, actual, scheme)

        return self.answer(await self.compute(work))

    # --- shared by the endpoints --------------------------------------------------------

    def options(self, query: dict[str, str]) -> ops.Options:
        """The CLI's options from the query (the scheme loaded: 400 for an unknown name)."""
        budget = _decimal(query, "budget")
        executed = _decimal(query, "executed")
        if (budget is None) != (executed is None):
            raise Problem(
                400,
                "bad-request",
                "budget 和 executed 需同时给出 (give both budget and executed)",
            )
        return ops.Options(
            scheme=self.schemes.load(query.get("scheme")),
            recompute=_boolean(query, "recompute"),
            year=_year(query),
            budget=budget,
            executed=executed,
            sheet=query.get("sheet"),
        )

    async def with_upload(
        self,
        request: Request,
        query: dict[str, str],
        body: bytes,
        sheet: str | None,
        work: Callable[[list[Document], str], ops.Answer],
        *,
        every_sheet: bool,
    ) -> Response:
        """Save the upload in a private folder, read it (every project sheet, or one
        document), check its rows, run ``work(documents, name)``; the folder always goes."""
        content_type = request.headers.get("content-type", "")
        disposition = request.headers.get("content-disposition", "")

        def run() -> ops.Answer:
            upload: Upload = upload_from_body(
                body, content_type, query.get("filename", ""), disposition
            )
            with private_folder() as folder:
                scrub = f"{folder}{os.sep}"
                path = folder / upload.name
                path.write_bytes(upload.data)
                try:
                    documents = ops.read_file(path, sheet, every_sheet=every_sheet)
                    ops.check_rows(documents, self.config.max_rows)
                    result = work(documents, upload.name)
                except PerfscoreError as error:
                    raise from_error(error, scrub=scrub) from None
                except Problem as problem:
                    problem.message = problem.message.replace(scrub, "")
                    raise
                return ops.Answer(_scrubbed(result.body, scrub), result.problems)

        return self.answer(await self.compute(run))


SCORE_OPTIONS = {"scheme", "recompute", "year", "budget", "executed", "sheet"}


def _scrubbed(text: str, folder: str) -> str:
    """``text`` without the private folder in front of the file's name (raw or JSON-escaped)."""
    escaped = json.dumps(folder, ensure_ascii=False)[1:-1]
    return text.replace(folder, "").replace(escaped, "")


def _query(request: Request, allowed: set[str]) -> dict[str, str]:
    """The query parameters, each at most once and all known (400 otherwise)."""
    params = request.query_params
    unknown = sorted(set(params) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed)) or "（无 none）"
        raise Problem(
            400,
            "bad-request",
            f"未知的参数 (unknown parameter): {', '.join(unknown)}; 可用 (known): {known}",
        )
    repeated = sorted(k for k in params if len(params.getlist(k)) > 1)
    if repeated:
        raise Problem(
            400, "bad-request", f"参数重复 (parameter given twice): {', '.join(repeated)}"
        )
    return dict(params)


def _require_json(request: Request) -> None:
    media = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != JSON_TYPE and not media.endswith("+json"):
        raise Problem(415, "unsupported-format", NOT_JSON)


def _boolean(query: dict[str, str], key: str) -> bool:
    value = query.get(key, "false").strip().lower()
    if value in ("true", "1", "yes"):
        return True
    if value in ("false", "0", "no", ""):
        return False
    raise Problem(
        400, "bad-request", f"{key} 应为 true 或 false ({key} must be true or false): {value!r}"
    )


def _year(query: dict[str, str]) -> int | None:
    text = query.get("year")
    if text is None:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise Problem(400, "bad-request", f"年度应为四位数字 (year must be YYYY): {text!r}")
    return int(text)


def _decimal(query: dict[str, str], key: str) -> Decimal | None:
    text = query.get(key)
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or len(text) > 40:
        raise Problem(400, "bad-request", f"{key} 不是有效数字 ({key} is not a number): {text!r}")
    return value


BAD_PARSE = (
    '请求体应为 {{"texts": ["≥95%", …], "actual": false}}'
    ' (the body must be {{"texts": [...], "actual": false}}): {detail}'
)


def _parse_request(body: bytes) -> tuple[list[str], bool]:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise Problem(400, "bad-request", BAD_PARSE.format(detail=error)) from None
    texts = data.get("texts") if isinstance(data, dict) else None
    if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
        raise Problem(400, "bad-request", BAD_PARSE.format(detail="texts: a list of strings"))
    if len(texts) > MAX_TEXTS:
        raise Problem(
            413, "too-large", f"文本过多（上限 {MAX_TEXTS}） (more than {MAX_TEXTS} texts)"
        )
    actual = data.get("actual", False)
    if not isinstance(actual, bool):
        raise Problem(400, "bad-request", BAD_PARSE.format(detail="actual: true or false"))
    return texts, actual


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's own 404 / 405 as JSON problems."""
    status = error.status_code if isinstance(error, HTTPException) else 500
    code = STATUS_CODES.get(status, "bad-request")
    message = {
        404: "没有这个地址 (no such endpoint); 见 (see) GET /openapi.json",
        405: "此地址不接受该方法 (method not allowed here)",
    }.get(status, str(getattr(error, "detail", "")) or "error")
    return problem_response(Problem(status, code, message))


def create_app(config: ServiceConfig | None = None) -> ASGIApp:
    """The ASGI application for ``config`` (default: the readers' limits, no token)."""
    service = Service(config or ServiceConfig())
    e = service.endpoint
    routes = [
        Route("/health", e(service.health, token=False), methods=["GET"]),
        Route("/openapi.json", e(service.openapi_json), methods=["GET"]),
        Route("/schemes", e(service.list_schemes), methods=["GET"]),
        Route("/schemes/{name}", e(service.get_scheme), methods=["GET"]),
        Route("/score", e(service.score), methods=["POST"]),
        Route("/score/file", e(service.score_file), methods=["POST"]),
        Route("/parse", e(service.parse), methods=["POST"]),
        Route("/audit", e(service.audit), methods=["POST"]),
        Route("/lint", e(service.lint), methods=["POST"]),
    ]
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
