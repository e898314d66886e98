"""The PyTorch side of `npm run bench:train`: the same MLP, data shape, optimizer and batches as
Fitcheck's trainer, timed the same way (training steps only). Prints one JSON object."""
import argparse
import json
import time

import torch
from torch import nn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument('--samples', type=int, default=4096)
    parser.add_argument('--features', type=int, default=64)
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--epochs', type=int, default=5)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    # A smooth non-linear target of the inputs, like the Node side's.
    x = torch.randn(args.samples, args.features)
    w = torch.randn(args.features, 1) / args.features ** 0.5
    y = torch.sin(x @ w) + 0.1 * torch.randn(args.samples, 1)

    model = nn.Sequential(nn.Linear(args.features, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    per_epoch = []
    started = time.perf_counter()
    for _ in range(args.epochs):
        order = torch.randperm(args.samples)
        t0 = time.perf_counter()
        for start in range(0, args.samples, args.batch):
            idx = order[start:start + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
        per_epoch.append(args.samples / (time.perf_counter() - t0))
    print(json.dumps({
        'torch': torch.__version__,
        'threads': torch.get_num_threads(),
        'samplesPerSec': per_epoch,
        'wallSeconds': time.perf_counter() - started,
        'finalLoss': float(loss.item()),
    }))


if __name__ == '__main__':
    main()
