#pragma once
/**
 * \file translation_catalog.h
 * \brief The compiled translations shipped inside the editor (resources :/i18n/motionbooth_<lang>.qm).
 */
#include <QLocale>
#include <QString>
#include <QStringList>

namespace mb::i18n {

/** Language codes with a compiled catalogue, e.g. {"de", "ko"}. */
QStringList availableLanguages();

/**
 * Resource path of the catalogue for `locale` (its language), or an empty string when the editor has none
 * (then the English source strings are shown).
 */
QString catalogueFor(const QLocale& locale);

} // namespace mb::i18n
