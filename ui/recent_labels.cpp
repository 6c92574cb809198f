#include "ui/recent_labels.h"

#include <QDir>
#include <QFileInfo>
#include <QHash>

namespace mb::ui {

QStringList recentMenuLabels(const QStringList& files) {
    QHash<QString, int> nameCount, folderNameCount;
    for (const QString& f : files) {
        const QFileInfo fi(f);
        ++nameCount[fi.fileName()];
        ++folderNameCount[fi.fileName() + QChar(0) + fi.dir().dirName()];
    }
    QStringList labels;
    labels.reserve(files.size());
    for (const QString& f : files) {
        const QFileInfo fi(f);
        const QString name = fi.fileName();
        if (nameCount.value(name) < 2) {
            labels << name;
            continue;
        }
        const bool folderNameTells = folderNameCount.value(name + QChar(0) + fi.dir().dirName()) < 2;
        const QString folder = folderNameTells ? fi.dir().dirName() : QDir::toNativeSeparators(fi.path());
        labels << QStringLiteral("%1 \u2014 %2").arg(name, folder);
    }
    return labels;
}

} // namespace mb::ui
