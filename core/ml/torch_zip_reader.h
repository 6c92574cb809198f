#pragma once
/**
 * \file torch_zip_reader.h
 * \brief A memory-mapped, strictly validated reader for the zip container PyTorch's `torch.save` writes.
 *
 * Since PyTorch 1.6 `torch.save` writes a zip archive: `<archive>/data.pkl` (the pickled object),
 * `<archive>/data/<key>` (one raw little-endian file per storage), `<archive>/version`, and in newer releases
 * `<archive>/byteorder`, `<archive>/.data/serialization_id`, `<archive>/.format_version` and
 * `<archive>/.storage_alignment`. Every entry is *stored* (not compressed), its data 64-byte aligned by
 * padding in the local header's extra field, and files over 4 GiB use ZIP64 records.
 *
 * This reader handles exactly that: it reads the (ZIP64) end-of-central-directory record, every central
 * directory entry and the local header it points to, and checks that each entry is stored, unencrypted,
 * whole and inside the file. Compressed entries (e.g. an archive re-zipped by another tool) are refused with
 * a message saying so. Plain C++ (no torch), so it is usable and testable on its own.
 *
 * Everything throws std::runtime_error whose message starts with the file path.
 */
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mb::ml {

/** A read-only memory mapping of a whole regular file. Movable; unmaps when the last copy goes away. */
class MappedFile {
public:
    /** Maps `path`; throws naming the file when it cannot be opened, is not a regular file, or mapping fails.
     */
    static MappedFile open(const std::string& path);

    const std::string& path() const { return m_path; }
    const uint8_t* data() const { return m_data; }
    uint64_t size() const { return m_size; }

private:
    struct Mapping;
    std::string m_path;
    std::shared_ptr<Mapping> m_mapping;
    const uint8_t* m_data = nullptr;
    uint64_t m_size = 0;
};

/** One validated entry of the archive. */
struct ZipEntry {
    std::string name;        ///< full path inside the archive, e.g. "archive/data/0"
    uint64_t dataOffset = 0; ///< absolute offset of the entry's bytes in the file
    uint64_t size = 0;       ///< byte length (stored: compressed == uncompressed)
    uint32_t crc32 = 0;      ///< CRC-32 from the central directory
};

/** The IEEE CRC-32 used by zip (polynomial 0xEDB88320), continuing from `crc` (0 to start). */
uint32_t zip_crc32(const uint8_t* data, size_t size, uint32_t crc = 0);

/** True when the file starts with a zip local header ("PK\x03\x04"); reads only 4 bytes. */
bool looks_like_zip(const std::string& path);

/** A zip archive of stored entries, read through a memory mapping. */
class ZipArchive {
public:
    /**
     * Maps and validates `path`: finds the end-of-central-directory record (ZIP64 when present), reads every
     * central directory entry, and checks each entry's local header, method (stored only), flags (no
     * encryption), sizes and that its data lies inside the file. Throws naming the file and entry otherwise.
     */
    static ZipArchive open(const std::string& path);

    const std::string& path() const { return m_file.path(); }
    const std::vector<ZipEntry>& entries() const { return m_entries; }
    /** The entry called exactly `name`, or nullptr. */
    const ZipEntry* find(const std::string& name) const;
    /** Pointer to an entry's bytes inside the mapping (valid while this archive lives). */
    const uint8_t* bytes(const ZipEntry& entry) const { return m_file.data() + entry.dataOffset; }
    /** A copy of an entry's bytes after checking its CRC-32 (for small entries such as data.pkl). */
    std::string readChecked(const ZipEntry& entry) const;
    /** The mapping (kept alive by copies of it). */
    const MappedFile& file() const { return m_file; }

private:
    MappedFile m_file;
    std::vector<ZipEntry> m_entries;
    std::map<std::string, size_t> m_byName;
};

} // namespace mb::ml
