#pragma once
/**
 * \file utc_time.h
 * \brief The current time as ISO 8601 UTC ("2026-11-25T19:37:41Z"), as written in project takes, autosaves,
 *        render sidecars and farm job folders.
 */
#include <string>

namespace mb {

std::string utcNowIso8601();

} // namespace mb
