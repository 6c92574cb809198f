#include "ui/takes_panel.h"

#include "doc/file_edits.h"
#include "media/gif_export.h"
#include "media/image_io.h"
#include "media/video_io.h"
#include "ui/project_document.h"

#include <QAction>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QUrl>
#include <QVBoxLayout>

namespace mb::ui {

namespace {
constexpr int kSeedRole = Qt::UserRole + 1;
constexpr int kPathRole = Qt::UserRole + 2;
constexpr int kIndexRole = Qt::UserRole + 3; ///< the take's index in the project
const QSize kThumb(160, 90);
} // namespace

TakesPanel::TakesPanel(ProjectDocument* document, QWidget* parent) : QWidget(parent), m_document(document) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    m_list = new QListWidget(this);
    m_list->setViewMode(QListView::IconMode);
    m_list->setIconSize(kThumb);
    m_list->setResizeMode(QListView::Adjust);
    m_list->setMovement(QListView::Static);
    m_list->setSpacing(6);
    m_list->setWordWrap(true);
    m_list->setUniformItemSizes(true);
    m_list->setAccessibleName(tr("Takes"));
    layout->addWidget(m_list, 1);
    m_empty = new QLabel(
        tr("No takes yet. Rendered takes appear here; double-click one to play it in the Preview."), this);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setEnabled(false);
    layout->addWidget(m_empty);
    auto* row = new QHBoxLayout;
    m_deleteButton = new QPushButton(tr("Delete"), this);
    m_deleteButton->setToolTip(
        tr("Remove the take from the project (Undo brings it back; the video file stays)"));
    m_exportButton = new QPushButton(tr("Export\u2026"), this);
    m_exportButton->setToolTip(tr("Save the take as MP4, animated GIF or PNG sequence"));
    m_revealButton = new QPushButton(tr("Show in Folder"), this);
    m_revealButton->setToolTip(tr("Open the take's folder in the file manager"));
    m_renderButton = new QPushButton(tr("Render Variations\u2026"), this);
    // Two rows: in one, the four buttons would make the dock wider than a 1366-pixel screen leaves it.
    auto* takeRow = new QHBoxLayout;
    takeRow->addWidget(m_deleteButton);
    takeRow->addWidget(m_exportButton);
    takeRow->addWidget(m_revealButton);
    takeRow->addStretch(1);
    layout->addLayout(takeRow);
    row->addStretch(1);
    row->addWidget(m_renderButton);
    // The same on the take itself (right-click), and Delete on the keyboard.
    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* deleteAction = new QAction(tr("Delete Take"), m_list);
    deleteAction->setShortcut(QKeySequence::Delete);
    deleteAction->setShortcutContext(Qt::WidgetShortcut);
    auto* exportAction = new QAction(tr("Export Take\u2026"), m_list);
    auto* revealAction = new QAction(tr("Show in Folder"), m_list);
    m_list->addActions({exportAction, revealAction, deleteAction});
    connect(deleteAction, &QAction::triggered, this, &TakesPanel::deleteSelected);
    connect(exportAction, &QAction::triggered, this, &TakesPanel::chooseExport);
    connect(revealAction, &QAction::triggered, this, &TakesPanel::revealSelected);
    connect(m_deleteButton, &QPushButton::clicked, this, &TakesPanel::deleteSelected);
    connect(m_exportButton, &QPushButton::clicked, this, &TakesPanel::chooseExport);
    connect(m_revealButton, &QPushButton::clicked, this, &TakesPanel::revealSelected);
    connect(m_list, &QListWidget::currentRowChanged, this, &TakesPanel::updateButtons);
    layout->addLayout(row);
    setRenderAvailable(false, tr("Checking whether motionbooth-cli can render takes\u2026"));

    connect(m_renderButton, &QPushButton::clicked, this, &TakesPanel::askRenderVariations);
    connect(m_list, &QListWidget::itemActivated, this, [this](QListWidgetItem* item) {
        Q_EMIT playRequested(item->data(kPathRole).toString(), item->data(kSeedRole).toULongLong());
    });
    connect(document, &ProjectDocument::changed, this, [this](unsigned scope) {
        if (scope & ScopeTakes)
            rebuild();
    });
    rebuild();
}

void TakesPanel::setRenderAvailable(bool available, const QString& reason) {
    m_renderAvailable = available;
    m_renderButton->setEnabled(available);
    m_renderButton->setToolTip(available ? tr("Queue several renders of this shot with consecutive seeds")
                                         : reason);
}

quint64 TakesPanel::nextSeed() const {
    quint64 highest = 0;
    for (const Take& t : m_document->project().takes)
        highest = std::max<quint64>(highest, t.seed);
    return highest + 1;
}

QImage TakesPanel::thumbnail(const QString& videoPath, const QSize& size) {
    QImage out(size, QImage::Format_RGB32);
    out.fill(QColor(0x30, 0x33, 0x3a));
    try {
        const std::vector<cv::Mat> frames = media::decodeVideo(videoPath.toStdString());
        if (!frames.empty()) {
            const cv::Mat& f = frames.front();
            const QImage first(f.data, f.cols, f.rows, int(f.step), QImage::Format_BGR888);
            const QImage scaled = first.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation);
            QPainter p(&out);
            p.drawImage((size.width() - scaled.width()) / 2, (size.height() - scaled.height()) / 2, scaled);
            return out;
        }
    } catch (const std::exception&) {
        // Drawn as a placeholder below: a missing take must not stop the panel.
    }
    QPainter p(&out);
    p.setPen(QColor(200, 120, 120));
    p.drawText(out.rect(), Qt::AlignCenter, tr("missing"));
    return out;
}

void TakesPanel::rebuild() {
    m_list->clear();
    const auto& takes = m_document->project().takes;
    for (const Take& t : takes) {
        const QString path = QString::fromStdString(t.video);
        const QFileInfo fi(path);
        const QString key = path + QLatin1Char('|') + QString::number(fi.lastModified().toMSecsSinceEpoch());
        auto it = m_thumbs.find(key);
        if (it == m_thumbs.end())
            it = m_thumbs.insert(key, QIcon(QPixmap::fromImage(thumbnail(path, kThumb))));
        const QDateTime when = QDateTime::fromString(QString::fromStdString(t.createdUtc), Qt::ISODate);
        const QString date = when.isValid() ? QLocale().toString(when.toLocalTime(), QLocale::ShortFormat)
                                            : QString::fromStdString(t.createdUtc);
        auto* item = new QListWidgetItem(it.value(), tr("Seed %1\n%2").arg(t.seed).arg(date));
        item->setData(kSeedRole, QVariant::fromValue<qulonglong>(t.seed));
        item->setData(kPathRole, path);
        item->setData(kIndexRole, int(m_list->count()));
        item->setToolTip(QDir::toNativeSeparators(path));
        m_list->addItem(item);
    }
    m_empty->setVisible(takes.empty());
    updateButtons();
}

void TakesPanel::updateButtons() {
    const bool any = selectedTake() >= 0;
    for (QPushButton* b : {m_deleteButton, m_exportButton, m_revealButton})
        b->setEnabled(any);
}

int TakesPanel::selectedTake() const {
    const QListWidgetItem* item = m_list->currentItem();
    const int index = item ? item->data(kIndexRole).toInt() : -1;
    return index >= 0 && index < int(m_document->project().takes.size()) ? index : -1;
}

void TakesPanel::deleteSelected() {
    const int index = selectedTake();
    if (index < 0)
        return;
    const Take& t = m_document->project().takes[size_t(index)];
    m_document->push(removeTake(m_document->project(), size_t(index),
                                tr("Delete take (seed %1)").arg(t.seed).toStdString()));
}

bool TakesPanel::exportSelected(const QString& path, QString* error) {
    const int index = selectedTake();
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (index < 0)
        return fail(tr("No take is selected"));
    const QString video = QString::fromStdString(m_document->project().takes[size_t(index)].video);
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return fail(tr("%1: cannot create its folder").arg(path));
    try {
        if (suffix == QLatin1String("mp4")) {
            if (QFileInfo(path).absoluteFilePath() == QFileInfo(video).absoluteFilePath())
                return true;
            // The file dialog asked before replacing an existing file.
            QFile::remove(path);
            QFile source(video);
            if (!source.copy(path))
                return fail(tr("%1: cannot copy %2 there (%3)").arg(path, video, source.errorString()));
            return true;
        }
        const std::vector<cv::Mat> frames = media::decodeVideo(video.toStdString());
        if (frames.empty())
            return fail(tr("%1: the take has no frames").arg(video));
        if (suffix == QLatin1String("gif")) {
            media::GifEncodeOptions options;
            options.fps = m_document->project().shot.fps;
            media::GifEncoder gif(path.toStdString(), frames.front().cols, frames.front().rows, options);
            for (const cv::Mat& f : frames)
                gif.write(f);
            gif.finish();
            return true;
        }
        if (suffix == QLatin1String("png")) {
            const QFileInfo fi(path);
            for (size_t f = 0; f < frames.size(); ++f)
                media::writePng(fi.dir()
                                    .filePath(QStringLiteral("%1_%2.png")
                                                  .arg(fi.completeBaseName())
                                                  .arg(int(f), 4, 10, QLatin1Char('0')))
                                    .toStdString(),
                                frames[f]);
            return true;
        }
    } catch (const std::exception& e) {
        return fail(QString::fromStdString(e.what()));
    }
    return fail(tr("%1: choose a name ending in .mp4, .gif or .png").arg(path));
}

void TakesPanel::chooseExport() {
    const int index = selectedTake();
    if (index < 0)
        return;
    const Take& t = m_document->project().takes[size_t(index)];
    const QString start =
        QDir(m_document->projectFolder()).filePath(QFileInfo(QString::fromStdString(t.video)).fileName());
    QString selectedFilter;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export Take"), start, tr("MP4 video (*.mp4);;Animated GIF (*.gif);;PNG sequence (*.png)"),
        &selectedFilter);
    if (path.isEmpty())
        return;
    QString error;
    if (!exportSelected(path, &error))
        QMessageBox::warning(this, tr("Export failed"), error);
}

void TakesPanel::revealSelected() {
    const int index = selectedTake();
    if (index < 0)
        return;
    const QFileInfo fi(QString::fromStdString(m_document->project().takes[size_t(index)].video));
    // File managers differ in how to select a file; opening its folder works everywhere.
    QDesktopServices::openUrl(QUrl::fromLocalFile(fi.absolutePath()));
}

void TakesPanel::askRenderVariations() {
    if (m_renderAvailable)
        Q_EMIT renderRequested();
}

} // namespace mb::ui
