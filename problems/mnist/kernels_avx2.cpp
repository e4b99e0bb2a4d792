// The avx2 variant of the kernels; see kernels.inc and CMakeLists.txt for its compiler flags.
#define MNIST_KERNEL_VARIANT avx2
#define MNIST_KERNEL_VARIANT_NAME "avx2"
#define MNIST_VECTOR_BYTES 32
#include "kernels.inc"
