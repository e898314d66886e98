"""Tests for python/fitcheck_logger.py.

Run from the repository root with:
    /usr/bin/python3 -m unittest discover -s test/python -p 'test_*.py'
"""

import json
import math
import os
import re
import shutil
import sys
import tempfile
import unittest
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "python"))

import fitcheck_logger  # noqa: E402
from fitcheck_logger import FitcheckLogger  # noqa: E402

try:
    import torch  # noqa: E402
    from torch import nn  # noqa: E402
    HAVE_TORCH = True
except Exception:  # pragma: no cover - torch is installed for /usr/bin/python3
    HAVE_TORCH = False


def read_lines(path):
    """Return the parsed events of a log file, checking every line is complete JSON."""
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    assert text.endswith("\n"), "the last line must end with a newline"
    events = []
    for line in text.split("\n")[:-1]:
        # parse_constant rejects the non-standard NaN/Infinity literals
        def reject(name):
            raise ValueError("invalid JSON constant %s" % name)
        events.append(json.loads(line, parse_constant=reject))
    return events


class TempDirCase(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="fitcheck-logger-test-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)


class TestStartAndNaming(TempDirCase):
    def test_file_name_and_start_line(self):
        logdir = os.path.join(self.dir, "nested", "runs")  # created when missing
        log = FitcheckLogger(logdir, name="My Model: v2 (test)!", epsilon=0.1, task="multiclass")
        try:
            self.assertTrue(re.match(r"^\d{8}-\d{6}-my-model-v2-test-[0-9a-f]{4}$", log.run_id),
                            log.run_id)
            self.assertEqual(log.path, os.path.join(logdir, log.run_id + ".fitcheck.jsonl"))
            self.assertTrue(os.path.isfile(log.path))
            events = read_lines(log.path)
            self.assertEqual(len(events), 1)
            start = events[0]
            self.assertEqual(start["type"], "start")
            self.assertEqual(start["format"], "fitcheck-metrics")
            self.assertEqual(start["version"], 1)
            self.assertEqual(start["runId"], log.run_id)
            self.assertEqual(start["name"], "My Model: v2 (test)!")
            self.assertEqual(start["source"], "fitcheck_logger")
            self.assertEqual(start["epsilon"], 0.1)
            self.assertEqual(start["task"], "multiclass")
            self.assertTrue(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", start["time"]),
                            start["time"])
            # the run id's timestamp is the start time's
            stamp = start["time"][:19].replace("-", "").replace(":", "").replace("T", "-")
            self.assertTrue(log.run_id.startswith(stamp))
            self.assertEqual(start["versions"]["python"], "%d.%d.%d" % sys.version_info[:3])
            if "torch" in sys.modules:
                self.assertEqual(start["backend"], "pytorch")
                self.assertEqual(start["versions"]["torch"], sys.modules["torch"].__version__)
            else:
                self.assertEqual(start["backend"], "python")
                self.assertNotIn("torch", start["versions"])
        finally:
            log.close()

    def test_optional_fields_absent(self):
        with FitcheckLogger(self.dir, name="x") as log:
            pass
        start = read_lines(log.path)[0]
        self.assertNotIn("epsilon", start)
        self.assertNotIn("task", start)

    def test_slug_edge_cases(self):
        with FitcheckLogger(self.dir, name="!!!") as log:
            pass
        self.assertRegex(log.run_id, r"^\d{8}-\d{6}-run-[0-9a-f]{4}$")
        with FitcheckLogger(self.dir, name="A" * 100) as log2:
            pass
        slug = log2.run_id.split("-", 2)[2].rsplit("-", 1)[0]
        self.assertEqual(slug, "a" * 40)

    def test_default_name_is_script_name(self):
        old = sys.argv
        try:
            sys.argv = ["/some/where/train_mnist.py", "--epochs", "3"]
            with FitcheckLogger(self.dir) as log:
                pass
            self.assertEqual(read_lines(log.path)[0]["name"], "train_mnist")
            self.assertIn("-train-mnist-", log.run_id)
            sys.argv = [""]
            with FitcheckLogger(self.dir) as log:
                pass
            self.assertEqual(read_lines(log.path)[0]["name"], "run")
        finally:
            sys.argv = old

    def test_invalid_task_and_epsilon(self):
        with self.assertRaises(ValueError):
            FitcheckLogger(self.dir, name="x", task="classification")
        with self.assertRaises(ValueError):
            FitcheckLogger(self.dir, name="x", epsilon=float("nan"))
        with self.assertRaises(TypeError):
            FitcheckLogger(self.dir, name="x", epsilon="0.1")
        self.assertEqual(os.listdir(self.dir), [])  # nothing created for invalid arguments


class TestLog(TempDirCase):
    def test_log_line_shape_and_wall_time(self):
        with FitcheckLogger(self.dir, name="shape") as log:
            log.log(1, **{"train/loss": 0.5, "val/loss": 0.75})
            log.log(2, train_loss=0.25, acc=1)
            log.log(3, **{"train/loss": 0.125})
        events = read_lines(log.path)
        self.assertEqual([e["type"] for e in events], ["start", "scalars", "scalars", "scalars", "end"])
        s1, s2, s3 = events[1:4]
        self.assertEqual(set(s1), {"type", "step", "wallTime", "values"})
        self.assertEqual(s1["step"], 1)
        self.assertEqual(s1["values"], {"train/loss": 0.5, "val/loss": 0.75})
        self.assertEqual(s2["values"], {"train_loss": 0.25, "acc": 1.0})
        self.assertIsInstance(s2["values"]["acc"], float)
        self.assertEqual(s3["step"], 3)
        times = [e["wallTime"] for e in events[1:]]
        for t in times:
            self.assertIsInstance(t, float)
            self.assertGreaterEqual(t, 0.0)
        self.assertEqual(times, sorted(times))

    def test_every_line_is_terminated_and_parses(self):
        with FitcheckLogger(self.dir, name="lines") as log:
            for i in range(50):
                log.log(i, loss=1.0 / (i + 1), weird=float("nan") if i % 7 == 0 else i)
        with open(log.path, "rb") as f:
            raw = f.read()
        self.assertTrue(raw.endswith(b"\n"))
        lines = raw.split(b"\n")[:-1]
        self.assertEqual(len(lines), 52)
        for line in lines:
            self.assertIsInstance(json.loads(line.decode("utf-8")), dict)

    def test_non_finite_values_are_strings(self):
        with FitcheckLogger(self.dir, name="nan") as log:
            log.log(0, a=float("nan"), b=float("inf"), c=float("-inf"), d=1.5, e=10 ** 400)
        values = read_lines(log.path)[1]["values"]
        self.assertEqual(values, {"a": "NaN", "b": "Infinity", "c": "-Infinity", "d": 1.5,
                                  "e": "Infinity"})
        with open(log.path, encoding="utf-8") as f:
            text = f.read()
        self.assertNotIn(": NaN", text)
        self.assertNotRegex(text, r"[:,\[]\s*-?(NaN|Infinity)\b")

    def test_type_errors_write_nothing(self):
        with FitcheckLogger(self.dir, name="errors") as log:
            size = os.path.getsize(log.path)
            with self.assertRaisesRegex(TypeError, "'val/acc'"):
                log.log(1, **{"train/loss": 0.5, "val/acc": "high"})
            with self.assertRaisesRegex(TypeError, "'flag'"):
                log.log(1, loss=0.5, flag=True)
            with self.assertRaisesRegex(TypeError, "'lst'"):
                log.log(1, loss=0.5, lst=[1.0])
            with self.assertRaisesRegex(TypeError, "'none'"):
                log.log(1, none=None)
            with self.assertRaisesRegex(TypeError, "step"):
                log.log(1.0, loss=0.5)
            with self.assertRaisesRegex(TypeError, "step"):
                log.log(True, loss=0.5)
            with self.assertRaisesRegex(TypeError, "step"):
                log.log("3", loss=0.5)
            with self.assertRaisesRegex(ValueError, "step"):
                log.log(-1, loss=0.5)
            with self.assertRaises(ValueError):
                log.log(1)
            self.assertEqual(os.path.getsize(log.path), size)
        events = read_lines(log.path)
        self.assertEqual([e["type"] for e in events], ["start", "end"])

    def test_numeric_scalar_types(self):
        class FakeScalar(object):
            def item(self):
                return 0.25

        class FakeIndex(object):
            def __index__(self):
                return 7

        with FitcheckLogger(self.dir, name="dtypes") as log:
            log.log(FakeIndex(), a=FakeScalar())
        event = read_lines(log.path)[1]
        self.assertEqual(event["step"], 7)
        self.assertEqual(event["values"], {"a": 0.25})


class TestCloseAndContext(TempDirCase):
    def test_context_manager_success(self):
        with FitcheckLogger(self.dir, name="ok") as log:
            log.log(1, loss=1.0)
        self.assertTrue(log.closed)
        end = read_lines(log.path)[-1]
        self.assertEqual(end["type"], "end")
        self.assertEqual(end["status"], "completed")
        self.assertNotIn("error", end)
        self.assertIsInstance(end["wallTime"], float)

    def test_context_manager_failure(self):
        with self.assertRaises(RuntimeError):
            with FitcheckLogger(self.dir, name="boom") as log:
                log.log(1, loss=1.0)
                raise RuntimeError("CUDA out of memory")
        end = read_lines(log.path)[-1]
        self.assertEqual(end["type"], "end")
        self.assertEqual(end["status"], "failed")
        self.assertEqual(end["error"], "RuntimeError: CUDA out of memory")

    def test_keyboard_interrupt_is_stopped(self):
        with self.assertRaises(KeyboardInterrupt):
            with FitcheckLogger(self.dir, name="ctrl-c") as log:
                raise KeyboardInterrupt()
        end = read_lines(log.path)[-1]
        self.assertEqual(end["status"], "stopped")

    def test_close_idempotent_and_log_after_close(self):
        log = FitcheckLogger(self.dir, name="close")
        log.log(0, loss=2.0)
        log.close("stopped", error="user request")
        log.close()
        log.close("failed")
        events = read_lines(log.path)
        self.assertEqual([e["type"] for e in events], ["start", "scalars", "end"])
        self.assertEqual(events[-1]["status"], "stopped")
        self.assertEqual(events[-1]["error"], "user request")
        with self.assertRaisesRegex(ValueError, "logger is closed"):
            log.log(1, loss=1.0)
        self.assertEqual(len(read_lines(log.path)), 3)

    def test_invalid_status(self):
        log = FitcheckLogger(self.dir, name="status")
        with self.assertRaises(ValueError):
            log.close("done")
        log.close()
        self.assertEqual(read_lines(log.path)[-1]["status"], "completed")

    def test_no_end_line_without_close(self):
        log = FitcheckLogger(self.dir, name="killed")
        log.log(1, loss=1.0)
        # A reader sees complete lines while the run is still going.
        self.assertEqual([e["type"] for e in read_lines(log.path)], ["start", "scalars"])
        log.close()


@unittest.skipUnless(HAVE_TORCH, "torch is not installed")
class TestTorch(TempDirCase):
    def make_model(self):
        torch.manual_seed(0)
        return nn.Sequential(nn.Linear(5, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 3))

    def grad_records(self, path):
        return [e for e in read_lines(path)
                if e["type"] == "scalars" and any(k.startswith("grad_norm/") for k in e["values"])]

    def train(self, model, passes, log=None, seed=1):
        torch.manual_seed(seed)
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        for _ in range(passes):
            x = torch.randn(16, 5)
            y = torch.randint(0, 3, (16,))
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

    def test_start_backend_is_pytorch(self):
        with FitcheckLogger(self.dir, name="torch") as log:
            pass
        start = read_lines(log.path)[0]
        self.assertEqual(start["backend"], "pytorch")
        self.assertEqual(start["versions"]["torch"], torch.__version__)

    def test_watch_norms_match_manual(self):
        model = self.make_model()
        with FitcheckLogger(self.dir, name="watch") as log:
            log.watch(model)
            torch.manual_seed(1)
            x = torch.randn(16, 5)
            y = torch.randint(0, 3, (16,))
            model.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            expected_grad = {}
            expected_weight = {}
            for idx in ("0", "2", "4"):
                layer = model[int(idx)]
                expected_grad[idx] = math.sqrt(sum(float((p.grad ** 2).sum()) for p in layer.parameters()))
                expected_weight[idx] = math.sqrt(sum(float((p.detach() ** 2).sum()) for p in layer.parameters()))
        records = self.grad_records(log.path)
        self.assertEqual(len(records), 1)  # written by close()
        rec = records[0]
        self.assertEqual(rec["step"], 1)  # nothing logged yet
        self.assertEqual(list(rec["values"]), ["grad_norm/0", "grad_norm/2", "grad_norm/4",
                                               "weight_norm/0", "weight_norm/2", "weight_norm/4"])
        for idx in ("0", "2", "4"):
            self.assertAlmostEqual(rec["values"]["grad_norm/" + idx], expected_grad[idx], delta=1e-5)
            self.assertAlmostEqual(rec["values"]["weight_norm/" + idx], expected_weight[idx], delta=1e-5)
            self.assertGreater(expected_grad[idx], 0)

    def test_record_written_at_next_forward_and_step_follows_log(self):
        model = self.make_model()
        with FitcheckLogger(self.dir, name="boundary") as log:
            log.watch(model)
            log.log(4, loss=1.0)
            self.train(model, 1)
            self.assertEqual(len(self.grad_records(log.path)), 0)  # pass 1 still pending
            with torch.no_grad():
                model(torch.randn(2, 5))  # next forward flushes pass 1
            self.assertEqual(len(self.grad_records(log.path)), 1)
            model(torch.randn(2, 5))  # no gradients arrived: not a pass, nothing written
            self.assertEqual(len(self.grad_records(log.path)), 1)
            self.train(model, 1)
            log.log(5, loss=0.5)  # flushes pass 2 before its own line
        events = read_lines(log.path)
        kinds = [("grad" if any(k.startswith("grad_norm/") for k in e.get("values", {})) else e["type"])
                 for e in events]
        self.assertEqual(kinds, ["start", "scalars", "grad", "grad", "scalars", "end"])
        self.assertEqual([e["step"] for e in events if e["type"] == "scalars"], [4, 5, 5, 5])

    def test_every_two_halves_records(self):
        m1 = self.make_model()
        m2 = self.make_model()
        with FitcheckLogger(self.dir, name="every1") as log1:
            log1.watch(m1)
            self.train(m1, 8)
        with FitcheckLogger(self.dir, name="every2") as log2:
            log2.watch(m2, every=2)
            self.train(m2, 8)
        n1 = len(self.grad_records(log1.path))
        n2 = len(self.grad_records(log2.path))
        self.assertEqual(n1, 8)
        self.assertEqual(n2, 4)

    def test_every_validation(self):
        with FitcheckLogger(self.dir, name="every") as log:
            model = self.make_model()
            with self.assertRaises(ValueError):
                log.watch(model, every=0)
            with self.assertRaises(TypeError):
                log.watch(model, every=1.5)
            with self.assertRaises(TypeError):
                log.watch(model, every=True)

    def test_remove_stops_records(self):
        model = self.make_model()
        with FitcheckLogger(self.dir, name="remove") as log:
            handle = log.watch(model)
            self.train(model, 3)
            handle.remove()
            # Nothing logged yet: the three passes (the pending third flushed by remove()) wait
            # for the first log() to learn their step.
            self.assertEqual(len(self.grad_records(log.path)), 0)
            self.train(model, 3)
            log.log(1, loss=0.1)
        records = self.grad_records(log.path)
        self.assertEqual(len(records), 3)
        self.assertEqual([r["step"] for r in records], [1, 1, 1])
        handle.remove()  # removing twice is harmless

    def test_root_parameters_use_model_name(self):
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.scale = nn.Parameter(torch.ones(3))
                self.body = nn.Sequential(nn.Linear(4, 3))

            def forward(self, x):
                return self.body(x) * self.scale

        net = Net()
        with FitcheckLogger(self.dir, name="root") as log:
            log.watch(net)
            net(torch.randn(2, 4)).sum().backward()
        rec = self.grad_records(log.path)[0]
        self.assertEqual(list(rec["values"]), ["grad_norm/model", "grad_norm/body.0",
                                               "weight_norm/model", "weight_norm/body.0"])
        self.assertAlmostEqual(rec["values"]["grad_norm/model"], float(net.scale.grad.norm()), delta=1e-5)

    def test_only_layers_with_gradients(self):
        model = self.make_model()
        for p in model[0].parameters():
            p.requires_grad_(False)
        with FitcheckLogger(self.dir, name="frozen") as log:
            log.watch(model)
            self.train(model, 1)
        rec = self.grad_records(log.path)[0]
        self.assertEqual(sorted(k for k in rec["values"] if k.startswith("grad_norm/")),
                         ["grad_norm/2", "grad_norm/4"])

    def test_hook_errors_do_not_break_training(self):
        model = self.make_model()
        with FitcheckLogger(self.dir, name="broken") as log:
            log.watch(model)
            log.log(0, loss=1.5)  # records are written as passes end only once a step is known

            def broken_write(*args, **kwargs):
                raise OSError("disk full")

            real = log._write_scalars
            log._write_scalars = broken_write
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                self.train(model, 3)  # must not raise
            log._write_scalars = real
            messages = [str(w.message) for w in caught if "fitcheck_logger" in str(w.message)]
            self.assertEqual(len(messages), 1, messages)
            log.log(1, loss=1.0)
        self.assertEqual(len(self.grad_records(log.path)), 0)

    def test_tensor_metric_values(self):
        with FitcheckLogger(self.dir, name="tensors") as log:
            log.log(torch.tensor(2), loss=torch.tensor(0.5), acc=torch.tensor([0.75]),
                    nan=torch.tensor(float("nan")), x=torch.tensor(3, dtype=torch.int64))
            with self.assertRaisesRegex(TypeError, "'vec'"):
                log.log(3, vec=torch.tensor([1.0, 2.0]))
            with self.assertRaisesRegex(TypeError, "'flag'"):
                log.log(3, flag=torch.tensor(True))
        events = read_lines(log.path)
        self.assertEqual(len(events), 3)
        self.assertEqual(events[1]["step"], 2)
        self.assertEqual(events[1]["values"], {"loss": 0.5, "acc": 0.75, "nan": "NaN", "x": 3.0})


@unittest.skipUnless(HAVE_TORCH, "torch is not installed")
class TestOverfitRun(TempDirCase):
    def test_overfit_run_overfits(self):
        import subprocess
        script = os.path.join(HERE, "overfit_run.py")
        out = subprocess.run([sys.executable, script, self.dir], check=True, timeout=120,
                             stdout=subprocess.PIPE, universal_newlines=True).stdout
        last = out.strip().split("\n")[-1]
        self.assertTrue(last.startswith("FITCHECK_LOG="), last)
        path = last[len("FITCHECK_LOG="):]
        events = read_lines(path)
        self.assertEqual(events[0]["type"], "start")
        self.assertEqual(events[-1], dict(events[-1], type="end", status="completed"))
        metrics = [e for e in events if e["type"] == "scalars" and "train/loss" in e["values"]]
        grads = [e for e in events if e["type"] == "scalars" and "grad_norm/0" in e["values"]]
        self.assertEqual([e["step"] for e in metrics], list(range(1, 61)))
        self.assertEqual([e["step"] for e in grads], list(range(1, 61)))
        final = metrics[-1]["values"]
        self.assertGreaterEqual(final["train/accuracy"], 0.95)
        self.assertLessEqual(max(e["values"]["val/accuracy"] for e in metrics), 0.6)
        val_loss = [e["values"]["val/loss"] for e in metrics]
        best = val_loss.index(min(val_loss))
        self.assertTrue(0 < best < 20, best)  # an early minimum, after the first epoch
        self.assertGreater(val_loss[-1], 2 * val_loss[best])  # then the validation loss rises


class TestModuleHygiene(unittest.TestCase):
    def test_no_torch_import_at_top_level(self):
        with open(fitcheck_logger.__file__, encoding="utf-8") as f:
            lines = f.read().split("\n")
        top = [l for l in lines if re.match(r"^(import|from)\s", l)]
        self.assertFalse([l for l in top if "torch" in l or "numpy" in l], top)


if __name__ == "__main__":
    unittest.main()


@unittest.skipUnless(HAVE_TORCH, "needs torch")
class TestFirstStep(unittest.TestCase):
    """Gradients of the first epoch land in that epoch, whether steps count from 0 or from 1."""

    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def test_zero_based_epochs_get_their_own_gradients(self):
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(3, 2))
        opt = torch.optim.SGD(model.parameters(), lr=0.1)
        with FitcheckLogger(self.dir, name="zero-based") as log:
            log.watch(model)
            for epoch in range(3):
                opt.zero_grad()
                model(torch.randn(4, 3)).sum().backward()
                opt.step()
                log.log(epoch, loss=1.0 / (epoch + 1))
        events = read_lines(log.path)
        grads = [e["step"] for e in events if e["type"] == "scalars" and "grad_norm/0" in e["values"]]
        self.assertEqual(grads, [0, 1, 2])

