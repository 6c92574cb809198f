#pragma once
/**
 * \file subject_identifiers.h
 * \brief The rare identifier tokens subjects are named by after learning, and which one a new subject gets.
 *
 * Each learned subject needs its own identifier: two subjects fine-tuned under the same word would be learned
 * as one. The editor gives every new subject the first token no other subject uses, so fine-tuning (which
 * keeps an identifier that is one vocabulary token and not taken by an earlier subject) never has to pick
 * another one behind the artist's back.
 */
#include "doc/project.h"

#include <string>
#include <vector>

namespace mb {

/**
 * Rare single tokens of the real CLIP vocabulary, in order of preference: `sks` (id 48136, the reference's),
 * then `ohwx` (47993), `phol` (48140), `hta` (49384). The same list, in the same order, as fine-tuning's
 * rareIdentifierTokens() (core/jobs/train_job.h), so both pick the same word for a subject.
 */
const std::vector<std::string>& subjectIdentifierTokens();

/** The first token of subjectIdentifierTokens() that no subject of `project` uses; empty when all are used.
 */
std::string freeSubjectIdentifier(const Project& project);

/** The id of another subject (not `exceptId`) that uses `identifier`, or empty when none does. */
std::string subjectUsingIdentifier(const Project& project, const std::string& identifier,
                                   const std::string& exceptId);

} // namespace mb
