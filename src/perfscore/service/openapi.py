"""The OpenAPI 3.1 document of ``perfscore serve`` (``GET /openapi.json``).

Response bodies are the shipped JSON Schemas themselves (``perfscore/report/schemas``),
placed unchanged under ``components/schemas`` and referenced by name: OpenAPI 3.1
schemas are JSON Schema 2020-12, so the document cannot drift from what the CLI
writes (a test compares them, and validates real answers against them).
"""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..report.schemas import load
from .problems import ERROR_SCHEMA

__all__ = ["RESPONSE_SCHEMAS", "openapi_document"]

# Endpoint → the shipped schemas its 200 answer follows.
RESPONSE_SCHEMAS: dict[tuple[str, str], tuple[str, ...]] = {
    ("get", "/schemes"): ("schemes",),
    ("get", "/schemes/{name}"): ("schemes",),
    ("post", "/score"): ("workbook",),
    ("post", "/score/file"): ("workbook",),
    ("post", "/parse"): ("parse",),
    ("post", "/audit"): ("findings",),
    ("post", "/lint"): ("findings",),
}

_UPLOAD_TYPES = (
    "text/plain",
    "text/csv",
    "application/json",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream",
)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _param(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


PARAMETERS: dict[str, dict[str, Any]] = {
    "scheme": _param(
        "scheme",
        "评分方案：内置方案名，或 --schemes-dir 中的方案名"
        " (a preset, or a scheme in --schemes-dir)",
        {"type": "string", "default": "mof2020"},
    ),
    "recompute": _param(
        "recompute",
        "按方案得分计入总分 (count the scheme's scores, not the published ones)",
        {"type": "boolean", "default": False},
    ),
    "year": _param(
        "year", "评价年度 (evaluation year)", {"type": "string", "pattern": "^[0-9]{4}$"}
    ),
    "budget": _param(
        "budget",
        "全年预算数 A，万元，十进制文本 (budget A, a decimal as text); with executed",
        {"type": "string", "pattern": "^-?[0-9,]+(\\.[0-9]+)?$"},
    ),
    "executed": _param(
        "executed",
        "全年执行数 B (spending B, a decimal as text); with budget",
        {"type": "string", "pattern": "^-?[0-9,]+(\\.[0-9]+)?$"},
    ),
    "sheet": _param("sheet", "Excel 工作表名称 (worksheet name)", {"type": "string"}),
    "filename": _param(
        "filename",
        "原始请求体的文件名，决定格式 (the raw body's file name; its extension picks the reader)",
        {"type": "string"},
    ),
}


def _upload_body() -> dict[str, Any]:
    raw = {"schema": {"type": "string", "contentMediaType": "application/octet-stream"}}
    return {
        "required": True,
        "description": "multipart 的 file 字段，或原始文件"
        " (a multipart 'file' part, or the raw file with ?filename=)",
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "contentMediaType": "application/octet-stream"}
                    },
                }
            },
            **dict.fromkeys(_UPLOAD_TYPES, raw),
        },
    }


def _errors(*statuses: int) -> dict[str, Any]:
    words = {
        400: "请求有误 (bad request)",
        401: "缺少或错误的令牌 (missing or wrong token)",
        404: "没有这个方案 (no such scheme)",
        408: "请求体传输超时 (the body arrived too slowly)",
        413: "超过大小或行数上限 (past the size or row limit)",
        415: "不支持的格式 (unsupported format)",
        422: "文件无法读取 (the file cannot be read)",
        503: "超过时间上限 (past the time limit)",
    }
    error = {"content": {"application/json": {"schema": _ref("error")}}}
    return {str(s): {"description": words[s], **error} for s in statuses}


def _ok(key: tuple[str, str]) -> dict[str, Any]:
    names = RESPONSE_SCHEMAS[key]
    schema = _ref(names[0]) if len(names) == 1 else {"oneOf": [_ref(n) for n in names]}
    return {
        "200": {
            "description": "与 CLI --format json 相同的 JSON (the JSON the CLI writes)",
            "headers": {
                "X-Perfscore-Problems": {
                    "description": "1 where the CLI would exit with status 1"
                    " (problems in the input)",
                    "schema": {"enum": ["0", "1"]},
                }
            },
            "content": {"application/json": {"schema": schema}},
        }
    }


def _operation(
    key: tuple[str, str],
    summary: str,
    parameters: list[str],
    errors: tuple[int, ...],
    body: Any = None,
) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": summary,
        "parameters": [PARAMETERS[p] for p in parameters],
        "responses": {**_ok(key), **_errors(401, *errors)},
    }
    if body is not None:
        operation["requestBody"] = body
    return operation


def openapi_document() -> dict[str, Any]:
    """The document, built from the shipped schemas."""
    names = sorted({n for group in RESPONSE_SCHEMAS.values() for n in group})
    rows_body = {
        "required": True,
        "description": "perfscore.evaluation 的输入：{indicators: [...]}、行列表，或 read 的输出"
        " (the perfscore.evaluation input, a list of rows, or `perfscore read` output)",
        "content": {"application/json": {"schema": {"type": ["object", "array"]}}},
    }
    parse_body = {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["texts"],
                    "properties": {
                        "texts": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        "actual": {"type": "boolean", "default": False},
                    },
                }
            }
        },
    }
    score_params = ["scheme", "recompute", "year", "budget", "executed"]
    upload_errors = (400, 408, 413, 415, 422, 503)
    paths: dict[str, Any] = {
        "/health": {
            "get": {
                "summary": "存活检查，无需令牌 (liveness; no token needed)",
                "security": [],
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "status": {"const": "ok"},
                                        "version": {"type": "string"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/openapi.json": {
            "get": {
                "summary": "本文档 (this document)",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.1",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    **_errors(401),
                },
            }
        },
        "/schemes": {
            "get": _operation(("get", "/schemes"), "列出评分方案 (list the schemes)", [], (400,))
        },
        "/schemes/{name}": {
            "get": {
                **_operation(
                    ("get", "/schemes/{name}"),
                    "一个方案及其 TOML (one scheme, with its TOML)",
                    [],
                    (400, 404, 422),
                ),
                "parameters": [
                    {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
            }
        },
        "/score": {
            "post": _operation(
                ("post", "/score"),
                "为 JSON 行评分 (score rows given as JSON)",
                score_params,
                (400, 408, 413, 415, 422, 503),
                rows_body,
            )
        },
        "/score/file": {
            "post": _operation(
                ("post", "/score/file"),
                "为上传的文件评分 (score an uploaded file)",
                [*score_params, "sheet", "filename"],
                upload_errors,
                _upload_body(),
            )
        },
        "/parse": {
            "post": _operation(
                ("post", "/parse"),
                "解析指标值文本 (read target or actual texts)",
                ["scheme"],
                (400, 408, 413, 415, 503),
                parse_body,
            )
        },
        "/audit": {
            "post": _operation(
                ("post", "/audit"),
                "复核自评表 (audit a self-evaluation)",
                ["scheme", "year", "budget", "executed", "sheet", "filename"],
                upload_errors,
                _upload_body(),
            )
        },
        "/lint": {
            "post": _operation(
                ("post", "/lint"),
                "审核绩效目标表 (lint a target table)",
                ["sheet", "filename"],
                upload_errors,
                _upload_body(),
            )
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "perfscore",
            "version": __version__,
            "description": "预算绩效自评评分服务：与 perfscore 命令行相同的 JSON，"
            "所有小数均为精确的字符串。 (score budget performance self-evaluations:"
            " the CLI's JSON, every decimal an exact string)",
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "PERFSCORE_TOKEN 或 --token-file 设置时必需"
                    " (required when a token is set)",
                }
            },
            "schemas": {**{name: load(name) for name in names}, "error": ERROR_SCHEMA},
        },
    }
