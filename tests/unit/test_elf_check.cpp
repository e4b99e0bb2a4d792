// A plugin library damaged on disk (an interrupted copy) is refused before dlopen, which would
// otherwise die of SIGBUS, with one line naming the file and what is wrong with it.
#include <doctest/doctest.h>

#include <elf.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/elf_check.hpp"
#include "core/loader.hpp"
#include "testing.hpp"

using namespace optbench;
namespace fs = std::filesystem;

namespace {

fs::path built_plugin(const std::string& name) {
    return testing::binary_dir() / "lib" / "optbench" / "plugins" / (name + ".so");
}

template <class Record>
std::vector<Record> read_records(const fs::path& file, std::uint64_t offset, std::size_t count) {
    std::vector<Record> records(count);
    std::ifstream in(file, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(reinterpret_cast<char*>(records.data()), static_cast<std::streamsize>(count * sizeof(Record)));
    REQUIRE(in);
    return records;
}

// The headers of a built library, to cut its copies at known places.
struct Layout {
    std::uint64_t size;
    Elf64_Ehdr header;
    std::vector<Elf64_Phdr> segments;
    std::vector<Elf64_Shdr> sections;

    explicit Layout(const fs::path& library)
        : size(fs::file_size(library)), header(read_records<Elf64_Ehdr>(library, 0, 1).front()),
          segments(read_records<Elf64_Phdr>(library, header.e_phoff, header.e_phnum)),
          sections(read_records<Elf64_Shdr>(library, header.e_shoff, header.e_shnum)) {}

    std::uint64_t program_headers_end() const { return header.e_phoff + segments.size() * sizeof(Elf64_Phdr); }
    std::uint64_t section_headers_end() const { return header.e_shoff + sections.size() * sizeof(Elf64_Shdr); }
    std::uint64_t segments_end() const {
        std::uint64_t end = 0;
        for (const Elf64_Phdr& s : segments) end = std::max(end, s.p_offset + s.p_filesz);
        return end;
    }
};

fs::path copy_cut_to(const fs::path& library, const fs::path& copy, std::uint64_t bytes) {
    fs::copy_file(library, copy, fs::copy_options::overwrite_existing);
    fs::resize_file(copy, bytes);
    return copy;
}

template <class Value>
fs::path copy_patched(const fs::path& library, const fs::path& copy, std::uint64_t offset, const Value& value) {
    fs::copy_file(library, copy, fs::copy_options::overwrite_existing);
    std::fstream file(copy, std::ios::binary | std::ios::in | std::ios::out);
    file.seekp(static_cast<std::streamoff>(offset));
    file.write(reinterpret_cast<const char*>(&value), sizeof value);
    REQUIRE(file);
    return copy;
}

std::string refusal(const fs::path& file) {
    try {
        host::check_elf_shared_library(file);
    } catch (const host::Error& e) {
        return e.what();
    }
    return "(accepted)";
}

// Where a copy is cut, and the part of the library that then ends past the file.
struct Cut {
    std::string where;
    std::uint64_t bytes;
    std::string part;
    std::uint64_t end;
};

std::string ends_past_file(const fs::path& file, const std::string& part, std::uint64_t end,
                           std::uint64_t file_bytes) {
    return fmt::format("{}: damaged shared library: {} ends at byte {} but the file has {} bytes (truncated copy?)",
                       file.string(), part, end, file_bytes);
}

}  // namespace

TEST_CASE("every built plugin library passes the ELF check, and so does an intact copy") {
    const fs::path lib = testing::binary_dir() / "lib" / "optbench";
    for (const fs::path& folder : {lib / "plugins", lib / "bad-plugins", testing::test_plugin_dir()})
        for (const auto& item : fs::directory_iterator(folder))
            if (item.path().extension() == ".so") CHECK_NOTHROW(host::check_elf_shared_library(item.path()));
    const testing::TempDir temp;
    const fs::path copy = temp.path() / "synthetic.so";
    fs::copy_file(built_plugin("synthetic"), copy);
    CHECK_NOTHROW(host::check_elf_shared_library(copy));
}

TEST_CASE("a library cut short is refused, naming the first part that ends past the file") {
    const fs::path library = built_plugin("synthetic");
    const Layout layout(library);
    // The cuts below rely on GNU ld's order: headers, segments, sections no segment maps, and
    // the section header table last.
    REQUIRE(layout.section_headers_end() == layout.size);
    REQUIRE(layout.segments_end() < layout.header.e_shoff);

    const auto first_segment_past = [&](std::uint64_t bytes) {
        const auto past = std::find_if(layout.segments.begin(), layout.segments.end(), [&](const Elf64_Phdr& segment) {
            return segment.p_offset + segment.p_filesz > bytes;
        });
        REQUIRE(past != layout.segments.end());
        return Cut{"inside a segment", bytes, fmt::format("segment {}", past - layout.segments.begin()),
                   past->p_offset + past->p_filesz};
    };
    const Elf64_Phdr& largest_segment = *std::max_element(
        layout.segments.begin(), layout.segments.end(),
        [](const Elf64_Phdr& a, const Elf64_Phdr& b) { return a.p_filesz < b.p_filesz; });

    const std::vector<Cut> cuts = {
        {"inside the ELF header", 20, "the ELF header", sizeof(Elf64_Ehdr)},
        {"inside the program headers", layout.header.e_phoff + sizeof(Elf64_Phdr) + 10, "the program header table",
         layout.program_headers_end()},
        first_segment_past(largest_segment.p_offset + largest_segment.p_filesz / 2),
        // Symbol tables and the like, mapped by no segment: the section header table after them
        // is what ends past the file.
        {"inside a section no segment maps", (layout.segments_end() + layout.header.e_shoff) / 2,
         "the section header table", layout.section_headers_end()},
        {"inside the section headers", layout.header.e_shoff + 2 * sizeof(Elf64_Shdr) + 10,
         "the section header table", layout.section_headers_end()},
        {"just before the end", layout.size - 1, "the section header table", layout.section_headers_end()},
    };
    const testing::TempDir temp;
    for (const Cut& cut : cuts) {
        INFO("cut ", cut.where, " at byte ", cut.bytes);
        const fs::path copy = copy_cut_to(library, temp.path() / "synthetic.so", cut.bytes);
        CHECK(refusal(copy) == ends_past_file(copy, cut.part, cut.end, cut.bytes));
    }
}

TEST_CASE("a file that is no 64-bit little-endian ELF shared library is refused") {
    const fs::path library = built_plugin("synthetic");
    const testing::TempDir temp;
    const fs::path text = temp.path() / "notes.so";
    std::ofstream(text) << "not a library\n";
    CHECK(refusal(text) == text.string() + ": not an ELF shared library");

    const fs::path empty = copy_cut_to(library, temp.path() / "empty.so", 0);
    CHECK(refusal(empty) == empty.string() + ": damaged shared library: the file is empty (truncated copy?)");

    const fs::path executable =
        copy_patched(library, temp.path() / "executable.so", offsetof(Elf64_Ehdr, e_type), Elf64_Half{ET_EXEC});
    CHECK(refusal(executable) ==
          executable.string() + ": not an ELF shared library: ELF type 2, expected 3 (ET_DYN)");
    const fs::path elf32 = copy_patched(library, temp.path() / "elf32.so", EI_CLASS, std::uint8_t{ELFCLASS32});
    CHECK(refusal(elf32) == elf32.string() +
                                ": not a library for this host: ELF class 1 and data encoding 1, expected 2 (64-bit) "
                                "and 1 (little-endian)");
}

TEST_CASE("a library whose headers point past its end is refused, even with offsets near 2^64") {
    const fs::path library = built_plugin("synthetic");
    const Layout layout(library);
    const testing::TempDir temp;

    const std::size_t last = layout.sections.size() - 1;
    REQUIRE(layout.sections[last].sh_type != SHT_NOBITS);
    const fs::path long_section = copy_patched(
        library, temp.path() / "long_section.so",
        layout.header.e_shoff + last * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_size), Elf64_Xword{layout.size});
    CHECK(refusal(long_section) == ends_past_file(long_section, fmt::format("section {}", last),
                                                  layout.sections[last].sh_offset + layout.size, layout.size));

    const fs::path far_headers = copy_patched(library, temp.path() / "far_headers.so", offsetof(Elf64_Ehdr, e_phoff),
                                              Elf64_Off{std::numeric_limits<Elf64_Off>::max() - 10});
    CHECK(refusal(far_headers) == ends_past_file(far_headers, "the program header table",
                                                 std::numeric_limits<std::uint64_t>::max(), layout.size));
}

TEST_CASE("discovery skips a damaged library, naming it, and loads the good one beside it") {
    const testing::TempDir temp;
    fs::copy_file(built_plugin("random_search"), temp.path() / "random_search.so");
    const fs::path damaged = copy_cut_to(built_plugin("synthetic"), temp.path() / "synthetic.so",
                                         fs::file_size(built_plugin("synthetic")) / 2);
    const auto registry = host::Registry::discover({temp.path()});
    REQUIRE(registry.load_errors().size() == 1);
    CHECK(registry.load_errors().front().rfind(damaged.string() + ": damaged shared library: ", 0) == 0);
    CHECK_NOTHROW(registry.find(abi::EntryKind::optimizer, "random_search"));
    CHECK_THROWS_AS(registry.find(abi::EntryKind::problem, "sphere"), host::Error);
}

TEST_CASE("loading a damaged library by its path is an error naming it") {
    const testing::TempDir temp;
    const fs::path damaged = copy_cut_to(built_plugin("synthetic"), temp.path() / "synthetic.so", 5000);
    const std::string message = refusal(damaged);
    CHECK(message.rfind(damaged.string() + ": damaged shared library: segment ", 0) == 0);
    host::Registry registry;
    CHECK_THROWS_WITH_AS(registry.load(damaged), message.c_str(), host::Error);
}
