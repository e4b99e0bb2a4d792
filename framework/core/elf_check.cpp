#include "core/elf_check.hpp"

#include <elf.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "base/error.hpp"

namespace optbench::host {

namespace fs = std::filesystem;

// The headers are read straight into <elf.h>'s 64-bit structures, which is right only for a
// library this host could load.
static_assert(sizeof(void*) == 8 && std::endian::native == std::endian::little,
              "the ELF check reads 64-bit little-endian headers");

namespace {

// Saturates, so that an offset near 2^64 in a damaged header still lies past the end of the file.
std::uint64_t end_of(std::uint64_t offset, std::uint64_t length) {
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    return offset > max - length ? max : offset + length;
}

// Ordinary reads, never mmap: reading a mapped truncated file past its end would raise the very
// SIGBUS this check is there to prevent.
class ElfReader {
public:
    explicit ElfReader(const fs::path& file) : file_(file), in_(file, std::ios::binary) {
        std::error_code ec;
        size_ = fs::file_size(file, ec);
        if (ec) throw Error(fmt::format("{}: cannot be read: {}", file.string(), ec.message()));
        if (!in_) throw Error(fmt::format("{}: cannot be opened", file.string()));
    }

    std::uint64_t size() const { return size_; }

    template <class Record>
    std::vector<Record> read(std::uint64_t offset, std::size_t count) {
        std::vector<Record> records(count);
        in_.seekg(static_cast<std::streamoff>(offset));
        in_.read(reinterpret_cast<char*>(records.data()), static_cast<std::streamsize>(count * sizeof(Record)));
        if (!in_) throw Error(fmt::format("{}: cannot be read at byte {}", file_.string(), offset));
        return records;
    }

    [[noreturn]] void damaged(const std::string& what) const {
        throw Error(fmt::format("{}: damaged shared library: {}", file_.string(), what));
    }

    // Every part must end within the file: dlopen maps it from the file as it is.
    void check_within(const std::string& part, std::uint64_t offset, std::uint64_t length) const {
        const std::uint64_t end = end_of(offset, length);
        if (end > size_)
            damaged(fmt::format("{} ends at byte {} but the file has {} bytes (truncated copy?)", part, end, size_));
    }

private:
    fs::path file_;
    std::ifstream in_;
    std::uint64_t size_ = 0;
};

}  // namespace

void check_elf_shared_library(const fs::path& file) {
    ElfReader reader(file);
    if (reader.size() == 0) reader.damaged("the file is empty (truncated copy?)");

    // A file shorter than the header is read as far as it goes, so that a cut header still
    // tells a truncated library from a file that is no ELF at all.
    Elf64_Ehdr header{};
    const std::size_t header_bytes = std::min<std::uint64_t>(reader.size(), sizeof header);
    const std::vector<unsigned char> start = reader.read<unsigned char>(0, header_bytes);
    std::memcpy(&header, start.data(), header_bytes);
    if (std::memcmp(header.e_ident, ELFMAG, std::min<std::size_t>(header_bytes, SELFMAG)) != 0)
        throw Error(fmt::format("{}: not an ELF shared library", file.string()));
    reader.check_within("the ELF header", 0, sizeof header);

    if (header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_ident[EI_DATA] != ELFDATA2LSB)
        throw Error(fmt::format("{}: not a library for this host: ELF class {} and data encoding {}, expected "
                                "{} (64-bit) and {} (little-endian)",
                                file.string(), header.e_ident[EI_CLASS], header.e_ident[EI_DATA], ELFCLASS64,
                                ELFDATA2LSB));
    if (header.e_type != ET_DYN)
        throw Error(fmt::format("{}: not an ELF shared library: ELF type {}, expected {} (ET_DYN)", file.string(),
                                header.e_type, ET_DYN));

    if (header.e_phnum > 0 && header.e_phentsize != sizeof(Elf64_Phdr))
        reader.damaged(fmt::format("program headers of {} bytes, expected {}", header.e_phentsize,
                                   sizeof(Elf64_Phdr)));
    reader.check_within("the program header table", header.e_phoff, header.e_phnum * sizeof(Elf64_Phdr));
    const auto segments = reader.read<Elf64_Phdr>(header.e_phoff, header.e_phnum);
    for (std::size_t i = 0; i < segments.size(); ++i)
        reader.check_within(fmt::format("segment {}", i), segments[i].p_offset, segments[i].p_filesz);

    if (header.e_shnum > 0 && header.e_shentsize != sizeof(Elf64_Shdr))
        reader.damaged(fmt::format("section headers of {} bytes, expected {}", header.e_shentsize,
                                   sizeof(Elf64_Shdr)));
    reader.check_within("the section header table", header.e_shoff, header.e_shnum * sizeof(Elf64_Shdr));
    const auto sections = reader.read<Elf64_Shdr>(header.e_shoff, header.e_shnum);
    for (std::size_t i = 0; i < sections.size(); ++i)
        if (sections[i].sh_type != SHT_NOBITS)
            reader.check_within(fmt::format("section {}", i), sections[i].sh_offset, sections[i].sh_size);
}

}  // namespace optbench::host
