#include "arg_parser.h"

#include <cstdlib>

namespace mb::cli {

ArgParser& ArgParser::option(const std::string& name, const std::string& alias) {
    m_optionNames.insert(name);
    if (!alias.empty())
        m_aliases[alias] = name;
    return *this;
}

ArgParser& ArgParser::flag(const std::string& name) {
    m_flagNames.insert(name);
    return *this;
}

void ArgParser::parse(const std::vector<std::string>& args) {
    for (size_t i = 0; i < args.size(); ++i) {
        std::string a = args[i];
        if (a.size() < 2 || a[0] != '-' || a == "--") {
            m_positional.push_back(a);
            continue;
        }
        std::string value;
        bool hasValue = false;
        if (auto eq = a.find('='); a.rfind("--", 0) == 0 && eq != std::string::npos) {
            value = a.substr(eq + 1);
            a = a.substr(0, eq);
            hasValue = true;
        }
        if (auto it = m_aliases.find(a); it != m_aliases.end())
            a = it->second;
        if (m_flagNames.count(a)) {
            if (hasValue)
                throw UsageError("option " + a + " takes no value");
            m_flags.insert(a);
        } else if (m_optionNames.count(a)) {
            if (!hasValue) {
                if (i + 1 >= args.size())
                    throw UsageError("option " + a + " needs a value");
                value = args[++i];
            }
            m_values[a] = value;
        } else {
            throw UsageError("unknown option " + a);
        }
    }
}

std::optional<std::string> ArgParser::get(const std::string& name) const {
    auto it = m_values.find(name);
    if (it == m_values.end())
        return std::nullopt;
    return it->second;
}

std::string ArgParser::get(const std::string& name, const std::string& fallback) const {
    auto v = get(name);
    return v ? *v : fallback;
}

long long ArgParser::getInt(const std::string& name, long long fallback) const {
    auto v = get(name);
    if (!v)
        return fallback;
    char* end = nullptr;
    long long r = std::strtoll(v->c_str(), &end, 10);
    if (v->empty() || *end != '\0')
        throw UsageError("option " + name + " wants an integer, got '" + *v + "'");
    return r;
}

double ArgParser::getDouble(const std::string& name, double fallback) const {
    auto v = get(name);
    if (!v)
        return fallback;
    char* end = nullptr;
    double r = std::strtod(v->c_str(), &end);
    if (v->empty() || *end != '\0')
        throw UsageError("option " + name + " wants a number, got '" + *v + "'");
    return r;
}

void ArgParser::requirePositional(size_t n, const std::string& what) const {
    if (m_positional.size() != n)
        throw UsageError("expected " + what);
}

} // namespace mb::cli
