"""The PyTorch side of `npm run bench:train`: the same MLP, data shape, optimizer and batches as
Fitcheck's trainer, timed the same way (training steps only).

It imports torch once and then serves: the first line it prints describes the build (torch version,
threads, the BLAS it runs on); then for every line read from stdin it trains a fresh model for
--epochs epochs and prints one JSON line with the seconds of each epoch. The bench interleaves
these runs with Fitcheck's, so the import is paid once and never measured."""
import argparse
import json
import re
import sys
import time

import torch
from torch import nn


def blas() -> str:
    """The BLAS this build multiplies with: its build setting and the library actually mapped."""
    config = torch.__config__.show()
    setting = re.search(r'BLAS_INFO=(\w+)', config)
    name = setting.group(1) if setting else 'unknown'
    mkl = re.search(r'Math Kernel Library Version ([\d.]+)', config)
    if mkl:
        name += f', MKL {mkl.group(1)}'
    if name != 'generic':
        return name
    # A "generic" build multiplies with whatever libblas.so.3 the system points at (reference BLAS, OpenBLAS, …).
    torch.ones(64, 64) @ torch.ones(64, 64)
    try:
        with open('/proc/self/maps') as maps:
            libs = sorted({line.split()[-1] for line in maps if re.search(r'/lib[^/]*blas[^/]*\.so', line.split()[-1])})
    except OSError:
        libs = []
    # Debian's libblas3 (the netlib reference implementation) lives in .../blas/; OpenBLAS in .../openblas-*/.
    reference = ' = the netlib reference BLAS' if any('/blas/libblas.so' in lib for lib in libs) else ''
    return f"{name} ({', '.join(libs) or 'no BLAS library mapped'}{reference})"


def train(args, x, y) -> list:
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(args.features, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    seconds = []
    for _ in range(args.epochs):
        order = torch.randperm(args.samples)
        t0 = time.perf_counter()
        for start in range(0, args.samples, args.batch):
            idx = order[start:start + args.batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[idx]), y[idx])
            loss.backward()
            optimizer.step()
        seconds.append(time.perf_counter() - t0)
    return seconds


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
    print(json.dumps({'torch': torch.__version__, 'threads': torch.get_num_threads(), 'blas': blas()}), flush=True)
    for _ in sys.stdin:
        print(json.dumps({'epochSeconds': train(args, x, y)}), flush=True)


if __name__ == '__main__':
    main()
