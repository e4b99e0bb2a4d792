// The objective / validation / test split of a data set: stratified by label, drawn from a
// seed, and written out so that anyone can rebuild it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "dataset.hpp"

namespace mnist {

struct SplitSizes {
    std::size_t objective = 0;
    std::size_t validation = 0;
    std::size_t test = 0;
};

// One image: which pool of the data set (0 = train, 1 = test) and its index there.
struct Member {
    std::uint8_t pool = 0;
    std::uint32_t index = 0;
};

struct Split {
    std::vector<Member> objective, validation, test;
};

// Objective and validation images come from the train pool; test images from the test pool
// when the data set has one, else from what the other two left of the train pool. Each
// subset takes every label in proportion to its share of the pool it is drawn from (largest
// remainder), so the split is stratified; the images are chosen and ordered by `seed`.
// Throws sdk::ParamError when a pool is too small for the requested sizes, and
// std::invalid_argument, naming the labels' file(s), when a subset with room for every
// class the data set's labels use lacks one: the mark of a damaged file.
Split make_split(const Dataset& data, SplitSizes sizes, std::uint64_t seed);

// CSV with one line per image: subset,position,pool,index,label.
std::string split_csv(const Dataset& data, const Split& split);

}  // namespace mnist
