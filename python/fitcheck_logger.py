"""Log a training run as ``fitcheck-metrics`` JSON Lines that Fitcheck tails live.

Dependency-free (standard library only); PyTorch is used only by ``watch()``.
Usage::

    from fitcheck_logger import FitcheckLogger
    with FitcheckLogger("runs", name="mnist-mlp", task="multiclass") as log:
        log.watch(model)                       # per-layer gradient / weight norms
        for epoch in range(1, epochs + 1):
            train_one_epoch(model)
            log.log(epoch, **{"train/loss": tl, "val/loss": vl})

Each event is one JSON object on its own line, written with a single ``write``
system call, so a reader tailing the file never sees half a record (unless the
process is killed mid-write). Non-finite numbers are written as the strings
``"NaN"``, ``"Infinity"`` and ``"-Infinity"``. Python 3.8+.
"""

import datetime
import json
import math
import numbers
import operator
import os
import platform
import re
import secrets
import sys
import threading
import time
import warnings

__all__ = ["FitcheckLogger", "WatchHandle"]

FORMAT = "fitcheck-metrics"
VERSION = 1
TASKS = ("regression", "binary", "multiclass")
STATUSES = ("completed", "stopped", "failed")


def _utc_now():
    """Return the current time as an aware UTC datetime."""
    return datetime.datetime.now(datetime.timezone.utc)


def _iso(dt):
    """Format an aware UTC datetime as ISO 8601 with milliseconds and a Z suffix."""
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)


def _slug(name):
    """Turn a run name into a file-name-safe slug (lowercase, [a-z0-9-], max 40 chars)."""
    s = re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")
    s = s[:40].strip("-")
    return s or "run"


def _script_path():
    """The absolute path of the running script, or "" (interactive, ``-c``, ``-m``)."""
    argv0 = sys.argv[0] if getattr(sys, "argv", None) else ""
    if not argv0 or argv0 in ("-c", "-m", "-") or not os.path.isfile(argv0):
        return ""
    return os.path.abspath(argv0)


def _default_name():
    """Return the running script's base name without extension, else "run"."""
    argv0 = sys.argv[0] if getattr(sys, "argv", None) else ""
    base = os.path.splitext(os.path.basename(argv0 or ""))[0]
    if not base or base in ("-c", "-m", "-"):
        return "run"
    return base


def _encode_float(x):
    """Return x, or its JSON string spelling when x is NaN or infinite."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def _sanitize(obj):
    """Recursively replace non-finite floats by their string spellings."""
    if isinstance(obj, float):
        return _encode_float(obj)
    if isinstance(obj, dict):
        return {k: _sanitize(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_sanitize(v) for v in obj]
    return obj


def _is_bool(value):
    """True for Python and numpy booleans (which are not accepted as numbers)."""
    return isinstance(value, bool) or type(value).__name__ in ("bool_", "bool8")


def _to_float(value):
    """Convert a metric value (int, float, numpy scalar, 1-element tensor) to float."""
    if _is_bool(value):
        raise TypeError("booleans are not metric values")
    if isinstance(value, (int, float)):
        number = value
    else:
        item = getattr(value, "item", None)
        if callable(item):
            try:
                number = item()
            except Exception as exc:  # e.g. a tensor with more than one element
                raise TypeError("%s.item() failed: %s" % (type(value).__name__, exc))
            if _is_bool(number) or not isinstance(number, numbers.Real):
                raise TypeError("%s.item() returned %s, not a real number"
                                % (type(value).__name__, type(number).__name__))
        elif isinstance(value, numbers.Real):
            number = value
        else:
            raise TypeError("%s is not a number" % type(value).__name__)
    try:
        return float(number)
    except OverflowError:  # an int too large for a float
        return math.inf if number > 0 else -math.inf


def _check_step(step):
    """Validate a step (an int >= 0; numpy/torch integer scalars accepted) and return it."""
    if _is_bool(step):
        raise TypeError("step must be an int >= 0, not a bool")
    try:
        value = int(operator.index(step))
    except TypeError:
        raise TypeError("step must be an int >= 0, got %s %r" % (type(step).__name__, step))
    if value < 0:
        raise ValueError("step must be an int >= 0, got %d" % value)
    return value


class WatchHandle(object):
    """Handle returned by ``FitcheckLogger.watch``; ``remove()`` detaches its hooks."""

    def __init__(self, logger, model, every):
        self._logger = logger
        self._every = every
        self._handles = []
        self._layers = []  # [(layer name, [parameters])] in module registration order
        self._pending = {}  # layer -> accumulated squared gradient norm (tensor)
        self._arrived = False  # a gradient arrived since the last pass boundary
        self._passes = 0
        self._active = True
        self._build(model)

    def _build(self, model):
        """Map parameters to their owning module and register the hooks."""
        seen = set()
        for mod_name, module in model.named_modules():
            layer = mod_name or "model"
            params = []
            for _, param in module.named_parameters(recurse=False):
                if id(param) in seen:
                    continue  # tied weights: the first owner wins
                seen.add(id(param))
                params.append(param)
            if not params:
                continue
            self._layers.append((layer, params))
            for param in params:
                if param.requires_grad:
                    self._handles.append(param.register_hook(self._grad_hook(layer)))
        self._handles.append(model.register_forward_pre_hook(self._forward_pre_hook))

    def _grad_hook(self, layer):
        """Return a tensor hook that accumulates the layer's squared gradient norm."""
        def hook(grad):
            if not self._active:
                return None
            try:
                with self._logger._lock:
                    self._arrived = True
                    if (self._passes + 1) % self._every != 0:
                        return None  # this pass is not recorded: skip the arithmetic
                    g = grad.detach()
                    if getattr(g, "is_sparse", False):
                        g = g.coalesce().values()
                    g = g.float()
                    sq = (g * g).sum()
                    prev = self._pending.get(layer)
                    self._pending[layer] = sq if prev is None else prev + sq.to(prev.device)
            except Exception as exc:
                self._fail(exc)
            return None
        return hook

    def _forward_pre_hook(self, module, inputs):
        """Flush the gradients of the previous backward pass when a new forward starts."""
        if not self._active:
            return None
        try:
            self._flush()
        except Exception as exc:
            self._fail(exc)
        return None

    def _fail(self, exc):
        """Disable this watch after an internal error, warning once."""
        if not self._active:
            return
        self._active = False
        self._pending = {}
        warnings.warn("fitcheck_logger: gradient watch disabled after an error: %s: %s"
                      % (type(exc).__name__, exc), RuntimeWarning, stacklevel=2)
        try:
            self._detach()
        except Exception:
            pass

    def _flush(self):
        """Count the pass whose gradients arrived and write its record if it is due."""
        with self._logger._lock:
            if not self._arrived:
                return
            self._arrived = False
            self._passes += 1
            pending, self._pending = self._pending, {}
            if self._passes % self._every != 0 or not pending or self._logger.closed:
                return
            import torch  # only reached when gradients arrived, i.e. torch is in use

            grads = {}
            weights = {}
            with torch.no_grad():
                for layer, params in self._layers:
                    if layer not in pending:
                        continue
                    grads["grad_norm/" + layer] = math.sqrt(max(float(pending[layer].item()), 0.0))
                    total = 0.0
                    for p in params:
                        w = p.detach().float()
                        total += float((w * w).sum().item())
                    weights["weight_norm/" + layer] = math.sqrt(total)
            values = dict(grads)
            values.update(weights)
            if self._logger._last_step is None:
                # Before the first log() the epoch's step is unknown (0- or 1-based?): the first
                # log() writes these records at its own step, so they land in its epoch.
                self._logger._early.append(values)
                return
            self._logger._write_scalars(self._logger._last_step + 1, values)

    def _detach(self):
        """Remove all registered hooks."""
        handles, self._handles = self._handles, []
        for h in handles:
            try:
                h.remove()
            except Exception:
                pass
        if self in self._logger._watches:
            self._logger._watches.remove(self)

    def remove(self):
        """Write any pending gradient record, then remove all hooks of this watch."""
        if self._active:
            try:
                self._flush()
            except Exception as exc:
                self._fail(exc)
        self._active = False
        self._detach()


class FitcheckLogger(object):
    """Write a run as ``fitcheck-metrics`` JSON Lines to ``<logdir>/<run_id>.fitcheck.jsonl``."""

    def __init__(self, logdir=".", name=None, epsilon=None, task=None):
        """Create the log file and write the ``start`` event."""
        if name is None:
            name = _default_name()
        name = str(name)
        if task is not None and task not in TASKS:
            raise ValueError("task must be one of %s, got %r" % (", ".join(TASKS), task))
        if epsilon is not None:
            if _is_bool(epsilon) or not isinstance(epsilon, numbers.Real):
                raise TypeError("epsilon must be a number, got %s" % type(epsilon).__name__)
            epsilon = float(epsilon)
            if not math.isfinite(epsilon) or epsilon < 0:
                raise ValueError("epsilon must be a finite number >= 0, got %r" % epsilon)

        self._lock = threading.RLock()
        self._closed = False
        self._last_step = None
        self._early = []  # gradient records of passes before the first log()
        self._watches = []
        self._fh = None

        logdir = os.fspath(logdir)
        os.makedirs(logdir, exist_ok=True)
        now = _utc_now()
        self._t0 = time.perf_counter()
        stamp = now.strftime("%Y%m%d-%H%M%S")
        for attempt in range(16):
            run_id = "%s-%s-%s" % (stamp, _slug(name), secrets.token_hex(2))
            path = os.path.join(logdir, run_id + ".fitcheck.jsonl")
            try:
                self._fh = open(path, "xb", buffering=0)
                break
            except FileExistsError:
                if attempt == 15:
                    raise
        self._run_id = run_id
        self._path = path

        versions = {"python": platform.python_version()}
        torch = sys.modules.get("torch")
        if torch is not None:
            versions["torch"] = str(getattr(torch, "__version__", "unknown"))
        start = {
            "type": "start",
            "format": FORMAT,
            "version": VERSION,
            "runId": run_id,
            "time": _iso(now),
            "name": name,
            "backend": "pytorch" if torch is not None else "python",
            "versions": versions,
            "source": "fitcheck_logger",
        }
        script = _script_path()
        if script:
            start["script"] = script  # lets the editor put a watched run's layer evidence on this script's lines
        if epsilon is not None:
            start["epsilon"] = epsilon
        if task is not None:
            start["task"] = task
        self._write(start)

    # -- properties -------------------------------------------------------

    @property
    def path(self):
        """The path of the JSON Lines file."""
        return self._path

    @property
    def run_id(self):
        """The run id (``YYYYmmdd-HHMMSS-<slug>-<4 hex>``)."""
        return self._run_id

    @property
    def closed(self):
        """True once ``close()`` has run."""
        return self._closed

    # -- internals --------------------------------------------------------

    def _wall_time(self):
        """Seconds since the logger was created."""
        return round(time.perf_counter() - self._t0, 6)

    def _write(self, event):
        """Serialize one event and write it with a single write() followed by flush()."""
        line = json.dumps(_sanitize(event), allow_nan=False, ensure_ascii=False,
                          separators=(",", ":")) + "\n"
        data = memoryview(line.encode("utf-8"))
        with self._lock:
            while data:
                n = self._fh.write(data)
                if n is None:
                    n = 0
                data = data[n:]
            self._fh.flush()

    def _write_scalars(self, step, values):
        """Write one ``scalars`` event."""
        self._write({"type": "scalars", "step": step, "wallTime": self._wall_time(),
                     "values": values})

    def _write_early(self, step):
        """Write the gradient records held back until the first step was known."""
        early, self._early = self._early, []
        for values in early:
            self._write_scalars(step, values)

    def _flush_watches(self):
        """Write the records of gradients accumulated since the last forward pass."""
        for w in list(self._watches):
            if w._active:
                try:
                    w._flush()
                except Exception as exc:
                    w._fail(exc)

    # -- public API -------------------------------------------------------

    def log(self, /, step, **metrics):
        """Write a ``scalars`` event: ``log(step, **{"train/loss": 0.5})``."""
        if self._closed:
            raise ValueError("logger is closed")
        step = _check_step(step)
        if not metrics:
            raise ValueError("log() needs at least one metric, e.g. log(step, loss=0.5)")
        values = {}
        for key, value in metrics.items():
            if not key:
                raise ValueError("metric names must not be empty")
            try:
                values[key] = _to_float(value)
            except TypeError as exc:
                raise TypeError("metric %r: %s" % (key, exc))
        with self._lock:
            if self._closed:
                raise ValueError("logger is closed")
            self._flush_watches()
            self._write_early(step)
            self._write_scalars(step, values)
            self._last_step = step

    def watch(self, model, every=1):
        """Record per-layer gradient and weight L2 norms every ``every``-th backward pass.

        Each record is written at the step after the last one logged (the epoch being trained);
        before the first ``log()`` call the records wait for it and take its step.
        """
        if self._closed:
            raise ValueError("logger is closed")
        if _is_bool(every) or not isinstance(every, int):
            raise TypeError("every must be an int >= 1, got %s" % type(every).__name__)
        if every < 1:
            raise ValueError("every must be an int >= 1, got %d" % every)
        if not (hasattr(model, "named_modules") and hasattr(model, "register_forward_pre_hook")):
            raise TypeError("watch() needs a torch.nn.Module, got %s" % type(model).__name__)
        handle = WatchHandle(self, model, every)
        with self._lock:
            self._watches.append(handle)
        return handle

    def close(self, status="completed", error=None):
        """Flush pending gradients, write the ``end`` event and close the file (idempotent)."""
        if status not in STATUSES:
            raise ValueError("status must be one of %s, got %r" % (", ".join(STATUSES), status))
        with self._lock:
            if self._closed:
                return
            try:
                for w in list(self._watches):
                    w.remove()
                # Gradients of a run that never called log(): written at step 1.
                self._write_early(self._last_step + 1 if self._last_step is not None else 1)
                end = {"type": "end", "status": status, "wallTime": self._wall_time()}
                if error is not None:
                    end["error"] = str(error)
                self._write(end)
                try:
                    os.fsync(self._fh.fileno())
                except OSError:
                    pass
            finally:
                self._closed = True
                self._fh.close()

    def __enter__(self):
        """Return the logger itself."""
        return self

    def __exit__(self, exc_type, exc, tb):
        """Close as "completed", "stopped" (KeyboardInterrupt) or "failed"; never swallow errors."""
        if exc_type is None:
            self.close("completed")
        elif issubclass(exc_type, KeyboardInterrupt):
            self.close("stopped", error="KeyboardInterrupt")
        else:
            self.close("failed", error="%s: %s" % (exc_type.__name__, exc))
        return False

    def __repr__(self):
        return "FitcheckLogger(%r%s)" % (self._path, ", closed" if self._closed else "")
