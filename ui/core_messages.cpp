#include "ui/core_messages.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace mb::ui {

namespace {
const char* const kContext = "mb::ui::CoreMessages";
} // namespace

QString localizedCoreMessage(const QString& message) {
    // Known endings (core/media/image_io.cpp, core/media/animatic.cpp), longest first.
    struct Known {
        const char* english;
        const char* translated;
    };
    static const Known known[] = {
        {": not a readable image (corrupt, truncated, or not JPEG/PNG/WebP/BMP/TIFF)",
         QT_TRANSLATE_NOOP("mb::ui::CoreMessages",
                           "%1: not a readable image (corrupt, truncated, or not JPEG/PNG/WebP/BMP/TIFF)")},
        {": the mask is empty (no subject pixels)",
         QT_TRANSLATE_NOOP("mb::ui::CoreMessages", "%1: the mask is empty (no subject pixels)")},
        {": is a folder, not an image",
         QT_TRANSLATE_NOOP("mb::ui::CoreMessages", "%1: is a folder, not an image")},
        {": the file is empty", QT_TRANSLATE_NOOP("mb::ui::CoreMessages", "%1: the file is empty")},
        {": file not found", QT_TRANSLATE_NOOP("mb::ui::CoreMessages", "%1: file not found")},
    };
    for (const Known& k : known) {
        const QString ending = QString::fromUtf8(k.english);
        if (message.endsWith(ending))
            return QCoreApplication::translate(kContext, k.translated).arg(message.chopped(ending.size()));
    }
    // "FILE: not a readable image: DETAIL" (the header check names what is wrong in English).
    static const QRegularExpression unreadable(QStringLiteral("^(.*): not a readable image: (.*)$"));
    if (const auto m = unreadable.match(message); m.hasMatch())
        return QCoreApplication::translate("mb::ui::CoreMessages", "%1: not a readable image: %2")
            .arg(m.captured(1), m.captured(2));
    // "subject 'ID' has no photos" (the stage then draws the box without a cut-out)
    static const QRegularExpression noPhotos(QStringLiteral("^subject '(.*)' has no photos$"));
    if (const auto m = noPhotos.match(message); m.hasMatch())
        return QCoreApplication::translate("mb::ui::CoreMessages",
                                           "{%1} has no photos yet: add some in the Subjects dock")
            .arg(m.captured(1));
    // "subject 'ID': PHOTO has no mask; the whole photo is used"
    static const QRegularExpression noMask(
        QStringLiteral("^subject '(.*)': (.*) has no mask; the whole photo is used$"));
    if (const auto m = noMask.match(message); m.hasMatch())
        return QCoreApplication::translate("mb::ui::CoreMessages",
                                           "{%1}: %2 has no mask yet; the whole photo is shown")
            .arg(m.captured(1), m.captured(2));
    return message;
}

} // namespace mb::ui
