// Animated GIF through libavcodec's gif encoder: decoded back with decodeVideo (frame count, size, colours),
// the loop extension and frame delays in the file, the clip-wide palette, cancel, and clear errors for a
// missing folder and a full disk.
#include "media/gif_export.h"
#include "media/video_io.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <opencv2/imgproc.hpp>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace mb::media;
namespace fs = std::filesystem;

namespace {

/** A smooth two-axis gradient (thousands of colours, so the palette must be built) with a moving disc. */
cv::Mat gradientFrame(int w, int h, int f) {
    cv::Mat m(h, w, CV_8UC3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            m.at<cv::Vec3b>(y, x) =
                cv::Vec3b(uchar(255 * x / (w - 1)), uchar(255 * y / (h - 1)), uchar(60 + 3 * f));
    cv::circle(m, cv::Point(10 + 6 * f, h / 2), h / 5, cv::Scalar(30, 200, 250), cv::FILLED);
    return m;
}

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

/** Sum of the frame delays (hundredths of a second) in the file's Graphic Control Extensions. */
int totalDelayCs(const std::string& bytes, int* count) {
    int sum = 0;
    *count = 0;
    for (size_t i = 0; i + 7 < bytes.size(); ++i)
        if (uchar(bytes[i]) == 0x21 && uchar(bytes[i + 1]) == 0xf9 && uchar(bytes[i + 2]) == 0x04) {
            sum += uchar(bytes[i + 4]) | uchar(bytes[i + 5]) << 8;
            ++*count;
        }
    return sum;
}

double meanAbsDiff(const cv::Mat& a, const cv::Mat& b) {
    cv::Mat diff;
    cv::absdiff(a, b, diff);
    const cv::Scalar m = cv::mean(diff);
    return (m[0] + m[1] + m[2]) / 3.0;
}

} // namespace

TEST(GifExport, EncodesAndDecodesBackWithCloseColours) {
    const fs::path out = fs::temp_directory_path() / "mb-gif-test.gif";
    fs::remove(out);
    const int W = 120, H = 68, N = 10;
    GifEncodeOptions o;
    o.fps = 12;
    {
        GifEncoder gif(out.string(), W, H, o);
        for (int f = 0; f < N; ++f)
            gif.write(gradientFrame(W, H, f));
        EXPECT_FALSE(fs::exists(out)) << "file visible before finish()";
        gif.finish();
        EXPECT_EQ(gif.framesWritten(), N);
    }
    VideoInfo info;
    const auto frames = decodeVideo(out.string(), &info);
    EXPECT_EQ(info.codec, "gif");
    EXPECT_EQ(info.width, W);
    EXPECT_EQ(info.height, H);
    ASSERT_EQ(int(frames.size()), N);
    for (int f = 0; f < N; ++f) {
        ASSERT_EQ(frames[size_t(f)].size(), cv::Size(W, H));
        // 256 colours spread over this clip's colour volume sit ~20 levels apart, so per pixel the dither
        // noise is several levels; blurred (as the eye sees it), the colours match closely.
        const cv::Mat ref = gradientFrame(W, H, f);
        EXPECT_LT(meanAbsDiff(frames[size_t(f)], ref), 10.0) << "frame " << f;
        cv::Mat a, b;
        cv::blur(frames[size_t(f)], a, cv::Size(5, 5));
        cv::blur(ref, b, cv::Size(5, 5));
        EXPECT_LT(meanAbsDiff(a, b), 3.5) << "frame " << f;
    }
    const std::string bytes = readAll(out);
    EXPECT_EQ(bytes.substr(0, 6), "GIF89a");
    const size_t loop = bytes.find("NETSCAPE2.0");
    ASSERT_NE(loop, std::string::npos) << "no loop extension";
    EXPECT_EQ(uchar(bytes[loop + 14]) | uchar(bytes[loop + 15]) << 8, 0) << "loop count must be 0 (forever)";
    int delays = 0;
    const int cs = totalDelayCs(bytes, &delays);
    EXPECT_EQ(delays, N);
    EXPECT_NEAR(cs, N * 100.0 / o.fps, 1.0) << "frame delays must add up to the clip's duration";
    fs::remove(out);
}

TEST(GifExport, FewColoursRoundTripExactly) {
    const fs::path out = fs::temp_directory_path() / "mb-gif-flat.gif";
    std::vector<cv::Mat> src;
    for (int f = 0; f < 4; ++f) {
        cv::Mat m(40, 64, CV_8UC3, cv::Scalar(20, 120, 220));
        cv::rectangle(m, cv::Rect(4 * f, 8, 20, 20), cv::Scalar(250, 10, 90), cv::FILLED);
        cv::rectangle(m, cv::Rect(40, 4 * f, 10, 10), cv::Scalar(0, 0, 0), cv::FILLED);
        src.push_back(m);
    }
    const auto palette = buildGifPalette(src);
    EXPECT_EQ(palette.size(), 3u);
    GifEncodeOptions o;
    o.dither = GifDither::Bayer; // with exact colours no dither may change a pixel
    GifEncoder gif(out.string(), 64, 40, o);
    for (const auto& m : src)
        gif.write(m);
    gif.finish();
    const auto frames = decodeVideo(out.string());
    ASSERT_EQ(frames.size(), src.size());
    for (size_t f = 0; f < src.size(); ++f)
        EXPECT_EQ(meanAbsDiff(frames[f], src[f]), 0.0) << "frame " << f;
    fs::remove(out);
}

TEST(GifExport, PaletteIsClipWideAndDeterministic) {
    std::vector<cv::Mat> frames;
    for (int f = 0; f < 6; ++f)
        frames.push_back(gradientFrame(80, 48, f));
    const auto a = buildGifPalette(frames), b = buildGifPalette(frames);
    EXPECT_EQ(a, b);
    EXPECT_GT(a.size(), 200u);
    EXPECT_LE(a.size(), 256u);
    // Every dither mode maps onto the palette and stays close to the source.
    for (GifDither d : {GifDither::FloydSteinberg, GifDither::Bayer, GifDither::None}) {
        const cv::Mat idx = quantizeToPalette(frames[0], a, d);
        ASSERT_EQ(idx.type(), CV_8UC1);
        cv::Mat back(idx.size(), CV_8UC3);
        for (int y = 0; y < idx.rows; ++y)
            for (int x = 0; x < idx.cols; ++x) {
                const int i = idx.at<uchar>(y, x);
                ASSERT_LT(size_t(i), a.size());
                back.at<cv::Vec3b>(y, x) = a[size_t(i)];
            }
        EXPECT_LT(meanAbsDiff(back, frames[0]), 10.0) << "dither mode " << int(d);
    }
}

TEST(GifExport, CancelAndAbandonLeaveNoFile) {
    const fs::path dir = fs::temp_directory_path() / "mb-gif-cancel";
    fs::remove_all(dir);
    fs::create_directories(dir);
    {
        GifEncoder gif((dir / "x.gif").string(), 32, 32, {});
        gif.write(gradientFrame(32, 32, 0));
    } // destroyed without finish()
    EXPECT_TRUE(fs::is_empty(dir));
    {
        GifEncoder gif((dir / "y.gif").string(), 32, 32, {});
        for (int f = 0; f < 5; ++f)
            gif.write(gradientFrame(32, 32, f));
        mb::CancelToken cancel;
        mb::JobControl jc;
        jc.cancel = &cancel;
        int reports = 0;
        jc.progress = [&](const mb::JobProgress& p) {
            if (++reports == 3)
                cancel.request();
            EXPECT_EQ(p.stage, "gif");
        };
        EXPECT_THROW(gif.finish(jc), mb::JobCancelled);
        EXPECT_TRUE(cancel.acknowledged());
    }
    EXPECT_TRUE(fs::is_empty(dir));
    fs::remove_all(dir);
}

TEST(GifExport, ClearErrors) {
    try {
        GifEncoder("/nonexistent-folder/x.gif", 64, 64, {});
        FAIL() << "no error for a missing folder";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent-folder/x.gif"), std::string::npos) << e.what();
    }
    EXPECT_THROW(GifEncoder("/tmp/x.gif", 0, 64, {}), std::runtime_error);
    GifEncoder gif("/tmp/mb-gif-size.gif", 32, 32, {});
    EXPECT_THROW(gif.write(cv::Mat(16, 16, CV_8UC3)), std::runtime_error);
    EXPECT_THROW(gif.finish(), std::runtime_error) << "no frames";
}

TEST(GifExport, FullDiskGivesAClearError) {
    // A file-size limit makes write() fail with EFBIG the way a full disk fails with ENOSPC.
    const fs::path dir = fs::temp_directory_path() / "mb-gif-full";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const std::string path = (dir / "big.gif").string();
    rlimit old{};
    ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &old), 0);
    auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = old;
    small.rlim_cur = 16 * 1024;
    ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
    std::string message;
    try {
        GifEncoder gif(path, 200, 150, {});
        cv::Mat noise(150, 200, CV_8UC3);
        cv::RNG rng(7);
        for (int f = 0; f < 8; ++f) {
            rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
            gif.write(noise);
        }
        gif.finish();
    } catch (const std::runtime_error& e) {
        message = e.what();
    }
    setrlimit(RLIMIT_FSIZE, &old);
    std::signal(SIGXFSZ, oldHandler);
    EXPECT_NE(message.find(path), std::string::npos) << "error must name the file: " << message;
    EXPECT_TRUE(fs::is_empty(dir)) << "a failed export must leave nothing behind";
    fs::remove_all(dir);
}

TEST(GifExport, AFifoOutputIsRefusedAndKept) {
    const fs::path dir = fs::temp_directory_path() / ("mb-gif-fifo-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path fifo = dir / "out.gif";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
    try {
        GifEncoder gif(fifo.string(), 32, 32, {});
        FAIL() << "a FIFO was accepted as the GIF's output";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find(fifo.string() + ": is a FIFO"), std::string::npos) << e.what();
    }
    struct stat st;
    ASSERT_EQ(::lstat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    int entries = 0;
    for (const auto& e : fs::directory_iterator(dir))
        entries += int(!e.path().empty());
    EXPECT_EQ(entries, 1) << "a temporary file was left behind";
    fs::remove_all(dir);
}
