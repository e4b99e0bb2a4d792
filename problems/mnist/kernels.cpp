#include "kernels.hpp"

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace mnist {

extern const Kernels kernels_generic;
#ifdef MNIST_X86_KERNELS
extern const Kernels kernels_avx2;
extern const Kernels kernels_avx512;
#endif

std::size_t available_kernels(const Kernels** out, std::size_t capacity) {
    std::size_t count = 0;
    const auto add = [&](const Kernels& k) {
        if (count < capacity) out[count] = &k;
        ++count;
    };
    add(kernels_generic);
#ifdef MNIST_X86_KERNELS
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2")) add(kernels_avx2);
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl"))
        add(kernels_avx512);
#endif
    return count;
}

const Kernels& kernels() {
    static const Kernels& chosen = []() -> const Kernels& {
        const Kernels* variants[3] = {};
        const std::size_t count = available_kernels(variants, 3);
        const char* wanted = std::getenv("OPTBENCH_MNIST_KERNELS");
        if (wanted == nullptr || *wanted == '\0') return *variants[count - 1];
        std::string names;
        for (std::size_t i = 0; i < count; ++i) {
            if (std::string(variants[i]->name) == wanted) return *variants[i];
            names += (i ? ", " : "") + std::string(variants[i]->name);
        }
        throw std::invalid_argument("mnist_mlp: OPTBENCH_MNIST_KERNELS=" + std::string(wanted) +
                                    " is not available here; available: " + names);
    }();
    return chosen;
}

}  // namespace mnist
