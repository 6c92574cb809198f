#pragma once
/**
 * \file cli_common.h
 * \brief Helpers shared by motionbooth-cli subcommands: machine-readable progress lines and size parsing.
 *
 * Progress goes to stdout as `percentage: 42.0 stage` lines (what the editor's process jobs parse, in the
 * manner of Shotcut's melt jobs), each followed by `log: TEXT` for its message and `value: NAME NUMBER` for
 * each named value (e.g. training losses), only with --progress; otherwise a terse human line goes to stderr.
 * The percentage is the job's overall progress when it reports one (JobProgress::overall: a take's runs
 * once from 0 over all its stages), else the current stage's; rounded down, so 100.0 means done.
 * `render --preview-file PNG --progress` adds `preview: STEP PATH` after each denoising step
 * (cmd_render.cpp).
 */
#include "doc/job.h"

#include <string>
#include <utility>

namespace mb::cli {

/** A JobControl that prints progress (machine-readable when `machine`). */
JobControl makeConsoleJobControl(bool machine, CancelToken* cancel = nullptr);

/**
 * Makes the first SIGINT or SIGTERM request cancellation through the returned process-wide token instead of
 * killing the process, and restores the default action of both signals, so a second one stops it at once.
 * The handler only stores two lock-free atomics (async-signal-safe); the job polls the token between units of
 * work, throws JobCancelled and leaves no partial output. Long commands (render, train, generate, convert)
 * call this and pass the token to their JobControl; main() turns the JobCancelled into exit code
 * cancelledExitCode() and a message. Installing twice is harmless.
 */
CancelToken* cancelOnSignals();

/** The signal that requested the cancellation (SIGINT or SIGTERM), 0 when none came. */
int cancelSignal();

/** The exit code of a cancelled command: 128 + the signal (130 for SIGINT, 143 for SIGTERM), as shells report
 *  a process stopped by that signal; 130 when the cancel came without a signal. */
int cancelledExitCode();

/** Parses "576x320"; throws UsageError. */
std::pair<int, int> parseSize(const std::string& text);

class ArgParser;

/** `--device` and `--dtype` of a command that runs a model, as the names to hand to its job. */
struct DeviceOptions {
    std::string device; ///< "auto", "cpu", "cuda" or "cuda:N"
    std::string dtype;  ///< "auto", "fp32", "bf16" or "fp16"
};

/**
 * Reads `--device` (default `defaultDevice`) and `--dtype` (default "auto") and checks them before anything
 * loads: a misspelt name, or fp16 with a device that resolves to the CPU, throws UsageError (exit 2); a
 * device this build or machine lacks (`cuda` on a LibTorch without CUDA) throws ml::DeviceUnavailable, a
 * runtime_error whose message says what to use instead (exit 1).
 */
DeviceOptions readDeviceOptions(const ArgParser& ap, const std::string& defaultDevice = "auto");

/** The resources folder (see doc/resource_paths.h). */
std::string resourceDir();

} // namespace mb::cli
