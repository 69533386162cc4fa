"""The pages' one HTML builder: each wing's Jinja environment autoescapes, fails on an undefined
name, escapes as the reports do (html.escape, a missing value "—") and has the formatters as
filters; HTML built from escaped parts passes only as Markup."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from helpers.publish import pages
from helpers.report import htmltext

ENVIRONMENTS = [pages.environment, htmltext.environment]


@pytest.mark.parametrize("factory", ENVIRONMENTS)
def test_environment_escapes_and_refuses_undefined_names(factory):
    env = factory()
    assert env.autoescape is True and env.undefined is jinja2.StrictUndefined
    out = env.from_string("{{ a }}|{{ b }}|{{ c }}|{{ d }}").render(
        a="<script>'x'&", b=None, c=Markup("<b>ok</b>"), d=2021)
    assert out == "&lt;script&gt;&#x27;x&#x27;&amp;|—|<b>ok</b>|2021"
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nothing }}").render()


@pytest.mark.parametrize("factory", ENVIRONMENTS)
def test_formatters_are_filters(factory):
    env = factory()
    out = env.from_string('{{ ("是", "yes") | label("en") }} {{ "achieved" | status_label("zh") }} '
                          "{{ 1300.0 | fmt_num }} {{ 0.5 | fmt_pct }} {{ none | fmt_year }}").render()
    assert out == "yes 已达成 1,300 50% —"
