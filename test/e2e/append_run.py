"""Writes an over-fitting run with Fitcheck's Python helper, one epoch at a time (e2e step 6).

usage: append_run.py LOGDIR [--epochs N] [--delay SECONDS]

No PyTorch needed: the numbers follow a model that memorises its training set (training accuracy
climbs to 1) while validation accuracy stalls at 0.7 and validation loss turns up after epoch 8.
Prints FITCHECK_LOG=<path> as soon as the file exists, then appends an epoch every DELAY seconds.
"""
import argparse
import math
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from fitcheck_logger import FitcheckLogger  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logdir")
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--delay", type=float, default=0.25)
    args = parser.parse_args()
    with FitcheckLogger(args.logdir, name="live-overfit", task="multiclass", epsilon=0.1) as log:
        print("FITCHECK_LOG=" + log.path, flush=True)
        for epoch in range(1, args.epochs + 1):
            time.sleep(args.delay)
            train_acc = min(1.0, 0.55 + 0.03 * epoch)
            val_acc = min(0.7, 0.5 + 0.03 * epoch)
            train_loss = 1.1 * math.exp(-0.12 * epoch) + 0.01
            val_loss = 1.0 - 0.04 * epoch if epoch <= 8 else 0.68 + 0.05 * (epoch - 8)
            log.log(epoch, **{"train/loss": train_loss, "train/accuracy": train_acc,
                              "val/loss": val_loss, "val/accuracy": val_acc})


if __name__ == "__main__":
    main()
