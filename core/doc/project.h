#pragma once
/**
 * \file project.h
 * \brief The document: subjects, the shot, box tracks, the camera path, render settings and takes.
 *
 * Plain data with value semantics (copyable, comparable), so undo commands can keep before/after copies of
 * the part they change. File paths are absolute in memory; the project file stores them relative to its own
 * folder (project_io.h).
 */
#include "doc/box_track.h"
#include "doc/camera_path.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mb {

/** One photo of a subject and its optional mask (8-bit, > 127 = subject). Absolute paths in memory. */
struct SubjectPhoto {
    std::string image;
    std::string mask; ///< empty when not masked yet
    bool operator==(const SubjectPhoto& o) const { return image == o.image && mask == o.mask; }
    bool operator!=(const SubjectPhoto& o) const { return !(*this == o); }
};

/**
 * A subject the shot shows: what it is (class name, e.g. "dog" or "toy robot"), the photos it is learned
 * from, and the rare identifier token that names it after learning (ruling 11: `sks` first).
 */
struct Subject {
    std::string id;                 ///< unique within the project; the prompt refers to it as {id}
    std::string className;          ///< e.g. "toy robot"
    std::string identifier = "sks"; ///< rare single CLIP token used after learning
    bool learned = true;            ///< false: generated from its class phrase only, never fine-tuned on
    std::vector<SubjectPhoto> photos;

    /** The words that stand for the subject in a prompt: "sks toy robot" when learned, else "toy robot". */
    std::string phrase() const { return learned ? identifier + " " + className : className; }
    bool operator==(const Subject& o) const {
        return id == o.id && className == o.className && identifier == o.identifier && learned == o.learned &&
               photos == o.photos;
    }
    bool operator!=(const Subject& o) const { return !(*this == o); }
};

/** The samplers a shot can name, as stored in projects and sidecars and given to `--sampler`: "ddim",
 *  "dpmpp-2m" (DPM-Solver++ 2M), "dpmpp-2m-karras" (the same on Karras sigmas), "euler". */
const std::vector<std::string>& samplerNames();

/** What to generate: prompt, length, size and sampling settings. */
struct Shot {
    std::string prompt = "a {subject} on the beach"; ///< {id} placeholders name subjects
    std::string negativePrompt;
    int frames = 24;  ///< L, ≥ 1
    double fps = 8.0; ///< playback rate of exports and previews
    int width = 576;  ///< multiple of the model's VAE scale factor (ruling 12)
    int height = 320;
    std::uint64_t seed = 0;
    int steps = 50;
    double guidanceScale = 7.5;
    /** The solver that denoises: one of samplerNames(). Multistep samplers reach in about 20 steps what DDIM
     *  reaches in 50. */
    std::string sampler = "ddim";
    bool operator==(const Shot& o) const {
        return prompt == o.prompt && negativePrompt == o.negativePrompt && frames == o.frames &&
               fps == o.fps && width == o.width && height == o.height && seed == o.seed && steps == o.steps &&
               guidanceScale == o.guidanceScale && sampler == o.sampler;
    }
    bool operator!=(const Shot& o) const { return !(*this == o); }
};

/** How images are fitted into the training frame (ruling 13). */
enum class Letterbox { Squash, Fit };

/** Model, checkpoint and MotionBooth control settings (method §8–§10). */
struct RenderSettings {
    std::string modelFolder;        ///< diffusers folder; empty = the embedded default model
    std::string checkpoint;         ///< fine-tuned subject checkpoint (safetensors); empty = none
    double editScale = 7.5;         ///< α, attention amplification strength
    int amplifySteps = 5;           ///< τ, steps with amplification
    bool suppressOtherWords = true; ///< the reference's behaviour: all other prompt words masked out
    int shiftStartStep = 10;        ///< first denoising step of the latent-shift window
    int shiftSteps = 10;            ///< length of the window
    Letterbox letterbox = Letterbox::Squash;
    bool operator==(const RenderSettings& o) const {
        return modelFolder == o.modelFolder && checkpoint == o.checkpoint && editScale == o.editScale &&
               amplifySteps == o.amplifySteps && suppressOtherWords == o.suppressOtherWords &&
               shiftStartStep == o.shiftStartStep && shiftSteps == o.shiftSteps && letterbox == o.letterbox;
    }
    bool operator!=(const RenderSettings& o) const { return !(*this == o); }
};

/** A rendered take: the video and the sidecar JSON that reproduces it. */
struct Take {
    std::string video;   ///< absolute path in memory
    std::string sidecar; ///< absolute path in memory
    std::uint64_t seed = 0;
    std::string createdUtc; ///< ISO 8601
    bool operator==(const Take& o) const {
        return video == o.video && sidecar == o.sidecar && seed == o.seed && createdUtc == o.createdUtc;
    }
    bool operator!=(const Take& o) const { return !(*this == o); }
};

struct Project {
    static constexpr int kFormatVersion = 1; ///< the format this build writes and the newest it reads

    std::vector<Subject> subjects;
    Shot shot;
    std::vector<BoxTrack> boxTracks; ///< one per subject that moves (by subjectId)
    CameraPath camera = CameraPath::constantPan(0.0, 0.0);
    std::string background; ///< image for the animatic; empty = neutral procedural backdrop
    RenderSettings render;
    std::vector<Take> takes;

    const Subject* findSubject(const std::string& id) const;
    Subject* findSubject(const std::string& id);
    const BoxTrack* findTrack(const std::string& subjectId) const;
    BoxTrack* findTrack(const std::string& subjectId);
    int subjectIndex(const std::string& id) const;
    int trackIndex(const std::string& subjectId) const;

    /** The prompt with each {id} replaced by that subject's phrase. Throws for an unknown {id}. */
    std::string resolvedPrompt() const;

    bool operator==(const Project& o) const {
        return subjects == o.subjects && shot == o.shot && boxTracks == o.boxTracks && camera == o.camera &&
               background == o.background && render == o.render && takes == o.takes;
    }
    bool operator!=(const Project& o) const { return !(*this == o); }
};

/** One finding of validate(): errors stop a render, warnings are shown. `where` is a JSON path. */
struct ValidationIssue {
    enum class Severity { Warning, Error };
    Severity severity = Severity::Error;
    std::string where;
    std::string message;
};

/**
 * Checks what a render needs: sizes (multiples of `sizeMultiple`, ruling 12), frame count, subject ids,
 * photos present on disk, tracks referring to subjects, boxes with positive size that overlap the frame,
 * placeholders in the prompt, the render checkpoint (when set) present on disk. 3–10 photos are recommended
 * (a warning outside that, ruling 11). Every photo, mask and background that exists has its header read
 * (doc/image_header.h): a corrupt, truncated or oversized image is an error naming its JSON path and file.
 * With `projectFolder` (the folder of the project file) set, a photo, mask or background outside that folder
 * is a warning: a project copied elsewhere, or handed in from someone else, may reach into files it
 * does not own (`../../..`, absolute paths).
 */
std::vector<ValidationIssue> validateProject(const Project& project, int sizeMultiple = 8,
                                             const std::string& projectFolder = {});

} // namespace mb
