"""Fitcheck's run monitor bootstrap: put on PYTHONPATH by ``fitcheck run`` (or the editor's
*Run with Monitor*), it instruments the script when torch, keras, tensorboard or wandb is imported.

It does nothing unless ``FITCHECK_MONITOR_DIR`` is set, then chains to any other
``sitecustomize`` further along ``sys.path`` so the user's own keeps working.
"""
import os
import sys


def _chain_next_sitecustomize():
    """Run the next ``sitecustomize`` on sys.path (the one this file shadows), if there is one."""
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as exc:  # the user's sitecustomize failing must not hide ours, nor vice versa
        sys.stderr.write("fitcheck monitor: the next sitecustomize failed: %s\n" % exc)


if os.environ.get("FITCHECK_MONITOR_DIR"):
    try:
        import fitcheck_monitor

        fitcheck_monitor.install()
    except Exception as exc:  # never stop the user's script because the monitor broke
        sys.stderr.write("fitcheck monitor: disabled after an error: %s: %s\n" % (type(exc).__name__, exc))
_chain_next_sitecustomize()
