#include "ml/torch_zip_reader.h"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mb::ml {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw std::runtime_error("'" + path + "': " + what);
}

uint16_t le16(const uint8_t* p) {
    return static_cast<uint16_t>(p[0] | (p[1] << 8));
}
uint32_t le32(const uint8_t* p) {
    return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
           (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t le64(const uint8_t* p) {
    return static_cast<uint64_t>(le32(p)) | (static_cast<uint64_t>(le32(p + 4)) << 32);
}

constexpr uint32_t kLocalHeaderSig = 0x04034b50;
constexpr uint32_t kCentralHeaderSig = 0x02014b50;
constexpr uint32_t kEndOfCentralDirSig = 0x06054b50;
constexpr uint32_t kZip64LocatorSig = 0x07064b50;
constexpr uint32_t kZip64EndSig = 0x06064b50;
constexpr uint64_t kLocalHeaderSize = 30;
constexpr uint64_t kCentralHeaderSize = 46;
constexpr uint64_t kEndOfCentralDirSize = 22;
constexpr uint64_t kZip64LocatorSize = 20;
constexpr uint64_t kZip64EndSize = 56;

/** True when [offset, offset + length) lies inside a file of `size` bytes (overflow-safe). */
bool inside(uint64_t offset, uint64_t length, uint64_t size) {
    return offset <= size && length <= size - offset;
}

const char* methodName(uint16_t method) {
    switch (method) {
    case 8:
        return "deflate";
    case 9:
        return "deflate64";
    case 12:
        return "bzip2";
    case 14:
        return "lzma";
    case 93:
        return "zstd";
    default:
        return "unknown";
    }
}

std::array<uint32_t, 256> makeCrcTable() {
    std::array<uint32_t, 256> table{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) {
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        }
        table[i] = c;
    }
    return table;
}

} // namespace

uint32_t zip_crc32(const uint8_t* data, size_t size, uint32_t crc) {
    static const std::array<uint32_t, 256> table = makeCrcTable();
    crc = ~crc;
    for (size_t i = 0; i < size; ++i) {
        crc = table[(crc ^ data[i]) & 0xFFu] ^ (crc >> 8);
    }
    return ~crc;
}

bool looks_like_zip(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) {
        return false;
    }
    unsigned char magic[4] = {0, 0, 0, 0};
    const size_t n = std::fread(magic, 1, 4, f);
    std::fclose(f);
    return n == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

struct MappedFile::Mapping {
    void* address = nullptr;
    size_t size = 0;
    Mapping() = default;
    Mapping(const Mapping&) = delete;
    Mapping& operator=(const Mapping&) = delete;
    ~Mapping() {
        if (address) {
            munmap(address, size);
        }
    }
};

MappedFile MappedFile::open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        fail(path, std::string("cannot open: ") + std::strerror(errno));
    }
    struct stat st {};
    if (fstat(fd, &st) != 0) {
        const int err = errno;
        ::close(fd);
        fail(path, std::string("cannot stat: ") + std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        ::close(fd);
        fail(path, "not a regular file");
    }
    MappedFile file;
    file.m_path = path;
    file.m_mapping = std::make_shared<Mapping>();
    file.m_size = static_cast<uint64_t>(st.st_size);
    if (file.m_size == 0) {
        ::close(fd); // nothing to map: callers see an empty file and refuse it themselves
        return file;
    }
    void* addr = mmap(nullptr, static_cast<size_t>(file.m_size), PROT_READ, MAP_PRIVATE, fd, 0);
    const int mapErr = errno;
    ::close(fd); // the mapping keeps the contents reachable
    if (addr == MAP_FAILED) {
        fail(path, std::string("cannot memory-map: ") + std::strerror(mapErr));
    }
    file.m_mapping->address = addr;
    file.m_mapping->size = static_cast<size_t>(file.m_size);
    file.m_data = static_cast<const uint8_t*>(addr);
    return file;
}

ZipArchive ZipArchive::open(const std::string& path) {
    ZipArchive zip;
    zip.m_file = MappedFile::open(path);
    const uint8_t* base = zip.m_file.data();
    const uint64_t size = zip.m_file.size();
    if (size < kEndOfCentralDirSize) {
        fail(path, "file is " + std::to_string(size) + " bytes, too short to be a zip archive (truncated?)");
    }

    // The end-of-central-directory record sits in the last 22 + up to 65535 (comment) bytes.
    uint64_t eocd = UINT64_MAX;
    const uint64_t searchStart = size - kEndOfCentralDirSize;
    const uint64_t searchEnd = searchStart > 0xFFFF ? searchStart - 0xFFFF : 0;
    for (uint64_t pos = searchStart + 1; pos-- > searchEnd;) {
        if (le32(base + pos) == kEndOfCentralDirSig &&
            pos + kEndOfCentralDirSize + le16(base + pos + 20) <= size) {
            eocd = pos;
            break;
        }
    }
    if (eocd == UINT64_MAX) {
        fail(path, "no zip end-of-central-directory record (truncated or not a zip archive)");
    }
    const uint8_t* e = base + eocd;
    if (le16(e + 4) != 0 || le16(e + 6) != 0) {
        fail(path, "multi-disk zip archives are not supported");
    }
    uint64_t entryCount = le16(e + 10);
    uint64_t cdSize = le32(e + 12);
    uint64_t cdOffset = le32(e + 16);
    uint64_t cdLimit = eocd; // the central directory must end before the records that describe it

    if (eocd >= kZip64LocatorSize && le32(base + eocd - kZip64LocatorSize) == kZip64LocatorSig) {
        const uint8_t* loc = base + eocd - kZip64LocatorSize;
        const uint64_t z64 = le64(loc + 8);
        if (!inside(z64, kZip64EndSize, eocd - kZip64LocatorSize) || le32(base + z64) != kZip64EndSig) {
            fail(path, "ZIP64 end-of-central-directory locator points outside the file or at garbage");
        }
        const uint8_t* z = base + z64;
        if (le32(z + 16) != 0 || le32(z + 20) != 0) {
            fail(path, "multi-disk zip archives are not supported");
        }
        entryCount = le64(z + 32);
        cdSize = le64(z + 40);
        cdOffset = le64(z + 48);
        cdLimit = z64;
    } else if (entryCount == 0xFFFF || cdSize == 0xFFFFFFFFu || cdOffset == 0xFFFFFFFFu) {
        fail(path, "zip end record needs ZIP64 values but there is no ZIP64 locator (truncated?)");
    }
    if (!inside(cdOffset, cdSize, cdLimit)) {
        fail(path, "central directory (offset " + std::to_string(cdOffset) + ", " + std::to_string(cdSize) +
                       " bytes) lies outside the file (truncated?)");
    }
    if (entryCount > cdSize / kCentralHeaderSize) {
        fail(path, "zip end record claims " + std::to_string(entryCount) + " entries, more than the " +
                       std::to_string(cdSize) + "-byte central directory can hold");
    }

    uint64_t pos = cdOffset;
    const uint64_t cdEnd = cdOffset + cdSize;
    zip.m_entries.reserve(static_cast<size_t>(entryCount));
    for (uint64_t i = 0; i < entryCount; ++i) {
        if (!inside(pos, kCentralHeaderSize, cdEnd) || le32(base + pos) != kCentralHeaderSig) {
            fail(path, "central directory entry " + std::to_string(i) + " is damaged");
        }
        const uint8_t* c = base + pos;
        const uint16_t flags = le16(c + 8);
        const uint16_t method = le16(c + 10);
        const uint32_t crc = le32(c + 16);
        uint64_t compressed = le32(c + 20);
        uint64_t uncompressed = le32(c + 24);
        const uint16_t nameLen = le16(c + 28);
        const uint16_t extraLen = le16(c + 30);
        const uint16_t commentLen = le16(c + 32);
        uint64_t localOffset = le32(c + 42);
        const uint64_t varLen = uint64_t(nameLen) + extraLen + commentLen;
        if (!inside(pos + kCentralHeaderSize, varLen, cdEnd)) {
            fail(path, "central directory entry " + std::to_string(i) + " runs past the directory");
        }
        ZipEntry entry;
        entry.name.assign(reinterpret_cast<const char*>(c + kCentralHeaderSize), nameLen);
        if (entry.name.empty() || entry.name.find('\0') != std::string::npos) {
            fail(path, "central directory entry " + std::to_string(i) + " has an empty or invalid name");
        }
        // ZIP64 extended information: 8-byte values for each 32-bit field that holds 0xFFFFFFFF, in this
        // order.
        const uint8_t* extra = c + kCentralHeaderSize + nameLen;
        for (uint64_t x = 0; x + 4 <= extraLen;) {
            const uint16_t id = le16(extra + x);
            const uint16_t len = le16(extra + x + 2);
            if (x + 4 + len > extraLen) {
                fail(path, "entry '" + entry.name + "': damaged extra field");
            }
            if (id == 0x0001) {
                const uint8_t* f = extra + x + 4;
                uint64_t used = 0;
                for (uint64_t* field : {&uncompressed, &compressed, &localOffset}) {
                    if (*field == 0xFFFFFFFFu) {
                        if (used + 8 > len) {
                            fail(path, "entry '" + entry.name + "': ZIP64 extra field is too short");
                        }
                        *field = le64(f + used);
                        used += 8;
                    }
                }
            }
            x += 4 + uint64_t(len);
        }
        if (flags & 0x1) {
            fail(path, "entry '" + entry.name + "' is encrypted");
        }
        if (method != 0) {
            fail(path,
                 "entry '" + entry.name + "' is compressed (method " + std::to_string(method) + ", " +
                     methodName(method) +
                     "); torch.save writes stored entries only: was the checkpoint re-zipped by another "
                     "tool? Re-save it with torch.save or unzip and re-zip it with `zip -0`");
        }
        if (compressed != uncompressed) {
            fail(path,
                 "entry '" + entry.name + "' is stored but its compressed and uncompressed sizes differ");
        }
        if (!inside(localOffset, kLocalHeaderSize, size) || le32(base + localOffset) != kLocalHeaderSig) {
            fail(path, "entry '" + entry.name + "': local header missing or outside the file (truncated?)");
        }
        const uint8_t* l = base + localOffset;
        const uint64_t localName = le16(l + 26);
        const uint64_t localExtra = le16(l + 28);
        if (localName != nameLen || !inside(localOffset + kLocalHeaderSize, localName, size) ||
            std::memcmp(l + kLocalHeaderSize, entry.name.data(), nameLen) != 0) {
            fail(path, "entry '" + entry.name + "': local header names another file");
        }
        entry.dataOffset = localOffset + kLocalHeaderSize + localName + localExtra;
        entry.size = uncompressed;
        entry.crc32 = crc;
        if (!inside(entry.dataOffset, entry.size, size)) {
            fail(path, "entry '" + entry.name + "' (" + std::to_string(entry.size) +
                           " bytes) runs past the end of the file (truncated?)");
        }
        if (!zip.m_byName.emplace(entry.name, zip.m_entries.size()).second) {
            fail(path, "entry '" + entry.name + "' appears twice in the archive");
        }
        zip.m_entries.push_back(std::move(entry));
        pos += kCentralHeaderSize + varLen;
    }
    return zip;
}

const ZipEntry* ZipArchive::find(const std::string& name) const {
    const auto it = m_byName.find(name);
    return it == m_byName.end() ? nullptr : &m_entries[it->second];
}

std::string ZipArchive::readChecked(const ZipEntry& entry) const {
    const uint8_t* p = bytes(entry);
    if (zip_crc32(p, static_cast<size_t>(entry.size)) != entry.crc32) {
        fail(path(), "entry '" + entry.name + "' fails its CRC-32 check (corrupted file)");
    }
    return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(entry.size));
}

} // namespace mb::ml
