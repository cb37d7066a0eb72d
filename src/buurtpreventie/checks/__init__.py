"""Checks before and around a run: the config, the run folder and a user's exports.

In: ``config.yaml`` (and any ``--configfile``), the run folder, the files a
researcher brings. Out: one line that names the key, file, row or column of a
problem (never a cell's content), or an inspection of an export. Used by the
Snakefile before any rule runs and by ``buurtpreventie inspect``; imports the
readers of the survey and chat stages.

- :mod:`.config`: the config against the schema and against the codebook.
- :mod:`.run_guard`: another run in the same folder, said in one line.
- :mod:`.inspector`: what the pipeline would make of an export, without running it.
"""
