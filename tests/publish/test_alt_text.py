"""Every chart of a report has its title as alternative text (issue 24, item 5), not nbconvert's
"No description has been provided for this image": helpers.report.display.show_figure puts the
title in the output's metadata and the report template writes it as ``alt``."""

from __future__ import annotations

import re


def _output_of(fig) -> dict:
    """The notebook output show_figure would produce for ``fig`` (the display formatter's
    data and metadata, as a kernel sends them)."""
    from IPython.core.formatters import DisplayFormatter
    from IPython.display import Image

    from helpers.report.display import figure_alt, figure_png

    alt = figure_alt(fig)
    data, md = DisplayFormatter().format(Image(data=figure_png(fig), format="png",
                                               metadata={"alt": alt} if alt else None))
    return {"output_type": "display_data", "data": data, "metadata": md}


def test_exported_chart_has_its_title_as_alt_text():
    import matplotlib.pyplot as plt
    import nbformat

    from helpers.publish import workers
    from helpers.report import params, sections

    ctx = params.prepare(plan="china_fyp14")
    fig = sections.trajectory_figure(ctx, "I08")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_figure(fig)")
    cell.outputs = [nbformat.from_dict(_output_of(fig)), nbformat.from_dict(_output_of(plt.figure()))]
    nb.cells = [cell]
    plt.close("all")
    body, _ = workers.make_exporter().from_notebook_node(nb, resources={"report_lang": "both"})
    alts = re.findall(r'<img [^>]*?alt="([^"]*)"', body)
    assert alts[0].startswith("城镇调查失业率 / Surveyed urban unemployment rate"), alts
    # a figure without a title keeps nbconvert's behaviour (no made-up description)
    assert body.count("<img ") == 2 and "No description has been provided" in body


def test_alt_joins_wrapped_title_lines():
    import matplotlib.pyplot as plt

    from helpers.report.display import figure_alt

    fig, ax = plt.subplots()
    ax.set_title("单位国内生产\n总值能源消耗 / Energy\nper unit of GDP")
    assert figure_alt(fig) == "单位国内生产总值能源消耗 / Energy per unit of GDP"
    fig.suptitle("Status <by> year")
    assert figure_alt(fig) == "Status <by> year"
    plt.close(fig)
