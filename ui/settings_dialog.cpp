#include "ui/settings_dialog.h"

#include "ui/app_settings.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QThread>
#include <QVBoxLayout>

namespace mb::ui {

SettingsDialog::SettingsDialog(QWidget* parent) : QDialog(parent) {
    setWindowTitle(tr("Preferences"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    layout->addLayout(form);

    m_modelFolder = new QLineEdit(AppSettings::modelFolder(), this);
    m_modelFolder->setPlaceholderText(tr("Built-in default model"));
    auto* browse = new QPushButton(tr("Browse\u2026"), this);
    auto* row = new QHBoxLayout;
    row->addWidget(m_modelFolder, 1);
    row->addWidget(browse);
    form->addRow(tr("Model folder"), row);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Choose a diffusers model folder"),
                                                              m_modelFolder->text());
        if (!dir.isEmpty())
            m_modelFolder->setText(dir);
    });

    m_threads = new QSpinBox(this);
    m_threads->setRange(0, std::max(1, QThread::idealThreadCount()));
    m_threads->setSpecialValueText(tr("Automatic (%1)").arg(QThread::idealThreadCount()));
    m_threads->setValue(AppSettings::threads());
    form->addRow(tr("Threads"), m_threads);

    m_device = new QComboBox(this);
    m_device->addItem(tr("CPU"), QStringLiteral("cpu"));
    m_device->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    m_device->setCurrentIndex(std::max(0, m_device->findData(AppSettings::device())));
    form->addRow(tr("Device"), m_device);

    m_jobMode = new QComboBox(this);
    m_jobMode->addItem(tr("In a separate process (safer)"), false);
    m_jobMode->addItem(tr("Inside the editor"), true);
    m_jobMode->setCurrentIndex(AppSettings::runJobsInProcess() ? 1 : 0);
    m_jobMode->setToolTip(tr(
        "Renders and fine-tuning run as a separate motionbooth-cli process by default, so a crash in the "
        "model cannot take the editor down. Inside the editor they run on a worker thread and skip starting "
        "a process and loading the model in it."));
    form->addRow(tr("Run renders"), m_jobMode);

    m_autosave = new QSpinBox(this);
    m_autosave->setRange(0, 3600);
    m_autosave->setSuffix(tr(" s"));
    m_autosave->setSpecialValueText(tr("Off"));
    m_autosave->setValue(AppSettings::autosaveIntervalSeconds());
    form->addRow(tr("Autosave every"), m_autosave);

    m_language = new QComboBox(this);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Deutsch"), QStringLiteral("de"));
    m_language->addItem(QStringLiteral("\ud55c\uad6d\uc5b4"), QStringLiteral("ko"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(AppSettings::language())));
    form->addRow(tr("Language"), m_language);
    auto* note = new QLabel(tr("The language changes at the next start."), this);
    note->setEnabled(false);
    form->addRow(QString(), note);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        apply();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

void SettingsDialog::apply() {
    AppSettings::setModelFolder(m_modelFolder->text());
    AppSettings::setThreads(m_threads->value());
    AppSettings::setDevice(m_device->currentData().toString());
    AppSettings::setRunJobsInProcess(m_jobMode->currentData().toBool());
    AppSettings::setAutosaveIntervalSeconds(m_autosave->value());
    AppSettings::setLanguage(m_language->currentData().toString());
}

} // namespace mb::ui
