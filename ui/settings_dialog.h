#pragma once
/**
 * \file settings_dialog.h
 * \brief Preferences: model folder, threads, device, where renders run (separate process or in the editor),
 *        autosave interval and language (stored by AppSettings).
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

    QLineEdit* modelFolderEdit() const { return m_modelFolder; }
    /** "Run renders": separate process (data false) or inside the editor (data true). */
    QComboBox* jobModeBox() const { return m_jobMode; }

private:
    QLineEdit* m_modelFolder;
    QSpinBox* m_threads;
    QComboBox* m_device;
    QComboBox* m_jobMode;
    QSpinBox* m_autosave;
    QComboBox* m_language;
};

} // namespace mb::ui
