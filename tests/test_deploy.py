"""The Docker deployment (issue 5, item 6): ``docker-compose.yml`` and the ``Dockerfile``.

No Docker engine runs here, so the compose file is checked against the Compose
specification's JSON schema (``tests/fixtures/compose-spec.json``, Apache-2.0, source in
``compose-spec.NOTICE``) as written and with the settings of ``.env.example`` filled in, and
the Dockerfile against the way the project installs (pyproject, scripts/bootstrap, README).
Where Debian's ``docker-compose`` is installed, ``docker-compose config`` checks it too.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator  # type: ignore[import-untyped]

from tests.conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"
SCHEMA = ROOT / "tests" / "fixtures" / "compose-spec.json"
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}; $$ is a literal $.
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
SOURCES = [ROOT / "kg_cli.py", *sorted(ROOT.glob("kg/**/*.py")), *ROOT.glob("loaders/**/*.py")]


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return data


def env_example() -> dict[str, str]:
    settings = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            settings[key.strip()] = value.strip()
    return settings


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """The compose file as Compose sees it with ``env`` (its interpolation rules)."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2) or "", match.group(3) or ""
        if name in env and (env[name] or ":" not in op):
            return env[name]
        if op.endswith("?"):
            raise AssertionError(f"{name} is required: {arg}")
        return arg

    parts = value.split("$$")
    return "$".join(VARIABLE.sub(one, p) for p in parts)


def validator() -> Draft201909Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert "2019-09" in schema["$schema"], "the vendored schema declares JSON Schema 2019-09"
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def errors(document: dict[str, Any]) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator().iter_errors(document)
    ]


def dockerfile() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuation lines joined, comments dropped)."""
    text = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            keyword, _, rest = line.strip().partition(" ")
            out.append((keyword.upper(), rest.strip()))
    return out


def instructions(keyword: str) -> list[str]:
    return [rest for kw, rest in dockerfile() if kw == keyword]


# --- the compose file against the Compose specification ----------------------------------


def test_the_compose_file_follows_the_compose_specification() -> None:
    assert errors(compose()) == []
    assert errors(interpolate(compose(), env_example())) == []


def test_the_schema_catches_what_compose_would_refuse() -> None:
    broken = copy.deepcopy(compose())
    broken["services"]["app"]["depends_on"]["neo4j"]["condition"] = "healthy"
    broken["services"]["neo4j"]["helthcheck"] = broken["services"]["neo4j"].pop("healthcheck")
    found = errors(broken)
    assert any("depends_on" in e for e in found), found
    assert any("helthcheck" in e for e in found), found


@pytest.mark.skipif(not shutil.which("docker-compose"), reason="docker-compose is not installed")
def test_docker_compose_config_accepts_it() -> None:
    run = subprocess.run(
        ["docker-compose", "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), "config", "-q"],
        check=False,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr


# --- what the services say -----------------------------------------------------------------


def test_neo4j_runs_with_auth_from_the_env_file_memory_a_volume_and_a_healthcheck() -> None:
    neo4j = compose()["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    env = neo4j["environment"]
    assert VARIABLE.search(env["NEO4J_AUTH"]), "the password comes from .env, not the file"
    for setting in (
        "NEO4J_server_memory_heap_initial__size",
        "NEO4J_server_memory_heap_max__size",
        "NEO4J_server_memory_pagecache_size",
    ):
        assert setting in env
    mounts = {m.split(":")[1]: m.split(":")[0] for m in neo4j["volumes"]}
    assert mounts["/data"] in compose()["volumes"], "the database lives in a named volume"
    check = neo4j["healthcheck"]
    assert "cypher-shell" in " ".join(check["test"])
    assert check["interval"] and check["retries"] >= 3 and check["start_period"]


def test_the_app_waits_for_a_healthy_neo4j_and_serves_on_8000() -> None:
    app = compose()["services"]["app"]
    assert app["build"] == "." and DOCKERFILE.exists()
    assert app["depends_on"] == {"neo4j": {"condition": "service_healthy"}}
    env = app["environment"]
    assert env["KG_STORE"] == "bolt://neo4j:7687"
    assert env["KG_NEO4J_USER"] == "neo4j"
    neo4j_password = VARIABLE.search(compose()["services"]["neo4j"]["environment"]["NEO4J_AUTH"])
    app_password = VARIABLE.search(env["KG_NEO4J_PASSWORD"])
    assert neo4j_password and app_password
    assert app_password.group(1) == neo4j_password.group(1), "one password for both services"
    mounts = {m.split(":")[1]: m.split(":")[0] for m in app["volumes"]}
    for kept in ("KG_SEARCH_INDEX", "KG_LOG_DIR"):
        assert any(env[kept].startswith(path + "/") for path in mounts), f"{kept} in a volume"
    assert all(name in compose()["volumes"] for name in mounts.values())
    assert any(str(p).endswith(":8000") for p in app["ports"])
    assert app["command"] == ["kg", "serve", "--host", "0.0.0.0"]


def test_every_setting_is_one_the_app_reads_and_the_env_file_names_them_all() -> None:
    services = compose()["services"]
    read = "\n".join(p.read_text(encoding="utf-8") for p in SOURCES)
    env = dict(services["app"]["environment"])
    for rest in instructions("ENV"):
        env.update(dict(re.findall(r"(KG_\w+)=(\S+)", rest)))
    for name in env:
        assert name.startswith("KG_") and f'"{name}"' in read, f"the app does not read {name}"
    used = set(VARIABLE.findall(COMPOSE.read_text(encoding="utf-8")))
    assert {name for name, _, _ in used} <= set(env_example())
    assert env_example()["NEO4J_PASSWORD"].startswith("change-me")  # a placeholder, no secret
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored, "the real .env never goes into an image"


# --- the Dockerfile installs the way the README does ----------------------------------------


def test_the_image_has_the_python_of_requires_python() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    floor = re.fullmatch(r">=\s*(\d+\.\d+)", pyproject["project"]["requires-python"])
    assert floor
    assert instructions("FROM") == [f"python:{floor.group(1)}-slim"]


def test_the_image_installs_the_project_like_scripts_bootstrap_without_dev_extras() -> None:
    bootstrap = (ROOT / "scripts" / "bootstrap").read_text(encoding="utf-8")
    assert "-m pip install --quiet -e '.[dev]'" in bootstrap, "scripts/bootstrap changed"
    runs = " && ".join(instructions("RUN"))
    installs = [shlex.split(c.strip()) for c in runs.split("&&") if "pip install" in c]
    project = [c for c in installs if "." in c or "-e" in c]
    assert project == [["python", "-m", "pip", "install", "-e", "."]], installs
    assert "[dev]" not in runs
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "Python 3.11+" in readme and "scripts/run" in readme


def test_the_image_holds_everything_the_installed_code_reads() -> None:
    copied = {Path(part).name for rest in instructions("COPY") for part in rest.split()[:-1]}
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    packages = {
        p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    modules = {f"{m}.py" for m in pyproject["tool"]["setuptools"]["py-modules"]}
    # read from the source tree beside the packages: the named queries, the bundled sample
    beside = {"queries", "sample"}
    assert packages | modules | beside | {"pyproject.toml", "README.md"} <= copied
    ignored = set((ROOT / ".dockerignore").read_text(encoding="utf-8").split())
    assert not copied & ignored, "the build context must hold what the Dockerfile copies"


def test_the_image_runs_kg_serve_the_readme_entry_point() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["kg"] == "kg_cli:main"
    assert instructions("CMD") == ['["kg", "serve", "--host", "0.0.0.0"]']
    assert "kg serve --host 0.0.0.0" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert instructions("EXPOSE") == ["8000"]
    assert "def serve(" in (ROOT / "kg_cli.py").read_text(encoding="utf-8")
