// The BBOB-2009 generators COCO's bbob suite builds every instance from (shifts, optimal
// values, rotations). They are reproduced operation for operation: a different but "equivalent"
// generator would give other instances than COCO's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bbob {

// A dense square matrix, row-major: (r, c) is row r, column c.
class Matrix {
public:
    explicit Matrix(std::size_t n = 0) : n_(n), entries_(n * n, 0.0) {}
    std::size_t size() const { return n_; }
    double& operator()(std::size_t r, std::size_t c) { return entries_[r * n_ + c]; }
    double operator()(std::size_t r, std::size_t c) const { return entries_[r * n_ + c]; }

private:
    std::size_t n_;
    std::vector<double> entries_;
};

namespace legacy {

// Seeds must stay below the Park-Miller modulus 2^31 - 1, where the generator is the textbook
// one (a seed equal to the modulus makes it emit a constant).
inline constexpr std::int64_t largest_seed = 2147483646;

// n uniform numbers in (0, 1): Park-Miller with a Bays-Durham shuffle, restarted from the seed
// on every call. Negative seeds count as their absolute value and 0 as 1.
std::vector<double> uniform(std::size_t n, std::int64_t seed);

// n standard normal numbers (Box-Muller on uniform(2n, seed)); never exactly 0.
std::vector<double> gauss(std::size_t n, std::int64_t seed);

// The usual optimum: uniform on a 0.0008 grid in [-4, 4), never exactly 0.
std::vector<double> xopt(std::int64_t seed, std::size_t dimension);

// The optimal value of function f, instance i: a multiple of 0.01 in [-1000, 1000].
double fopt(int function, std::int64_t instance);

// A random orthogonal matrix: Gram-Schmidt on the columns of a Gaussian matrix.
Matrix rotation(std::int64_t seed, std::size_t dimension);

}  // namespace legacy
}  // namespace bbob
