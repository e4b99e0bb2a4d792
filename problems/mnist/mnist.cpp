// The `mnist` problem library: `mnist_mlp`, the weights of a multilayer perceptron trained on
// real MNIST digits (or Fashion-MNIST, or any IDX data) as one flat vector. See README.md.
#include "mnist.hpp"

OPTBENCH_PLUGIN("mnist", "1.1.1", mnist::MnistMlp)
