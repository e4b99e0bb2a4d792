#include "split.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <numeric>
#include <stdexcept>

#include "kernels.hpp"
#include "optbench/sdk/params.hpp"
#include "optbench/sdk/rng.hpp"

namespace mnist {

namespace {

using PerLabel = std::array<std::vector<std::uint32_t>, num_classes>;

// The images of each label in pool order, shuffled.
PerLabel shuffled_by_label(const Pool& pool, optbench::sdk::Rng& rng) {
    PerLabel by_label;
    for (std::uint32_t i = 0; i < pool.count; ++i) by_label[pool.labels[i]].push_back(i);
    for (auto& images : by_label) rng.shuffle(images);
    return by_label;
}

// How many of `size` images each label gets: proportional to available[label], rounded by
// largest remainder (ties to the lower label). Never more than available, given
// size <= sum(available).
std::array<std::size_t, num_classes> quotas(const std::array<std::size_t, num_classes>& available,
                                           std::size_t size) {
    const std::size_t total = std::accumulate(available.begin(), available.end(), std::size_t{0});
    std::array<std::size_t, num_classes> quota{}, remainder{};
    std::size_t assigned = 0;
    for (std::size_t c = 0; c < num_classes; ++c) {
        quota[c] = size * available[c] / total;
        remainder[c] = size * available[c] % total;
        assigned += quota[c];
    }
    std::array<std::size_t, num_classes> order{};
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
    for (std::size_t k = 0; assigned < size; ++k, ++assigned) ++quota[order[k]];
    return quota;
}

// Takes a stratified subset of `size` images from the front of each label's remaining
// images, in shuffled order.
std::vector<Member> take(PerLabel& remaining, std::uint8_t pool, std::size_t size,
                         optbench::sdk::Rng& rng) {
    std::array<std::size_t, num_classes> available{};
    for (std::size_t c = 0; c < num_classes; ++c) available[c] = remaining[c].size();
    std::vector<Member> subset;
    if (size == 0) return subset;
    const auto quota = quotas(available, size);
    for (std::size_t c = 0; c < num_classes; ++c) {
        auto& images = remaining[c];
        for (std::size_t k = 0; k < quota[c]; ++k) subset.push_back({pool, images[k]});
        images.erase(images.begin(), images.begin() + static_cast<std::ptrdiff_t>(quota[c]));
    }
    rng.shuffle(subset);
    return subset;
}

const Pool& pool_of(const Dataset& data, Member m) { return m.pool == 0 ? data.train : *data.test; }

// The classes marked, as "0-9" or "0-2, 5, 7-9".
std::string class_list(const std::array<bool, num_classes>& marked) {
    std::string text;
    for (std::size_t c = 0; c < num_classes; ++c) {
        if (!marked[c] || (c > 0 && marked[c - 1])) continue;
        std::size_t last = c;
        while (last + 1 < num_classes && marked[last + 1]) ++last;
        text += (text.empty() ? "" : ", ") + std::to_string(c) +
                (last > c ? "-" + std::to_string(last) : "");
    }
    return text;
}

// A class's file emptied or cut short would otherwise go unnoticed: the network would train,
// or be scored, on fewer classes. Every class the data set's labels use must be in every
// subset that has room for them all.
void check_every_class_present(const Dataset& data, const Split& split) {
    std::array<bool, num_classes> in_data{};
    for (const std::uint8_t label : data.train.labels) in_data[label] = true;
    if (data.test)
        for (const std::uint8_t label : data.test->labels) in_data[label] = true;
    const auto classes = static_cast<std::size_t>(std::count(in_data.begin(), in_data.end(), true));
    const struct {
        const char* name;
        const std::vector<Member>& members;
    } subsets[] = {{"objective", split.objective},
                   {"validation", split.validation},
                   {"test", split.test}};
    for (const auto& subset : subsets) {
        if (subset.members.size() < classes) continue;
        const Pool& pool = pool_of(data, subset.members.front());
        std::array<bool, num_classes> missing = in_data;
        for (const Member m : subset.members) missing[pool.labels[m.index]] = false;
        const auto missing_count =
            static_cast<std::size_t>(std::count(missing.begin(), missing.end(), true));
        if (missing_count == 0) continue;
        // IDX files label every class from one file: named once.
        std::vector<std::filesystem::path> files;
        for (std::size_t c = 0; c < num_classes; ++c)
            if (missing[c] &&
                std::find(files.begin(), files.end(), pool.labelled_by[c]) == files.end())
                files.push_back(pool.labelled_by[c]);
        std::string file_list;
        for (const auto& file : files) file_list += (file_list.empty() ? "" : ", ") + file.string();
        throw std::invalid_argument("mnist_mlp: " + file_list + ": the " + subset.name +
                                    " subset has no image of class" +
                                    (missing_count > 1 ? "es " : " ") + class_list(missing) +
                                    " (every class " + class_list(in_data) +
                                    " must be present; is the file damaged?)");
    }
}

std::string pool_size_error(const Pool& pool, const Dataset& data, const std::string& asked,
                            std::size_t total) {
    return "mnist_mlp: the " + pool.name + " pool has " + std::to_string(pool.count) + " images (" +
           data.source + "), fewer than " + asked + " = " + std::to_string(total);
}

}  // namespace

Split make_split(const Dataset& data, SplitSizes sizes, std::uint64_t seed) {
    const std::string objective_and_validation =
        "objective_size " + std::to_string(sizes.objective) + " + validation_size " +
        std::to_string(sizes.validation);
    const std::size_t from_train =
        sizes.objective + sizes.validation + (data.test ? 0 : sizes.test);
    if (from_train > data.train.count)
        throw optbench::sdk::ParamError(
            pool_size_error(data.train, data,
                            objective_and_validation +
                                (data.test ? "" : " + test_size " + std::to_string(sizes.test)),
                            from_train));
    if (data.test && sizes.test > data.test->count)
        throw optbench::sdk::ParamError(pool_size_error(
            *data.test, data, "test_size " + std::to_string(sizes.test), sizes.test));

    optbench::sdk::Rng rng(seed);
    Split split;
    PerLabel train = shuffled_by_label(data.train, rng);
    split.objective = take(train, 0, sizes.objective, rng);
    split.validation = take(train, 0, sizes.validation, rng);
    if (data.test) {
        PerLabel test = shuffled_by_label(*data.test, rng);
        split.test = take(test, 1, sizes.test, rng);
    } else {
        split.test = take(train, 0, sizes.test, rng);
    }
    check_every_class_present(data, split);
    return split;
}

std::string split_csv(const Dataset& data, const Split& split) {
    std::string csv = "subset,position,pool,index,label\n";
    const auto write = [&](const char* subset, const std::vector<Member>& members) {
        for (std::size_t position = 0; position < members.size(); ++position) {
            const Member m = members[position];
            const Pool& pool = pool_of(data, m);
            csv += subset;
            csv += ',' + std::to_string(position) + ',' + pool.name + ',' +
                   std::to_string(m.index) + ',' + std::to_string(pool.labels[m.index]) + '\n';
        }
    };
    write("objective", split.objective);
    write("validation", split.validation);
    write("test", split.test);
    return csv;
}

}  // namespace mnist
