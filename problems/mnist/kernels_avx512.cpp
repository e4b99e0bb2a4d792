// The avx512 variant of the kernels; see kernels.inc and CMakeLists.txt for its compiler flags.
#define MNIST_KERNEL_VARIANT avx512
#define MNIST_KERNEL_VARIANT_NAME "avx512"
#define MNIST_VECTOR_BYTES 64
#include "kernels.inc"
