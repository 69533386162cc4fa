"""helpers — track a government plan's quantitative targets against what actually happened.

The package is laid out by role, after papermill's own layout:

- ``paths``       default locations of the raw and processed data and reports
- ``exceptions``  every error the package raises on purpose, typed, in one module
- ``vocab``       controlled vocabularies (areas, kinds, comparators, statuses) and their zh/en labels
- ``formats``     numbers and targets as text ("1300" exact, "1,300" for tables; "≥ 6", "≈ 75 ± 5")
- ``fileio``      atomic writes (temp file + rename), formula neutralisation, output errors as messages
- ``locks``       the data lock shared by ``import``, ``build`` and ``render``
- ``schema``      pandera schemas of the targets and statistics contracts
- ``readers``     input files read as text cells: file checks, encodings, CSV and .xlsx, invisible characters
- ``coerce``      number cells turned into numbers, with a message for every cell that is not one
- ``validate``    turns schema failures into problems naming file, line and column
- ``load``        validated loading of targets, statistics and plan metadata
- ``gaps``        the gap-to-target engine (methods ``linear`` and ``cagr``), projections, roll-ups
- ``kinds``       the target kinds' arithmetic and own status rules; Eurostat's thresholds on r
- ``template``    the researchers' fill-in template and its validating import
- ``coverage``    what is known and what is missing
- ``processed``   rebuilds ``data/processed/`` (``make data``)
- ``fonts``/``style``/``charts``  CJK-safe matplotlib styling and one function per chart
- ``params``      the notebooks' parameter checks and shared context (``params.prepare``)
- ``narrate``     escaped HTML text, tables and generated sentences for the notebooks
- ``sections``    the report notebooks' sections (titles, tables, charts, key figures)
- ``widgets``     ipywidgets explorers for JupyterLab (skipped under papermill)
- ``render``      papermill + nbconvert report renderer
- ``workers``     the render's worker processes: start-up, one notebook executed and exported
- ``publish``     publishing a finished set: atomic rename, ``latest``, ``.failed/``, clean-up
- ``cli``         ``python -m helpers ...``
"""

__version__ = "0.1.0"
