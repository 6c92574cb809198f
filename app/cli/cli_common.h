#pragma once
/**
 * \file cli_common.h
 * \brief Helpers shared by motionbooth-cli subcommands: machine-readable progress lines and size parsing.
 *
 * Progress goes to stdout as `percentage: 42.0 stage` lines (what the editor's process jobs parse, in the
 * manner of Shotcut's melt jobs), each followed by `log: TEXT` for its message and `value: NAME NUMBER` for
 * each named value (e.g. training losses), only with --progress; otherwise a terse human line goes to stderr.
 */
#include "doc/job.h"

#include <string>
#include <utility>

namespace mb::cli {

/** A JobControl that prints progress (machine-readable when `machine`). */
JobControl makeConsoleJobControl(bool machine, CancelToken* cancel = nullptr);

/** Parses "576x320"; throws UsageError. */
std::pair<int, int> parseSize(const std::string& text);

/** The resources folder (see doc/resource_paths.h). */
std::string resourceDir();

} // namespace mb::cli
