#pragma once
/**
 * \file resource_paths.h
 * \brief Where the app's read-only resources (CLIP vocabulary, demo project, embedded model) are found.
 *
 * One lookup order for the editor and the CLI: $MB_RESOURCE_DIR, then `<exe dir>/../share/motionbooth`
 * (an installed package), then the source tree's resources/ folder compiled in as `buildTreeDefault`.
 */
#include <string>

namespace mb {

/** The resources folder, or throws runtime_error listing every place that was tried. */
std::string findResourceDir(const std::string& buildTreeDefault);

} // namespace mb
