"""A deep fully-connected classifier with a sigmoid after every hidden layer.

The sigmoid derivative is at most 0.25, so the gradient reaching fc1 is the product
of six such factors and all but vanishes: the first layers barely learn. The script
prints the gradient norm of the first and the last hidden layer to show it.
Fitcheck flags the first hidden sigmoid (FC201). Fix: use ReLU/GELU in the hidden
layers, or add normalisation and residual connections.
"""
import math

import torch
from torch import nn


class DeepSigmoidNet(nn.Module):
    def __init__(self, in_dim=2, width=64, num_classes=2):
        super().__init__()
        self.fc1 = nn.Linear(in_dim, width)
        self.fc2 = nn.Linear(width, width)
        self.fc3 = nn.Linear(width, width)
        self.fc4 = nn.Linear(width, width)
        self.fc5 = nn.Linear(width, width)
        self.fc6 = nn.Linear(width, width)
        self.out = nn.Linear(width, num_classes)

    def forward(self, x):
        x = torch.sigmoid(self.fc1(x))  # expect: FC201
        x = torch.sigmoid(self.fc2(x))
        x = torch.sigmoid(self.fc3(x))
        x = torch.sigmoid(self.fc4(x))
        x = torch.sigmoid(self.fc5(x))
        x = torch.sigmoid(self.fc6(x))
        return self.out(x)


def two_spirals(n=1000, noise=0.2):
    t = torch.rand(n) * 3 * math.pi
    labels = torch.randint(0, 2, (n,))
    sign = labels.float() * 2 - 1
    points = torch.stack([sign * t * torch.cos(t), sign * t * torch.sin(t)], dim=1) / 10
    return points + noise * torch.randn(n, 2) / 10, labels


def main():
    torch.manual_seed(0)
    x_train, y_train = two_spirals(2000)
    x_val, y_val = two_spirals(500)
    model = DeepSigmoidNet()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

    for epoch in range(50):  # expect: FC406
        model.train()
        for i in range(0, len(x_train), 100):
            optimizer.zero_grad()
            loss = criterion(model(x_train[i:i + 100]), y_train[i:i + 100])
            loss.backward()
            optimizer.step()
        first = model.fc1.weight.grad.norm().item()
        last = model.fc6.weight.grad.norm().item()

        model.eval()
        with torch.no_grad():
            acc = (model(x_val).argmax(dim=1) == y_val).float().mean().item()
        print(f"epoch {epoch:2d} loss {loss.item():.4f} val acc {acc:.3f} "
              f"grad norm fc1 {first:.2e} fc6 {last:.2e}")


if __name__ == "__main__":
    main()
