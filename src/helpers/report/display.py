"""Showing a page's parts in the notebook: HTML strings (:func:`show`) and matplotlib Figures
as embedded PNGs drawn once (:func:`show_figure`, :func:`figure_png`).
"""

from __future__ import annotations


def show(*html_parts: str) -> None:
    """Display HTML strings in the notebook (one output)."""
    from IPython.display import HTML, display

    display(HTML("".join(html_parts)))


#: zlib level of report PNGs. Measured on the area charts: level 3 encodes faster than Pillow's
#: default 6 and gives files of about the same size (charts are large flat areas of colour).
PNG_COMPRESS_LEVEL = 3


def figure_png(fig, dpi: float | None = None) -> bytes:
    """The figure as PNG bytes, drawn once, at ``dpi`` (default: the figure's own).

    The charts lay out their own margins (constrained layout, or measured margins for the
    per-target charts), so no tight bounding box is asked for: it (IPython's inline default,
    and the shared style's ``savefig.bbox``) would cost a second full draw per figure, the
    largest single cost of rendering an area report.
    """
    import io

    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"savefig.bbox": "standard"}):
        fig.savefig(buf, format="png", dpi=dpi or fig.dpi,
                    pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
    return buf.getvalue()


def _joined(lines) -> str:
    """Wrapped title lines as one line: a space between them, none between two CJK characters
    (a Chinese title is wrapped inside its words)."""
    out = ""
    for line in (x.strip() for x in lines):
        if not line:
            continue
        cjk = out and not out[-1].isascii() and not line[0].isascii()
        out += line if (not out or cjk) else " " + line
    return out


def figure_alt(fig) -> str:
    """A figure's alternative text: its title (``suptitle``, else every axes' title, in order,
    joined by " — "), the wrapped lines joined; ``""`` for a figure without one."""
    sup = getattr(fig, "_suptitle", None)
    titles = [sup.get_text()] if sup is not None and sup.get_text().strip() else [
        ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return " — ".join(x for x in (_joined(t.splitlines()) for t in titles) if x)


def show_figure(fig) -> None:
    """Display a matplotlib Figure once, as an embedded PNG whose alternative text is the
    chart's title (:func:`figure_alt`, in the output's ``image/png`` metadata, which the report
    template writes as ``alt``), and close it (so the inline backend does not show it a second
    time at the end of the cell)."""
    import matplotlib.pyplot as plt
    from IPython.display import Image, display

    alt = figure_alt(fig)
    display(Image(data=figure_png(fig), format="png", metadata={"alt": alt} if alt else None))
    plt.close(fig)
