#pragma once
/**
 * \file project_io.h
 * \brief The `.mbproj` project file: JSON with a `format_version`, paths relative to the file's folder,
 *        atomic saves, autosave copies that remember the original path.
 *
 * Loading never writes anything. A file from a newer format version is refused (ProjectFileError says which
 * version wrote it and which this build reads); a malformed file is refused with the file name, the JSON
 * path of the problem (e.g. `$.box_tracks[0].keyframes[2].box`) and what is wrong.
 */
#include "doc/project.h"

#include <stdexcept>
#include <string>
#include <vector>

namespace mb {

class ProjectFileError : public std::runtime_error {
public:
    ProjectFileError(std::string file, std::string jsonPath, std::string problem);
    const std::string& file() const { return m_file; }
    const std::string& jsonPath() const { return m_jsonPath; }
    const std::string& problem() const { return m_problem; }

private:
    std::string m_file, m_jsonPath, m_problem;
};

/**
 * Reads a project file. Relative paths inside become absolute (relative to the file's folder). Numbers must
 * be finite and within each value's range (e.g. box corners and camera offsets within ±kMaxFrameSpan, a
 * number too large for a double such as 1e999 included); texts (prompt, negative prompt, class name,
 * identifier) are at most kMaxProjectTextBytes, the file at most kMaxProjectFileBytes. Every refusal is a
 * ProjectFileError with the file, the JSON path and the allowed range.
 */
Project loadProject(const std::string& path);

/** Box corners and camera offsets, in frames (fractions of the frame), lie within ±this: ten frame widths of
 *  travel is far beyond any shot, and the animatic's backdrop grows with the travel. */
constexpr double kMaxFrameSpan = 10.0;
/** The longest prompt, negative prompt, class name or identifier (bytes): the text encoder sees 77 tokens,
 *  a few hundred bytes; this bound keeps a runaway text from reaching the tokenizer and the render. */
constexpr size_t kMaxProjectTextBytes = 16384;
/** The largest project file read (bytes). */
constexpr unsigned long long kMaxProjectFileBytes = 64ull << 20;

/** The folder a project file's relative paths are relative to: that of the file after symbolic links. */
std::string projectFolderOf(const std::string& projectPath);

/** Parses project JSON text; `file` names the source in errors, `baseDir` resolves relative paths. */
Project projectFromJsonText(const std::string& text, const std::string& file, const std::string& baseDir);

/** Serialises; paths under `baseDir` are written relative to it (forward slashes), others absolute. */
std::string projectToJsonText(const Project& project, const std::string& baseDir);

/** Saves atomically (temp file, fsync, rename); on failure the old file is untouched. Throws runtime_error.
 */
void saveProject(const Project& project, const std::string& path);

/** What an autosave file holds besides the project. */
struct AutosaveInfo {
    std::string autosavePath; ///< the autosave file itself
    std::string originalPath; ///< the project file it belongs to; empty for a never-saved project
    std::string savedUtc;     ///< when it was written (ISO 8601)
};

/**
 * Writes an autosave copy of `project` into `autosaveDir` (created if needed). The copy stores absolute paths
 * and the original project path, so recovery reopens the right file and "Save" goes back to it. The name is
 * derived from the original path (or `untitledKey` for an unsaved project), so repeated autosaves overwrite
 * one file. Returns the autosave file's path.
 */
std::string writeAutosave(const Project& project, const std::string& originalPath,
                          const std::string& autosaveDir, const std::string& untitledKey = "untitled");

/** Reads an autosave file written by writeAutosave. */
Project readAutosave(const std::string& autosavePath, AutosaveInfo* info = nullptr);

/** Lists the autosave files in `autosaveDir` (newest first); unreadable ones are skipped. */
std::vector<AutosaveInfo> listAutosaves(const std::string& autosaveDir);

/** A new project with one subject and a default box track (what File ▸ New makes). */
Project makeNewProject();

} // namespace mb
