#include "ui/relink_dialog.h"

#include "doc/file_edits.h"
#include "ui/project_document.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QDirIterator>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMultiHash>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mb::ui {

namespace {
constexpr int kPathRole = Qt::UserRole + 1;

/** How many trailing folder names two paths share (…/shoot/photos/a.jpg vs …/new/shoot/photos/a.jpg: 2). */
int sharedTail(const QString& a, const QString& b) {
    const QStringList pa = QFileInfo(a).path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const QStringList pb = QFileInfo(b).path().split(QLatin1Char('/'), Qt::SkipEmptyParts);
    int n = 0;
    while (n < pa.size() && n < pb.size() && pa[pa.size() - 1 - n] == pb[pb.size() - 1 - n])
        ++n;
    return n;
}

QString roleLabel(const MissingFile& m) {
    const QString subject = QString::fromStdString(m.subjectId);
    if (m.role == "photo")
        return RelinkDialog::tr("photo of {%1}").arg(subject);
    if (m.role == "mask")
        return RelinkDialog::tr("mask of {%1}").arg(subject);
    if (m.role == "background")
        return RelinkDialog::tr("background photo");
    if (m.role == "take")
        return RelinkDialog::tr("take");
    return RelinkDialog::tr("take sidecar");
}
} // namespace

RelinkDialog::RelinkDialog(ProjectDocument* document, QWidget* parent)
    : QDialog(parent), m_document(document) {
    setObjectName(QStringLiteral("RelinkDialog"));
    setWindowTitle(tr("Missing Files"));
    auto* layout = new QVBoxLayout(this);
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    layout->addWidget(m_summary);
    m_list = new QTreeWidget(this);
    m_list->setColumnCount(3);
    m_list->setHeaderLabels({tr("File"), tr("Used as"), tr("Found at")});
    m_list->setRootIsDecorated(false);
    m_list->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_list->header()->setStretchLastSection(true);
    layout->addWidget(m_list, 1);
    for (const MissingFile& m : findMissingFiles(document->project())) {
        const QString path = QString::fromStdString(m.path);
        auto* item = new QTreeWidgetItem({QFileInfo(path).fileName(), roleLabel(m), tr("missing")});
        item->setData(0, kPathRole, path);
        item->setToolTip(0, QDir::toNativeSeparators(path));
        m_list->addTopLevelItem(item);
    }
    auto* buttons = new QDialogButtonBox(this);
    auto* search = buttons->addButton(tr("Search Folder\u2026"), QDialogButtonBox::ActionRole);
    search->setToolTip(tr("Pick the folder the files are in now; its subfolders are searched too"));
    m_relink = buttons->addButton(tr("Relink"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("Ignore"), QDialogButtonBox::RejectRole);
    layout->addWidget(buttons);
    connect(search, &QPushButton::clicked, this, &RelinkDialog::chooseFolder);
    connect(m_relink, &QPushButton::clicked, this, &RelinkDialog::relink);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    resize(640, 360);
    refresh();
}

int RelinkDialog::missingCount() const {
    return m_list->topLevelItemCount();
}

void RelinkDialog::chooseFolder() {
    QString start = m_document->projectFolder();
    const QString folder =
        QFileDialog::getExistingDirectory(this, tr("Folder with the Missing Files"), start);
    if (!folder.isEmpty())
        searchFolder(folder);
}

int RelinkDialog::searchFolder(const QString& folder) {
    QMultiHash<QString, QString> wanted; // file name → missing paths
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        const QString path = m_list->topLevelItem(i)->data(0, kPathRole).toString();
        if (!m_matches.contains(path))
            wanted.insert(QFileInfo(path).fileName(), path);
    }
    QHash<QString, QStringList> found; // file name → candidates in the folder
    QDirIterator it(folder, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    for (int seen = 0; it.hasNext() && seen < kMaxSearchedFiles && !wanted.isEmpty(); ++seen) {
        const QString candidate = it.next();
        const QString name = it.fileName();
        if (wanted.contains(name))
            found[name] << candidate;
    }
    for (auto w = wanted.constBegin(); w != wanted.constEnd(); ++w) {
        const QStringList candidates = found.value(w.key());
        if (candidates.isEmpty())
            continue;
        QString best = candidates.front();
        for (const QString& c : candidates)
            if (sharedTail(c, w.value()) > sharedTail(best, w.value()))
                best = c;
        m_matches.insert(w.value(), QFileInfo(best).absoluteFilePath());
    }
    refresh();
    return foundCount();
}

int RelinkDialog::foundCount() const {
    int found = 0;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        found += m_matches.contains(m_list->topLevelItem(i)->data(0, kPathRole).toString()) ? 1 : 0;
    return found;
}

bool RelinkDialog::relink() {
    if (m_matches.isEmpty())
        return false;
    std::map<std::string, std::string> moves;
    for (auto it = m_matches.constBegin(); it != m_matches.constEnd(); ++it)
        moves[it.key().toStdString()] = it.value().toStdString();
    m_document->push(relinkFiles(m_document->project(), moves,
                                 tr("Relink %n file(s)", nullptr, int(moves.size())).toStdString()));
    accept();
    return true;
}

void RelinkDialog::refresh() {
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_list->topLevelItem(i);
        const QString found = m_matches.value(item->data(0, kPathRole).toString());
        item->setText(2, found.isEmpty() ? tr("missing") : QDir::toNativeSeparators(found));
        item->setForeground(2, found.isEmpty() ? QColor(0xe0, 0x6c, 0x6c) : QColor(0x7c, 0xc4, 0x7c));
    }
    const int n = missingCount(), f = foundCount();
    m_summary->setText(
        tr("%n file(s) this project uses are not where it expects them.", nullptr, n) + QLatin1Char(' ') +
        (f == 0 ? tr("Pick the folder they are in now: they are found by name.")
                : tr("Found %1 of them; search another folder for the rest, or relink.").arg(f)));
    m_relink->setEnabled(f > 0);
    m_relink->setText(f > 0 ? tr("Relink %n File(s)", nullptr, f) : tr("Relink"));
}

} // namespace mb::ui
