// Photo and mask loading: EXIF orientation, clear errors for broken files, atomic PNG writes.
#include "doc/image_header.h"
#include "media/image_io.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sys/resource.h>
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

TEST(ImageIo, FilesOpenCvWritesPassTheHeaderCheck) {
    // What the decoder reads, the header check must accept: every format OpenCV itself writes, as loaded
    // back.
    const fs::path dir = fs::temp_directory_path() / ("mb-media-formats-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    cv::Mat img(37, 53, CV_8UC3);
    cv::randu(img, 0, 255);
    for (const std::string& ext : {std::string(".png"), std::string(".jpg"), std::string(".webp"),
                                   std::string(".bmp"), std::string(".tif")}) {
        const std::string path = (dir / ("img" + ext)).string();
        ASSERT_TRUE(cv::imwrite(path, img)) << path;
        const mb::ImageHeader h = mb::readImageHeader(path);
        EXPECT_EQ(h.width, 53u) << path;
        EXPECT_EQ(h.height, 37u) << path;
        EXPECT_EQ(loadColorImage(path).size(), img.size()) << path;
    }
    fs::remove_all(dir);
}

TEST(ImageIo, AHugeFileIsRefusedBeforeItIsRead) {
    // A sparse 3 GB file named .png that starts like one: refused at once, without its bytes in memory.
    const fs::path dir = fs::temp_directory_path() / ("mb-media-huge-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string path = (dir / "huge.png").string();
    {
        std::ofstream f(path, std::ios::binary);
        f << std::string("\x89PNG\r\n\x1a\n", 8);
    }
    fs::resize_file(path, 3ull << 30);
    struct rusage before {};
    getrusage(RUSAGE_SELF, &before);
    try {
        (void)loadColorImage(path);
        ADD_FAILURE() << "accepted";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(path), std::string::npos) << msg;
        EXPECT_NE(msg.find("3.0 GB is larger than the 1.0 GB an image may have"), std::string::npos) << msg;
    }
    struct rusage after {};
    getrusage(RUSAGE_SELF, &after);
    EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 100 * 1024) << "peak memory grew (KiB)";
    // A 900 MB file (under the limit) whose chunks are zeros is refused from its structure, also unread.
    fs::resize_file(path, 900ull << 20);
    EXPECT_THROW((void)loadMask(path), std::runtime_error);
    getrusage(RUSAGE_SELF, &after);
    EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 100 * 1024) << "peak memory grew (KiB)";
    fs::remove_all(dir);
}
