#pragma once
/**
 * \file atomic_file.h
 * \brief Writing a file so that a crash, a full disk or a failed write never leaves a half-written file
 *        in place of the old one: write a temporary file in the same folder, fsync it, rename it over the
 *        target, fsync the folder (ruling 26: what QSaveFile does, without Qt).
 */
#include <string>

namespace mb {

/**
 * Replaces `path` with `bytes` atomically. Throws std::runtime_error naming the file and the system error
 * (e.g. "No space left on device") when any step fails; the old file is then untouched and the temporary
 * file removed.
 */
void writeFileAtomically(const std::string& path, const std::string& bytes);

/** Reads a whole file; throws std::runtime_error naming the file when it cannot be read. */
std::string readWholeFile(const std::string& path);

} // namespace mb
