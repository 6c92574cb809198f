#include "translations/translation_catalog.h"

#include <QDir>
#include <QFileInfo>

namespace mb::i18n {

QStringList availableLanguages() {
    QStringList out;
    const auto files =
        QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("motionbooth_*.qm")}, QDir::Files);
    for (const QString& f : files)
        out << QFileInfo(f).completeBaseName().mid(int(qstrlen("motionbooth_")));
    return out;
}

QString catalogueFor(const QLocale& locale) {
    const QString lang = QLocale::languageToCode(locale.language());
    const QString path = QStringLiteral(":/i18n/motionbooth_%1.qm").arg(lang);
    return QFileInfo::exists(path) ? path : QString();
}

} // namespace mb::i18n
