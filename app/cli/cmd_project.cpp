// Project subcommands: validate, info, animatic.
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "doc/project_io.h"
#include "doc/shot_layout.h"
#include "jobs/render_job.h"
#include "media/animatic.h"
#include "ml/prompt_tokens.h"

#include <cstdio>
#include <iostream>

namespace mb::cli {
namespace {

/** What validate reports for the project at `path`: validateProject (images read, paths outside the
 *  project's folder warned about) and the prompt's length in the tokens of the model that will render it. */
std::vector<ValidationIssue> checkProject(const Project& p, const std::string& path, int sizeMultiple,
                                          const std::string& model) {
    auto issues = validateProject(p, sizeMultiple, projectFolderOf(path));
    std::string modelDir;
    try {
        modelDir = resolveModelFolder(p, model);
    } catch (const std::exception& e) {
        issues.push_back({ValidationIssue::Severity::Warning, "$.render.model",
                          std::string("prompt length not checked: ") + e.what()});
        return issues;
    }
    for (auto& i : ml::promptLengthIssues(p, modelDir))
        issues.push_back(std::move(i));
    return issues;
}

int runValidate(const Args& args) {
    ArgParser ap;
    ap.option("--size-multiple").option("--model");
    ap.parse(args);
    ap.requirePositional(1, "one project file");
    const std::string path = ap.positional()[0];
    Project p = loadProject(path);
    const auto issues = checkProject(p, path, int(ap.getInt("--size-multiple", 8)), ap.get("--model", ""));
    int errors = 0;
    for (const auto& i : issues) {
        const bool err = i.severity == ValidationIssue::Severity::Error;
        errors += err;
        std::cout << path << ": " << i.where << ": " << (err ? "error: " : "warning: ") << i.message << "\n";
    }
    std::cout << path << ": " << (errors ? "invalid" : "valid") << " (" << errors << " errors, "
              << issues.size() - size_t(errors) << " warnings; " << p.subjects.size() << " subjects, "
              << p.shot.frames << " frames at " << p.shot.width << "x" << p.shot.height << ")\n";
    return errors ? 1 : 0;
}

int runInfo(const Args& args) {
    ArgParser ap;
    ap.option("--size-multiple");
    ap.parse(args);
    ap.requirePositional(1, "one project file");
    const std::string path = ap.positional()[0];
    Project p = loadProject(path);
    // A project that validate rejects gets no table (what it would show is not what renders) and a
    // non-zero exit, so a script that runs info first does not go on with it.
    int errors = 0;
    for (const auto& i : validateProject(p, int(ap.getInt("--size-multiple", 8)), projectFolderOf(path)))
        if (i.severity == ValidationIssue::Severity::Error) {
            ++errors;
            std::cerr << path << ": " << i.where << ": error: " << i.message << "\n";
        }
    if (errors) {
        std::cerr << path << ": invalid (" << errors << " errors; `validate` lists warnings too)\n";
        return 1;
    }
    const Shot& s = p.shot;
    std::printf("prompt: %s\n", p.resolvedPrompt().c_str());
    std::printf("shot: %d frames, %.3g fps, %dx%d, seed %llu, %d steps, guidance %.3g\n", s.frames, s.fps,
                s.width, s.height, (unsigned long long)s.seed, s.steps, s.guidanceScale);
    const CameraOffset pan = p.camera.totalPan();
    std::printf("camera: c_cam = [%.4f, %.4f] over the clip, %zu keyframes\n", pan.x, pan.y,
                p.camera.keys.size());
    for (const auto& sub : p.subjects)
        std::printf("subject %s: \"%s\", %zu photos, %s\n", sub.id.c_str(), sub.phrase().c_str(),
                    sub.photos.size(), sub.learned ? "learned" : "class phrase only");
    std::printf("\n%5s %9s %9s %8s %8s", "frame", "cam_x", "cam_y", "cam_px", "cam_py");
    for (const auto& t : p.boxTracks)
        std::printf("  %-31s",
                    (t.subjectId + " box x0 y0 x1 y1" + (t.pinnedToScene ? " (scene)" : "")).c_str());
    std::printf("\n");
    for (const auto& fl : layoutShot(p)) {
        std::printf("%5d %9.4f %9.4f %8.1f %8.1f", fl.frame, fl.cameraTravel.x, fl.cameraTravel.y,
                    fl.cameraTravel.x * s.width, fl.cameraTravel.y * s.height);
        for (const auto& sp : fl.subjects)
            std::printf("  %7.4f %7.4f %7.4f %7.4f", sp.screenBox.x0, sp.screenBox.y0, sp.screenBox.x1,
                        sp.screenBox.y1);
        std::printf("\n");
    }
    return 0;
}

int runAnimatic(const Args& args) {
    ArgParser ap;
    ap.option("--output", "-o").option("--crf").option("--preset").flag("--progress");
    ap.parse(args);
    ap.requirePositional(1, "one project file");
    if (!ap.has("--output"))
        throw UsageError("missing -o OUT.mp4");
    Project p = loadProject(ap.positional()[0]);
    for (const auto& i : validateProject(p, 2))
        // The storyboard preview uses no model: a missing fine-tuned checkpoint does not stop it.
        if (i.severity == ValidationIssue::Severity::Error && i.where != "$.render.checkpoint")
            throw std::runtime_error(ap.positional()[0] + ": " + i.where + ": " + i.message);
    media::VideoEncodeOptions opts;
    opts.crf = int(ap.getInt("--crf", 18));
    opts.preset = ap.get("--preset", "medium");
    const std::string out = *ap.get("--output");
    // The first SIGINT/SIGTERM stops between frames and the encoder removes its partial file (exit 130/143,
    // as render and train do); installed over an inherited ignored SIGINT too.
    media::renderAnimaticVideo(p, out, opts, makeConsoleJobControl(ap.has("--progress"), cancelOnSignals()));
    std::cout << out << "\n";
    return 0;
}

MB_CLI_COMMAND("validate", "PROJECT [--size-multiple N] [--model DIR]",
               "checks a project file (images' headers included) and prints every problem with its JSON path "
               "(exit 1 on errors); warns about images outside the project's folder and prompts longer than "
               "the text encoder of the model (the project's, DIR, or the built-in one) reads",
               runValidate);
MB_CLI_COMMAND(
    "info", "PROJECT [--size-multiple N]",
    "prints the shot, subjects, and per-frame boxes and camera offsets as a table (exit 1, with the "
    "errors, on a project that validate rejects)",
    runInfo);
MB_CLI_COMMAND(
    "animatic", "PROJECT -o OUT.mp4 [--crf N] [--preset P] [--progress]",
    "renders the storyboard preview (masked cut-outs moving in their boxes over the panning background) "
    "as H.264 MP4",
    runAnimatic);

} // namespace
} // namespace mb::cli
