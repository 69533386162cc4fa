"""The publish wing: report sets rendered and published (render, jobs, workers, reuse, sets,
pages, changes, processed, hygiene, the Jinja ``templates/``, and ``kernels/``, the warm-fork
engine walled in).

May import: the foundation, ``helpers.data``, ``helpers.method`` and ``helpers.report``; never
``helpers.cli``.
"""
