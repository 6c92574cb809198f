#include "ui/subject_panel.h"

#include "doc/edit_commands.h"
#include "doc/resource_paths.h"
#include "doc/subject_identifiers.h"
#include "media/image_io.h"
#include "ml/tokenizer.h"
#include "ui/core_messages.h"
#include "ui/mask_editor.h"
#include "ui/project_document.h"
#include "ui/subject_colors.h"
#include "ui/thumbnail_loader.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

#include <memory>
#include <mutex>

namespace mb::ui {

namespace {
constexpr int kThumb = 84;

QIcon icon(const QString& name) {
    return QIcon(QStringLiteral(":/icons/%1.svg").arg(name));
}

bool isImageFile(const QString& path) {
    static const QStringList exts = {QStringLiteral("png"), QStringLiteral("jpg"),  QStringLiteral("jpeg"),
                                     QStringLiteral("bmp"), QStringLiteral("webp"), QStringLiteral("tif"),
                                     QStringLiteral("tiff")};
    return exts.contains(QFileInfo(path).suffix().toLower());
}

/** Decodes `path` as the masking and training will; empty when it decodes, else "FILE: problem". */
QString decodeProblem(const QString& path) {
    try {
        mb::media::loadColorImage(path.toStdString());
        return {};
    } catch (const std::exception& e) {
        return localizedCoreMessage(QString::fromStdString(e.what()));
    }
}

/**
 * The real CLIP vocabulary (what fine-tuning checks identifiers against), loaded once on first use; nullptr
 * when the resources cannot be found (then identifiers are not checked here, and fine-tuning still is).
 */
const mb::ml::ClipTokenizer* realVocabulary() {
    static std::once_flag once;
    static std::unique_ptr<mb::ml::ClipTokenizer> tokenizer;
    std::call_once(once, [] {
        try {
            const std::string dir = mb::findResourceDir(MB_RESOURCE_DIR);
            tokenizer = std::make_unique<mb::ml::ClipTokenizer>(dir + "/tokenizer-clip");
        } catch (const std::exception&) {
            tokenizer.reset();
        }
    });
    return tokenizer.get();
}

} // namespace

SubjectPanel::SubjectPanel(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document) {
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);

    // Subjects.
    m_subjects = new QListWidget(this);
    m_subjects->setMaximumHeight(92);
    m_subjects->setAccessibleName(tr("Subjects"));
    auto* addSubject = new QToolButton(this);
    addSubject->setIcon(icon(QStringLiteral("subject-add")));
    addSubject->setToolTip(tr("Add a subject"));
    auto* removeSubject = new QToolButton(this);
    removeSubject->setIcon(icon(QStringLiteral("remove")));
    removeSubject->setToolTip(tr("Remove the selected subject and its box track"));
    auto* subjRow = new QHBoxLayout;
    subjRow->addWidget(m_subjects, 1);
    auto* subjButtons = new QVBoxLayout;
    subjButtons->addWidget(addSubject);
    subjButtons->addWidget(removeSubject);
    subjButtons->addStretch();
    subjRow->addLayout(subjButtons);
    layout->addLayout(subjRow);

    auto* form = new QFormLayout;
    m_className = new QLineEdit(this);
    m_className->setPlaceholderText(tr("e.g. toy robot"));
    m_id = new QLineEdit(this);
    m_id->setToolTip(tr("The prompt refers to the subject as {id}"));
    m_identifier = new QLineEdit(this);
    m_identifier->setToolTip(tr("Rare single-token word that names the learned subject. Each subject has "
                                "its own (sks, ohwx, phol, hta are given in turn); fine-tuning learns the "
                                "subject under it."));
    m_learned = new QCheckBox(tr("Learn from the photos"), this);
    form->addRow(tr("Class"), m_className);
    form->addRow(tr("Id"), m_id);
    form->addRow(tr("Identifier"), m_identifier);
    form->addRow(QString(), m_learned);
    layout->addLayout(form);

    // Photos.
    m_photos = new QListWidget(this);
    m_photos->setViewMode(QListView::IconMode);
    m_photos->setIconSize(QSize(kThumb, kThumb));
    m_photos->setResizeMode(QListView::Adjust);
    m_photos->setMovement(QListView::Static);
    m_photos->setFixedHeight(kThumb + 34);
    m_photos->setFlow(QListView::LeftToRight);
    m_photos->setWrapping(false);
    m_photos->setAccessibleName(tr("Photos"));
    m_photoHint = new QLabel(this);
    m_photoHint->setWordWrap(true);
    auto* addPhotosButton = new QPushButton(icon(QStringLiteral("add-photo")), tr("Add Photos\u2026"), this);
    auto* removePhoto = new QToolButton(this);
    removePhoto->setIcon(icon(QStringLiteral("remove")));
    removePhoto->setToolTip(tr("Remove the selected photo"));
    m_autoButton = new QPushButton(icon(QStringLiteral("auto-mask")), tr("Auto-Mask"), this);
    m_autoButton->setToolTip(tr("Find the subject in the photos that have no mask yet (GrabCut, runs in "
                                "the background); asks before replacing masks"));
    auto* photoRow = new QHBoxLayout;
    photoRow->addWidget(addPhotosButton);
    photoRow->addWidget(removePhoto);
    photoRow->addStretch();
    photoRow->addWidget(m_autoButton);
    layout->addWidget(m_photos);
    layout->addLayout(photoRow);
    layout->addWidget(m_photoHint);

    // Mask editor and its tools.
    auto* tools = new QHBoxLayout;
    auto* group = new QButtonGroup(this);
    const std::tuple<QString, QString, MaskEditor::Tool> toolDefs[] = {
        {QStringLiteral("brush"), tr("Brush: paint what belongs to the subject"), MaskEditor::Tool::Brush},
        {QStringLiteral("eraser"), tr("Eraser: remove part of the mask"), MaskEditor::Tool::Eraser},
        {QStringLiteral("rect-select"), tr("Rectangle: re-segment inside a box"),
         MaskEditor::Tool::Rectangle}};
    m_editor = new MaskEditor(this);
    for (const auto& [name, tip, tool] : toolDefs) {
        auto* b = new QToolButton(this);
        b->setIcon(icon(name));
        b->setToolTip(tip);
        b->setCheckable(true);
        b->setChecked(tool == MaskEditor::Tool::Brush);
        group->addButton(b);
        tools->addWidget(b);
        const MaskEditor::Tool t = tool;
        connect(b, &QToolButton::clicked, this, [this, t] { m_editor->setTool(t); });
    }
    m_brushSize = new QSlider(Qt::Horizontal, this);
    m_brushSize->setRange(2, 120);
    m_brushSize->setValue(24);
    m_brushSize->setToolTip(tr("Brush size"));
    tools->addWidget(m_brushSize, 1);
    m_refineButton = new QPushButton(tr("Refine"), this);
    m_refineButton->setToolTip(tr("Re-segment with GrabCut, taking the brush strokes as certain"));
    tools->addWidget(m_refineButton);
    layout->addLayout(tools);
    layout->addWidget(m_editor, 1);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 100);
    m_progress->setTextVisible(true);
    m_progress->setVisible(false);
    m_cancelButton = new QPushButton(tr("Cancel"), this);
    m_cancelButton->setVisible(false);
    auto* progRow = new QHBoxLayout;
    progRow->addWidget(m_progress, 1);
    progRow->addWidget(m_cancelButton);
    layout->addLayout(progRow);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    m_thumbnails = new ThumbnailLoader(kThumb, this);
    connect(m_thumbnails, &ThumbnailLoader::ready, this, &SubjectPanel::onThumbnailReady);
    connect(m_thumbnails, &ThumbnailLoader::photoReady, this,
            [this](const QString& photo, const QString& mask, const QImage& image, const QImage& maskImage,
                   const QString& error) {
                // Only the latest request for what is selected now counts.
                if (m_photoLoading && photo == m_shownPhoto && mask == m_shownMask)
                    showPhoto(photo, mask, image, maskImage, error);
            });

    m_thread.setObjectName(QStringLiteral("mask-worker"));
    m_thread.start();

    connect(addSubject, &QToolButton::clicked, this, &SubjectPanel::addSubjectClicked);
    connect(removeSubject, &QToolButton::clicked, this, &SubjectPanel::removeSubjectClicked);
    connect(m_subjects, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_refreshing || row < 0)
            return;
        m_document->setSelectedSubject(m_subjects->item(row)->data(Qt::UserRole).toString());
    });
    for (QLineEdit* e : {m_className, m_id, m_identifier})
        connect(e, &QLineEdit::editingFinished, this, &SubjectPanel::commitSubjectFields);
    connect(m_learned, &QCheckBox::toggled, this, [this] { commitSubjectFields(); });
    connect(addPhotosButton, &QPushButton::clicked, this, [this] {
        const QStringList files =
            QFileDialog::getOpenFileNames(this, tr("Add Photos"), m_document->projectFolder(),
                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"));
        addPhotos(files);
    });
    connect(removePhoto, &QToolButton::clicked, this, &SubjectPanel::removePhotoClicked);
    connect(m_autoButton, &QPushButton::clicked, this, &SubjectPanel::autoMaskClicked);
    connect(m_cancelButton, &QPushButton::clicked, this, &SubjectPanel::cancelJobs);
    connect(m_photos, &QListWidget::currentRowChanged, this, [this] { showSelectedPhoto(); });
    connect(m_brushSize, &QSlider::valueChanged, m_editor, &MaskEditor::setBrushSize);
    connect(m_editor, &MaskEditor::maskPainted, this, &SubjectPanel::onMaskPainted);
    connect(m_editor, &MaskEditor::rectangleDrawn, this, &SubjectPanel::onRectangleDrawn);
    connect(m_refineButton, &QPushButton::clicked, this, &SubjectPanel::refineWithStrokes);

    connect(document, &ProjectDocument::changed, this, [this](unsigned scope) {
        if (scope & ScopeSubjects)
            refreshSubjects();
    });
    connect(document, &ProjectDocument::selectedSubjectChanged, this, [this] { refreshSubjects(); });
    refreshSubjects();
}

SubjectPanel::~SubjectPanel() {
    m_importPool.clear();
    m_importPool.waitForDone(); // the checks post back to `this`: none may outlive it
    m_queue.clear();
    if (m_running)
        m_running->cancel();
    m_thread.quit();
    m_thread.wait();
}

QString SubjectPanel::maskFolder() const {
    return QDir(m_document->projectFolder()).filePath(QStringLiteral("masks"));
}

int SubjectPanel::selectedPhoto() const {
    return m_photos->currentRow();
}

void SubjectPanel::refreshSubjects() {
    m_refreshing = true;
    const Project& p = m_document->project();
    const QString sel = m_document->selectedSubject();
    m_subjects->clear();
    for (size_t i = 0; i < p.subjects.size(); ++i) {
        const Subject& s = p.subjects[i];
        // The identifier is shown with the subject: it is the word the subject is learned and prompted by.
        const QString name = s.learned ? QStringLiteral("%1 %2").arg(QString::fromStdString(s.identifier),
                                                                     QString::fromStdString(s.className))
                                       : QString::fromStdString(s.className);
        auto* item = new QListWidgetItem(QStringLiteral("%1  \u2014  {%2}  \u2022  %3")
                                             .arg(name, QString::fromStdString(s.id))
                                             .arg(tr("%n photo(s)", nullptr, int(s.photos.size()))));
        QPixmap chip(12, 12);
        chip.fill(subjectColor(int(i)));
        item->setIcon(QIcon(chip));
        item->setData(Qt::UserRole, QString::fromStdString(s.id));
        m_subjects->addItem(item);
        if (QString::fromStdString(s.id) == sel)
            m_subjects->setCurrentItem(item);
    }
    m_refreshing = false;
    refreshSubjectFields();
    refreshPhotos();
}

void SubjectPanel::refreshSubjectFields() {
    m_refreshing = true;
    const Subject* s = m_document->project().findSubject(m_document->selectedSubject().toStdString());
    for (QWidget* w : std::initializer_list<QWidget*>{m_className, m_id, m_identifier, m_learned})
        w->setEnabled(s != nullptr);
    m_className->setText(s ? QString::fromStdString(s->className) : QString());
    m_id->setText(s ? QString::fromStdString(s->id) : QString());
    m_identifier->setText(s ? QString::fromStdString(s->identifier) : QString());
    m_learned->setChecked(s && s->learned);
    m_refreshing = false;
}

void SubjectPanel::refreshPhotos() {
    const Subject* s = m_document->project().findSubject(m_document->selectedSubject().toStdString());
    const int keep = m_photos->currentRow();
    m_refreshing = true;
    m_photos->clear();
    if (s) {
        for (const auto& photo : s->photos) {
            const QString image = QString::fromStdString(photo.image),
                          mask = QString::fromStdString(photo.mask);
            // Decoded on a worker (big photos must not stall the UI); a placeholder until it arrives.
            const QImage* thumb = m_thumbnails->cached(image, mask);
            auto* item =
                new QListWidgetItem(QIcon(QPixmap::fromImage(thumb ? *thumb : m_thumbnails->placeholder())),
                                    QFileInfo(image).fileName());
            item->setData(kPhotoRole, image);
            item->setData(kMaskRole, mask);
            item->setData(kThumbnailReadyRole, thumb != nullptr);
            if (!thumb)
                m_thumbnails->request(image, mask);
            item->setToolTip(QString::fromStdString(photo.image) +
                             (photo.mask.empty() ? tr("\nNo mask yet")
                                                 : tr("\nMask: %1").arg(QString::fromStdString(photo.mask))));
            m_photos->addItem(item);
        }
        const int n = int(s->photos.size());
        m_photoHint->setText(n == 0              ? tr("Drop 3–10 photos of the subject here.")
                             : (n < 3 || n > 10) ? tr("%n photo(s): 3–10 are recommended.", nullptr, n)
                                                 : QString());
    } else {
        m_photoHint->setText(tr("Add a subject, then drop its photos here."));
    }
    m_refreshing = false;
    if (m_photos->count() > 0)
        m_photos->setCurrentRow(std::clamp(keep, 0, m_photos->count() - 1));
    showSelectedPhoto();
}

void SubjectPanel::onThumbnailReady(const QString& photo, const QString& mask, const QImage& thumbnail) {
    for (int row = 0; row < m_photos->count(); ++row) {
        QListWidgetItem* item = m_photos->item(row);
        if (item->data(kThumbnailReadyRole).toBool() || item->data(kPhotoRole).toString() != photo ||
            item->data(kMaskRole).toString() != mask)
            continue;
        item->setIcon(QIcon(QPixmap::fromImage(thumbnail)));
        item->setData(kThumbnailReadyRole, true);
    }
}

void SubjectPanel::showSelectedPhoto() {
    if (m_refreshing)
        return;
    const Subject* s = m_document->project().findSubject(m_document->selectedSubject().toStdString());
    const int i = selectedPhoto();
    if (!s || i < 0 || i >= int(s->photos.size())) {
        m_editor->clear();
        m_editor->setEnabled(true);
        m_photoLoading = false;
        m_shownPhoto.clear();
        m_shownMask.clear();
        return;
    }
    const QString photoPath = QString::fromStdString(s->photos[size_t(i)].image);
    const QString maskPath = QString::fromStdString(s->photos[size_t(i)].mask);
    if (photoPath == m_shownPhoto && maskPath == m_shownMask && !m_photoLoading)
        return; // the editor shows exactly this already (e.g. the mask it just saved)
    if (ThumbnailLoader::isBigPhoto(photoPath)) {
        // Decoding tens of megapixels takes a noticeable moment: a worker does it, the editor waits disabled
        // (no painting on a stale mask) and shows the photo when it arrives.
        if (photoPath != m_shownPhoto)
            m_editor->clear();
        m_editor->setEnabled(false);
        m_photoLoading = true;
        m_shownPhoto = photoPath;
        m_shownMask = maskPath;
        m_status->setText(tr("Loading %1…").arg(QFileInfo(photoPath).fileName()));
        m_thumbnails->requestPhoto(photoPath, maskPath);
        return;
    }
    QImageReader reader(photoPath);
    reader.setAutoTransform(true);
    const QImage photo = reader.read();
    const QImage mask = maskPath.isEmpty() ? QImage() : QImage(maskPath);
    showPhoto(photoPath, maskPath, photo, mask, reader.errorString());
}

void SubjectPanel::showPhoto(const QString& photoPath, const QString& maskPath, const QImage& photo,
                             const QImage& mask, const QString& error) {
    m_editor->setImages(photo, mask);
    m_editor->setEnabled(true);
    m_photoLoading = false;
    m_shownPhoto = photoPath;
    m_shownMask = maskPath;
    m_status->setText(
        photo.isNull() ? tr("Cannot read %1: %2").arg(photoPath, error)
                       : tr("Mask covers %1% of the photo").arg(m_editor->maskCoverage() * 100, 0, 'f', 1));
}

void SubjectPanel::addSubjectClicked() {
    const Project& p = m_document->project();
    Subject s;
    int n = int(p.subjects.size()) + 1;
    do {
        s.id = "subject" + std::to_string(n++);
    } while (p.findSubject(s.id));
    s.className = tr("object").toStdString();
    // Its own identifier from the start: two subjects learned under one word would be learned as one.
    s.identifier = freeSubjectIdentifier(p);
    const bool noneFree = s.identifier.empty();
    if (noneFree)
        s.identifier = subjectIdentifierTokens().front();
    m_document->push(mb::addSubject(s, std::nullopt, tr("Add subject").toStdString()));
    m_document->setSelectedSubject(QString::fromStdString(s.id));
    if (noneFree)
        m_status->setText(tr("Every prepared identifier is taken: type a rare word that is one CLIP token "
                             "for this subject (Identifier)."));
}

void SubjectPanel::removeSubjectClicked() {
    const QString id = m_document->selectedSubject();
    if (id.isEmpty())
        return;
    m_document->push(
        mb::removeSubject(m_document->project(), id.toStdString(), tr("Remove subject").toStdString()));
}

void SubjectPanel::commitSubjectFields() {
    if (m_refreshing)
        return;
    const QString id = m_document->selectedSubject();
    const Subject* s = m_document->project().findSubject(id.toStdString());
    if (!s)
        return;
    Subject edited = *s;
    edited.className = m_className->text().trimmed().toStdString();
    const QString newId = m_id->text().trimmed();
    if (!newId.isEmpty() && newId != id) {
        if (m_document->project().findSubject(newId.toStdString())) {
            m_status->setText(tr("The id %1 is taken").arg(newId));
            m_id->setText(id);
            return;
        }
        edited.id = newId.toStdString();
    }
    const QString identifier = m_identifier->text().trimmed();
    if (!identifier.isEmpty() && identifier.toStdString() != s->identifier) {
        const QString other = QString::fromStdString(
            subjectUsingIdentifier(m_document->project(), identifier.toStdString(), s->id));
        const ml::ClipTokenizer* vocab = realVocabulary();
        QString problem;
        if (!other.isEmpty())
            problem = tr("The identifier %1 is used by {%2}: each subject needs its own, or fine-tuning "
                         "learns them as one.")
                          .arg(identifier, other);
        else if (vocab && !vocab->is_single_token(identifier.toLower().toStdString()))
            problem = tr("%1 is not a single token of CLIP's vocabulary, so fine-tuning cannot learn the "
                         "subject under it. Rare single tokens: %2.")
                          .arg(identifier, QString::fromStdString([] {
                                   std::string list;
                                   for (const std::string& t : subjectIdentifierTokens())
                                       list += (list.empty() ? "" : ", ") + t;
                                   return list;
                               }()));
        if (!problem.isEmpty()) {
            m_status->setText(problem);
            m_identifier->setText(QString::fromStdString(s->identifier));
            return;
        }
        edited.identifier = identifier.toStdString();
    }
    edited.learned = m_learned->isChecked();
    if (edited == *s)
        return;
    m_document->push(
        setSubject(m_document->project(), id.toStdString(), edited, tr("Edit subject").toStdString()));
    m_document->setSelectedSubject(QString::fromStdString(edited.id));
}

int SubjectPanel::addPhotos(const QStringList& paths) {
    QStringList images, refused;
    bool big = false;
    for (const QString& p : paths) {
        if (!isImageFile(p))
            continue; // a dropped folder's notes and sidecars are not meant as photos
        const QString path = QFileInfo(p).absoluteFilePath();
        if (!QFileInfo(path).isFile()) {
            refused << decodeProblem(path); // says "file not found" or "is a folder"
            continue;
        }
        images << path;
        big = big || ThumbnailLoader::isBigPhoto(path);
    }
    const QString subjectId = m_document->selectedSubject();
    if (!big) {
        // Small photos decode in milliseconds: checked here, so the photos are there when this returns.
        QStringList accepted;
        for (const QString& img : images) {
            const QString problem = decodeProblem(img);
            if (problem.isEmpty())
                accepted << img;
            else
                refused << problem;
        }
        finishImport(subjectId, accepted, refused);
        return int(accepted.size());
    }
    // Decoding tens of megapixels takes a noticeable moment per photo: a worker checks the batch, and the
    // photos that decode are added together (one undo step) when it is done.
    ++m_importing;
    m_status->setText(tr("Checking %n photo(s)\u2026", nullptr, int(images.size())));
    m_importPool.start([this, subjectId, images, refused] {
        QStringList accepted, problems = refused;
        for (const QString& img : images) {
            const QString problem = decodeProblem(img);
            if (problem.isEmpty())
                accepted << img;
            else
                problems << problem;
        }
        QMetaObject::invokeMethod(
            this,
            [this, subjectId, accepted, problems] {
                --m_importing;
                finishImport(subjectId, accepted, problems);
            },
            Qt::QueuedConnection);
    });
    return int(images.size());
}

void SubjectPanel::finishImport(const QString& subjectId, const QStringList& accepted,
                                const QStringList& refused) {
    if (!accepted.isEmpty()) {
        QString id = subjectId;
        if (id.isEmpty() || !m_document->project().findSubject(id.toStdString())) {
            addSubjectClicked();
            id = m_document->selectedSubject();
        }
        Subject edited = *m_document->project().findSubject(id.toStdString());
        for (const QString& img : accepted)
            edited.photos.push_back({img.toStdString(), std::string()});
        m_document->push(setSubject(m_document->project(), id.toStdString(), edited,
                                    tr("Add %n photo(s)", nullptr, int(accepted.size())).toStdString()));
        if (m_document->selectedSubject() != id)
            m_document->setSelectedSubject(id);
    }
    if (!refused.isEmpty()) {
        QStringList names;
        for (const QString& problem : refused)
            names << QFileInfo(problem.section(QStringLiteral(": "), 0, 0)).fileName();
        m_status->setText(tr("Not added (cannot be read): %1").arg(names.join(QStringLiteral(", "))));
        auto* box = new QMessageBox(
            QMessageBox::Warning, tr("Photos not added"),
            tr("%n file(s) could not be read as an image and were not added:", nullptr, int(refused.size())),
            QMessageBox::Ok, this);
        box->setInformativeText(refused.join(QLatin1Char('\n')));
        showMessage(box);
    } else if (!accepted.isEmpty()) {
        m_status->setText(tr("Added %n photo(s)", nullptr, int(accepted.size())));
    }
    Q_EMIT photosImported(int(accepted.size()), refused);
}

QMessageBox* SubjectPanel::message() const {
    return m_message;
}

void SubjectPanel::showMessage(QMessageBox* box) {
    if (m_message)
        m_message->close();
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::WindowModal);
    m_message = box;
    box->open();
}

void SubjectPanel::removePhotoClicked() {
    const QString id = m_document->selectedSubject();
    const Subject* s = m_document->project().findSubject(id.toStdString());
    const int i = selectedPhoto();
    if (!s || i < 0 || i >= int(s->photos.size()))
        return;
    Subject edited = *s;
    edited.photos.erase(edited.photos.begin() + i);
    m_document->push(
        setSubject(m_document->project(), id.toStdString(), edited, tr("Remove photo").toStdString()));
}

void SubjectPanel::dragEnterEvent(QDragEnterEvent* event) {
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile() && isImageFile(url.toLocalFile())) {
            event->acceptProposedAction();
            return;
        }
}

void SubjectPanel::dropEvent(QDropEvent* event) {
    QStringList files;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            files << url.toLocalFile();
    if (addPhotos(files) > 0)
        event->acceptProposedAction();
}

QString SubjectPanel::newMaskPath(const QString& subjectId, const QString& photoPath) const {
    // A new file per edit (never overwritten), so undo can point back at the previous mask.
    const QString stem = QFileInfo(photoPath).completeBaseName();
    static int counter = 0; // two edits within one millisecond still get two files
    return QDir(maskFolder())
        .filePath(QStringLiteral("%1_%2_mask_%3_%4.png")
                      .arg(subjectId, stem)
                      .arg(QDateTime::currentMSecsSinceEpoch())
                      .arg(++counter));
}

void SubjectPanel::setPhotoMask(const QString& subjectId, int index, const QString& maskPath,
                                const QString& label) {
    const Subject* s = m_document->project().findSubject(subjectId.toStdString());
    if (!s || index < 0 || index >= int(s->photos.size()))
        return;
    Subject edited = *s;
    edited.photos[size_t(index)].mask = maskPath.toStdString();
    m_document->push(setSubject(m_document->project(), subjectId.toStdString(), edited, label.toStdString()));
}

void SubjectPanel::autoMaskAll(bool onlyUnmasked) {
    autoMask(m_document->selectedSubject(), onlyUnmasked);
}

void SubjectPanel::autoMaskClicked() {
    const QString id = m_document->selectedSubject();
    const Subject* s = m_document->project().findSubject(id.toStdString());
    if (!s || s->photos.empty())
        return;
    int masked = 0;
    for (const SubjectPhoto& photo : s->photos)
        masked += photo.mask.empty() ? 0 : 1;
    const int unmasked = int(s->photos.size()) - masked;
    if (masked == 0) {
        autoMask(id, false);
        return;
    }
    // A mask may be the result of careful painting and refining: replacing it is the artist's call.
    auto* box =
        new QMessageBox(QMessageBox::Question, tr("Auto-Mask"), QString(), QMessageBox::NoButton, this);
    QPushButton* onlyNew = nullptr;
    if (unmasked > 0) {
        box->setText(tr("%n photo(s) of this subject have a mask already.", nullptr, masked));
        box->setInformativeText(tr("Mask only the %n photo(s) without one, or replace every mask (painted "
                                   "and refined ones too; Undo brings them back)?",
                                   nullptr, unmasked));
        onlyNew = box->addButton(tr("Mask %n Unmasked", nullptr, unmasked), QMessageBox::AcceptRole);
    } else {
        box->setText(tr("All %n photo(s) of this subject have a mask already.", nullptr, masked));
        box->setInformativeText(
            tr("Replace every mask, painted and refined ones too? Undo brings them back."));
    }
    QPushButton* all = box->addButton(tr("Re-mask All"), QMessageBox::DestructiveRole);
    QPushButton* cancel = box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(onlyNew ? onlyNew : cancel);
    box->setEscapeButton(cancel);
    connect(box, &QMessageBox::buttonClicked, this, [this, id, onlyNew, all](QAbstractButton* clicked) {
        if (onlyNew && clicked == onlyNew)
            autoMask(id, true);
        else if (clicked == all)
            autoMask(id, false);
    });
    showMessage(box);
}

void SubjectPanel::autoMask(const QString& id, bool onlyUnmasked) {
    const Subject* s = m_document->project().findSubject(id.toStdString());
    if (!s)
        return;
    for (size_t i = 0; i < s->photos.size(); ++i) {
        if (onlyUnmasked && !s->photos[i].mask.empty())
            continue;
        MaskRequest r;
        r.imagePath = QString::fromStdString(s->photos[i].image);
        r.outputPath = newMaskPath(id, r.imagePath);
        r.photoIndex = int(i);
        r.subjectId = id;
        enqueue(r);
    }
}

void SubjectPanel::enqueue(MaskRequest request) {
    QDir().mkpath(maskFolder());
    m_queue << std::move(request);
    if (!m_running)
        startNext();
}

void SubjectPanel::startNext() {
    if (m_queue.isEmpty()) {
        m_progress->setVisible(false);
        m_cancelButton->setVisible(false);
        Q_EMIT jobsIdle();
        return;
    }
    const MaskRequest r = m_queue.takeFirst();
    auto* job = new MaskJob(r);
    job->moveToThread(&m_thread);
    m_running = job;
    m_progress->setVisible(true);
    m_progress->setValue(0);
    m_progress->setFormat(tr("%1: %p%").arg(QFileInfo(r.imagePath).fileName()));
    m_cancelButton->setVisible(true);
    connect(job, &MaskJob::progress, m_progress, &QProgressBar::setValue);
    connect(job, &MaskJob::finished, this, [this, r](const QString& path, double seconds) {
        m_document->addGeneratedFile(path);
        setPhotoMask(r.subjectId, r.photoIndex, path, r.refine ? tr("Refine mask") : tr("Auto-mask"));
        m_status->setText(
            tr("Masked %1 in %2 s").arg(QFileInfo(r.imagePath).fileName()).arg(seconds, 0, 'f', 2));
        Q_EMIT jobFinished(r.photoIndex, seconds);
    });
    connect(job, &MaskJob::failed, this, [this, r](const QString& message) {
        m_status->setText(tr("Masking %1 failed: %2").arg(QFileInfo(r.imagePath).fileName(), message));
        Q_EMIT jobFailed(message);
    });
    connect(job, &MaskJob::cancelled, this, [this] {
        m_status->setText(tr("Masking cancelled"));
        Q_EMIT jobCancelled();
    });
    connect(job, &MaskJob::cancelled, job, &QObject::deleteLater);
    connect(job, &MaskJob::finished, job, &QObject::deleteLater);
    connect(job, &MaskJob::failed, job, &QObject::deleteLater);
    connect(job, &QObject::destroyed, this, [this] {
        m_running = nullptr;
        startNext();
    });
    QMetaObject::invokeMethod(job, &MaskJob::run, Qt::QueuedConnection);
}

void SubjectPanel::cancelJobs() {
    m_queue.clear();
    if (m_running)
        m_running->cancel(); // direct call: a queued cancel could arrive after the job ended
}

void SubjectPanel::onMaskPainted() {
    const QString id = m_document->selectedSubject();
    const Subject* s = m_document->project().findSubject(id.toStdString());
    const int i = selectedPhoto();
    if (!s || i < 0 || i >= int(s->photos.size()))
        return;
    QDir().mkpath(maskFolder());
    const QString path = newMaskPath(id, QString::fromStdString(s->photos[size_t(i)].image));
    if (!m_editor->mask().save(path, "PNG")) {
        m_status->setText(tr("Cannot write %1").arg(path));
        return;
    }
    m_document->addGeneratedFile(path); // removed again once neither the document nor undo needs it
    m_shownMask = path;                 // the editor shows this mask already: no reload
    setPhotoMask(id, i, path,
                 m_editor->tool() == MaskEditor::Tool::Eraser ? tr("Erase mask") : tr("Paint mask"));
}

void SubjectPanel::onRectangleDrawn(const QRect& rect) {
    const QString id = m_document->selectedSubject();
    const Subject* s = m_document->project().findSubject(id.toStdString());
    const int i = selectedPhoto();
    if (!s || i < 0 || i >= int(s->photos.size()))
        return;
    MaskRequest r;
    r.refine = true;
    r.imagePath = QString::fromStdString(s->photos[size_t(i)].image);
    r.rect = rect;
    r.outputPath = newMaskPath(id, r.imagePath);
    r.photoIndex = i;
    r.subjectId = id;
    enqueue(r);
}

void SubjectPanel::refineWithStrokes() {
    const QString id = m_document->selectedSubject();
    const Subject* s = m_document->project().findSubject(id.toStdString());
    const int i = selectedPhoto();
    if (!s || i < 0 || i >= int(s->photos.size()))
        return;
    MaskRequest r;
    r.refine = true;
    r.imagePath = QString::fromStdString(s->photos[size_t(i)].image);
    r.maskPath = QString::fromStdString(s->photos[size_t(i)].mask);
    r.foreground = m_editor->foregroundStrokes();
    r.background = m_editor->backgroundStrokes();
    r.outputPath = newMaskPath(id, r.imagePath);
    r.photoIndex = i;
    r.subjectId = id;
    enqueue(r);
}

} // namespace mb::ui
