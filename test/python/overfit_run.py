"""Train a tiny MLP that clearly over-fits and log it with fitcheck_logger.

usage: overfit_run.py LOGDIR [--epochs N] [--delay SECONDS]

64 training examples with 20 random features and mostly random labels (3
classes; 30 % follow a linear teacher, 70 % are random), a separate validation
set of 64 drawn the same way, an MLP 20-128-128-3 trained full-batch with Adam.
The MLP memorizes the training set (training accuracy 1.0 from epoch ~13) while
validation accuracy stays near 0.5 and the validation loss rises after its
minimum around epoch 10 (high variance). Deterministic (torch.manual_seed(0));
about a second on 2 CPU cores. The last line printed is FITCHECK_LOG=<path>.
"""

import argparse
import os
import sys
import time

import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from fitcheck_logger import FitcheckLogger  # noqa: E402


SIGNAL = 0.3  # fraction of labels that follow the linear teacher; the rest are random
LR = 3e-3  # Adam; with full-batch steps the validation loss bottoms out around epoch 10


def evaluate(model, x, y):
    """Return (mean cross-entropy loss, accuracy) of the model on (x, y) in inference mode."""
    model.eval()
    with torch.no_grad():
        logits = model(x)
        loss = nn.functional.cross_entropy(logits, y).item()
        acc = (logits.argmax(dim=1) == y).float().mean().item()
    return loss, acc


def main(argv=None):
    parser = argparse.ArgumentParser(description="Train a tiny over-fitting MLP with fitcheck_logger.")
    parser.add_argument("logdir")
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to sleep after each epoch")
    args = parser.parse_args(argv)
    if args.epochs < 1:
        parser.error("--epochs must be >= 1")
    if args.delay < 0:
        parser.error("--delay must be >= 0")

    torch.manual_seed(0)
    torch.set_num_threads(min(2, torch.get_num_threads()))
    n, features, classes = 64, 20, 3
    teacher = torch.randn(features, classes)

    def make_split():
        # 30 % of the labels follow a linear teacher, 70 % are random: a little signal (so the
        # validation loss first falls, then rises) and far too little data for 20 features.
        x = torch.randn(n, features)
        random_labels = torch.randint(0, classes, (n,))
        learnable = torch.rand(n) < SIGNAL
        return x, torch.where(learnable, (x @ teacher).argmax(dim=1), random_labels)

    x_train, y_train = make_split()
    x_val, y_val = make_split()

    model = nn.Sequential(
        nn.Linear(features, 128), nn.ReLU(),
        nn.Linear(128, 128), nn.ReLU(),
        nn.Linear(128, classes),
    )
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    batch = n  # full batch: one backward pass (one gradient record) per epoch

    with FitcheckLogger(args.logdir, name="overfit-random-labels", task="multiclass",
                        epsilon=0.1) as log:
        log.watch(model)
        for epoch in range(1, args.epochs + 1):
            model.train()
            order = torch.randperm(n)
            for i in range(0, n, batch):
                idx = order[i:i + batch]
                optimizer.zero_grad()
                loss = nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
                loss.backward()
                optimizer.step()
            train_loss, train_acc = evaluate(model, x_train, y_train)
            val_loss, val_acc = evaluate(model, x_val, y_val)
            log.log(epoch, **{"train/loss": train_loss, "train/accuracy": train_acc,
                              "val/loss": val_loss, "val/accuracy": val_acc})
            print("epoch %3d  train loss %.4f acc %.3f  val loss %.4f acc %.3f"
                  % (epoch, train_loss, train_acc, val_loss, val_acc), flush=True)
            if args.delay:
                time.sleep(args.delay)
    print("FITCHECK_LOG=%s" % log.path, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
