#pragma once
/**
 * \file image_header.h
 * \brief Reads the header of a photo, mask or background file (format and pixel size) and checks its
 *        structure, without decoding pixels and without reading the file into memory.
 *
 * What `validate` reports and what image loading checks before it reads a file whole: a corrupt, truncated
 * or absurdly large image is refused with the file's name and the problem, so a 3 GB file named `.png`, or a
 * PNG whose header claims 100 000 × 100 000 pixels, never reaches the decoder. Std library only (core/doc has
 * no OpenCV); the formats are those the decoder reads: PNG, JPEG, WebP, BMP and TIFF.
 *
 * Structure checks per format (what a truncated or damaged file breaks, at the cost of reading chunk and
 * marker headers only):
 *  - PNG: signature, IHDR first (with its CRC), every chunk inside the file, IEND present;
 *  - JPEG: SOI, the marker segments up to the first frame header and scan inside the file, an EOI marker
 *    after the scan;
 *  - WebP: the RIFF size against the file size, a VP8 / VP8L / VP8X chunk with the size;
 *  - BMP: the pixel data offset and, for uncompressed pixels, the pixel rows inside the file;
 *  - TIFF: the first IFD inside the file with width and height, its strips or tiles inside the file.
 */
#include <cstdint>
#include <string>

namespace mb {

/** The largest image file accepted (bytes): far above any photo, far below what decoding could hold. */
constexpr std::uint64_t kMaxImageFileBytes = 1ull << 30;
/** The largest image accepted (pixels; 268 MP, 805 MB decoded as 8-bit BGR) and the largest side. */
constexpr std::uint64_t kMaxImagePixels = 1ull << 28;
constexpr std::uint32_t kMaxImageSide = 65535;

struct ImageHeader {
    std::string format; ///< "PNG", "JPEG", "WebP", "BMP" or "TIFF"
    std::uint32_t width = 0;
    std::uint32_t height = 0;
};

/**
 * Reads and checks the header of the image file at `path`. Throws std::runtime_error whose text starts with
 * `path`, e.g. "PATH: truncated PNG: the IDAT chunk at byte 57 needs 9000 bytes, the file ends at 4000",
 * "PATH: not an image (not PNG, JPEG, WebP, BMP or TIFF)", "PATH: file not found", "PATH: the file is empty",
 * "PATH: 3.0 GB is larger than the 1.0 GB an image may have",
 * "PATH: the PNG header claims 100000 x 100000 pixels; at most 268 megapixels, 65535 per side, are accepted".
 */
ImageHeader readImageHeader(const std::string& path);

} // namespace mb
