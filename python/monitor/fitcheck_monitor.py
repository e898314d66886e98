"""Fitcheck's zero-touch run monitor: instruments an unchanged training script and writes what it
measures as ``fitcheck-metrics`` JSON Lines (the format of ``fitcheck_logger.py``) to
``$FITCHECK_MONITOR_DIR/<run id>.fitcheck.jsonl``, which ``fitcheck watch`` and the panel read.

Standard library only; it patches a framework only when the script imports it. Nothing it does
changes a tensor the script computes: it reads detached copies under ``torch.no_grad()``, and
its hooks return ``None``. Measured (each part can be turned off, see docs/monitor.md):

* PyTorch: the loss of every ``backward()`` on a one-element tensor (``train/batch_loss``, the
  mean over each window of ``FITCHECK_MONITOR_EVERY`` backward passes), the learning rate of the
  first optimizer (``train/lr``), per-layer gradient norms of the model whose parameters an
  optimizer holds (``grad_norm/<module path>``, sampled once per window), and per activation
  module the fraction of dead ReLU units (``dead_frac/<path>``) or saturated sigmoid/tanh outputs
  (``saturated_frac/<path>``), sampled on the forward pass of the window's last step.
* ``SummaryWriter.add_scalar(s)`` and ``wandb.log``: every scalar is also written here, on the
  monitor's step clock; the original call runs first and unchanged.
* Keras: a callback added to every ``Model.fit`` records each epoch's logs as Keras computed them.
* PyTorch Lightning and Hugging Face ``Trainer``: a callback appended by ``Trainer.__init__``
  records the epoch's ``trainer.callback_metrics`` (Lightning) or every ``on_log`` dict (HF).
"""
import atexit
import datetime
import importlib.abc
import importlib.util
import json
import math
import os
import platform
import re
import secrets
import signal
import sys
import threading
import types
import weakref

FORMAT = "fitcheck-metrics"
VERSION = 1
ACTIVATIONS = {"ReLU": "relu", "ReLU6": "relu", "Sigmoid": "sigmoid", "Tanh": "tanh"}


def _flag(name, default=True):
    """Read an on/off environment switch (``0``, ``false``, ``off`` and ``no`` turn it off)."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() not in ("0", "false", "off", "no")


def _positive_int(name, default):
    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value >= 1 else default


def _number(value):
    """A float for int/float/numpy/one-element tensor values; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    item = getattr(value, "item", None)
    if callable(item):
        try:
            value = item()
        except Exception:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def _json_number(x):
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


class _Stream(object):
    """The run's JSONL file, created at the first record so Python helpers of a run stay silent."""

    def __init__(self, folder):
        self._folder = folder
        self._fh = None
        self._lock = threading.RLock()
        self._t0 = None
        self.closed = False

    def _open(self):
        os.makedirs(self._folder, exist_ok=True)
        now = datetime.datetime.now(datetime.timezone.utc)
        script = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] not in ("", "-c", "-m", "-") else ""
        name = os.environ.get("FITCHECK_MONITOR_NAME") or (os.path.splitext(os.path.basename(script))[0] if script else "run")
        slug = (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40].strip("-")) or "run"
        run_id = "%s-%s-%s" % (now.strftime("%Y%m%d-%H%M%S"), slug, secrets.token_hex(2))
        self._fh = open(os.path.join(self._folder, run_id + ".fitcheck.jsonl"), "xb", buffering=0)
        import time
        self._clock = time.perf_counter
        self._t0 = self._clock()
        versions = {"python": platform.python_version()}
        for mod in ("torch", "keras", "pytorch_lightning", "lightning", "transformers"):
            if mod in sys.modules:
                versions[mod] = str(getattr(sys.modules[mod], "__version__", "unknown"))
        self._write({
            "type": "start", "format": FORMAT, "version": VERSION, "runId": run_id,
            "time": now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000),
            "name": name, "backend": "pytorch" if "torch" in sys.modules else "python",
            "versions": versions, "source": "fitcheck_monitor", "script": script, "pid": os.getpid(),
        })

    def _write(self, event):
        line = json.dumps(event, allow_nan=False, separators=(",", ":")) + "\n"
        data = memoryview(line.encode("utf-8"))
        while data:  # one write per line: a reader tailing the file never sees half a record
            n = self._fh.write(data) or 0
            data = data[n:]

    def scalars(self, step, values):
        """Write one ``scalars`` event (values: name -> float)."""
        if not values:
            return
        with self._lock:
            if self.closed:
                return
            if self._fh is None:
                self._open()
            self._write({"type": "scalars", "step": int(step), "wallTime": round(self._clock() - self._t0, 6),
                         "values": {k: _json_number(v) for k, v in values.items()}})

    def end(self, status, error=None):
        """Write the ``end`` event and close (only when something was recorded)."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            if self._fh is None:
                return
            event = {"type": "end", "status": status, "wallTime": round(self._clock() - self._t0, 6)}
            if error:
                event["error"] = error
            self._write(event)
            self._fh.close()


class _TorchMonitor(object):
    """Loss, learning rate, gradient norms and unit statistics of a plain PyTorch loop.

    Cost: an unsampled step pays one Python call and one ``detach()`` in ``backward()``; the
    gradient and forward hooks exist only during the sampled step (armed just before it,
    removed right after), so the other steps run hook-free.
    """

    def __init__(self, stream, every):
        self.stream = stream
        self.every = every
        self.grads_on = _flag("FITCHECK_MONITOR_GRADS")
        self.units_on = _flag("FITCHECK_MONITOR_UNITS")
        self.loss_on = _flag("FITCHECK_MONITOR_LOSS")
        self.step = 0
        self.losses = []  # detached losses of the current window
        self.optimizers = []  # weak references, in creation order
        self.model = None
        self.search_at = 1  # the backward pass at which the model is looked for next (1, 2, 4, …)
        self.pending = None  # (step, values) waiting for its gradients
        self.grad_sq = {}  # layer -> squared norm tensor of the sampled pass
        self.units = {}  # activation layer -> saturated fraction tensor
        self.alive = {}  # ReLU layer -> units seen active in the current window
        self.alive_samples = 0
        self.params = []  # (layer, parameter) of the model, in module order
        self.activations = []  # (layer, kind, module)
        self.layer_order = []
        self.grad_handles = []
        self.unit_handles = []
        self.paused = 0  # > 0 while Keras fit runs (it reports per epoch itself)
        self.lock = threading.RLock()

    # -- patches ---------------------------------------------------------------------------

    def patch(self, torch):
        """Wrap ``Tensor.backward`` and ``Optimizer.__init__``."""
        self.torch = torch
        monitor = self
        original_backward = torch.Tensor.backward

        def backward(tensor, *args, **kwargs):
            try:
                monitor.before_backward(tensor)
            except Exception as exc:
                monitor.fail(exc)
            return original_backward(tensor, *args, **kwargs)

        backward.__doc__ = original_backward.__doc__
        backward.__wrapped__ = original_backward
        torch.Tensor.backward = backward

        optimizer_class = torch.optim.Optimizer
        original_init = optimizer_class.__init__

        def __init__(optimizer, *args, **kwargs):
            original_init(optimizer, *args, **kwargs)
            try:
                monitor.optimizers.append(weakref.ref(optimizer))
            except TypeError:
                pass

        __init__.__wrapped__ = original_init
        optimizer_class.__init__ = __init__

    def fail(self, exc):
        """Turn the PyTorch part off after an internal error, saying so once."""
        if self.loss_on or self.grads_on or self.units_on:
            sys.stderr.write("fitcheck monitor: PyTorch measurements off after an error: %s: %s\n" % (type(exc).__name__, exc))
        self.loss_on = self.grads_on = self.units_on = False
        self.disarm(self.grad_handles)
        self.disarm(self.unit_handles)

    @staticmethod
    def disarm(handles):
        while handles:
            try:
                handles.pop().remove()
            except Exception:
                pass

    # -- per step --------------------------------------------------------------------------

    def before_backward(self, loss):
        """Count a training step; record its loss; arm the hooks of the sampled steps."""
        if self.paused or not (self.loss_on or self.grads_on or self.units_on):
            return
        if not loss.requires_grad or loss.numel() != 1:
            return  # not a training loss (a vector backward, or a tensor without a graph)
        with self.lock:
            self.flush()
            self.disarm(self.unit_handles)  # the sampled forward pass is over
            self.step += 1
            if self.model is None and self.step >= self.search_at and self.optimizers:
                self.search_at *= 2
                self.find_model()
            if self.loss_on:
                self.losses.append(loss.detach())
            if self.step % self.every == 0:
                values = {}
                if self.losses:
                    values["train/batch_loss"] = self.losses
                    self.losses = []
                lr = self.learning_rate()
                if lr is not None:
                    values["train/lr"] = lr
                self.pending = (self.step, values)
                if self.grads_on and self.model is not None:
                    for layer, param in self.params:
                        self.grad_handles.append(param.register_hook(self.grad_hook(layer)))
            if (self.step + 1) % self.every == 0 and self.units_on and self.model is not None:
                for layer, kind, module in self.activations:
                    self.unit_handles.append(module.register_forward_hook(self.unit_hook(layer, kind)))

    def learning_rate(self):
        for ref in self.optimizers:
            opt = ref()
            if opt is not None and getattr(opt, "param_groups", None):
                return _number(opt.param_groups[0].get("lr"))
        return None

    def flush(self):
        """Write the pending record, its gradient norms and unit statistics included."""
        if self.pending is None:
            return
        self.disarm(self.grad_handles)
        step, values = self.pending
        self.pending = None
        out = {}
        for key, value in values.items():
            if isinstance(value, list):
                value = self.torch.stack([v.reshape(()).float() for v in value]).mean()
            number = _number(value)
            if number is not None:
                out[key] = number
        # Hooks fire from the output backwards: write the layers in the model's own order.
        for layer in self.layer_order:
            sq = self.grad_sq.get(layer)
            if sq is not None:
                out["grad_norm/" + layer] = math.sqrt(max(float(sq), 0.0))
        self.grad_sq = {}
        for layer, value in self.units.items():
            out["saturated_frac/" + layer] = float(value)
        self.units = {}
        if self.alive_samples >= 4:  # a unit is dead when no example of 4 sampled batches lit it
            for layer, alive in self.alive.items():
                out["dead_frac/" + layer] = 1.0 - float(alive.float().mean())
            self.alive = {}
            self.alive_samples = 0
        self.stream.scalars(step, out)

    # -- the model -------------------------------------------------------------------------

    def find_model(self):
        """Find the module holding the most of the optimizers' parameters, and note its layers."""
        import gc
        import warnings

        nn = self.torch.nn
        wanted = set()
        for ref in self.optimizers:
            opt = ref()
            if opt is None:
                continue
            for group in opt.param_groups:
                wanted.update(id(p) for p in group["params"])
        # The model is nearly always a variable of the training loop's frames (or an attribute of
        # their `self`): look there first; the scan of every live object costs ~0.1 s, so it is the fallback.
        best, best_count = self.best_owner(self.frame_modules(nn), wanted)
        if best_count < len(wanted):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # isinstance() on some lazy objects warns about deprecations
                best, best_count = self.best_owner([obj for obj in gc.get_objects() if isinstance(obj, nn.Module)], wanted)
        # torch.compile's OptimizedModule holds the script's module as `_orig_mod`: name the layers
        # by the script's own module paths (`0`, `fc1`), not `_orig_mod.0`, so they map to its lines.
        while best is not None and isinstance(getattr(best, "_orig_mod", None), nn.Module):
            best = best._orig_mod
        if best is not None:
            self.model = best
            self.layers(best)

    @staticmethod
    def frame_modules(nn):
        """Modules held by the variables of the calling frames, and by the attributes of those variables."""
        found = []
        frame = sys._getframe(2)
        while frame is not None:
            for value in list(frame.f_locals.values()) + (list(frame.f_globals.values()) if frame.f_back is None else []):
                if isinstance(value, nn.Module):
                    found.append(value)
                elif hasattr(value, "__dict__") and not isinstance(value, (type, types.ModuleType)):
                    try:
                        found.extend(v for v in vars(value).values() if isinstance(v, nn.Module))
                    except TypeError:
                        pass
            frame = frame.f_back
        return found

    @staticmethod
    def best_owner(modules, wanted):
        """The module owning the most of `wanted`; among equals the one with more modules (the root)."""
        best, best_count = None, 0
        for obj in modules:
            count = sum(1 for p in obj.parameters() if id(p) in wanted)
            if count > best_count or (count == best_count and count and sum(1 for _ in obj.modules()) > sum(1 for _ in best.modules())):
                best, best_count = obj, count
        return best, best_count

    def layers(self, model):
        """The parameters of each module (by module path) and the ReLU/sigmoid/tanh modules."""
        seen = set()
        for path, module in model.named_modules():
            layer = path or "model"
            self.layer_order.append(layer)
            for _, param in module.named_parameters(recurse=False):
                if id(param) in seen or not param.requires_grad:
                    continue  # tied weights: the first owner wins
                seen.add(id(param))
                self.params.append((layer, param))
            kind = ACTIVATIONS.get(type(module).__name__)
            if kind:
                self.activations.append((layer, kind, module))

    def compiling(self):
        """Whether torch.compile is tracing right now (torch >= 2.3; never on older versions)."""
        check = getattr(getattr(self.torch, "compiler", None), "is_compiling", None)
        return bool(check()) if check is not None else False

    def grad_hook(self, layer):
        monitor = self

        def hook(grad):
            if monitor.compiling():
                return None  # traced into a compiled graph (compiled autograd): not a real gradient
            try:
                g = grad.detach()
                if getattr(g, "is_sparse", False):
                    g = g.coalesce().values()
                g = g.float()
                sq = (g * g).sum()
                previous = monitor.grad_sq.get(layer)
                monitor.grad_sq[layer] = sq if previous is None else previous + sq.to(previous.device)
            except Exception as exc:
                monitor.fail(exc)
            return None

        return hook

    def unit_hook(self, layer, kind):
        monitor = self

        def hook(module, inputs, output):
            if not module.training or not monitor.torch.is_grad_enabled() or monitor.paused or monitor.compiling():
                return None  # (while torch.compile traces, outputs are fake tensors with no values)
            try:
                with monitor.torch.no_grad():
                    o = output.detach()
                    if o.dim() < 2:
                        return None
                    if kind == "relu":
                        # A unit is a feature (last dim) or a channel (dim 1 of N,C,H,W / N,C,D,H,W).
                        unit_dim = 1 if o.dim() in (2, 4, 5) else o.dim() - 1
                        lit = (o > 0).transpose(0, unit_dim).reshape(o.shape[unit_dim], -1).any(dim=1)
                        previous = monitor.alive.get(layer)
                        monitor.alive[layer] = lit if previous is None else (previous | lit)
                        if layer == next(iter(monitor.alive)):
                            monitor.alive_samples += 1
                    else:
                        near = (o < 0.01) | (o > 0.99) if kind == "sigmoid" else (o.abs() > 0.99)
                        monitor.units[layer] = near.float().mean()
            except Exception as exc:
                monitor.fail(exc)
            return None

        return hook


_callback_classes = {}  # framework module name -> the monitor's callback class made when it was patched


def _restore_callback(key):
    """Unpickle a monitor callback (a trainer sent to a spawned process, e.g. Lightning's ddp_spawn):
    this process's monitor callback when its monitor patched the framework, else the framework's no-op base."""
    import importlib

    module = importlib.import_module(key)  # importing it patches it, when this process has a monitor
    cls = _callback_classes.get(key)
    if cls is not None:
        return cls()
    if key == "transformers.trainer":
        return importlib.import_module("transformers.trainer_callback").TrainerCallback()
    return module.Callback()


class _Monitor(object):
    """Installs the patches as frameworks are imported, and closes the run at exit."""

    def __init__(self):
        self.stream = _Stream(os.environ["FITCHECK_MONITOR_DIR"])
        self.every = _positive_int("FITCHECK_MONITOR_EVERY", 10)
        self.torch = None
        self.status = "completed"
        self.error = None
        self.forwarding = False  # inside a forwarded call: a writer that calls another is counted once

    def step(self):
        return self.torch.step if self.torch is not None else 0

    def record(self, values):
        """Write user-logged scalars at the monitor's current step."""
        if values:
            self.stream.scalars(self.step(), values)

    # -- framework patches -----------------------------------------------------------------

    def patch_torch(self, module):
        if not (_flag("FITCHECK_MONITOR_LOSS") or _flag("FITCHECK_MONITOR_GRADS") or _flag("FITCHECK_MONITOR_UNITS")):
            return
        self.torch = _TorchMonitor(self.stream, self.every)
        self.torch.patch(module)

    def patch_summary_writer(self, module):
        writer = getattr(module, "SummaryWriter", None)
        if writer is None or not _flag("FITCHECK_MONITOR_SCALARS"):
            return
        monitor = self
        add_scalar = writer.add_scalar
        add_scalars = writer.add_scalars

        def patched_add_scalar(self, tag, scalar_value, *args, **kwargs):
            result = add_scalar(self, tag, scalar_value, *args, **kwargs)
            monitor.forward({str(tag): scalar_value})
            return result

        def patched_add_scalars(self, main_tag, tag_scalar_dict, *args, **kwargs):
            result = add_scalars(self, main_tag, tag_scalar_dict, *args, **kwargs)
            monitor.forward({"%s/%s" % (main_tag, k): v for k, v in dict(tag_scalar_dict).items()})
            return result

        patched_add_scalar.__wrapped__ = add_scalar
        patched_add_scalars.__wrapped__ = add_scalars
        writer.add_scalar = patched_add_scalar
        writer.add_scalars = patched_add_scalars

    def patch_wandb(self, module):
        log = getattr(module, "log", None)
        if not callable(log) or not _flag("FITCHECK_MONITOR_SCALARS"):
            return
        monitor = self

        def patched_log(data=None, *args, **kwargs):
            result = log(data, *args, **kwargs)
            if isinstance(data, dict):
                monitor.forward(data)
            return result

        patched_log.__wrapped__ = log
        module.log = patched_log

    def forward(self, values):
        """Record the numeric values of a user's logging call; never raise into it."""
        if self.forwarding:
            return
        self.forwarding = True
        try:
            out = {}
            for key, value in values.items():
                number = _number(value)
                if number is not None:
                    out[str(key)] = number
            if self.torch is not None:
                with self.torch.lock:
                    self.torch.flush()  # the window before this call is written first
                    self.record(out)
            else:
                self.record(out)
        except Exception as exc:
            sys.stderr.write("fitcheck monitor: a logged scalar was not recorded: %s\n" % exc)
        finally:
            self.forwarding = False

    def patch_keras(self, module):
        model_class = getattr(module, "Model", None)
        callbacks = getattr(module, "callbacks", None)
        if model_class is None or callbacks is None or not _flag("FITCHECK_MONITOR_KERAS"):
            return
        monitor = self

        class FitcheckCallback(callbacks.Callback):
            """Records every epoch's logs (loss, val_loss, metrics) exactly as Keras computed them."""

            def on_epoch_end(self, epoch, logs=None):
                out = {}
                for key, value in (logs or {}).items():
                    number = _number(value)
                    if number is not None:
                        out[str(key)] = number
                monitor.stream.scalars(epoch + 1, out)

        fit = model_class.fit

        callback_list = getattr(callbacks, "CallbackList", None)

        def patched_fit(self, *args, **kwargs):
            ours = FitcheckCallback()
            borrowed = None  # a CallbackList the script passed: ours joins it for this fit only
            try:
                given = args[5] if len(args) >= 6 else kwargs.get("callbacks")  # x, y, batch_size, epochs, verbose, callbacks
                if callback_list is not None and isinstance(given, callback_list):
                    # Keras uses a CallbackList as it is (no History or progress bar added): so do we.
                    given.callbacks.append(ours)
                    borrowed = given
                elif len(args) >= 6:
                    args = list(args)
                    args[5] = list(given or []) + [ours]
                else:
                    kwargs["callbacks"] = list(given or []) + [ours]
            except Exception as exc:
                sys.stderr.write("fitcheck monitor: no Keras callback added: %s\n" % exc)
            if monitor.torch is not None:
                monitor.torch.paused += 1  # Keras on the torch backend: its epochs, not backward()
            try:
                return fit(self, *args, **kwargs)
            finally:
                if monitor.torch is not None:
                    monitor.torch.paused -= 1
                if borrowed is not None and ours in borrowed.callbacks:
                    borrowed.callbacks.remove(ours)

        patched_fit.__wrapped__ = fit
        model_class.fit = patched_fit

    def record_framework(self, values, framework_step):
        """Write a framework's own logs: on the monitor's step clock when it counts backward() passes
        (so they line up with the gradient norms), else at the framework's step."""
        out = {}
        for key, value in values.items():
            number = _number(value)
            if number is not None:
                out[str(key)] = number
        if not out:
            return
        if self.torch is not None and self.torch.step > 0:
            with self.torch.lock:
                self.torch.flush()  # the window before these logs is written first
                self.stream.scalars(self.torch.step, out)
        else:
            self.stream.scalars(framework_step, out)

    def patch_lightning(self, module):
        """PyTorch Lightning (``pytorch_lightning`` or ``lightning.pytorch``): a callback appended to
        every ``Trainer`` records ``trainer.callback_metrics`` at the end of each training epoch."""
        trainer_class = getattr(module, "Trainer", None)
        callback_class = getattr(module, "Callback", None)
        if trainer_class is None or callback_class is None or not _flag("FITCHECK_MONITOR_LIGHTNING"):
            return
        if getattr(trainer_class.__init__, "_fitcheck", False):
            return  # lightning.pytorch and pytorch_lightning can share a class
        monitor = self

        class FitcheckLightningCallback(callback_class):
            """Records what the script logged with ``self.log`` (train and validation), as Lightning
            aggregated it for the epoch, plus ``epoch`` as Lightning's own loggers do."""

            def on_train_epoch_end(self, trainer, pl_module):
                try:
                    values = dict(trainer.callback_metrics)
                    values["epoch"] = trainer.current_epoch
                    monitor.record_framework(values, trainer.global_step)
                except Exception as exc:
                    sys.stderr.write("fitcheck monitor: Lightning metrics not recorded: %s\n" % exc)

            def __reduce__(self):
                return (_restore_callback, (module.__name__,))  # a local class: pickled by name instead

        _callback_classes[module.__name__] = FitcheckLightningCallback
        original_init = trainer_class.__init__

        def __init__(trainer, *args, **kwargs):
            original_init(trainer, *args, **kwargs)
            try:
                trainer.callbacks.append(FitcheckLightningCallback())
            except Exception as exc:
                sys.stderr.write("fitcheck monitor: no Lightning callback added: %s\n" % exc)

        __init__.__wrapped__ = original_init
        __init__._fitcheck = True
        trainer_class.__init__ = __init__

    def patch_transformers(self, module):
        """Hugging Face ``transformers.Trainer``: a callback added to every trainer records each
        ``on_log`` dict (loss, learning_rate, grad_norm, eval_* …) as the Trainer logged it."""
        trainer_class = getattr(module, "Trainer", None)
        if trainer_class is None or not _flag("FITCHECK_MONITOR_TRANSFORMERS"):
            return
        from transformers.trainer_callback import TrainerCallback

        monitor = self

        class FitcheckTrainerCallback(TrainerCallback):
            def on_log(self, args, state, control, logs=None, **kwargs):
                try:
                    monitor.record_framework(dict(logs or {}), state.global_step)
                except Exception as exc:
                    sys.stderr.write("fitcheck monitor: Trainer logs not recorded: %s\n" % exc)

            def __reduce__(self):
                return (_restore_callback, (module.__name__,))

        _callback_classes[module.__name__] = FitcheckTrainerCallback
        original_init = trainer_class.__init__

        def __init__(trainer, *args, **kwargs):
            original_init(trainer, *args, **kwargs)
            try:
                trainer.add_callback(FitcheckTrainerCallback())
            except Exception as exc:
                sys.stderr.write("fitcheck monitor: no Trainer callback added: %s\n" % exc)

        __init__.__wrapped__ = original_init
        trainer_class.__init__ = __init__

    # -- lifecycle -------------------------------------------------------------------------

    def close(self):
        try:
            if self.torch is not None:
                with self.torch.lock:
                    self.torch.flush()
        except Exception:
            pass
        self.stream.end(self.status, self.error)


class _PatchingLoader(importlib.abc.Loader):
    """Runs a module's own loader, then patches the module."""

    def __init__(self, loader, patch):
        self._loader = loader
        self._patch = patch

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        try:
            self._patch(module)
        except Exception as exc:
            sys.stderr.write("fitcheck monitor: %s not instrumented: %s: %s\n" % (module.__name__, type(exc).__name__, exc))

    def __getattr__(self, name):
        return getattr(self._loader, name)


class _Finder(importlib.abc.MetaPathFinder):
    """Finds the watched modules through the other finders and wraps their loaders."""

    def __init__(self, patches):
        self._patches = patches
        self._busy = set()

    def find_spec(self, name, path=None, target=None):
        patch = self._patches.get(name)
        if patch is None or name in self._busy:
            return None
        self._busy.add(name)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            self._busy.discard(name)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _PatchingLoader(spec.loader, patch)
        return spec


_installed = None


def install():
    """Install the import hooks and the exit handlers (once)."""
    global _installed
    if _installed is not None:
        return _installed
    monitor = _Monitor()
    _installed = monitor
    patches = {
        "torch": monitor.patch_torch,
        "torch.utils.tensorboard.writer": monitor.patch_summary_writer,
        "tensorboardX.writer": monitor.patch_summary_writer,
        "wandb": monitor.patch_wandb,
        "keras": monitor.patch_keras,
        "pytorch_lightning": monitor.patch_lightning,
        "lightning.pytorch": monitor.patch_lightning,
        "transformers.trainer": monitor.patch_transformers,
    }
    sys.meta_path.insert(0, _Finder(patches))

    previous_hook = sys.excepthook

    def excepthook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            monitor.status, monitor.error = "stopped", "KeyboardInterrupt"
        else:
            monitor.status, monitor.error = "failed", "%s: %s" % (kind.__name__, value)
        previous_hook(kind, value, tb)

    sys.excepthook = excepthook
    atexit.register(monitor.close)
    # SIGTERM (a Stop button) kills Python without atexit: close the run, then die the same way.
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        def on_term(signum, frame):
            monitor.status, monitor.error = "stopped", "SIGTERM"
            monitor.close()
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)

        try:
            signal.signal(signal.SIGTERM, on_term)
        except ValueError:
            pass  # not the main thread
    return monitor
