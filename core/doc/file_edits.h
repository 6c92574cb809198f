#pragma once
/**
 * \file file_edits.h
 * \brief The project's files as a whole: which are missing on disk, relinking them to where they are now,
 *        and removing a take (undoable edit commands, see edit_commands.h).
 */
#include "doc/edit_commands.h"

#include <map>
#include <string>
#include <vector>

namespace mb {

/** A file the project refers to that is not on disk. */
struct MissingFile {
    std::string path;      ///< absolute, as the project holds it
    std::string role;      ///< "photo", "mask", "background", "take" or "sidecar"
    std::string subjectId; ///< for photos and masks
};

/** The photos, masks, background, takes and sidecars of `project` that do not exist (as regular files). */
std::vector<MissingFile> findMissingFiles(const Project& project);

/**
 * Replaces every path of `project` (photos, masks, background, takes, sidecars) found as a key of `moves`
 * by its value, in one undo step. Paths not in `moves` stay as they are.
 */
EditCommandPtr relinkFiles(const Project& project, const std::map<std::string, std::string>& moves,
                           std::string label);

/** Removes take `index` (0-based; must exist); revert puts it back at its place. The files stay on disk. */
EditCommandPtr removeTake(const Project& project, size_t index, std::string label);

/** Replaces take `index` (0-based; must exist) by `after` (e.g. a renamed video file). */
EditCommandPtr setTake(const Project& project, size_t index, Take after, std::string label);

} // namespace mb
