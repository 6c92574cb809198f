#include "ui/takes_panel.h"

#include "media/video_io.h"
#include "ui/project_document.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace mb::ui {

namespace {
constexpr int kSeedRole = Qt::UserRole + 1;
constexpr int kPathRole = Qt::UserRole + 2;
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
    m_renderButton = new QPushButton(tr("Render Variations\u2026"), this);
    row->addStretch(1);
    row->addWidget(m_renderButton);
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
        item->setToolTip(QDir::toNativeSeparators(path));
        m_list->addItem(item);
    }
    m_empty->setVisible(takes.empty());
}

void TakesPanel::askRenderVariations() {
    if (m_renderAvailable)
        Q_EMIT renderRequested();
}

} // namespace mb::ui
