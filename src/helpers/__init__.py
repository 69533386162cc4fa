"""helpers — track a government plan's quantitative targets against what actually happened.

The package is laid out by role, after papermill's own layout, in three layers; a module imports
only from its own layer or the ones above it in this list (data -> method -> report), never the
reverse.

Data layer (the plan's files, read, checked and loaded):

- ``paths``       default locations of the data and reports; a set folder's date pattern
- ``exceptions``  every error the package raises on purpose, typed, in one module
- ``vocab``       the generic vocabularies (kinds, comparators, statuses, methods, languages), zh/en labels
- ``formats``     numbers and targets as text ("1300" exact, "1,300" for tables; "≥ 6", "≈ 75 ± 5")
- ``fileio``      atomic writes (temp file + rename), formula neutralisation, output errors as messages
- ``locks``       the data lock shared by ``import``, ``build`` and ``render``
- ``plan``        a plan: ``plan.json``'s vocabulary (areas, places), where its files are, ``new-plan``
- ``geos``        which places a plan is scored for: the one geo rule every command shares
- ``schema``      pandera schemas of the targets and statistics contracts
- ``readers``     input files read as text cells: file checks, encodings, CSV and .xlsx, invisible characters
- ``coerce``      number cells turned into numbers, with a message for every cell that is not one
- ``validate``    turns schema failures into problems naming file, line and column
- ``load``        validated loading of targets, statistics and plan metadata; the render's inputs snapshot
- ``template``    the researchers' fill-in template and its validating import

Method layer (the arithmetic):

- ``kinds``       the target kinds' arithmetic and own status rules; Eurostat's thresholds on r
- ``gapinputs``   the engine's inputs: targets and statistics checked, typed; a relative target's reference geo
- ``gaps``        the gap-to-target engine (methods ``linear`` and ``cagr``), projections
- ``summaries``   a trajectory summed up: the latest status per target, counts by status per area (roll-ups)
- ``coverage``    what is known and what is missing

Report layer (notebooks, pages, the renderer and the commands):

- ``fonts``/``style``  CJK-safe matplotlib styling: one shared look, labels in a drawable language
- ``charts``      one function per chart (trajectory, heatmap, scoreboard), each returning a Figure
- ``chartparts``  a trajectory chart's pieces that draw the target's own series, by kind
- ``chartcontext`` the lines beside a target, never scored: other places (benchmarks) and proxy series
- ``chartlayout`` titles wrapped whole, legends below the axes, measured margins, the "no data" note
- ``params``      the notebooks' parameter checks and shared context (``params.prepare``)
- ``htmltext``    HTML/text primitives: escaping, safe links, headings, paragraphs, footer, display
- ``terms``       the reports' words (two gaps, no data, not scored), report statuses, engine notes in words
- ``frames``      the report's tables as DataFrames (status, no data, by year), numbers as numbers
- ``tables``      those tables as escaped HTML (pandas Styler) and plain text; sources, coverage
- ``narrate``     the generated sentences (narratives, findings, one target) and the key figures text
- ``sections``    the report notebooks' sections (titles, tables, charts, key figures)
- ``widgets``     ipywidgets explorers for JupyterLab (skipped under papermill)
- ``pages``       the pages around the reports: a set's ``index.html`` and ``set.json``, the archive
- ``changes``     what changed since the previous set (``changes.csv``/``.html``); a set's ``inputs/`` snapshot
- ``render``      papermill + nbconvert report renderer: checks, plans and drives a render
- ``workers``     the render's worker processes: start-up, one notebook executed and exported
- ``engines``     the ``warm-fork`` papermill engine: kernels forked from one template per render
- ``_zygote``     the template process of ``warm-fork`` (run on the kernel's interpreter)
- ``_warmfork``   papermill and jupyter_client classes that fork kernels from the template
- ``hygiene``     no orphaned workers or kernels, no leaked temporary folders; SIGTERM stops a render
- ``reuse``       pages unchanged since a published set are copied, not executed (``fingerprints.json``)
- ``publish``     publishing a finished set: atomic rename, ``latest``, ``.failed/``, clean-up
- ``processed``   rebuilds ``data/processed/`` (``make data``); the ``gaps`` command's table
- ``cli``         ``python -m helpers ...`` (``__main__`` runs it)
"""

__version__ = "0.1.0"
