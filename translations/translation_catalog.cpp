#include "translations/translation_catalog.h"

#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QTranslator>

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

QString qtCatalogueFolder() {
    return QLibraryInfo::path(QLibraryInfo::TranslationsPath);
}

bool loadQtCatalogue(QTranslator& translator, const QLocale& locale) {
    // English needs none; "qtbase" is the catalogue of the modules the editor uses (Core, Gui, Widgets).
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return false;
    return translator.load(locale, QStringLiteral("qtbase"), QStringLiteral("_"), qtCatalogueFolder());
}

} // namespace mb::i18n
