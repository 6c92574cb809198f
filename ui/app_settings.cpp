#include "ui/app_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

namespace mb::ui {

namespace {
const char* kModelFolder = "ml/modelFolder";
const char* kThreads = "ml/threads";
const char* kDevice = "ml/device";
const char* kInProcess = "jobs/inProcess";
const char* kAutosave = "editor/autosaveSeconds";
const char* kLanguage = "editor/language";
const char* kRecent = "editor/recentFiles";
const char* kStepSeconds = "render/stepSeconds"; ///< one map: estimate key → seconds per step
} // namespace

std::optional<double> AppSettings::stepSeconds(const QString& key) {
    const QVariantMap m = QSettings().value(kStepSeconds).toMap();
    bool ok = false;
    const double s = m.value(key).toDouble(&ok);
    if (!ok || !(s > 0))
        return std::nullopt;
    return s;
}
void AppSettings::setStepSeconds(const QString& key, double seconds) {
    QSettings settings;
    QVariantMap m = settings.value(kStepSeconds).toMap();
    m.insert(key, seconds);
    settings.setValue(kStepSeconds, m);
}

QString AppSettings::modelFolder() {
    return QSettings().value(kModelFolder).toString();
}
void AppSettings::setModelFolder(const QString& folder) {
    QSettings().setValue(kModelFolder, folder);
}
int AppSettings::threads() {
    return QSettings().value(kThreads, 0).toInt();
}
void AppSettings::setThreads(int threads) {
    QSettings().setValue(kThreads, threads);
}
QString AppSettings::device() {
    return QSettings().value(kDevice, QStringLiteral("cpu")).toString();
}
void AppSettings::setDevice(const QString& device) {
    QSettings().setValue(kDevice, device);
}
bool AppSettings::runJobsInProcess() {
    return QSettings().value(kInProcess, false).toBool();
}
void AppSettings::setRunJobsInProcess(bool inProcess) {
    QSettings().setValue(kInProcess, inProcess);
}
int AppSettings::autosaveIntervalSeconds() {
    return QSettings().value(kAutosave, 60).toInt();
}
void AppSettings::setAutosaveIntervalSeconds(int seconds) {
    QSettings().setValue(kAutosave, seconds);
}
QString AppSettings::language() {
    return QSettings().value(kLanguage).toString();
}
void AppSettings::setLanguage(const QString& code) {
    QSettings().setValue(kLanguage, code);
}

QStringList AppSettings::recentFiles() {
    return QSettings().value(kRecent).toStringList();
}

void AppSettings::addRecentFile(const QString& path) {
    const QString abs = QFileInfo(path).absoluteFilePath();
    QStringList list = recentFiles();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > kMaxRecentFiles)
        list.removeLast();
    QSettings().setValue(kRecent, list);
}

void AppSettings::removeRecentFile(const QString& path) {
    QStringList list = recentFiles();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(kRecent, list);
}

void AppSettings::clearRecentFiles() {
    QSettings().remove(kRecent);
}

QString AppSettings::autosaveFolder() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
        .filePath(QStringLiteral("autosave"));
}

} // namespace mb::ui
