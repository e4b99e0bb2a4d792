"""Multinomial logistic regression on one of scikit-learn's bundled datasets (no download): the
weights and biases of a softmax classifier, mean cross-entropy on a training split plus L2 weight
decay; hold-out loss and accuracy on the test split, never shown to the optimizer."""

from importlib.metadata import version

import numpy as np

import optbench

_DATASETS = ("breast_cancer", "digits", "iris", "wine")


class LogisticRegression(optbench.Problem):
    name = "logistic_regression"
    description = ("softmax regression on a scikit-learn dataset (breast_cancer: 30 features, 2 classes; "
                   "digits: 64, 10), standardised features, hold-out accuracy")
    params = [
        optbench.choice("dataset", "breast_cancer", _DATASETS, "the dataset, bundled with scikit-learn"),
        optbench.real("l2", 1e-3, "weight decay: adds l2/2 x the squared norm of the weights (not the biases)",
                      min=0),
        optbench.real("test_fraction", 0.3, "share of the samples held out for testing", min=0.05, max=0.95),
        optbench.text("bounds", "-10:10", "search box LOW:HIGH for every weight and bias"),
        optbench.integer("instance", 1, "seeds the stratified train/test split", min=1, max=2**31 - 1),
    ]
    metrics = [
        optbench.metric("train_loss", "mean cross-entropy on the training split, without weight decay", False),
        optbench.metric("train_accuracy", "percent of the training samples classified right", True),
        optbench.metric("test_loss", "mean cross-entropy on the test split", False),
        optbench.metric("test_accuracy", "percent of the test samples classified right", True),
    ]
    instance_parameter = "instance"

    def __init__(self, params):
        super().__init__(params)
        # Imported by the first problem made, not at the top: a campaign makes its problems
        # before it starts its workers, so no run's wall time holds it.
        from sklearn import datasets
        from sklearn.model_selection import train_test_split

        low, _, high = params["bounds"].partition(":")
        try:
            self.lower, self.upper = float(low), float(high)
        except ValueError:
            raise optbench.ParamError(f"parameter 'bounds' expects LOW:HIGH (e.g. -5:5), got '{params['bounds']}'")
        if not self.lower < self.upper:
            raise optbench.ParamError(f"parameter 'bounds' needs LOW < HIGH, got '{params['bounds']}'")
        features, labels = getattr(datasets, f"load_{params['dataset']}")(return_X_y=True)
        train_x, test_x, train_y, test_y = train_test_split(
            features, labels, test_size=params["test_fraction"], stratify=labels, random_state=params["instance"])
        mean, scale = train_x.mean(axis=0), train_x.std(axis=0)
        scale[scale == 0] = 1  # a constant feature (digits' blank pixels) stays 0
        self.train = ((train_x - mean) / scale, train_y)
        self.test = ((test_x - mean) / scale, test_y)
        self.classes, self.features = int(labels.max()) + 1, features.shape[1]
        self.dimension = self.classes * (self.features + 1)
        self.l2 = params["l2"]

    def _split(self, x):
        weights = x[: self.classes * self.features].reshape(self.classes, self.features)
        return weights, x[self.classes * self.features:]

    def _loss(self, x, data, gradient=None):
        """Mean cross-entropy (and, into gradient, its gradient) on (features, labels)."""
        features, labels = data
        weights, biases = self._split(x)
        logits = features @ weights.T + biases
        logits -= logits.max(axis=1, keepdims=True)
        log_probabilities = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        rows = np.arange(len(labels))
        loss = -log_probabilities[rows, labels].mean()
        if gradient is not None:
            residual = np.exp(log_probabilities)
            residual[rows, labels] -= 1
            residual /= len(labels)
            gradient[: self.classes * self.features] = (residual.T @ features).ravel()
            gradient[self.classes * self.features:] = residual.sum(axis=0)
        return loss, log_probabilities

    def _decay(self, x, gradient=None):
        weights, _ = self._split(x)
        if gradient is not None:
            gradient[: self.classes * self.features] += self.l2 * weights.ravel()
        return 0.5 * self.l2 * float(weights.ravel() @ weights.ravel())

    def value(self, x):
        return self._loss(x, self.train)[0] + self._decay(x)

    def value_and_gradient(self, x, gradient):
        loss = self._loss(x, self.train, gradient)[0]
        return loss + self._decay(x, gradient)

    def num_samples(self):
        return len(self.train[1])

    def subset_value(self, x, samples, gradient):
        subset = (self.train[0][samples], self.train[1][samples])
        return self._loss(x, subset, gradient)[0] + self._decay(x, gradient)

    def initial_point(self, out):
        out[:] = 0

    def decay_mask(self, out):
        out[: self.classes * self.features] = 1
        out[self.classes * self.features:] = 0

    def holdout_metrics(self, x):
        metrics = {}
        for split, data in (("train", self.train), ("test", self.test)):
            loss, log_probabilities = self._loss(x, data)
            metrics[f"{split}_loss"] = loss
            metrics[f"{split}_accuracy"] = 100 * float((log_probabilities.argmax(axis=1) == data[1]).mean())
        return metrics


optbench.plugin("sklearn_logistic", f"1.0.0+sklearn.{version('scikit-learn')}", LogisticRegression)
