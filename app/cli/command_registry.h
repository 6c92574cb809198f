#pragma once
/**
 * \file command_registry.h
 * \brief How motionbooth-cli finds its subcommands.
 *
 * Each subcommand lives in its own app/cli/cmd_*.cpp and registers itself with MB_CLI_COMMAND. The name may
 * hold two words ("bench unet"): the dispatcher matches the longest registered name. A command gets the
 * arguments after its name and returns the process exit code (0 ok, 1 failure, 2 usage error; a long command
 * cancelled by SIGINT/SIGTERM exits with 128 + the signal, see cli_common.h cancelOnSignals()). Errors are
 * printed to stderr as one clear line naming the file and the problem.
 */
#include <functional>
#include <string>
#include <vector>

namespace mb::cli {

using Args = std::vector<std::string>;
using CommandFn = std::function<int(const Args&)>;

struct CommandInfo {
    std::string name;    ///< "validate", "bench unet", ...
    std::string usage;   ///< one line: arguments
    std::string summary; ///< one line: what it does
    CommandFn run;
};

/** All registered commands, sorted by name. */
std::vector<CommandInfo>& commandRegistry();

struct CommandRegistrar {
    CommandRegistrar(std::string name, std::string usage, std::string summary, CommandFn fn);
};

} // namespace mb::cli

#define MB_CLI_CONCAT2(a, b) a##b
#define MB_CLI_CONCAT(a, b) MB_CLI_CONCAT2(a, b)
/** Registers a subcommand: MB_CLI_COMMAND("info", "PROJECT", "prints boxes and camera per frame", runInfo);
 */
#define MB_CLI_COMMAND(name, usage, summary, fn)                                                             \
    static ::mb::cli::CommandRegistrar MB_CLI_CONCAT(mbCliRegistrar_, __LINE__)(name, usage, summary, fn)
