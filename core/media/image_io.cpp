#include "media/image_io.h"

#include "doc/atomic_file.h"
#include "doc/image_header.h"

#include <filesystem>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <stdexcept>

namespace fs = std::filesystem;

namespace mb::media {

namespace {

/** Says why a file could not be decoded: missing, empty, folder, or not a supported image. */
[[noreturn]] void failLoad(const std::string& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw std::runtime_error(path + ": file not found");
    if (fs::is_directory(path, ec))
        throw std::runtime_error(path + ": is a folder, not an image");
    if (fs::file_size(path, ec) == 0)
        throw std::runtime_error(path + ": the file is empty");
    throw std::runtime_error(path +
                             ": not a readable image (corrupt, truncated, or not JPEG/PNG/WebP/BMP/TIFF)");
}

cv::Mat decode(const std::string& path, int flags) {
    // The header and structure first (file size, format, pixel size, chunks inside the file): a huge file or
    // a header that claims a giant image is refused before anything is read whole or allocated for it.
    std::error_code ec;
    if (!fs::is_regular_file(path, ec) || fs::file_size(path, ec) == 0)
        failLoad(path);
    try {
        (void)readImageHeader(path);
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        const std::string prefix = path + ": ";
        throw std::runtime_error(
            prefix + "not a readable image: " +
            (what.compare(0, prefix.size(), prefix) == 0 ? what.substr(prefix.size()) : what));
    }
    // Decode from memory so that the error paths are ours (imread prints to stderr on some formats).
    std::string bytes;
    try {
        bytes = readWholeFile(path);
    } catch (const std::exception&) {
        failLoad(path);
    }
    if (bytes.empty())
        failLoad(path);
    cv::Mat buf(1, int(bytes.size()), CV_8UC1, bytes.data());
    cv::Mat img;
    try {
        img = cv::imdecode(buf, flags);
    } catch (const cv::Exception&) {
        img.release();
    }
    if (img.empty())
        failLoad(path);
    return img;
}

} // namespace

cv::Mat loadColorImage(const std::string& path) {
    // IMREAD_COLOR applies the EXIF orientation tag.
    return decode(path, cv::IMREAD_COLOR);
}

cv::Mat loadMask(const std::string& path) {
    cv::Mat m = decode(path, cv::IMREAD_GRAYSCALE);
    cv::Mat bin;
    cv::threshold(m, bin, 127, 255, cv::THRESH_BINARY);
    return bin;
}

cv::Mat downscaleForWork(const cv::Mat& img, int maxSide) {
    const int longSide = std::max(img.cols, img.rows);
    if (maxSide <= 0 || longSide <= maxSide)
        return img;
    const double s = double(maxSide) / double(longSide);
    cv::Mat out;
    cv::resize(img, out, cv::Size(std::max(1, int(img.cols * s + 0.5)), std::max(1, int(img.rows * s + 0.5))),
               0, 0, cv::INTER_AREA);
    return out;
}

void writePng(const std::string& path, const cv::Mat& img) {
    std::vector<uchar> buf;
    if (!cv::imencode(".png", img, buf))
        throw std::runtime_error(path + ": cannot encode PNG");
    writeFileAtomically(path, std::string(buf.begin(), buf.end()));
}

} // namespace mb::media
