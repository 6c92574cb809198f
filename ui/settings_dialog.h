#pragma once
/**
 * \file settings_dialog.h
 * \brief Preferences: model folder, threads, device, autosave interval and language (stored by AppSettings).
 */
#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace mb::ui {

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    /** Writes the fields to AppSettings. */
    void apply();

private:
    QLineEdit* m_modelFolder;
    QSpinBox* m_threads;
    QComboBox* m_device;
    QSpinBox* m_autosave;
    QComboBox* m_language;
};

} // namespace mb::ui
