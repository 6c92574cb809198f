// Image headers: format and size of real files, and corrupt, truncated, oversized and huge-header files
// refused with the file's name and the problem, without reading the file whole.
#include "doc/atomic_file.h"
#include "doc/image_header.h"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

using namespace mb;
namespace fs = std::filesystem;

namespace {

const std::string kImages = std::string(MB_TEST_DATA) + "/images";

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("mb-image-header-" + std::to_string(::getpid()));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string write(const std::string& name, const std::string& bytes) const {
        const std::string p = (path / name).string();
        std::ofstream(p, std::ios::binary) << bytes;
        return p;
    }
};

std::uint32_t crc32(const std::string& s) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (unsigned char ch : s) {
        c ^= ch;
        for (int k = 0; k < 8; ++k)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

std::string be32(std::uint32_t v) {
    return {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
}
std::string le32(std::uint32_t v) {
    return {char(v), char(v >> 8), char(v >> 16), char(v >> 24)};
}
std::string le16(std::uint32_t v) {
    return {char(v), char(v >> 8)};
}

/** toy.png with its IHDR size replaced (and the IHDR checksum recomputed, so only the size is wrong). */
std::string pngWithSize(std::uint32_t w, std::uint32_t h) {
    std::string png = readWholeFile(kImages + "/toy.png");
    std::string ihdr = png.substr(12, 17);
    ihdr.replace(4, 4, be32(w));
    ihdr.replace(8, 4, be32(h));
    png.replace(12, 17, ihdr);
    png.replace(29, 4, be32(crc32(ihdr)));
    return png;
}

/** An uncompressed 24-bit BMP of w×h pixels. */
std::string bmp(int w, int h) {
    const int row = (w * 3 + 3) / 4 * 4;
    std::string b = "BM" + le32(54 + row * h) + le32(0) + le32(54);
    b += le32(40) + le32(std::uint32_t(w)) + le32(std::uint32_t(h)) + le16(1) + le16(24) + le32(0) +
         le32(std::uint32_t(row * h)) + le32(2835) + le32(2835) + le32(0) + le32(0);
    b += std::string(size_t(row * h), '\x40');
    return b;
}

/** A little-endian one-strip 8-bit greyscale TIFF of w×h pixels. */
std::string tiff(int w, int h) {
    auto entry = [](int tag, int type, std::uint32_t n, std::uint32_t v) {
        return le16(std::uint32_t(tag)) + le16(std::uint32_t(type)) + le32(n) + le32(v);
    };
    const std::uint32_t pixelsAt = 8 + 2 + 6 * 12 + 4;
    std::string t = std::string("II*\0", 4) + le32(8) + le16(6);
    t += entry(256, 4, 1, std::uint32_t(w)) + entry(257, 4, 1, std::uint32_t(h)) + entry(258, 3, 1, 8) +
         entry(262, 3, 1, 1) + entry(273, 4, 1, pixelsAt) + entry(279, 4, 1, std::uint32_t(w * h));
    t += le32(0);
    t += std::string(size_t(w * h), '\x80');
    return t;
}

/** A lossless WebP header (VP8L) claiming w×h pixels; the RIFF size matches the bytes written. */
std::string webpLossless(std::uint32_t w, std::uint32_t h) {
    const std::uint32_t bits = (w - 1) | (h - 1) << 14;
    std::string vp8l = "\x2f" + le32(bits) + std::string(11, '\0');
    std::string chunk = "VP8L" + le32(std::uint32_t(vp8l.size())) + vp8l;
    return "RIFF" + le32(std::uint32_t(4 + chunk.size())) + "WEBP" + chunk;
}

/** An extended WebP header (VP8X) claiming a w×h canvas. */
std::string webpExtended(std::uint32_t w, std::uint32_t h) {
    std::string vp8x = std::string(4, '\0') + le32(w - 1).substr(0, 3) + le32(h - 1).substr(0, 3);
    std::string chunk = "VP8X" + le32(std::uint32_t(vp8x.size())) + vp8x;
    return "RIFF" + le32(std::uint32_t(4 + chunk.size())) + "WEBP" + chunk;
}

void expectRefused(const std::string& path, const std::string& words) {
    try {
        (void)readImageHeader(path);
        ADD_FAILURE() << path << " accepted";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind(path + ": ", 0), 0u) << msg;
        EXPECT_NE(msg.find(words), std::string::npos) << msg;
    }
}

} // namespace

TEST(ImageHeader, ReadsFormatAndSizeOfRealFiles) {
    const ImageHeader png = readImageHeader(kImages + "/toy.png");
    EXPECT_EQ(png.format, "PNG");
    EXPECT_EQ(png.width, 512u);
    EXPECT_EQ(png.height, 512u);
    const ImageHeader jpg = readImageHeader(kImages + "/toy_exif_rot90.jpg");
    EXPECT_EQ(jpg.format, "JPEG");
    EXPECT_EQ(jpg.width * jpg.height, 512u * 512u);
    TempDir dir;
    const ImageHeader b = readImageHeader(dir.write("a.bmp", bmp(7, 5)));
    EXPECT_EQ(b.format, "BMP");
    EXPECT_EQ(b.width, 7u);
    EXPECT_EQ(b.height, 5u);
    const ImageHeader t = readImageHeader(dir.write("a.tif", tiff(9, 4)));
    EXPECT_EQ(t.format, "TIFF");
    EXPECT_EQ(t.width, 9u);
    EXPECT_EQ(t.height, 4u);
    const ImageHeader w = readImageHeader(dir.write("a.webp", webpLossless(33, 17)));
    EXPECT_EQ(w.format, "WebP");
    EXPECT_EQ(w.width, 33u);
    EXPECT_EQ(w.height, 17u);
}

TEST(ImageHeader, RefusesCorruptTruncatedAndHugeHeaderFiles) {
    TempDir dir;
    const std::string png = readWholeFile(kImages + "/toy.png");
    const std::string jpg = readWholeFile(kImages + "/toy_exif_rot90.jpg");
    expectRefused(dir.write("half.png", png.substr(0, png.size() / 2)), "truncated PNG");
    expectRefused(dir.write("noend.png", png.substr(0, png.size() - 12)), "before the IEND chunk");
    expectRefused(dir.write("sig-only.png", png.substr(0, 8)), "truncated PNG");
    std::string badCrc = png;
    badCrc[20] ^= 0x01;
    expectRefused(dir.write("crc.png", badCrc), "checksum");
    expectRefused(dir.write("huge.png", pngWithSize(100000, 100000)), "100000 x 100000 pixels");
    expectRefused(dir.write("wide.png", pngWithSize(70000, 10)), "65535 per side");
    expectRefused(dir.write("zero.png", pngWithSize(0, 10)), "corrupt PNG");
    expectRefused(dir.write("half.jpg", jpg.substr(0, jpg.size() / 2)), "truncated JPEG");
    expectRefused(dir.write("head.jpg", jpg.substr(0, 40)), "truncated JPEG");
    const std::string b = bmp(64, 64);
    expectRefused(dir.write("half.bmp", b.substr(0, b.size() / 2)), "truncated BMP");
    const std::string t = tiff(64, 64);
    expectRefused(dir.write("half.tif", t.substr(0, t.size() / 2)), "truncated TIFF");
    const std::string w = webpLossless(33, 17);
    expectRefused(dir.write("half.webp", w.substr(0, w.size() - 4)), "truncated WebP");
    expectRefused(dir.write("huge.webp", webpExtended(20000, 20000)), "20000 x 20000 pixels");
    expectRefused(dir.write("text.png", "this is not an image at all\n"), "not an image");
    expectRefused(dir.write("empty.png", ""), "empty");
    expectRefused((dir.path / "missing.png").string(), "file not found");
    expectRefused(dir.path.string(), "folder");
    expectRefused(kImages + "/corrupt.png", "PNG");
}

TEST(ImageHeader, RefusesAnOversizedFileWithoutReadingIt) {
    TempDir dir;
    // A sparse 3 GB file that starts like a PNG: refused by its size alone, at once.
    const std::string path = (dir.path / "big.png").string();
    {
        std::ofstream f(path, std::ios::binary);
        f << pngWithSize(100, 100).substr(0, 64);
    }
    fs::resize_file(path, 3ull << 30);
    expectRefused(path, "3.0 GB is larger than the 1.0 GB an image may have");
}
