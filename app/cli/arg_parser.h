#pragma once
/**
 * \file arg_parser.h
 * \brief A small, strict command-line parser for motionbooth-cli subcommands.
 *
 * Options are `--name value` or `--name=value`, flags are `--name`, `-o` is an alias the caller declares.
 * Anything unknown is a usage error (UsageError), so typos never silently fall back to defaults.
 */
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace mb::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ArgParser {
public:
    /** Declares an option that takes a value; `alias` may be e.g. "-o". */
    ArgParser& option(const std::string& name, const std::string& alias = {});
    /** Declares a flag without value. */
    ArgParser& flag(const std::string& name);
    /** Parses; throws UsageError for unknown options or missing values. */
    void parse(const std::vector<std::string>& args);

    const std::vector<std::string>& positional() const { return m_positional; }
    bool has(const std::string& name) const { return m_values.count(name) || m_flags.count(name); }
    std::optional<std::string> get(const std::string& name) const;
    std::string get(const std::string& name, const std::string& fallback) const;
    /** Parses an integer value; throws UsageError naming the option when it is not one. */
    long long getInt(const std::string& name, long long fallback) const;
    double getDouble(const std::string& name, double fallback) const;
    /** Requires exactly n positional arguments, naming them in the error. */
    void requirePositional(size_t n, const std::string& what) const;

private:
    std::set<std::string> m_optionNames, m_flagNames;
    std::map<std::string, std::string> m_aliases;
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positional;
};

} // namespace mb::cli
