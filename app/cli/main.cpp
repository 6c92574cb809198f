// motionbooth-cli: the headless render node. Subcommands register themselves (command_registry.h).
#include "arg_parser.h"
#include "cli_common.h"
#include "command_registry.h"
#include "ml/threads.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <unistd.h>

namespace mb::cli {

std::vector<CommandInfo>& commandRegistry() {
    static std::vector<CommandInfo> registry;
    return registry;
}

CommandRegistrar::CommandRegistrar(std::string name, std::string usage, std::string summary, CommandFn fn) {
    commandRegistry().push_back({std::move(name), std::move(usage), std::move(summary), std::move(fn)});
}

static void printHelp() {
    auto cmds = commandRegistry();
    std::sort(cmds.begin(), cmds.end(), [](auto& a, auto& b) { return a.name < b.name; });
    std::cout
        << "motionbooth-cli — MotionBooth Studio's headless render node\n\nusage: motionbooth-cli COMMAND "
           "[ARGS]\n\ncommands:\n";
    for (auto& c : cmds)
        std::cout << "  " << c.name << " " << c.usage << "\n      " << c.summary << "\n";
}

} // namespace mb::cli

int main(int argc, char** argv) {
    using namespace mb::cli;
    // LibTorch's OpenMP threads busy-wait between parallel regions by default; on a busy machine that makes a
    // UNet step 10-20x slower. The policy is read before main, so this re-executes once with PASSIVE.
    mb::ml::ensure_passive_openmp(argv);
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        printHelp();
        return args.empty() ? 2 : 0;
    }
    // Longest match: "bench unet" before "bench".
    const CommandInfo* best = nullptr;
    size_t bestWords = 0;
    for (auto& c : commandRegistry()) {
        size_t words = 1 + std::count(c.name.begin(), c.name.end(), ' ');
        if (words > args.size() || words <= bestWords)
            continue;
        std::string joined = args[0];
        for (size_t i = 1; i < words; ++i)
            joined += " " + args[i];
        if (joined == c.name) {
            best = &c;
            bestWords = words;
        }
    }
    if (!best) {
        std::cerr << "motionbooth-cli: unknown command '" << args[0] << "' (try --help)\n";
        return 2;
    }
    Args rest(args.begin() + bestWords, args.end());
    if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
        std::cout << "usage: motionbooth-cli " << best->name << " " << best->usage << "\n"
                  << best->summary << "\n";
        return 0;
    }
    try {
        return best->run(rest);
    } catch (const UsageError& e) {
        std::cerr << "motionbooth-cli " << best->name << ": " << e.what() << "\nusage: motionbooth-cli "
                  << best->name << " " << best->usage << "\n";
        return 2;
    } catch (const mb::JobCancelled&) {
        // A long command stopped at SIGINT/SIGTERM (cli_common.h): it wrote nothing, say so distinctly.
        const int sig = cancelSignal();
        std::cerr << "motionbooth-cli " << best->name << ": cancelled"
                  << (sig == SIGINT    ? " by SIGINT"
                      : sig == SIGTERM ? " by SIGTERM"
                                       : "")
                  << "; no output was written\n";
        return cancelledExitCode();
    } catch (const std::exception& e) {
        std::cerr << "motionbooth-cli " << best->name << ": error: " << e.what() << "\n";
        return 1;
    }
}
