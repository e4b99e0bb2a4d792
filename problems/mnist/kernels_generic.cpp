// The generic variant of the kernels; see kernels.inc and CMakeLists.txt for its compiler flags.
#define MNIST_KERNEL_VARIANT generic
#define MNIST_KERNEL_VARIANT_NAME "generic"
#define MNIST_VECTOR_BYTES 16
#include "kernels.inc"
