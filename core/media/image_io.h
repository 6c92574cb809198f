#pragma once
/**
 * \file image_io.h
 * \brief Loading subject photos, masks and backgrounds with clear errors (OpenCV).
 *
 * Photos are decoded with EXIF orientation honoured (OpenCV's IMREAD_COLOR applies it), so a portrait phone
 * photo shows upright. Huge images are downscaled for work (the original file is never changed).
 */
#include <opencv2/core.hpp>
#include <string>

namespace mb::media {

/** Loads a colour image (BGR, 8-bit) honouring EXIF orientation. Throws runtime_error naming the file.
 *  The header is checked first (doc/image_header.h: file size, format, pixel size, structure), so an
 *  oversized or broken file is refused before it is read into memory. */
cv::Mat loadColorImage(const std::string& path);

/** Loads a mask as 8-bit single channel, binarised to 0/255 at > 127. Throws runtime_error naming the file.
 */
cv::Mat loadMask(const std::string& path);

/** Returns `img` scaled down (area filter) so that its longer side is at most maxSide; unchanged if smaller.
 */
cv::Mat downscaleForWork(const cv::Mat& img, int maxSide);

/** Writes a PNG atomically (temp + rename). Throws runtime_error naming the file (full disk, no
 * permission...). */
void writePng(const std::string& path, const cv::Mat& img);

} // namespace mb::media
