#pragma once
/**
 * \file core_messages.h
 * \brief The editor's language for the messages core (no Qt, no translations) writes in English: image files
 *        that cannot be read, masks without subject pixels, photos without masks.
 *
 * Core messages have the form "FILE: problem"; the known problems are translated, the file name is kept, and
 * a message this does not know is returned as it is (English, but complete).
 */
#include <QString>

namespace mb::ui {

/** `message` from core (e.g. mb::media::loadColorImage's errors) in the editor's language. */
QString localizedCoreMessage(const QString& message);

} // namespace mb::ui
