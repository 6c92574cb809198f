// H.264 MP4 encoding and decoding back: codec, pixel format, frame count, size, content.
#include "media/video_io.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>
#include <sys/stat.h>
#include <unistd.h>
#include <utility>

using namespace mb::media;
namespace fs = std::filesystem;

static cv::Mat pattern(int w, int h, int f) {
    cv::Mat m(h, w, CV_8UC3, cv::Scalar(40, 90, 160));
    cv::rectangle(m, cv::Rect(8 * f, h / 4, w / 5, h / 2), cv::Scalar(250, 250, 250), cv::FILLED);
    return m;
}

TEST(VideoIo, EncodesH264Yuv420pAndDecodesBack) {
    const fs::path out = fs::temp_directory_path() / "mb-video-test.mp4";
    VideoEncodeOptions o;
    o.fps = 8;
    {
        VideoEncoder enc(out.string(), 256, 144, o);
        for (int f = 0; f < 12; ++f)
            enc.write(pattern(256, 144, f));
        EXPECT_FALSE(fs::exists(out)) << "file visible before finish()";
        enc.finish();
        EXPECT_EQ(enc.framesWritten(), 12);
    }
    VideoInfo info;
    auto frames = decodeVideo(out.string(), &info);
    EXPECT_EQ(info.codec, "h264");
    EXPECT_EQ(info.pixelFormat, "yuv420p");
    EXPECT_EQ(info.width, 256);
    EXPECT_EQ(info.height, 144);
    EXPECT_EQ(info.frames, 12);
    EXPECT_NEAR(info.fps, 8.0, 1e-6);
    ASSERT_EQ(frames.size(), 12u);
    for (int f = 0; f < 12; ++f) {
        cv::Mat diff;
        cv::absdiff(frames[size_t(f)], pattern(256, 144, f), diff);
        EXPECT_LT(cv::mean(diff)[0] + cv::mean(diff)[1] + cv::mean(diff)[2], 6.0) << "frame " << f;
    }
    fs::remove(out);
}

TEST(VideoIo, AbandonedEncodeLeavesNoFile) {
    const fs::path dir = fs::temp_directory_path() / "mb-video-abandon";
    fs::create_directories(dir);
    {
        VideoEncoder enc((dir / "x.mp4").string(), 64, 64, {});
        enc.write(pattern(64, 64, 0));
    } // destroyed without finish(): cancelled export
    EXPECT_TRUE(fs::is_empty(dir));
    fs::remove_all(dir);
}

TEST(VideoIo, ClearErrors) {
    EXPECT_THROW(VideoEncoder("/nonexistent-folder/x.mp4", 64, 64, {}), std::runtime_error);
    try {
        VideoEncoder("/tmp/odd.mp4", 65, 64, {});
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("even"), std::string::npos);
    }
    VideoEncoder enc("/tmp/mb-size.mp4", 64, 64, {});
    EXPECT_THROW(enc.write(cv::Mat(32, 32, CV_8UC3)), std::runtime_error);
    try {
        decodeVideo(std::string(MB_TEST_DATA) + "/images/not_an_image.jpg");
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("not_an_image.jpg"), std::string::npos);
    }
}

TEST(VideoIo, NonRegularOutputsAreRefusedAndSymlinksWrittenThrough) {
    const fs::path dir = fs::temp_directory_path() / ("mb-video-outputs-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir / "folder.mp4");
    const fs::path fifo = dir / "pipe.mp4";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    for (const auto& [out, kind] :
         {std::pair{fifo, "is a FIFO"}, std::pair{dir / "folder.mp4", "is a directory"}}) {
        try {
            VideoEncoder enc(out.string(), 64, 64, {});
            FAIL() << out << " was accepted";
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find(out.string() + ": " + kind), std::string::npos) << e.what();
        }
    }
    struct stat st;
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_TRUE(fs::is_empty(dir / "folder.mp4"));

    // A link to a regular file: the file gets the video, the link stays a link.
    fs::create_directories(dir / "real");
    std::ofstream(dir / "real/take.mp4") << "old";
    fs::create_symlink("real/take.mp4", dir / "take.mp4");
    {
        VideoEncoder enc((dir / "take.mp4").string(), 64, 64, {});
        enc.write(pattern(64, 64, 0));
        enc.finish();
    }
    EXPECT_TRUE(fs::is_symlink(dir / "take.mp4"));
    EXPECT_EQ(probeVideo((dir / "real/take.mp4").string()).frames, 1);
    int entries = 0;
    for (const auto& e : fs::directory_iterator(dir / "real"))
        entries += int(!e.path().filename().string().empty());
    EXPECT_EQ(entries, 1) << "a temporary file was left behind";
    fs::remove_all(dir);
}
