#include "doc/image_header.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace fs = std::filesystem;

namespace mb {

namespace {

std::string sizeText(std::uint64_t bytes) {
    char buf[64];
    if (bytes >= (1ull << 30))
        std::snprintf(buf, sizeof buf, "%.1f GB", double(bytes) / double(1ull << 30));
    else if (bytes >= (1ull << 20))
        std::snprintf(buf, sizeof buf, "%.1f MB", double(bytes) / double(1ull << 20));
    else
        std::snprintf(buf, sizeof buf, "%llu bytes", (unsigned long long)bytes);
    return buf;
}

/** Reads byte ranges of one file; every failure names the file. */
class Reader {
public:
    Reader(const std::string& path, std::uint64_t size)
        : m_path(path), m_size(size), m_in(path, std::ios::binary) {
        if (!m_in)
            fail(std::string("cannot open the file (") + std::strerror(errno) + ")");
    }
    std::uint64_t size() const { return m_size; }

    [[noreturn]] void fail(const std::string& problem) const {
        throw std::runtime_error(m_path + ": " + problem);
    }

    /** `n` bytes at `offset`; a range past the end of the file is a truncated file of `format`. */
    std::vector<unsigned char> read(std::uint64_t offset, std::uint64_t n, const char* format,
                                    const std::string& what) {
        if (offset > m_size || n > m_size - offset)
            fail(std::string("truncated ") + format + ": " + what + " at byte " + std::to_string(offset) +
                 " needs " + std::to_string(n) + " bytes, the file ends at byte " + std::to_string(m_size));
        std::vector<unsigned char> buf(static_cast<size_t>(n));
        m_in.clear();
        m_in.seekg(std::streamoff(offset));
        if (n && !m_in.read(reinterpret_cast<char*>(buf.data()), std::streamsize(n)))
            fail("cannot read " + std::to_string(n) + " bytes at byte " + std::to_string(offset));
        return buf;
    }

    /** The offset of the first `a b` byte pair at or after `from`, or -1; reads in blocks, never whole. */
    long long findPair(std::uint64_t from, unsigned char a, unsigned char b) {
        constexpr std::uint64_t kBlock = 1 << 20;
        bool lastWasA = false;
        for (std::uint64_t off = from; off < m_size; off += kBlock) {
            const std::uint64_t n = std::min(kBlock, m_size - off);
            const auto buf = read(off, n, "image", "a block");
            for (size_t i = 0; i < buf.size(); ++i) {
                if (lastWasA && buf[i] == b)
                    return (long long)(off + i) - 1;
                lastWasA = buf[i] == a;
            }
        }
        return -1;
    }

private:
    std::string m_path;
    std::uint64_t m_size;
    std::ifstream m_in;
};

std::uint32_t be32(const unsigned char* p) {
    return std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 | std::uint32_t(p[2]) << 8 | p[3];
}
std::uint32_t be16(const unsigned char* p) {
    return std::uint32_t(p[0]) << 8 | p[1];
}
std::uint32_t le32(const unsigned char* p) {
    return std::uint32_t(p[3]) << 24 | std::uint32_t(p[2]) << 16 | std::uint32_t(p[1]) << 8 | p[0];
}
std::uint32_t le16(const unsigned char* p) {
    return std::uint32_t(p[1]) << 8 | p[0];
}

std::uint32_t crc32(const unsigned char* p, size_t n) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k)
                c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i)
        c = table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

ImageHeader readPng(Reader& r) {
    ImageHeader h{"PNG", 0, 0};
    std::uint64_t off = 8;
    bool first = true;
    while (true) {
        const auto head = r.read(off, 8, "PNG", "the chunk header");
        const std::uint32_t len = be32(head.data());
        const std::string type(reinterpret_cast<const char*>(head.data()) + 4, 4);
        for (char c : type)
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')))
                r.fail("corrupt PNG: the chunk at byte " + std::to_string(off) + " has no valid type");
        if (len > 0x7FFFFFFFu)
            r.fail("corrupt PNG: the " + type + " chunk at byte " + std::to_string(off) + " claims " +
                   std::to_string(len) + " bytes");
        if (first) {
            if (type != "IHDR" || len != 13)
                r.fail("corrupt PNG: the first chunk is not a 13-byte IHDR");
            const auto ihdr = r.read(off + 4, 4 + 13 + 4, "PNG", "the IHDR chunk");
            if (crc32(ihdr.data(), 17) != be32(ihdr.data() + 17))
                r.fail("corrupt PNG: the IHDR chunk's checksum does not match");
            h.width = be32(ihdr.data() + 4);
            h.height = be32(ihdr.data() + 8);
            if (h.width == 0 || h.height == 0)
                r.fail("corrupt PNG: the header gives a size of " + std::to_string(h.width) + " x " +
                       std::to_string(h.height) + " pixels");
            first = false;
        }
        // The whole chunk (length, type, data, CRC) must lie inside the file.
        if (off + 12 + len > r.size())
            r.fail("truncated PNG: the " + type + " chunk at byte " + std::to_string(off) + " needs " +
                   std::to_string(12 + std::uint64_t(len)) + " bytes, the file ends at byte " +
                   std::to_string(r.size()));
        if (type == "IEND")
            return h;
        off += 12 + std::uint64_t(len);
        if (off == r.size())
            r.fail("truncated PNG: the file ends at byte " + std::to_string(off) + " before the IEND chunk");
    }
}

ImageHeader readJpeg(Reader& r) {
    ImageHeader h{"JPEG", 0, 0};
    std::uint64_t off = 2;
    bool haveFrame = false;
    while (true) {
        auto m = r.read(off, 2, "JPEG", "a marker");
        if (m[0] != 0xFF)
            r.fail("corrupt JPEG: no marker at byte " + std::to_string(off));
        // Fill bytes: any number of 0xFF before the marker code.
        while (m[1] == 0xFF) {
            ++off;
            m = r.read(off, 2, "JPEG", "a marker");
        }
        const unsigned code = m[1];
        if (code == 0xD8 || code == 0x01 || (code >= 0xD0 && code <= 0xD7)) {
            off += 2;
            continue;
        }
        if (code == 0xD9)
            r.fail("corrupt JPEG: the image ends (EOI at byte " + std::to_string(off) + ") before any scan");
        const auto lenBytes = r.read(off + 2, 2, "JPEG", "a segment length");
        const std::uint32_t len = be16(lenBytes.data());
        if (len < 2)
            r.fail("corrupt JPEG: the segment at byte " + std::to_string(off) + " has length " +
                   std::to_string(len));
        const auto seg = r.read(off + 4, len - 2, "JPEG", "the segment");
        const bool sof = code >= 0xC0 && code <= 0xCF && code != 0xC4 && code != 0xC8 && code != 0xCC;
        if (sof) {
            if (seg.size() < 6)
                r.fail("corrupt JPEG: the frame header at byte " + std::to_string(off) + " is too short");
            h.height = be16(seg.data() + 1);
            h.width = be16(seg.data() + 3);
            if (h.width == 0 || h.height == 0)
                r.fail("unsupported JPEG: the frame header gives no size (" + std::to_string(h.width) +
                       " x " + std::to_string(h.height) + ")");
            haveFrame = true;
        }
        off += 2 + len;
        if (code == 0xDA) {
            if (!haveFrame)
                r.fail("corrupt JPEG: a scan starts at byte " + std::to_string(off) +
                       " before any frame header");
            // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so the first FF
            // D9 after the scan is the end of the image; a file cut short has none.
            if (r.findPair(off, 0xFF, 0xD9) < 0)
                r.fail("truncated JPEG: the file ends at byte " + std::to_string(r.size()) +
                       " without the end-of-image marker");
            return h;
        }
    }
}

ImageHeader readWebp(Reader& r) {
    ImageHeader h{"WebP", 0, 0};
    const auto riff = r.read(0, 12, "WebP", "the RIFF header");
    const std::uint64_t riffEnd = std::uint64_t(le32(riff.data() + 4)) + 8;
    if (riffEnd > r.size())
        r.fail("truncated WebP: the RIFF header says " + std::to_string(riffEnd) + " bytes, the file has " +
               std::to_string(r.size()));
    const auto chunk = r.read(12, 8, "WebP", "the first chunk header");
    const std::string type(reinterpret_cast<const char*>(chunk.data()), 4);
    const std::uint32_t len = le32(chunk.data() + 4);
    const auto data = r.read(20, len, "WebP", "the " + type + " chunk");
    if (type == "VP8 ") {
        if (data.size() < 10 || data[3] != 0x9D || data[4] != 0x01 || data[5] != 0x2A)
            r.fail("corrupt WebP: the VP8 chunk has no frame start code");
        h.width = le16(data.data() + 6) & 0x3FFF;
        h.height = le16(data.data() + 8) & 0x3FFF;
    } else if (type == "VP8L") {
        if (data.size() < 5 || data[0] != 0x2F)
            r.fail("corrupt WebP: the VP8L chunk has no signature");
        const std::uint32_t bits = le32(data.data() + 1);
        h.width = (bits & 0x3FFF) + 1;
        h.height = ((bits >> 14) & 0x3FFF) + 1;
    } else if (type == "VP8X") {
        if (data.size() < 10)
            r.fail("corrupt WebP: the VP8X chunk is too short");
        h.width = (std::uint32_t(data[4]) | std::uint32_t(data[5]) << 8 | std::uint32_t(data[6]) << 16) + 1;
        h.height = (std::uint32_t(data[7]) | std::uint32_t(data[8]) << 8 | std::uint32_t(data[9]) << 16) + 1;
    } else {
        r.fail("corrupt WebP: the first chunk is \"" + type + "\", not VP8, VP8L or VP8X");
    }
    if (h.width == 0 || h.height == 0)
        r.fail("corrupt WebP: the header gives a size of " + std::to_string(h.width) + " x " +
               std::to_string(h.height) + " pixels");
    return h;
}

ImageHeader readBmp(Reader& r) {
    ImageHeader h{"BMP", 0, 0};
    const auto head = r.read(0, 18, "BMP", "the file header");
    const std::uint32_t pixelOffset = le32(head.data() + 10);
    const std::uint32_t dibSize = le32(head.data() + 14);
    if (dibSize < 12 || dibSize > 256)
        r.fail("corrupt BMP: the info header claims " + std::to_string(dibSize) + " bytes");
    const auto dib = r.read(14, dibSize, "BMP", "the info header");
    long long width, height;
    std::uint32_t bpp, compression = 0;
    if (dibSize == 12) {
        width = le16(dib.data() + 4);
        height = std::int16_t(le16(dib.data() + 6));
        bpp = le16(dib.data() + 10);
    } else {
        if (dibSize < 20)
            r.fail("corrupt BMP: the info header claims " + std::to_string(dibSize) + " bytes");
        width = std::int32_t(le32(dib.data() + 4));
        height = std::int32_t(le32(dib.data() + 8));
        bpp = le16(dib.data() + 14);
        compression = le32(dib.data() + 16);
    }
    if (height < 0)
        height = -height; // top-down rows
    if (width <= 0 || height <= 0 || width > 0xFFFFFFFFll || height > 0xFFFFFFFFll)
        r.fail("corrupt BMP: the header gives a size of " + std::to_string(width) + " x " +
               std::to_string(height) + " pixels");
    h.width = std::uint32_t(width);
    h.height = std::uint32_t(height);
    if (pixelOffset < 14 + dibSize || pixelOffset >= r.size())
        r.fail("corrupt BMP: the pixel data offset " + std::to_string(pixelOffset) +
               " lies outside the file (" + std::to_string(r.size()) + " bytes)");
    const bool uncompressed = compression == 0 || compression == 3;
    if (uncompressed && bpp != 0 && bpp <= 32) {
        const std::uint64_t rowBytes = (std::uint64_t(h.width) * bpp + 31) / 32 * 4;
        const std::uint64_t need = std::uint64_t(pixelOffset) + rowBytes * h.height;
        if (need > r.size())
            r.fail("truncated BMP: " + std::to_string(h.width) + " x " + std::to_string(h.height) +
                   " pixels at " + std::to_string(bpp) + " bits need " + std::to_string(need) +
                   " bytes, the file has " + std::to_string(r.size()));
    }
    return h;
}

ImageHeader readTiff(Reader& r, bool little) {
    ImageHeader h{"TIFF", 0, 0};
    auto u16 = [&](const unsigned char* p) { return little ? le16(p) : be16(p); };
    auto u32 = [&](const unsigned char* p) { return little ? le32(p) : be32(p); };
    const auto head = r.read(0, 8, "TIFF", "the header");
    const std::uint32_t ifd = u32(head.data() + 4);
    const auto countBytes = r.read(ifd, 2, "TIFF", "the first image directory");
    const std::uint32_t count = u16(countBytes.data());
    const auto entries = r.read(ifd + 2, std::uint64_t(count) * 12, "TIFF", "the first image directory");
    // The values of one tag as unsigned integers (SHORT or LONG), inline or at their offset.
    auto values = [&](const unsigned char* e) {
        const std::uint32_t type = u16(e + 2), n = u32(e + 4);
        const unsigned size = type == 3 ? 2 : type == 4 ? 4 : 0;
        if (size == 0)
            r.fail("corrupt TIFF: tag " + std::to_string(u16(e)) + " has value type " + std::to_string(type));
        std::vector<unsigned char> raw;
        const std::uint64_t bytes = std::uint64_t(n) * size;
        if (bytes <= 4)
            raw.assign(e + 8, e + 8 + bytes);
        else
            raw = r.read(u32(e + 8), bytes, "TIFF", "the values of tag " + std::to_string(u16(e)));
        std::vector<std::uint64_t> out(n);
        for (std::uint32_t i = 0; i < n; ++i)
            out[i] = size == 2 ? u16(raw.data() + 2 * i) : u32(raw.data() + 4 * i);
        return out;
    };
    std::vector<std::uint64_t> offsets, counts;
    for (std::uint32_t i = 0; i < count; ++i) {
        const unsigned char* e = entries.data() + 12 * i;
        const std::uint32_t tag = u16(e);
        if (tag == 256 || tag == 257) {
            const auto v = values(e);
            if (v.empty())
                r.fail("corrupt TIFF: tag " + std::to_string(tag) + " has no value");
            (tag == 256 ? h.width : h.height) = std::uint32_t(v[0]);
        } else if (tag == 273 || tag == 324) {
            offsets = values(e);
        } else if (tag == 279 || tag == 325) {
            counts = values(e);
        }
    }
    if (h.width == 0 || h.height == 0)
        r.fail("corrupt TIFF: the first image directory gives no size (" + std::to_string(h.width) + " x " +
               std::to_string(h.height) + ")");
    if (offsets.empty() || offsets.size() != counts.size())
        r.fail("corrupt TIFF: the first image has " + std::to_string(offsets.size()) + " strip offsets and " +
               std::to_string(counts.size()) + " strip sizes");
    for (size_t i = 0; i < offsets.size(); ++i)
        if (offsets[i] > r.size() || counts[i] > r.size() - offsets[i])
            r.fail("truncated TIFF: strip " + std::to_string(i) + " at byte " + std::to_string(offsets[i]) +
                   " needs " + std::to_string(counts[i]) + " bytes, the file ends at byte " +
                   std::to_string(r.size()));
    return h;
}

} // namespace

ImageHeader readImageHeader(const std::string& path) {
    std::error_code ec;
    const auto st = fs::status(path, ec);
    if (!fs::exists(st))
        throw std::runtime_error(path + ": file not found");
    if (fs::is_directory(st))
        throw std::runtime_error(path + ": is a folder, not an image");
    if (!fs::is_regular_file(st))
        throw std::runtime_error(path + ": not a regular file (a device, FIFO or socket), not an image");
    const std::uint64_t size = fs::file_size(path, ec);
    if (ec)
        throw std::runtime_error(path + ": cannot read its size (" + ec.message() + ")");
    if (size == 0)
        throw std::runtime_error(path + ": the file is empty");
    if (size > kMaxImageFileBytes)
        throw std::runtime_error(path + ": " + sizeText(size) + " is larger than the " +
                                 sizeText(kMaxImageFileBytes) + " an image may have");
    Reader r(path, size);
    const auto magic = r.read(0, std::min<std::uint64_t>(size, 12), "image", "the signature");
    auto starts = [&](std::initializer_list<unsigned char> sig, size_t at = 0) {
        if (magic.size() < at + sig.size())
            return false;
        size_t i = at;
        for (unsigned char c : sig)
            if (magic[i++] != c)
                return false;
        return true;
    };
    ImageHeader h;
    if (starts({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A}))
        h = readPng(r);
    else if (starts({0xFF, 0xD8}))
        h = readJpeg(r);
    else if (starts({'R', 'I', 'F', 'F'}) && starts({'W', 'E', 'B', 'P'}, 8))
        h = readWebp(r);
    else if (starts({'B', 'M'}))
        h = readBmp(r);
    else if (starts({'I', 'I', 42, 0}))
        h = readTiff(r, true);
    else if (starts({'M', 'M', 0, 42}))
        h = readTiff(r, false);
    else if (starts({'I', 'I', 43, 0}) || starts({'M', 'M', 0, 43}))
        r.fail("BigTIFF images are not supported (save it as PNG, JPEG or an ordinary TIFF)");
    else
        r.fail("not an image (not PNG, JPEG, WebP, BMP or TIFF)");
    if (h.width > kMaxImageSide || h.height > kMaxImageSide ||
        std::uint64_t(h.width) * h.height > kMaxImagePixels)
        r.fail("the " + h.format + " header claims " + std::to_string(h.width) + " x " +
               std::to_string(h.height) + " pixels; at most " + std::to_string(kMaxImagePixels / 1000000) +
               " megapixels, " + std::to_string(kMaxImageSide) + " per side, are accepted");
    return h;
}

} // namespace mb
