#pragma once
/**
 * \file atomic_file.h
 * \brief Writing a file so that a crash, a full disk or a failed write never leaves a half-written file
 *        in place of the old one: write a temporary file in the same folder, fsync it, rename it over the
 *        target, fsync the folder (ruling 26: what QSaveFile does, without Qt).
 *
 * Every writer that renames a temporary file over its output goes through checkWritableOutput() first and
 * moveIntoPlace() last, so an output path that names a directory, a device, a FIFO or a socket is refused
 * (a rename would silently replace it with a regular file), and an output that is a symbolic link is
 * written through to the file the link leads to instead of replacing the link.
 */
#include <chrono>
#include <string>

namespace mb {

/**
 * The path that the chain of symbolic links at `path` finally names: `path` itself when it is not a link
 * (or does not exist). A relative link target is taken relative to the link's folder; the result is not
 * normalised and need not exist. Throws std::runtime_error naming `path` when the links loop.
 */
std::string resolveSymlinks(const std::string& path);

/**
 * Resolves and checks an output path before anything is written. Returns the file that writing `path` must
 * replace: `path` itself, or, when `path` is a symbolic link (or a chain of them), the file the last link
 * names — which may not exist yet (a dangling link is written through and creates its target). Write the
 * temporary file in the returned file's folder and rename it over the returned path.
 *
 * Throws std::runtime_error naming `path` when that file exists and is not a regular file, e.g.
 * "OUT: is a FIFO, not a regular file: refusing to replace it" (also "is a directory", "is a character
 * device", "is a block device", "is a socket"), or when the links loop. A path that does not exist, or
 * whose folder does not exist, is returned unchanged: creating the temporary file reports that.
 */
std::string checkWritableOutput(const std::string& path);

/**
 * checkWritableOutput, then checks that a file can be created in the output's folder (it exists, is a folder,
 * and this process may create files there: permissions, a read-only mount) by creating and removing a probe
 * file. For jobs that run long before they write (a render's denoise): they call it first, so an unwritable
 * folder is found in a second, not after the work. Returns what checkWritableOutput returns; throws
 * std::runtime_error naming `path`, the folder and the system error, e.g. "OUT: cannot create files in DIR:
 * Permission denied".
 */
std::string checkOutputFolderWritable(const std::string& path);

/**
 * Renames the finished temporary file `temp` over `target` (a path checkWritableOutput returned) and fsyncs
 * the folder. Just before the rename it checks again that `target` is absent or a regular file, so
 * something that appeared there while the file was being written is not replaced either. On failure removes
 * `temp` and throws std::runtime_error naming `shownPath` (the path the caller was asked to write).
 */
void moveIntoPlace(const std::string& temp, const std::string& target, const std::string& shownPath);

/**
 * Replaces `path` with `bytes` atomically (through checkWritableOutput and moveIntoPlace). The temporary file
 * is `.NAME.tmp-PID-RANDOM` in the target's folder. Throws std::runtime_error naming the file and the system
 * error (e.g. "No space left on device") when any step fails; the old file is then untouched and the
 * temporary file removed.
 */
void writeFileAtomically(const std::string& path, const std::string& bytes);

/**
 * Removes the temporary files that writers of `path` left behind when they were killed mid-write:
 * `.NAME.tmp-PID-…` (writeFileAtomically) and `.NAME.partial-PID…` (the video and GIF encoders) in the folder
 * of the file `path` resolves to. A file is removed only when the process PID in its name no longer exists
 * on this machine AND it was last modified at least `minAge` ago (the age guards against writers this
 * machine cannot see: another host on shared storage, another PID namespace). Files of live processes,
 * non-regular files and names that do not match are never touched. Returns how many were removed; never
 * throws.
 */
int removeStaleTemporaryFiles(const std::string& path,
                              std::chrono::seconds minAge = std::chrono::minutes(10));

/** Reads a whole file; throws std::runtime_error naming the file when it cannot be read. */
std::string readWholeFile(const std::string& path);

} // namespace mb
