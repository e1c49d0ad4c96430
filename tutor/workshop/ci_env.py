"""Which CI runs this, from the variables the CI documents: a report's ``graded_in``.

``graded_in`` says where a report was graded: ``None`` for a report a learner made
(``aisec report``), and for a grading in a CI job (``aisec ci grade``)::

    {"provider": "github" | "gitlab", "run_url": ..., "repository": ...,
     "commit": <sha>, "run_id": ..., "tool_version": <aisec-tutor's version>}

Every value is a string; one the CI did not set is "". The variables:

- GitHub Actions sets ``GITHUB_ACTIONS=true``, ``GITHUB_SERVER_URL``,
  ``GITHUB_REPOSITORY`` (owner/name), ``GITHUB_RUN_ID`` and ``GITHUB_SHA``; a run's
  page is ``{server}/{repository}/actions/runs/{run_id}``
  (https://docs.github.com/en/actions/reference/variables-reference).
- GitLab CI sets ``GITLAB_CI=true``, ``CI_JOB_URL``, ``CI_PROJECT_URL``,
  ``CI_PROJECT_PATH`` (namespace/project), ``CI_COMMIT_SHA`` and ``CI_JOB_ID``
  (https://docs.gitlab.com/ci/variables/predefined_variables/).

Anyone can set these variables by hand: ``graded_in`` says where a report claims
it was made; the run's page (``run_url``) is what a facilitator can check.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from tutor import __version__

GRADED_IN_KEYS = ("provider", "run_url", "repository", "commit", "run_id", "tool_version")
CI_PROVIDERS = ("github", "gitlab")
VALUE_LIMIT = 500  # characters kept of each variable


def _get(env: Mapping[str, str], name: str) -> str:
    return env.get(name, "").strip()[:VALUE_LIMIT]


def _github(env: Mapping[str, str]) -> dict[str, Any]:
    server, repo, run = (_get(env, n) for n in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY",
                                                 "GITHUB_RUN_ID"))
    url = f"{server.rstrip('/')}/{repo}/actions/runs/{run}" if server and repo and run else ""
    return {"provider": "github", "run_url": url, "repository": repo,
            "commit": _get(env, "GITHUB_SHA"), "run_id": run, "tool_version": __version__}


def _gitlab(env: Mapping[str, str]) -> dict[str, Any]:
    job, project = _get(env, "CI_JOB_ID"), _get(env, "CI_PROJECT_URL")
    url = _get(env, "CI_JOB_URL") or (f"{project.rstrip('/')}/-/jobs/{job}"
                                       if project and job else "")
    return {"provider": "gitlab", "run_url": url, "repository": _get(env, "CI_PROJECT_PATH"),
            "commit": _get(env, "CI_COMMIT_SHA"), "run_id": job, "tool_version": __version__}


def provider(env: Mapping[str, str] | None = None) -> str | None:
    """"github", "gitlab", or None when no CI we know runs this."""
    env = os.environ if env is None else env
    if env.get("GITHUB_ACTIONS") == "true":
        return "github"
    if env.get("GITLAB_CI") == "true":
        return "gitlab"
    return None


def graded_in(env: Mapping[str, str] | None = None) -> dict[str, Any] | None:
    """The CI run this grading happens in, or None outside a CI."""
    env = os.environ if env is None else env
    found = provider(env)
    if found == "github":
        return _github(env)
    if found == "gitlab":
        return _gitlab(env)
    return None
