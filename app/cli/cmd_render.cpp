// render: one take of the project's shot with the diffusion model and MotionBooth's controls.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "doc/project_io.h"
#include "jobs/render_job.h"

#include <cstdio>

namespace mb::cli {
namespace {

int runRender(const Args& args) {
    ArgParser ap;
    ap.option("--output", "-o").option("--seed").option("--model").option("--threads").option("--frames");
    ap.option("--size").option("--steps").option("--crf").option("--guidance-passes");
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
    req.subjectControl = !ap.has("--no-subject-control");
    req.cameraControl = !ap.has("--no-camera-control");
    const std::string passes = ap.get("--guidance-passes", "auto");
    if (passes != "auto" && passes != "concurrent" && passes != "sequential")
        throw UsageError("--guidance-passes must be auto, concurrent or sequential, got '" + passes + "'");
    req.concurrentGuidancePasses = passes == "concurrent" ? 1 : passes == "sequential" ? 0 : -1;
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
    "[--crf N] [--no-subject-control] [--no-camera-control] [--guidance-passes auto|concurrent|sequential] "
    "[--progress]",
    "generates a take with the diffusion model, subject boxes and camera pan; writes OUT.mp4 and its "
    "reproducibility sidecar OUT.mp4.json",
    runRender);

} // namespace
} // namespace mb::cli
