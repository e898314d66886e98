"""The script of `npm run bench:monitor`: a CPU PyTorch MLP training loop, unchanged between the
monitored and the plain runs. Prints one JSON object: the training loop's wall and CPU seconds, the CPU seconds of its fastest
epoch after the first (least disturbed by other processes), and the final loss."""
import argparse
import json
import time

import torch
from torch import nn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument('--epochs', type=int, default=20)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    x = torch.randn(4096, 64)
    y = torch.sin(x @ (torch.randn(64, 1) / 8)) + 0.1 * torch.randn(4096, 1)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    started = time.perf_counter()
    cpu_started = time.process_time()
    epochs = []
    for _ in range(args.epochs):
        epoch_started = time.process_time()
        for i in range(0, 4096, 128):
            optimizer.zero_grad()
            loss = loss_fn(model(x[i:i + 128]), y[i:i + 128])
            loss.backward()
            optimizer.step()
        epochs.append(time.process_time() - epoch_started)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(json.dumps({'seconds': seconds, 'cpu': cpu, 'fastest_epoch_cpu': min(epochs[1:]), 'steps': args.epochs * 32, 'loss': loss.item()}))


if __name__ == '__main__':
    main()
