#include "ui/render_dialog.h"

#include "doc/project.h"
#include "jobs/render_job.h"
#include "ui/app_settings.h"
#include "ui/process_job.h"
#include "ui/project_document.h"
#include "ui/shot_panel.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace mb::ui {

namespace {

// What the built-in model was trained at (resources/models/default/README.md).
constexpr int kBuiltInFrames = 8;
constexpr int kBuiltInSteps = 25;
const char* const kBuiltInSampler = "dpmpp-2m";

/** The time of a take's fixed stages in steps (loading, text, decoding, encoding, sidecar). */
double fixedStageSteps(int steps) {
    double total = 0;
    for (const StageWeight& w : renderStageWeights(steps))
        total += w.weight;
    return total - double(std::max(1, steps));
}

} // namespace

QString RenderDialog::modelFolderFor(const ProjectDocument* document) {
    const QString fromProject = QString::fromStdString(document->project().render.modelFolder);
    return fromProject.isEmpty() ? AppSettings::modelFolder() : fromProject;
}

QString RenderDialog::estimateKey(const QString& modelFolder, const QSize& size, int frames,
                                  const QString& precision) {
    return QStringLiteral("%1|%2x%3x%4|%5|%6")
        .arg(modelFolder.isEmpty() ? QStringLiteral("built-in") : modelFolder)
        .arg(size.width())
        .arg(size.height())
        .arg(frames)
        .arg(precision.isEmpty() ? QStringLiteral("auto") : precision, AppSettings::device());
}

std::optional<double> RenderDialog::estimateSeconds(const QString& key, int steps) {
    const std::optional<double> perStep = AppSettings::stepSeconds(key);
    if (!perStep)
        return std::nullopt;
    return *perStep * (double(std::max(1, steps)) + fixedStageSteps(steps));
}

bool RenderDialog::recordFinishedTake(const QString& key, const QString& sidecarPath) {
    QFile f(sidecarPath);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject j = QJsonDocument::fromJson(f.readAll()).object();
    const double seconds = j.value(QStringLiteral("seconds")).toDouble(-1);
    const int steps = j.value(QStringLiteral("steps")).toInt(0);
    if (!(seconds > 0) || steps < 1)
        return false;
    AppSettings::setStepSeconds(key, seconds / (double(steps) + fixedStageSteps(steps)));
    return true;
}

RenderDialog::RenderDialog(const ProjectDocument* document, quint64 firstSeed, int count, QWidget* parent)
    : QDialog(parent), m_document(document), m_modelFolder(modelFolderFor(document)), m_firstSeed(firstSeed) {
    setWindowTitle(tr("Render Takes"));
    setObjectName(QStringLiteral("RenderDialog"));
    setMinimumWidth(480);
    const Shot& shot = document->project().shot;
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addLayout(form);

    m_modelLabel = new QLabel(this);
    m_modelLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_modelLabel->setWordWrap(true);
    m_modelLabel->setText(usesBuiltInModel() ? tr("Built-in model (112 \u00d7 64, trained on this project's "
                                                  "small world of balls, cubes and robots)")
                                             : m_modelFolder);
    form->addRow(tr("Model"), m_modelLabel);

    m_count = new QSpinBox(this);
    m_count->setRange(1, 32);
    m_count->setValue(std::clamp(count, 1, 32));
    m_count->setMinimumWidth(80);
    m_count->setToolTip(tr("Each take uses the next seed, so the takes are variations of the same shot"));
    m_seeds = new QLabel(this);
    m_seeds->setEnabled(false);
    auto* countRow = new QHBoxLayout;
    countRow->addWidget(m_count);
    countRow->addWidget(m_seeds, 1);
    form->addRow(tr("Takes"), countRow);

    m_sizePreset = new QComboBox(this);
    for (const QSize& s : ShotPanel::sizePresets()) {
        QString label = QStringLiteral("%1 \u00d7 %2").arg(s.width()).arg(s.height());
        if (s == ShotPanel::builtInModelSize())
            label = tr("%1 (built-in model)").arg(label);
        m_sizePreset->addItem(label, s);
    }
    m_sizePreset->addItem(tr("Custom"), QSize());
    form->addRow(tr("Size"), m_sizePreset);
    m_width = new QSpinBox(this);
    m_height = new QSpinBox(this);
    for (QSpinBox* s : {m_width, m_height}) {
        s->setRange(8, 4096);
        s->setSingleStep(8);
        s->setSuffix(tr(" px"));
        s->setToolTip(tr("Must be a multiple of the model's VAE scale factor (8 for Zeroscope)."));
    }
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width, 1);
    sizeRow->addWidget(new QLabel(QStringLiteral("\u00d7"), this));
    sizeRow->addWidget(m_height, 1);
    form->addRow(QString(), sizeRow);

    m_frames = new QSpinBox(this);
    m_frames->setRange(1, 1024);
    m_frames->setSuffix(tr(" frames"));
    form->addRow(tr("Length"), m_frames);
    m_steps = new QSpinBox(this);
    m_steps->setRange(1, 500);
    m_steps->setToolTip(tr("Denoising steps: the time of a take grows with them"));
    form->addRow(tr("Steps"), m_steps);
    m_sampler = new QComboBox(this);
    for (const std::string& name : samplerNames())
        m_sampler->addItem(ShotPanel::samplerLabel(name), QString::fromStdString(name));
    m_sampler->setToolTip(tr("DPM-Solver++ reaches in about 20 steps what DDIM reaches in 50"));
    form->addRow(tr("Sampler"), m_sampler);
    m_precision = new QComboBox(this);
    m_precision->addItem(tr("Automatic"), QStringLiteral("auto"));
    m_precision->addItem(tr("fp32 (exact)"), QStringLiteral("fp32"));
    m_precision->addItem(tr("bf16 (faster on CPUs with AVX512-BF16 or AMX)"), QStringLiteral("bf16"));
    m_precision->setToolTip(tr("What the model computes in. Automatic uses bf16 where the CPU computes it "
                               "natively (about twice as fast, a close approximation) and fp32 elsewhere."));
    form->addRow(tr("Precision"), m_precision);

    m_note = new QLabel(this);
    m_note->setWordWrap(true);
    layout->addWidget(m_note);
    m_estimate = new QLabel(this);
    m_estimate->setWordWrap(true);
    m_estimate->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_estimate->font();
    bold.setBold(true);
    m_estimate->setFont(bold);
    layout->addWidget(m_estimate);
    auto* hint = new QLabel(tr("These settings are for these takes only; the shot keeps its own."), this);
    hint->setWordWrap(true);
    hint->setEnabled(false);
    layout->addWidget(hint);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Render"));
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // Start values: the shot's own, or the built-in model's own size and settings.
    const bool builtIn = usesBuiltInModel();
    const QSize size = builtIn ? ShotPanel::builtInModelSize() : QSize(shot.width, shot.height);
    m_width->setValue(size.width());
    m_height->setValue(size.height());
    m_frames->setValue(builtIn ? kBuiltInFrames : shot.frames);
    m_steps->setValue(builtIn ? kBuiltInSteps : shot.steps);
    const QString sampler =
        builtIn ? QString::fromLatin1(kBuiltInSampler) : QString::fromStdString(shot.sampler);
    m_sampler->setCurrentIndex(std::max(0, m_sampler->findData(sampler)));
    m_precision->setCurrentIndex(0);
    if (builtIn)
        m_note->setText(
            tr("The built-in model was trained at 112 \u00d7 64; larger sizes are slower and look "
               "worse."));
    m_note->setVisible(builtIn);
    syncPresetToSize();

    connect(m_sizePreset, qOverload<int>(&QComboBox::activated), this, &RenderDialog::onPresetChosen);
    for (QSpinBox* s : {m_width, m_height})
        connect(s, qOverload<int>(&QSpinBox::valueChanged), this, [this] {
            syncPresetToSize();
            updateEstimate();
        });
    for (QSpinBox* s : {m_frames, m_steps, m_count})
        connect(s, qOverload<int>(&QSpinBox::valueChanged), this, &RenderDialog::updateEstimate);
    for (QComboBox* c : {m_sampler, m_precision})
        connect(c, qOverload<int>(&QComboBox::currentIndexChanged), this, &RenderDialog::updateEstimate);
    updateEstimate();
}

void RenderDialog::onPresetChosen(int index) {
    const QSize s = m_sizePreset->itemData(index).toSize();
    if (!s.isValid())
        return; // "Custom": the spin boxes say
    const QSignalBlocker bw(m_width), bh(m_height);
    m_width->setValue(s.width());
    m_height->setValue(s.height());
    updateEstimate();
}

void RenderDialog::syncPresetToSize() {
    const QSize now(m_width->value(), m_height->value());
    int preset = m_sizePreset->count() - 1;
    for (int i = 0; i < m_sizePreset->count() - 1; ++i)
        if (m_sizePreset->itemData(i).toSize() == now)
            preset = i;
    const QSignalBlocker block(m_sizePreset);
    m_sizePreset->setCurrentIndex(preset);
}

RenderOptions RenderDialog::options() const {
    RenderOptions o;
    o.width = m_width->value();
    o.height = m_height->value();
    o.frames = m_frames->value();
    o.steps = m_steps->value();
    o.sampler = m_sampler->currentData().toString();
    o.precision = m_precision->currentData().toString();
    return o;
}

int RenderDialog::takeCount() const {
    return m_count->value();
}

QString RenderDialog::estimateText() const {
    return m_estimate->text();
}

QString RenderDialog::modelNoteText() const {
    return m_note->text();
}

void RenderDialog::updateEstimate() {
    const int n = m_count->value();
    m_seeds->setText(n == 1 ? tr("seed %1").arg(m_firstSeed)
                            : tr("seeds %1\u2013%2").arg(m_firstSeed).arg(m_firstSeed + quint64(n) - 1));
    const RenderOptions o = options();
    const QString key = estimateKey(m_modelFolder, QSize(o.width, o.height), o.frames, o.precision);
    const std::optional<double> perTake = estimateSeconds(key, o.steps);
    if (!perTake) {
        m_estimate->setText(tr("Estimated time: no estimate yet. It is measured when a take with this model, "
                               "size, length and precision has finished on this computer."));
        return;
    }
    const QString each = ProcessJob::formatDuration(qint64(std::llround(*perTake * 1000.0)));
    const double perStep = *AppSettings::stepSeconds(key);
    const QString measured = tr("measured: %1 s per step").arg(perStep, 0, 'g', 2);
    m_estimate->setText(
        n == 1 ? tr("Estimated time: about %1 (%2)").arg(each, measured)
               : tr("Estimated time: about %1 per take, %2 for %3 takes (%4)")
                     .arg(each, ProcessJob::formatDuration(qint64(std::llround(*perTake * n * 1000.0))))
                     .arg(n)
                     .arg(measured));
}

} // namespace mb::ui
