// bench animatic: frames/s of animatic compositing and of H.264 encoding.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "doc/project_io.h"
#include "media/animatic.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <unistd.h>
#include <vector>

namespace mb::cli {
namespace {

double secondsSince(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int runBenchAnimatic(const Args& args) {
    ArgParser ap;
    ap.option("--project").option("--size").option("--frames").option("--repeat");
    ap.parse(args);
    if (!ap.positional().empty())
        throw UsageError("unexpected argument " + ap.positional()[0]);
    const std::string projectPath = ap.get("--project", resourceDir() + "/demo/demo.mbproj");
    Project p = loadProject(projectPath);
    auto [w, h] = parseSize(ap.get("--size", "576x320"));
    p.shot.width = w;
    p.shot.height = h;
    p.shot.frames = int(ap.getInt("--frames", 24));
    const int repeat = std::max(1, int(ap.getInt("--repeat", 3)));

    auto t0 = std::chrono::steady_clock::now();
    media::AnimaticRenderer renderer(p);
    const double loadS = secondsSince(t0);

    std::vector<double> composite, encode;
    const std::string tmp = (std::filesystem::temp_directory_path() /
                             ("mb-bench-animatic-" + std::to_string(::getpid()) + ".mp4"))
                                .string();
    for (int r = 0; r < repeat; ++r) {
        std::vector<cv::Mat> frames;
        t0 = std::chrono::steady_clock::now();
        for (int f = 0; f < p.shot.frames; ++f)
            frames.push_back(renderer.renderFrame(f, w, h));
        composite.push_back(secondsSince(t0));
        t0 = std::chrono::steady_clock::now();
        media::VideoEncodeOptions opts;
        opts.fps = p.shot.fps;
        media::VideoEncoder enc(tmp, w, h, opts);
        for (auto& fr : frames)
            enc.write(fr);
        enc.finish();
        encode.push_back(secondsSince(t0));
    }
    std::filesystem::remove(tmp);
    auto median = [](std::vector<double> v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    const double c = median(composite), e = median(encode);
    std::printf("bench animatic: %s, %dx%dx%d, %d repeats (median)\n", projectPath.c_str(), w, h,
                p.shot.frames, repeat);
    std::printf("  load (photos, masks, background): %.3f s\n", loadS);
    std::printf("  compositing: %.1f frames/s (%.2f ms/frame)\n", p.shot.frames / c,
                1000 * c / p.shot.frames);
    std::printf("  H.264 encoding: %.1f frames/s (%.2f ms/frame)\n", p.shot.frames / e,
                1000 * e / p.shot.frames);
    std::printf("  end to end: %.1f frames/s\n", p.shot.frames / (c + e));
    return 0;
}

MB_CLI_COMMAND(
    "bench animatic", "[--project P] [--size WxH] [--frames F] [--repeat N]",
    "frames/s of animatic compositing and H.264 encoding (default: the demo project at 576x320x24)",
    runBenchAnimatic);

} // namespace
} // namespace mb::cli
