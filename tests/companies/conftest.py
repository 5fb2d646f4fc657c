"""Fixtures for the company tests: an edition, a company with its admin logged in."""

import pytest

from tests import factories


@pytest.fixture
def edition(app):
    return factories.make_edition()


@pytest.fixture
def company(app):
    return factories.make_company(name="Vaxolis")


@pytest.fixture
def admin(company, login_as):
    """The company's administrator, logged in."""
    return login_as(factories.company_admin(company))


@pytest.fixture(autouse=True)
def show_unexpected_errors(monkeypatch):
    """A 500 prints its traceback in the test output (Alembic's logging setup silences the logger)."""
    import traceback

    import jobday.errors

    monkeypatch.setattr(jobday.errors.log, "exception", lambda *args, **kwargs: traceback.print_exc())
