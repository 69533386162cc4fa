"""helpers — track a government plan's quantitative targets against what actually happened.

The package is laid out by role, after papermill's own layout:

- ``paths``       default locations of the raw and processed data and reports
- ``exceptions``  every error the package raises on purpose, typed, in one module
- ``vocab``       controlled vocabularies (areas, kinds, comparators, statuses) and their zh/en labels
- ``fileio``      atomic writes (temp file + rename) and tolerant CSV reading
- ``schema``      pandera schemas of the targets and statistics contracts
- ``validate``    turns schema failures into problems naming file, line and column
- ``load``        validated loading of targets, statistics and plan metadata
- ``gaps``        the gap-to-target engine (methods ``linear`` and ``cagr``), projections, roll-ups
- ``template``    the researchers' fill-in template and its validating import
- ``coverage``    what is known and what is missing
- ``fonts``/``style``/``charts``  CJK-safe matplotlib styling and one function per chart
- ``narrate``     generated sentences for the notebooks
- ``render``      papermill + nbconvert report renderer
- ``cli``         ``python -m helpers ...``
"""

__version__ = "0.1.0"
