// render: one take of the project's shot with the diffusion model and MotionBooth's controls.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "doc/project_io.h"
#include "jobs/render_job.h"
#include "media/image_io.h"
#include "ml/prompt_tokens.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <opencv2/imgproc.hpp>

namespace mb::cli {
namespace {

/** Writes a step preview as one PNG strip (the frames side by side), atomically, so a reader never sees
 *  half a file; with `machine`, says so in a `preview: STEP PATH` line. A preview that cannot be written
 *  is reported once and costs only the previews, not the take. */
std::function<void(const TakePreview&)> previewWriter(const std::string& path, bool machine) {
    auto failed = std::make_shared<bool>(false);
    return [path, machine, failed](const TakePreview& p) {
        if (*failed)
            return;
        cv::Mat strip(p.height, p.width * p.frames, CV_8UC3);
        for (int f = 0; f < p.frames; ++f)
            for (int y = 0; y < p.height; ++y)
                std::memcpy(strip.ptr<uint8_t>(y) + size_t(f) * p.width * 3,
                            p.rgb.data() + (size_t(f) * p.height + y) * p.width * 3, size_t(p.width) * 3);
        cv::cvtColor(strip, strip, cv::COLOR_RGB2BGR);
        try {
            media::writePng(path, strip);
        } catch (const std::exception& e) {
            *failed = true;
            std::fprintf(stderr, "render: no more step previews: %s\n", e.what());
            return;
        }
        if (machine) {
            std::printf("preview: %d %s\n", p.step, path.c_str());
            std::fflush(stdout);
        }
    };
}

int runRender(const Args& args) {
    ArgParser ap;
    ap.option("--output", "-o").option("--seed").option("--model").option("--threads").option("--frames");
    ap.option("--size").option("--steps").option("--crf").option("--guidance-passes");
    ap.option("--sampler").option("--dtype").option("--device").option("--preview-file");
    ap.flag("--progress").flag("--no-subject-control").flag("--no-camera-control");
    ap.parse(args);
    ap.requirePositional(1, "one project file");
    if (!ap.has("--output"))
        throw UsageError("missing -o OUT.mp4");
    Project project = loadProject(ap.positional()[0]);
    RenderRequest req;
    req.output = *ap.get("--output");
    if (ap.has("--seed")) {
        const long long s = ap.getInt("--seed", 0);
        if (s < 0)
            throw UsageError("--seed must be non-negative");
        req.seed = std::uint64_t(s);
    }
    req.model = ap.get("--model", "");
    req.threads = int(ap.getInt("--threads", 0));
    req.frames = int(ap.getInt("--frames", 0));
    req.steps = int(ap.getInt("--steps", 0));
    req.crf = int(ap.getInt("--crf", 18));
    if (ap.has("--size")) {
        auto [w, h] = parseSize(*ap.get("--size"));
        req.width = w;
        req.height = h;
    }
    req.sampler = ap.get("--sampler", "");
    if (!req.sampler.empty()) {
        const auto& names = samplerNames();
        if (std::find(names.begin(), names.end(), req.sampler) == names.end())
            throw UsageError("--sampler must be ddim, dpmpp-2m, dpmpp-2m-karras or euler, got '" +
                             req.sampler + "'");
    }
    const DeviceOptions device = readDeviceOptions(ap); // refuses a device this build lacks, before loading
    req.device = device.device;
    req.precision = device.dtype;
    req.subjectControl = !ap.has("--no-subject-control");
    req.cameraControl = !ap.has("--no-camera-control");
    const std::string passes = ap.get("--guidance-passes", "auto");
    if (passes != "auto" && passes != "concurrent" && passes != "sequential")
        throw UsageError("--guidance-passes must be auto, concurrent or sequential, got '" + passes + "'");
    req.concurrentGuidancePasses = passes == "concurrent" ? 1 : passes == "sequential" ? 0 : -1;
    if (ap.has("--preview-file")) {
        const std::string preview = *ap.get("--preview-file");
        if (preview.empty())
            throw UsageError("--preview-file needs a PNG path");
        req.onPreview = previewWriter(preview, ap.has("--progress"));
    }
    try { // the pipeline cuts a prompt at the text encoder's 77 tokens without a word: say so first
        for (const auto& w : ml::promptLengthIssues(project, resolveModelFolder(project, req.model)))
            std::fprintf(stderr, "render: warning: %s: %s\n", w.where.c_str(), w.message.c_str());
    } catch (const std::exception&) { // no model folder: renderTake reports that
    }
    const RenderResult r =
        renderTake(project, req, makeConsoleJobControl(ap.has("--progress"), cancelOnSignals()));
    std::printf("%s\n%s\n", r.video.c_str(), r.sidecar.c_str());
    std::fprintf(stderr, "rendered seed %llu with %s in %.1f s\n", (unsigned long long)r.seed,
                 r.modelFolder.c_str(), r.seconds);
    return 0;
}

MB_CLI_COMMAND(
    "render",
    "PROJECT -o OUT.mp4 [--seed S] [--model DIR] [--threads T] [--frames F] [--size WxH] [--steps N] "
    "[--sampler ddim|dpmpp-2m|dpmpp-2m-karras|euler] [--dtype auto|fp32|bf16|fp16] "
    "[--device auto|cpu|cuda|cuda:N] [--crf N] "
    "[--no-subject-control] "
    "[--no-camera-control] [--guidance-passes auto|concurrent|sequential] [--preview-file PNG] [--progress]",
    "generates a take with the diffusion model, subject boxes and camera pan; writes OUT.mp4 and its "
    "reproducibility sidecar OUT.mp4.json; --preview-file rewrites PNG after every step with a cheap picture "
    "of where the take is going (the frames side by side, at latent resolution)",
    runRender);

} // namespace
} // namespace mb::cli
