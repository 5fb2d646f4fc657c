"""Imports of macro files keep Jinja's meaning once the comparison of globals is remembered
(``jobday.template_imports``): a template that brings a global the imported file lacks gets a
module of its own that sees it; the others share the kept module."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from jobday import template_imports

MACROS = {"m.html": "{% macro who() %}{{ name|default('nobody') }}{% endmacro %}"}


def test_an_import_sees_the_importers_own_globals_and_no_one_elses():
    template_imports.init_app()
    env = Environment(loader=DictLoader(MACROS))
    importing = '{% from "m.html" import who %}{{ who() }}'
    with_name = env.from_string(importing, globals={"name": "Zoë"})
    without = env.from_string(importing)
    for _ in range(3):  # the first import compares, the next ones remember
        assert without.render() == "nobody"
        assert with_name.render() == "Zoë"  # a set of globals not seen yet: compared again
    kept = env.get_template("m.html")._get_default_module(without.new_context())
    assert kept is env.get_template("m.html")._get_default_module(without.new_context())
    assert env.get_template("m.html")._get_default_module(with_name.new_context()) is not kept

