"""Jinja's imports of macro files, without comparing every global at each import.

``{% from "macros/forms.html" import render_field %}`` asks the imported template for its
module. Jinja first works out which of the importing context's globals the imported template
lacks, by iterating a ChainMap of all the application's globals in Python (about 160 calls an
import; a page imports two to five files); when none is missing, it gives the module it keeps.
Here each template remembers the sets of globals it was found to have already, so a set is
compared once: the same answer, as globals are only ever added."""

from __future__ import annotations

from jinja2 import Template

_jinja_default_module = Template._get_default_module


def _default_module(self: Template, ctx=None):
    if ctx is not None:
        known = self.__dict__.get("_jobday_known_globals")
        if known is None or not ctx.globals_keys <= known:
            if ctx.globals_keys - self.globals.keys():
                return _jinja_default_module(self, ctx)  # a module of its own, with what is new
            self._jobday_known_globals = frozenset(ctx.globals_keys) | (known or frozenset())
    return _jinja_default_module(self, None)


def init_app(_app=None) -> None:
    Template._get_default_module = _default_module
