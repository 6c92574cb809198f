#pragma once
/**
 * \file dark_theme.h
 * \brief The editor's look: Fusion style with a dark palette (artists judge colour on a neutral dark UI).
 */
class QApplication;

namespace mb::ui {

void applyDarkTheme(QApplication& app);

} // namespace mb::ui
