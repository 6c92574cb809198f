#include "ui/shot_panel.h"

#include "doc/edit_commands.h"
#include "media/image_io.h"
#include "ui/camera_pan.h"
#include "ui/core_messages.h"
#include "ui/project_document.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>
#include <limits>

namespace mb::ui {

QString ShotPanel::samplerLabel(const std::string& name) {
    if (name == "ddim")
        return tr("DDIM");
    if (name == "dpmpp-2m")
        return tr("DPM-Solver++ 2M");
    if (name == "dpmpp-2m-karras")
        return tr("DPM-Solver++ 2M Karras");
    if (name == "euler")
        return tr("Euler");
    return QString::fromStdString(name);
}

QList<QSize> ShotPanel::sizePresets() {
    // Zeroscope's sizes (ruling 12), then the size the built-in default model was trained at
    // (resources/models/default/README.md).
    return {QSize(576, 320), QSize(448, 256), QSize(256, 144), builtInModelSize()};
}

QSize ShotPanel::builtInModelSize() {
    return QSize(112, 64);
}

ShotPanel::ShotPanel(ProjectDocument* document, QWidget* parent) : QWidget(parent), m_document(document) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    outer->setSpacing(10);

    auto* shotGroup = new QGroupBox(tr("Shot"), this);
    auto* form = new QFormLayout(shotGroup);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_prompt = new QPlainTextEdit(shotGroup);
    m_prompt->setPlaceholderText(tr("a {subject} running on the beach"));
    m_prompt->setToolTip(tr("Text prompt. Write {id} where a subject goes, e.g. {subject}."));
    m_prompt->setFixedHeight(64);
    form->addRow(tr("Prompt"), m_prompt);
    m_promptPreview = new QLabel(shotGroup);
    m_promptPreview->setWordWrap(true);
    m_promptPreview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont small = m_promptPreview->font();
    small.setItalic(true);
    m_promptPreview->setFont(small);
    form->addRow(QString(), m_promptPreview);
    m_negative = new QLineEdit(shotGroup);
    m_negative->setPlaceholderText(tr("blurry, low quality"));
    form->addRow(tr("Negative"), m_negative);

    m_frames = new QSpinBox(shotGroup);
    m_frames->setRange(1, 1024);
    m_frames->setKeyboardTracking(false);
    m_frames->setSuffix(tr(" frames"));
    m_frames->setToolTip(tr("Clip length L. Keyframes keep their relative time when it changes."));
    m_fps = new QDoubleSpinBox(shotGroup);
    m_fps->setRange(1, 120);
    m_fps->setDecimals(2);
    m_fps->setKeyboardTracking(false);
    m_fps->setSuffix(tr(" fps"));
    auto* lenRow = new QHBoxLayout;
    lenRow->addWidget(m_frames, 1);
    lenRow->addWidget(m_fps, 1);
    form->addRow(tr("Length"), lenRow);

    m_sizePreset = new QComboBox(shotGroup);
    for (const QSize& s : sizePresets()) {
        QString label = QStringLiteral("%1 \u00d7 %2").arg(s.width()).arg(s.height());
        if (s == builtInModelSize())
            label = tr("%1 (built-in model)").arg(label);
        m_sizePreset->addItem(label, s);
    }
    m_sizePreset->addItem(tr("Custom"), QSize());
    form->addRow(tr("Size"), m_sizePreset);
    m_width = new QSpinBox(shotGroup);
    m_height = new QSpinBox(shotGroup);
    for (QSpinBox* s : {m_width, m_height}) {
        s->setRange(8, 4096);
        s->setSingleStep(8);
        s->setKeyboardTracking(false);
        s->setSuffix(tr(" px"));
        s->setToolTip(tr("Must be a multiple of the model's VAE scale factor (8 for Zeroscope)."));
    }
    auto* sizeRow = new QHBoxLayout;
    sizeRow->addWidget(m_width, 1);
    sizeRow->addWidget(new QLabel(QStringLiteral("\u00d7")));
    sizeRow->addWidget(m_height, 1);
    form->addRow(QString(), sizeRow);

    m_seed = new QSpinBox(shotGroup);
    m_seed->setRange(0, std::numeric_limits<int>::max());
    m_seed->setKeyboardTracking(false);
    auto* dice = new QToolButton(shotGroup);
    dice->setText(tr("Random"));
    dice->setToolTip(tr("Pick a new random seed"));
    auto* seedRow = new QHBoxLayout;
    seedRow->addWidget(m_seed, 1);
    seedRow->addWidget(dice);
    form->addRow(tr("Seed"), seedRow);
    m_steps = new QSpinBox(shotGroup);
    m_steps->setRange(1, 500);
    m_steps->setKeyboardTracking(false);
    form->addRow(tr("Steps"), m_steps);
    m_sampler = new QComboBox(shotGroup);
    for (const std::string& name : samplerNames())
        m_sampler->addItem(samplerLabel(name), QString::fromStdString(name));
    m_sampler->setToolTip(tr("The solver that removes the noise. DPM-Solver++ reaches in about 20 steps what "
                             "DDIM reaches in 50; the subject and camera controls act at the same points of "
                             "the schedule whatever the step count."));
    form->addRow(tr("Sampler"), m_sampler);
    m_guidance = new QDoubleSpinBox(shotGroup);
    m_guidance->setRange(0, 50);
    m_guidance->setSingleStep(0.5);
    m_guidance->setKeyboardTracking(false);
    form->addRow(tr("Guidance"), m_guidance);
    outer->addWidget(shotGroup);

    // The photo the camera pans across in the animatic (and the first frame of the storyboard).
    auto* bgGroup = new QGroupBox(tr("Background photo"), this);
    auto* bgLayout = new QHBoxLayout(bgGroup);
    m_backgroundThumb = new QLabel(bgGroup);
    m_backgroundThumb->setFixedSize(64, 36);
    m_backgroundThumb->setAlignment(Qt::AlignCenter);
    m_backgroundThumb->setFrameShape(QFrame::StyledPanel);
    m_background = new QLabel(bgGroup);
    m_background->setWordWrap(true);
    m_background->setMinimumWidth(60);
    m_background->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    auto* chooseBackground = new QPushButton(tr("Choose\u2026"), bgGroup);
    chooseBackground->setToolTip(tr("Choose the photo the camera pans across"));
    m_clearBackground = new QPushButton(tr("Remove"), bgGroup);
    m_clearBackground->setToolTip(tr("Use the neutral backdrop instead of a photo"));
    auto* bgButtons = new QVBoxLayout;
    bgButtons->addWidget(chooseBackground);
    bgButtons->addWidget(m_clearBackground);
    bgLayout->addWidget(m_backgroundThumb);
    bgLayout->addWidget(m_background, 1);
    bgLayout->addLayout(bgButtons);
    outer->addWidget(bgGroup);
    connect(chooseBackground, &QPushButton::clicked, this, &ShotPanel::chooseBackgroundPhoto);
    connect(m_clearBackground, &QPushButton::clicked, this, &ShotPanel::clearBackgroundPhoto);

    auto* camGroup = new QGroupBox(tr("Camera pan"), this);
    auto* camForm = new QFormLayout(camGroup);
    m_panX = new QDoubleSpinBox(camGroup);
    m_panY = new QDoubleSpinBox(camGroup);
    for (QDoubleSpinBox* s : {m_panX, m_panY}) {
        s->setRange(-200, 200);
        s->setDecimals(1);
        s->setSingleStep(1);
        s->setSuffix(QStringLiteral(" %"));
        s->setKeyboardTracking(false);
    }
    m_panX->setToolTip(tr("How far the view travels right over the whole clip, in % of the frame width"));
    m_panY->setToolTip(tr("How far the view travels down over the whole clip, in % of the frame height"));
    camForm->addRow(tr("Horizontal"), m_panX);
    camForm->addRow(tr("Vertical"), m_panY);
    auto* staticButton = new QPushButton(tr("Static camera"), camGroup);
    camForm->addRow(QString(), staticButton);
    outer->addWidget(camGroup);

    m_trackGroup = new QGroupBox(tr("Selected box track"), this);
    auto* trackForm = new QFormLayout(m_trackGroup);
    // A short check box and a wrapped explanation: a check box's text never wraps, and a long one (German)
    // made the whole panel wider than its dock.
    m_pinned = new QCheckBox(tr("Pinned to the scene"), m_trackGroup);
    m_pinned->setToolTip(tr("The box moves with the camera, like something standing in the scene"));
    auto* pinnedHint = new QLabel(tr("The box then moves with the camera."), m_trackGroup);
    pinnedHint->setWordWrap(true);
    pinnedHint->setEnabled(false);
    trackForm->addRow(m_pinned);
    trackForm->addRow(pinnedHint);
    outer->addWidget(m_trackGroup);
    outer->addStretch(1);

    // ---- edits
    auto shotEdit = [this](auto change, const QString& label, unsigned* drag) {
        if (m_refreshing)
            return;
        Shot s = m_document->project().shot;
        change(s);
        pushShot(s, label, *drag);
    };
    connect(m_frames, qOverload<int>(&QSpinBox::valueChanged), this,
            [=](int v) { shotEdit([v](Shot& s) { s.frames = v; }, tr("Change length"), &m_framesDrag); });
    connect(m_fps, qOverload<double>(&QDoubleSpinBox::valueChanged), this,
            [=](double v) { shotEdit([v](Shot& s) { s.fps = v; }, tr("Change frame rate"), &m_fpsDrag); });
    connect(m_width, qOverload<int>(&QSpinBox::valueChanged), this,
            [=](int v) { shotEdit([v](Shot& s) { s.width = v; }, tr("Change size"), &m_sizeDrag); });
    connect(m_height, qOverload<int>(&QSpinBox::valueChanged), this,
            [=](int v) { shotEdit([v](Shot& s) { s.height = v; }, tr("Change size"), &m_sizeDrag); });
    connect(m_sizePreset, qOverload<int>(&QComboBox::activated), this, &ShotPanel::onPresetActivated);
    connect(m_seed, qOverload<int>(&QSpinBox::valueChanged), this, [=](int v) {
        shotEdit([v](Shot& s) { s.seed = std::uint64_t(v); }, tr("Change seed"), &m_seedDrag);
    });
    connect(dice, &QToolButton::clicked, this, [this] {
        m_seed->setValue(int(QRandomGenerator::global()->bounded(std::numeric_limits<int>::max())));
    });
    connect(m_steps, qOverload<int>(&QSpinBox::valueChanged), this,
            [=](int v) { shotEdit([v](Shot& s) { s.steps = v; }, tr("Change steps"), &m_stepsDrag); });
    connect(m_guidance, qOverload<double>(&QDoubleSpinBox::valueChanged), this, [=](double v) {
        shotEdit([v](Shot& s) { s.guidanceScale = v; }, tr("Change guidance"), &m_guidanceDrag);
    });
    connect(m_sampler, qOverload<int>(&QComboBox::activated), this, [=](int index) {
        const std::string name = m_sampler->itemData(index).toString().toStdString();
        unsigned noDrag = 0; // each choice is its own undo step
        shotEdit([name](Shot& s) { s.sampler = name; }, tr("Change sampler"), &noDrag);
    });
    // The prompt commits after a short pause in typing, as one undo step per burst of typing.
    auto* promptTimer = new QTimer(this);
    promptTimer->setSingleShot(true);
    promptTimer->setInterval(500);
    connect(m_prompt, &QPlainTextEdit::textChanged, promptTimer, qOverload<>(&QTimer::start));
    connect(promptTimer, &QTimer::timeout, this, [=] {
        const std::string text = m_prompt->toPlainText().toStdString();
        shotEdit([text](Shot& s) { s.prompt = text; }, tr("Edit prompt"), &m_promptDrag);
    });
    connect(m_negative, &QLineEdit::editingFinished, this, [=] {
        const std::string text = m_negative->text().toStdString();
        shotEdit([text](Shot& s) { s.negativePrompt = text; }, tr("Edit negative prompt"), &m_promptDrag);
    });
    connect(m_panX, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ShotPanel::onPanEdited);
    connect(m_panY, qOverload<double>(&QDoubleSpinBox::valueChanged), this, &ShotPanel::onPanEdited);
    connect(staticButton, &QPushButton::clicked, this, [this] {
        const Project& p = m_document->project();
        m_document->push(setCamera(p, withTotalPan(p.camera, 0, 0), tr("Static camera").toStdString()));
    });
    connect(m_pinned, &QCheckBox::toggled, this, [this](bool on) {
        if (m_refreshing)
            return;
        const Project& p = m_document->project();
        const std::string id = m_document->selectedSubject().toStdString();
        const BoxTrack* t = p.findTrack(id);
        if (!t)
            return;
        BoxTrack edited = *t;
        edited.pinnedToScene = on;
        m_document->push(setTrack(p, id, edited, tr("Pin box to scene").toStdString()));
    });

    connect(document, &ProjectDocument::changed, this, [this] { refresh(); });
    connect(document, &ProjectDocument::selectedSubjectChanged, this, [this] { refresh(); });
    refresh();
}

void ShotPanel::pushShot(const Shot& shot, const QString& label, unsigned& dragId) {
    const QUndoStack* stack = m_document->undoStack();
    // Merge with the previous change only while it is still this field's last edit on top of the stack.
    if (dragId == 0 || stack->index() == 0 || stack->command(stack->index() - 1)->text() != label)
        dragId = m_document->newDragId();
    m_document->push(setShot(m_document->project(), shot, label.toStdString(), dragId));
}

bool ShotPanel::setBackgroundPhoto(const QString& path, QString* error) {
    const QString absolute = QFileInfo(path).absoluteFilePath();
    try {
        media::loadColorImage(absolute.toStdString()); // what the animatic and the renders will load
    } catch (const std::exception& e) {
        if (error)
            *error = localizedCoreMessage(QString::fromStdString(e.what()));
        return false;
    }
    m_document->push(setBackground(m_document->project(), absolute.toStdString(),
                                   tr("Set background photo").toStdString()));
    return true;
}

void ShotPanel::chooseBackgroundPhoto() {
    const QString current = QString::fromStdString(m_document->project().background);
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Background Photo"),
        current.isEmpty() ? m_document->projectFolder() : QFileInfo(current).path(),
        tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!setBackgroundPhoto(path, &error))
        QMessageBox::warning(this, tr("Cannot use this photo"), error);
}

void ShotPanel::clearBackgroundPhoto() {
    m_document->push(
        setBackground(m_document->project(), std::string(), tr("Remove background photo").toStdString()));
}

void ShotPanel::onPresetActivated(int index) {
    const QSize s = m_sizePreset->itemData(index).toSize();
    if (!s.isValid())
        return;
    Shot shot = m_document->project().shot;
    shot.width = s.width();
    shot.height = s.height();
    unsigned fresh = 0;
    pushShot(shot, tr("Change size"), fresh);
}

void ShotPanel::onPanEdited() {
    if (m_refreshing)
        return;
    const Project& p = m_document->project();
    const QUndoStack* stack = m_document->undoStack();
    const QString label = tr("Set camera pan");
    if (m_panDrag == 0 || stack->index() == 0 || stack->command(stack->index() - 1)->text() != label)
        m_panDrag = m_document->newDragId();
    m_document->push(setCamera(p, withTotalPan(p.camera, m_panX->value() / 100.0, m_panY->value() / 100.0),
                               label.toStdString(), m_panDrag));
}

void ShotPanel::refresh() {
    m_refreshing = true;
    const Project& p = m_document->project();
    const Shot& s = p.shot;
    const QString prompt = QString::fromStdString(s.prompt);
    if (m_prompt->toPlainText() != prompt) {
        const QSignalBlocker b(m_prompt);
        m_prompt->setPlainText(prompt);
    }
    try {
        m_promptPreview->setText(tr("Model sees: %1").arg(QString::fromStdString(p.resolvedPrompt())));
    } catch (const std::exception& e) {
        m_promptPreview->setText(QString::fromStdString(e.what()));
    }
    if (!m_negative->hasFocus())
        m_negative->setText(QString::fromStdString(s.negativePrompt));
    m_frames->setValue(s.frames);
    m_fps->setValue(s.fps);
    m_width->setValue(s.width);
    m_height->setValue(s.height);
    int preset = m_sizePreset->count() - 1;
    for (int i = 0; i < m_sizePreset->count() - 1; ++i)
        if (m_sizePreset->itemData(i).toSize() == QSize(s.width, s.height))
            preset = i;
    m_sizePreset->setCurrentIndex(preset);
    m_seed->setValue(int(std::min<std::uint64_t>(s.seed, std::uint64_t(std::numeric_limits<int>::max()))));
    m_steps->setValue(s.steps);
    m_sampler->setCurrentIndex(m_sampler->findData(QString::fromStdString(s.sampler)));
    m_guidance->setValue(s.guidanceScale);
    const QString background = QString::fromStdString(p.background);
    if (background != m_background->toolTip() || background.isEmpty()) {
        m_background->setToolTip(background);
        m_clearBackground->setEnabled(!background.isEmpty());
        if (background.isEmpty()) {
            m_background->setText(tr("None: a neutral backdrop"));
            m_backgroundThumb->setPixmap(QPixmap());
        } else {
            QImageReader reader(background);
            reader.setAutoTransform(true);
            const QSize full = reader.size();
            if (full.isValid())
                reader.setScaledSize(full.scaled(m_backgroundThumb->size() * 2, Qt::KeepAspectRatio));
            const QImage thumb = reader.read();
            m_background->setText(thumb.isNull()
                                      ? tr("%1 (cannot be read)").arg(QFileInfo(background).fileName())
                                      : QFileInfo(background).fileName());
            m_backgroundThumb->setPixmap(thumb.isNull() ? QPixmap()
                                                        : QPixmap::fromImage(thumb.scaled(
                                                              m_backgroundThumb->size(), Qt::KeepAspectRatio,
                                                              Qt::SmoothTransformation)));
        }
    }
    const CameraOffset pan = p.camera.totalPan();
    m_panX->setValue(pan.x * 100.0);
    m_panY->setValue(pan.y * 100.0);
    const BoxTrack* t = p.findTrack(m_document->selectedSubject().toStdString());
    m_trackGroup->setEnabled(t != nullptr);
    m_pinned->setChecked(t && t->pinnedToScene);
    m_refreshing = false;
}

} // namespace mb::ui
