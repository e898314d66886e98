"""Keras MNIST classifier that Fitcheck has nothing to say about.

ReLU hidden layers, a moderate Dropout(0.3), a linear output layer (logits) trained
with SparseCategoricalCrossentropy(from_logits=True), and early stopping on the
validation loss. Probabilities for reporting come from a softmax applied to the
predicted logits, outside the loss.
"""
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.astype("float32") / 255.0
x_test = x_test.astype("float32") / 255.0

model = keras.Sequential([
    keras.Input(shape=(28, 28)),
    layers.Flatten(),
    layers.Dense(256, activation="relu"),
    layers.Dropout(0.3),
    layers.Dense(128, activation="relu"),
    layers.Dense(10),
])

model.compile(
    optimizer=keras.optimizers.Adam(learning_rate=1e-3),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
early_stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
model.fit(x_train, y_train, batch_size=128, epochs=30, validation_split=0.1, callbacks=[early_stop])

test_loss, test_acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {test_loss:.4f} test accuracy {test_acc:.4f}")

probabilities = tf.nn.softmax(model.predict(x_test[:5]), axis=-1)
print(tf.argmax(probabilities, axis=1).numpy(), y_test[:5])
