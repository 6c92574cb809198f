#pragma once
/**
 * \file process.h
 * \brief Running a program (sbatch, squeue, scancel, ...) as a child process with a deadline and captured
 *        output. No shell is involved: the argument vector goes to posix_spawnp as it is, so nothing in a
 *        path or option needs escaping.
 */
#include <map>
#include <string>
#include <vector>

namespace mb::farm {

/** What a finished (or killed) child process left behind. */
struct ProcessResult {
    int exitCode = -1;     ///< exit status; 128+signal when killed by a signal; -1 when it never started
    bool timedOut = false; ///< killed because the deadline passed
    bool notFound = false; ///< the program does not exist on PATH (or is not executable)
    std::string out, err;  ///< captured stdout and stderr
};

struct ProcessOptions {
    double timeoutSeconds = 30;                ///< the child (and its process group) is killed after this
    std::string workingDir;                    ///< empty = inherit
    std::map<std::string, std::string> setEnv; ///< added to (or overriding) the inherited environment
};

/**
 * Runs argv[0] (searched on PATH) with the arguments argv[1..], waits at most `timeoutSeconds` and returns
 * its output. Never throws for a failing or missing program (see ProcessResult); throws runtime_error only
 * when the system cannot create pipes or processes at all.
 */
ProcessResult runProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

/** "sbatch --parsable job.sh" for messages: arguments joined by spaces, quoted when they hold spaces. */
std::string describeCommand(const std::vector<std::string>& argv);

} // namespace mb::farm
