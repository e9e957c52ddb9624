"""Every endpoint of a real server answers with exactly the JSON the CLI prints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import httpx
import pytest
from live_server import EXAMPLES, SEED002, Server, cli, seed002_path

from forms import write_project_form_docx, write_project_form_xlsx, write_workbook
from perfscore.report.schemas import load


def _ev(data: Any) -> Any:
    """The one sheet's evaluation in ``perfscore score --format json`` (perfscore.workbook/2)."""
    return data["sheets"][0]["evaluation"]


def _upload(client: httpx.Client, endpoint: str, path: Path, **params: str) -> httpx.Response:
    with path.open("rb") as file:
        return client.post(endpoint, params=params, files={"file": (path.name, file)})


def test_seed002_over_http_is_the_clis_json_to_the_byte(client: httpx.Client) -> None:
    """Seed 002 uploaded gives the bytes ``perfscore score <seed002> --format json`` prints."""
    seed = seed002_path()
    status, expected = cli("score", SEED002, "--format", "json", cwd=seed.parent)
    response = _upload(client, "/score/file", seed)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.text == expected
    data = _ev(response.json())
    assert (data["total"], data["computed_total"]) == ("93.95", "95.43")
    assert data["document"]["path"] == SEED002
    assert response.headers["x-perfscore-problems"] == str(status)


def test_seed002_recomputed_over_http(client: httpx.Client) -> None:
    """``recompute=true`` is the CLI's ``--recompute``: 95.43 counted."""
    seed = seed002_path()
    _, expected = cli("score", SEED002, "--format", "json", "--recompute", cwd=seed.parent)
    response = _upload(client, "/score/file", seed, recompute="true")
    assert response.text == expected
    assert _ev(response.json())["total"] == "95.43"


def test_rows_as_json_score_as_the_cli_scores_the_same_json_file(
    client: httpx.Client, tmp_path: Path
) -> None:
    """``POST /score`` with the evaluation JSON gives what ``perfscore score x.json`` gives."""
    seed = seed002_path()
    _, evaluation = cli("score", SEED002, "--format", "json", cwd=seed.parent)
    (tmp_path / "rows.json").write_text(evaluation, "utf-8")
    _, expected = cli("score", "rows.json", "--format", "json", cwd=tmp_path)
    response = client.post(
        "/score", content=evaluation.encode(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    got, want = _ev(response.json()), _ev(json.loads(expected))
    assert want["document"]["path"] == "rows.json"
    assert got["document"]["path"] == ""
    got["document"]["path"] = want["document"]["path"]
    assert got == want
    assert (got["total"], got["computed_total"]) == ("93.95", "95.43")


def test_every_decimal_is_a_string(client: httpx.Client) -> None:
    """No JSON number stands for a decimal: totals, scores and weights are exact strings."""
    rows = [
        {"row": 1, "level1": "产出指标", "target": "≥3万人次", "actual": "2万人次", "weight": "10"},
        {"row": 2, "level1": "产出指标", "target": "≥95%", "actual": "96%", "weight": 0.1},
    ]
    response = client.post("/score", json=rows)
    assert response.status_code == 200
    data = response.json(parse_float=lambda text: pytest.fail(f"a float in the JSON: {text}"))
    first, second = _ev(data)["indicators"]
    assert (first["score"], first["weight"]) == ("6.67", "10")
    assert second["weight"] == "0.1"  # the JSON number 0.1 read as the decimal 0.1, exactly


@pytest.mark.parametrize("name", ["tianjin-2024.csv", "tianjin-2024.xlsx"])
def test_example_files_score_as_the_cli(client: httpx.Client, tmp_path: Path, name: str) -> None:
    """CSV and XLSX uploads give the CLI's bytes."""
    shutil.copy(EXAMPLES / name, tmp_path / name)
    _, expected = cli("score", name, "--format", "json", cwd=tmp_path)
    response = _upload(client, "/score/file", tmp_path / name)
    assert response.status_code == 200
    assert response.text == expected


@pytest.mark.parametrize("build", [write_project_form_docx, write_project_form_xlsx])
def test_official_forms_score_as_the_cli(
    client: httpx.Client, tmp_path: Path, build: object
) -> None:
    """A Word and an Excel project form give the CLI's bytes."""
    suffix = ".docx" if build is write_project_form_docx else ".xlsx"
    path = build(tmp_path / f"项目自评表{suffix}")  # type: ignore[operator]
    _, expected = cli("score", path.name, "--format", "json", cwd=tmp_path)
    response = _upload(client, "/score/file", path)
    assert response.status_code == 200
    assert response.text == expected
    assert _ev(response.json())["total"] == "96.08"


def test_workbook_of_several_sheets_is_the_clis_workbook_json(
    client: httpx.Client, tmp_path: Path
) -> None:
    """A workbook with two project sheets gives ``perfscore.workbook/2``, as the CLI does;
    ``sheet`` picks one."""
    path = write_workbook(tmp_path / "部门.xlsx")
    _, expected = cli("score", path.name, "--format", "json", cwd=tmp_path)
    response = _upload(client, "/score/file", path)
    assert response.text == expected
    assert response.json()["schema"] == "perfscore.workbook/2"
    _, one = cli("score", path.name, "--format", "json", "--sheet", "项目二", cwd=tmp_path)
    assert _upload(client, "/score/file", path, sheet="项目二").text == one


def test_raw_body_with_a_filename_is_an_upload(client: httpx.Client) -> None:
    """The file as the whole body, named by ``?filename=`` or ``Content-Disposition``."""
    seed = seed002_path()
    _, expected = cli("score", SEED002, "--format", "json", cwd=seed.parent)
    body = seed.read_bytes()
    by_query = client.post("/score/file", params={"filename": SEED002}, content=body)
    assert by_query.text == expected
    by_header = client.post(
        "/score/file",
        content=body,
        headers={"Content-Disposition": f'attachment; filename="{SEED002}"'},
    )
    assert by_header.text == expected


def test_options_are_the_clis(client: httpx.Client) -> None:
    """``scheme``, ``year``, ``budget`` and ``executed`` act as the CLI's options."""
    seed = seed002_path()
    args = ["--scheme", "vendor-linear", "--year", "2023", "--budget", "100", "--executed", "90"]
    _, expected = cli("score", SEED002, "--format", "json", *args, cwd=seed.parent)
    params = {"scheme": "vendor-linear", "year": "2023", "budget": "100", "executed": "90"}
    response = _upload(client, "/score/file", seed, **params)
    assert response.text == expected
    assert _ev(response.json())["scheme"]["name"] == "vendor-linear"


def test_parse_is_the_clis(client: httpx.Client) -> None:
    """``POST /parse`` gives ``perfscore parse … --format json``; a text it cannot read is
    an entry with its error, and the problems header says so."""
    texts = ["≥95%", "2024年12月31日前", "≥≥"]
    status, expected = cli("parse", *texts, "--format", "json")
    response = client.post("/parse", json={"texts": texts})
    assert response.status_code == 200
    assert response.text == expected
    assert status == 1
    assert response.headers["x-perfscore-problems"] == "1"
    _, actuals = cli("parse", "基本完成", "--actual", "--format", "json")
    assert client.post("/parse", json={"texts": ["基本完成"], "actual": True}).text == actuals


def test_audit_is_the_clis(client: httpx.Client) -> None:
    """``POST /audit`` gives ``perfscore audit FILE --format json``."""
    seed = seed002_path()
    status, expected = cli("audit", SEED002, "--format", "json", cwd=seed.parent)
    response = _upload(client, "/audit", seed)
    assert response.status_code == 200
    assert response.text == expected
    assert response.json()["file"] == SEED002
    assert response.headers["x-perfscore-problems"] == str(status)


def test_lint_is_the_clis(client: httpx.Client, tmp_path: Path) -> None:
    """``POST /lint`` gives ``perfscore lint FILE --format json``."""
    name = "targets-tianjin-kexie.txt"
    shutil.copy(EXAMPLES / name, tmp_path / name)
    status, expected = cli("lint", name, "--format", "json", cwd=tmp_path)
    response = _upload(client, "/lint", tmp_path / name)
    assert response.status_code == 200
    assert response.text == expected
    assert response.json()["findings"]
    assert response.headers["x-perfscore-problems"] == str(status)


def test_schemes_are_the_clis(client: httpx.Client) -> None:
    """``GET /schemes`` is ``perfscore schemes --format json``; one scheme comes with its TOML."""
    _, expected = cli("schemes", "--format", "json")
    response = client.get("/schemes")
    assert response.status_code == 200
    assert response.text == expected
    one = client.get("/schemes/provincial-bands")
    assert one.status_code == 200
    [scheme] = one.json()["schemes"]
    listed = {s["name"]: s for s in json.loads(expected)["schemes"]}
    assert {k: v for k, v in scheme.items() if k != "toml"} == listed["provincial-bands"]
    assert 'name = "provincial-bands"' in scheme["toml"]


def test_health_needs_nothing(client: httpx.Client) -> None:
    """``GET /health`` answers ok with the version."""
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize(
    ("method", "path", "schema"),
    [
        ("get", "/schemes", "schemes"),
        ("get", "/schemes/mof2020", "schemes"),
        ("post", "/parse", "parse"),
        ("post", "/score", "workbook"),
        ("post", "/score/file", "workbook"),
        ("post", "/audit", "findings"),
        ("post", "/lint", "findings"),
    ],
)
def test_answers_follow_the_shipped_schemas(
    client: httpx.Client, method: str, path: str, schema: str
) -> None:
    """Every 200 answer validates against the shipped JSON Schema it names."""
    from jsonschema import Draft202012Validator

    seed = seed002_path()
    if path == "/parse":
        response = client.post(path, json={"texts": ["≥95%", "??"]})
    elif path == "/score":
        response = client.post(path, json=[{"target": "≥95%", "actual": "96%", "weight": "5"}])
    elif method == "post":
        response = _upload(client, path, seed)
    else:
        response = client.get(path)
    assert response.status_code == 200
    import referencing

    # The workbook schema refers to the evaluation's by its file name.
    registry = referencing.Registry().with_resources(
        (f"{other}.schema.json", referencing.Resource.from_contents(load(other)))
        for other in ("evaluation", "document")
    )
    Draft202012Validator(load(schema), registry=registry).validate(response.json())


def test_a_second_server_gives_the_same_bytes(server: Server, tmp_path: Path) -> None:
    """Scores are pure: a fresh server process answers as the long-running one does."""
    seed = seed002_path()
    other = Server(tmp_path)
    try:
        with server.client() as first, other.client() as second:
            assert (
                _upload(first, "/score/file", seed).text
                == _upload(second, "/score/file", seed).text
            )
    finally:
        other.stop()
