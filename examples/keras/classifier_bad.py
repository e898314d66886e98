"""Keras MNIST classifier with three mistakes Fitcheck points out.

- FC201: four sigmoid hidden layers in a row (vanishing gradients).
- FC401: Dropout(0.8) drops 80% of the units at every step.
- FC101: the output layer is already a softmax, but the loss is told it gets logits
  (from_logits=True), so softmax is applied twice.
Compare with classifier_clean.py.
"""
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0

model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(256, activation="sigmoid"),  # expect: FC201
    layers.Dense(128, activation="sigmoid"),
    layers.Dense(64, activation="sigmoid"),
    layers.Dense(32, activation="sigmoid"),
    layers.Dropout(0.8),  # expect: FC401
    layers.Dense(10, activation="softmax"),  # expect: FC101
])

model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
model.fit(x_train, y_train, batch_size=128, epochs=10, validation_split=0.1)

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {test_loss:.4f} test accuracy {test_acc:.4f}")
