#pragma once
/**
 * \file translation_catalog.h
 * \brief The compiled translations shipped inside the editor (resources :/i18n/motionbooth_<lang>.qm).
 */
#include <QLocale>
#include <QString>
#include <QStringList>

class QTranslator;

namespace mb::i18n {

/** Language codes with a compiled catalogue, e.g. {"de", "ko"}. */
QStringList availableLanguages();

/**
 * Resource path of the catalogue for `locale` (its language), or an empty string when the editor has none
 * (then the English source strings are shown).
 */
QString catalogueFor(const QLocale& locale);

/**
 * Loads Qt's own catalogue for `locale` (qtbase_<lang>.qm from Qt's translations folder: Debian's
 * qt6-translations-l10n), which translates what Qt draws itself: standard buttons (OK, Cancel, Save),
 * file dialogs, context menus of text fields. False when it is not installed (those stay English).
 */
bool loadQtCatalogue(QTranslator& translator, const QLocale& locale);

/** Qt's translations folder, where loadQtCatalogue() looks. */
QString qtCatalogueFolder();

} // namespace mb::i18n
