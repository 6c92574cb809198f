// Photo and mask loading: EXIF orientation, clear errors for broken files, atomic PNG writes.
#include "media/image_io.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace mb::media;
namespace fs = std::filesystem;

static const std::string kImages = std::string(MB_TEST_DATA) + "/images";

TEST(ImageIo, LoadsPhotoAndBinaryMask) {
    cv::Mat img = loadColorImage(kImages + "/toy.png");
    EXPECT_EQ(img.type(), CV_8UC3);
    EXPECT_GT(img.cols, 0);
    cv::Mat m = loadMask(kImages + "/toy_mask.png");
    EXPECT_EQ(m.type(), CV_8UC1);
    EXPECT_EQ(m.size(), img.size());
    const int fg = cv::countNonZero(m);
    EXPECT_GT(fg, m.total() / 20);
    EXPECT_LT(fg, m.total() * 9 / 10);
    for (int y = 0; y < m.rows; y += 7)
        for (int x = 0; x < m.cols; x += 7)
            EXPECT_TRUE(m.at<uchar>(y, x) == 0 || m.at<uchar>(y, x) == 255);
}

TEST(ImageIo, HonoursExifOrientation) {
    // toy_exif_rot90.jpg stores its pixels rotated, with orientation tag 6: shown upright it equals toy.png.
    cv::Mat upright = loadColorImage(kImages + "/toy.png");
    cv::Mat exif = loadColorImage(kImages + "/toy_exif_rot90.jpg");
    ASSERT_EQ(exif.size(), upright.size());
    cv::Mat diff;
    cv::absdiff(exif, upright, diff);
    EXPECT_LT(cv::mean(diff)[0], 6.0) << "EXIF orientation not applied";
}

TEST(ImageIo, BrokenFilesGetClearErrors) {
    struct Case {
        std::string file, words;
    } cases[] = {{"corrupt.png", "not a readable image"},
                 {"not_an_image.jpg", "not a readable image"},
                 {"empty.png", "empty"},
                 {"missing.png", "not found"},
                 {"", "folder"}};
    for (const auto& c : cases) {
        const std::string path = kImages + "/" + c.file;
        try {
            (void)loadColorImage(path);
            ADD_FAILURE() << c.file << " accepted";
        } catch (const std::runtime_error& e) {
            const std::string msg = e.what();
            EXPECT_NE(msg.find(path), std::string::npos) << msg;
            EXPECT_NE(msg.find(c.words), std::string::npos) << msg;
        }
    }
}

TEST(ImageIo, DownscaleForWorkKeepsAspect) {
    cv::Mat big(3000, 4000, CV_8UC3, cv::Scalar(1, 2, 3));
    cv::Mat s = downscaleForWork(big, 2048);
    EXPECT_EQ(s.cols, 2048);
    EXPECT_EQ(s.rows, 1536);
    cv::Mat small(100, 50, CV_8UC3);
    EXPECT_EQ(downscaleForWork(small, 2048).data, small.data);
}

TEST(ImageIo, WritePngIsAtomicAndReportsErrors) {
    const fs::path dir = fs::temp_directory_path() / "mb-media-png";
    fs::create_directories(dir);
    cv::Mat m(10, 12, CV_8UC1, cv::Scalar(255));
    writePng((dir / "m.png").string(), m);
    EXPECT_EQ(loadMask((dir / "m.png").string()).size(), m.size());
    EXPECT_THROW(writePng((dir / "m.png/sub.png").string(), m), std::runtime_error);
    fs::remove_all(dir);
}

TEST(ImageIo, WritePngRefusesAFolderOrFifoAndWritesThroughALink) {
    const fs::path dir = fs::temp_directory_path() / ("mb-media-png-out-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "frame.png");
    const cv::Mat m(10, 12, CV_8UC1, cv::Scalar(255));
    try {
        writePng((dir / "frame.png").string(), m);
        FAIL() << "a folder was replaced by a PNG";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find((dir / "frame.png").string() + ": is a directory"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(fs::is_directory(dir / "frame.png"));
    ASSERT_EQ(::mkfifo((dir / "pipe.png").c_str(), 0644), 0);
    EXPECT_THROW(writePng((dir / "pipe.png").string(), m), std::runtime_error);
    EXPECT_EQ(fs::status(dir / "pipe.png").type(), fs::file_type::fifo);
    fs::create_symlink("real.png", dir / "link.png");
    writePng((dir / "link.png").string(), m);
    EXPECT_TRUE(fs::is_symlink(dir / "link.png"));
    EXPECT_EQ(loadMask((dir / "real.png").string()).size(), m.size());
    fs::remove_all(dir);
}
