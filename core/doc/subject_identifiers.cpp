#include "doc/subject_identifiers.h"

namespace mb {

const std::vector<std::string>& subjectIdentifierTokens() {
    static const std::vector<std::string> tokens = {"sks", "ohwx", "phol", "hta"};
    return tokens;
}

std::string freeSubjectIdentifier(const Project& project) {
    for (const std::string& token : subjectIdentifierTokens())
        if (subjectUsingIdentifier(project, token, std::string()).empty())
            return token;
    return {};
}

std::string subjectUsingIdentifier(const Project& project, const std::string& identifier,
                                   const std::string& exceptId) {
    for (const Subject& s : project.subjects)
        if (s.id != exceptId && s.identifier == identifier)
            return s.id;
    return {};
}

} // namespace mb
