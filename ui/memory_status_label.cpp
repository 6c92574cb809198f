#include "ui/memory_status_label.h"

#include <QFile>
#include <QLocale>
#include <QRegularExpression>

namespace mb::ui {

namespace {
/** A "Key:   1234 kB" line of a /proc file, in bytes. */
qint64 procKiloBytes(const QString& file, const QString& key) {
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QString text = QString::fromLatin1(f.readAll());
    const QRegularExpression re(QStringLiteral("^%1:\\s+(\\d+) kB").arg(key),
                                QRegularExpression::MultilineOption);
    const auto m = re.match(text);
    return m.hasMatch() ? m.captured(1).toLongLong() * 1024 : 0;
}
} // namespace

MemoryStatusLabel::MemoryStatusLabel(QWidget* parent) : QLabel(parent) {
    setToolTip(tr("Memory used by MotionBooth Studio / memory still available on this machine"));
    connect(&m_timer, &QTimer::timeout, this, &MemoryStatusLabel::refresh);
    m_timer.start(2000);
    refresh();
}

qint64 MemoryStatusLabel::residentBytes() {
    return procKiloBytes(QStringLiteral("/proc/self/status"), QStringLiteral("VmRSS"));
}

qint64 MemoryStatusLabel::availableBytes() {
    return procKiloBytes(QStringLiteral("/proc/meminfo"), QStringLiteral("MemAvailable"));
}

void MemoryStatusLabel::refresh() {
    const QLocale loc;
    const qint64 rss = residentBytes(), avail = availableBytes();
    if (rss <= 0) {
        setText(QString());
        return;
    }
    QString text = tr("Memory %1").arg(loc.formattedDataSize(rss, 1, QLocale::DataSizeTraditionalFormat));
    if (avail > 0)
        text += tr(" (%1 free)").arg(loc.formattedDataSize(avail, 1, QLocale::DataSizeTraditionalFormat));
    setText(text);
}

} // namespace mb::ui
